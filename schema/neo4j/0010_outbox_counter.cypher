// The search outbox's counter, created once here so that writers MATCH it:
// a MERGE in every write took a shared lock on the index entry that the
// SET then upgraded, and concurrent writers deadlocked (see 0009).
CREATE CONSTRAINT search_outbox_counter_name IF NOT EXISTS FOR (c:SearchOutboxCounter) REQUIRE c.name IS UNIQUE;
MERGE (c:SearchOutboxCounter {name: 'search'}) ON CREATE SET c.seq = 0;
