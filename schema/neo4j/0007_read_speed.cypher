// Registration counts kept on the event: every list of events shows free
// places, and counting the registrations of each event on every read
// expanded all its registrations (a third of the db hits of matchmaking
// at 100,000 companies). The registration writes keep the counts in the
// same transaction; this fills them for the registrations so far.
MATCH (e:Event)
SET e.confirmedCount = COUNT { (:Registration {status: 'CONFIRMED'})-[:FOR]->(e) },
    e.waitlistedCount = COUNT { (:Registration {status: 'WAITLISTED'})-[:FOR]->(e) };
// The statewide contacts are part of every matchmaking answer; without an
// index each call scanned all contacts.
CREATE INDEX contact_statewide IF NOT EXISTS FOR (c:Contact) ON (c.statewide);
