// Digi-SOS: a municipality's incidents, the secret handover links to
// their summary (only the token's hash is stored) and the links' views
// (time only, nothing about the viewer).
CREATE CONSTRAINT incident_id IF NOT EXISTS FOR (i:Incident) REQUIRE i.id IS UNIQUE;
CREATE INDEX incident_ags IF NOT EXISTS FOR (i:Incident) ON (i.ags);
CREATE CONSTRAINT handover_link_id IF NOT EXISTS FOR (l:HandoverLink) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT handover_link_token IF NOT EXISTS FOR (l:HandoverLink) REQUIRE l.tokenHash IS UNIQUE;
