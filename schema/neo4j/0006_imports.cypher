// Imports: natural keys of imported contacts and feed events, and the
// feed an event came from (to cancel what a feed no longer lists).
// Company keys are unique since 0005_rollouts.
CREATE CONSTRAINT contact_key IF NOT EXISTS FOR (c:Contact) REQUIRE c.key IS UNIQUE;
CREATE CONSTRAINT event_source_key IF NOT EXISTS FOR (e:Event) REQUIRE e.sourceKey IS UNIQUE;
CREATE INDEX event_import_feed IF NOT EXISTS FOR (e:Event) ON (e.importFeed);
