// The change log that replicas follow to keep their in-memory read model
// current: every write appends (:Change {seq, kind, keys, at}) in its own
// transaction, numbered by the one counter node.
CREATE CONSTRAINT change_counter_name IF NOT EXISTS FOR (k:ChangeCounter) REQUIRE k.name IS UNIQUE;
CREATE CONSTRAINT change_seq IF NOT EXISTS FOR (c:Change) REQUIRE c.seq IS UNIQUE;
CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at);
MERGE (k:ChangeCounter {name: 'changes'}) ON CREATE SET k.seq = 0;
