// Uniqueness constraints for every natural key. Each one also creates the
// range index that the lookups by key use.
CREATE CONSTRAINT migration_version IF NOT EXISTS FOR (m:Migration) REQUIRE m.version IS UNIQUE;
CREATE CONSTRAINT gov_region_key IF NOT EXISTS FOR (g:GovRegion) REQUIRE g.key IS UNIQUE;
CREATE CONSTRAINT district_key IF NOT EXISTS FOR (d:District) REQUIRE d.key IS UNIQUE;
CREATE CONSTRAINT municipality_ags IF NOT EXISTS FOR (m:Municipality) REQUIRE m.ags IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (r:Region) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT organization_id IF NOT EXISTS FOR (o:Organization) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT contact_id IF NOT EXISTS FOR (c:Contact) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (c:Company) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT person_email IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE;
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT registration_id IF NOT EXISTS FOR (r:Registration) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT reminder_id IF NOT EXISTS FOR (r:Reminder) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT measure_code IF NOT EXISTS FOR (m:Measure) REQUIRE m.code IS UNIQUE;
CREATE CONSTRAINT offer_id IF NOT EXISTS FOR (o:Offer) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (t:Topic) REQUIRE t.id IS UNIQUE;
