// Package neo4jtest gives tests of every layer a connection to the real,
// migrated and seeded Neo4j that `make test` starts (NEO4J_URI). It is a
// plain package, not a _test file, so that all layers share it.
package neo4jtest

import (
	"context"

	"github.com/google/uuid"
	"os"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

// MustOpenDB connects to NEO4J_URI and checks that the seed data is there.
// Without NEO4J_URI the test fails (it is never skipped): run `make test`,
// which starts a throwaway Neo4j, migrates, seeds and sets the variable.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		tb.Fatal("NEO4J_URI is not set. Run the tests with `make test`, which starts a throwaway Neo4j, " +
			"or point NEO4J_URI at a migrated and seeded test database.")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := store.Open(ctx, store.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD")}, Logger())
	if err != nil {
		tb.Fatalf("open Neo4j at %s: %v", uri, err)
	}
	tb.Cleanup(func() { db.Close(context.Background()) })
	n, err := store.NewGeoService(db).CountMunicipalities(ctx, emptyFilter)
	if err != nil || n != 396 {
		tb.Fatalf("the test database at %s is not seeded (%d municipalities, err %v); run `make test` or `server seed`", uri, n, err)
	}
	return db
}

var emptyFilter = cyberlotse.MunicipalityFilter{}

// Berlin is the local time zone.
var Berlin, _ = time.LoadLocation("Europe/Berlin")

// FarFuture is where test events live: later than any window the read
// tests page through, so that tests running at the same time in other
// packages do not see each other's events.
var FarFuture = time.Date(2099, 6, 1, 18, 0, 0, 0, Berlin)

// NewID returns unique ids for test objects.
func NewID() string { return "test-" + uuid.NewString() }

// MustCreateEvent stores a throwaway on-site event in Kalletal, organized
// by the Gemeinde Kalletal, starting at start, and deletes it (with its
// registrations, people and reminders) when the test ends.
// MustDeleteEvent removes a test event with everything it brought along
// (store.DeleteEventForTest) and fails the test if it cannot.
func MustDeleteEvent(tb testing.TB, db *store.DB, id string) {
	tb.Helper()
	if err := store.DeleteEventForTest(context.Background(), db, id); err != nil {
		tb.Errorf("delete test event %s: %v", id, err)
	}
}

func MustCreateEvent(tb testing.TB, db *store.DB, start time.Time, capacity *int) *cyberlotse.Event {
	tb.Helper()
	regs := store.NewRegistrationService(db, NewID, Berlin)
	e := &cyberlotse.Event{ID: NewID(), Title: "Testveranstaltung " + tb.Name(), StartsAt: start,
		Format: cyberlotse.FormatInfoEvening, Mode: cyberlotse.ModeOnsite, AGS: "05766036", Venue: "Testsaal",
		Capacity: capacity, Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal",
		Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
	if err := regs.CreateEvent(context.Background(), e); err != nil {
		tb.Fatalf("create test event: %v", err)
	}
	tb.Cleanup(func() { MustDeleteEvent(tb, db, e.ID) })
	return e
}

// MustHoldLock waits until the test holds the named scheduler lock (at
// most two minutes) and releases it when the test ends: a mutex across
// the test processes of `make test`, which share one graph. Tests that
// run a graph-wide job, such as the registration retention, hold one so
// that they do not change each other's data.
func MustHoldLock(tb testing.TB, db *store.DB, name string) {
	tb.Helper()
	owner := NewID()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		ok, err := db.TryLock(context.Background(), name, owner, time.Now(), 5*time.Minute)
		if err != nil {
			tb.Fatalf("lock %s: %v", name, err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("lock %s: held by another test for more than two minutes", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	tb.Cleanup(func() {
		if err := db.Unlock(context.Background(), name, owner); err != nil {
			tb.Errorf("unlock %s: %v", name, err)
		}
	})
}

// RetentionLock is the lock of the tests that run the registration
// retention (MustHoldLock): a run anonymizes every registration of the
// shared graph that is old enough, so those tests place their events in
// the 20th century, where no other test has any, and take turns.
const RetentionLock = "test-registration-retention"
