// Indexes for the lookups and orderings the read API makes.
CREATE INDEX municipality_name IF NOT EXISTS FOR (m:Municipality) ON (m.name);
CREATE POINT INDEX municipality_location IF NOT EXISTS FOR (m:Municipality) ON (m.location);
CREATE INDEX district_name IF NOT EXISTS FOR (d:District) ON (d.name);
CREATE INDEX region_kind IF NOT EXISTS FOR (r:Region) ON (r.kind);
CREATE INDEX organization_kind IF NOT EXISTS FOR (o:Organization) ON (o.kind);
CREATE INDEX event_starts_at IF NOT EXISTS FOR (e:Event) ON (e.startsAt, e.id);
CREATE INDEX event_status IF NOT EXISTS FOR (e:Event) ON (e.status);
CREATE INDEX event_format IF NOT EXISTS FOR (e:Event) ON (e.format);
