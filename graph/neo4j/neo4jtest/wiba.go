package neo4jtest

// WibaLock is the lock (MustHoldLock) of the tests that answer WiBA
// questions: the comparisons count the answers of every municipality of
// a district or size class in the shared graph, so those tests take turns
// and leave no answers behind.
const WibaLock = "test-wiba"
