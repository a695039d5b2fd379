package neo4j_test

import (
	"context"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// TestImportCompanyMovesAndDryRun checks the store side of imports: a
// dry run stores nothing, a changed row is one update that moves the
// company (one LOCATED_IN), an unchanged row is only read.
func TestImportCompanyMovesAndDryRun(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	s := store.NewImportService(db, neo4jtest.Berlin)
	name := "Umzugstest " + neo4jtest.NewID() + " GmbH"
	key := cyberlotse.CompanyKey("", "", name, "32689")
	t.Cleanup(func() { store.DeleteCompanyKeysForTest(ctx, db, []string{key}) })
	ten := 10
	c := &cyberlotse.CompanyRecord{Key: key, ID: cyberlotse.StableID(name, key), Name: name, Sector: "62.01",
		Employees: &ten, Postcode: "32689", AGS: "05766036", Provenance: cyberlotse.Provenance{Source: "Import test.csv 2026-11-23"}}
	places := store.NewMatchStore(db)

	res, err := s.ImportCompanies(ctx, []*cyberlotse.CompanyRecord{c}, true)
	if err != nil || res.Created != 1 {
		t.Fatalf("dry run: %+v, %v", res, err)
	}
	if _, _, err := places.Places(ctx, cyberlotse.PlaceQuery{CompanyID: &c.ID}); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Fatalf("the dry run stored the company: %v", err)
	}
	if res, err = s.ImportCompanies(ctx, []*cyberlotse.CompanyRecord{c}, false); err != nil || res.Created != 1 || res.IDs[key] != c.ID {
		t.Fatalf("create: %+v, %v", res, err)
	}
	// Another day's import of the same content: unchanged.
	c.Source = "Import test.csv 2026-12-01"
	if res, err = s.ImportCompanies(ctx, []*cyberlotse.CompanyRecord{c}, false); err != nil || res.Unchanged != 1 {
		t.Fatalf("same content: %+v, %v", res, err)
	}
	// The company moves to Remscheid under the same key (as a company keyed
	// by its register number does): one update, one LOCATED_IN.
	c.AGS, c.Postcode = "05120000", "42853"
	if res, err = s.ImportCompanies(ctx, []*cyberlotse.CompanyRecord{c}, false); err != nil || res.Updated != 1 {
		t.Fatalf("move: %+v, %v", res, err)
	}
	ms, co, err := places.Places(ctx, cyberlotse.PlaceQuery{CompanyID: &c.ID})
	if err != nil || len(ms) != 1 || ms[0].AGS != "05120000" || co.Name != name || co.Source != "Import test.csv 2026-12-01" {
		t.Fatalf("after the move: %v %+v %v", ms, co, err)
	}
}

// TestImportFeedEventStaleSequence checks that a lower SEQUENCE than
// stored leaves the event as it is.
func TestImportFeedEventStaleSequence(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	s := store.NewImportService(db, neo4jtest.Berlin)
	feed := "feed-" + neo4jtest.NewID()
	t.Cleanup(func() { store.DeleteFeedEventsForTest(ctx, db, feed) })
	start := time.Date(2097, 2, 3, 18, 0, 0, 0, neo4jtest.Berlin)
	now := time.Date(2097, 1, 10, 12, 0, 0, 0, neo4jtest.Berlin)
	ev := func(seq int, title string) *cyberlotse.FeedEvent {
		return &cyberlotse.FeedEvent{Key: feed + "@uid", UID: feed + "@uid", Sequence: seq, Event: &cyberlotse.Event{
			ID: cyberlotse.EventSlug(title, start, neo4jtest.Berlin), Title: title, StartsAt: start, Format: cyberlotse.FormatWorkshop,
			Mode: cyberlotse.ModeOnline, Status: cyberlotse.EventScheduled, OrganizerID: "asw-west"}}
	}
	res, err := s.ImportFeedEvents(ctx, feed, []*cyberlotse.FeedEvent{ev(3, "Workshop Backup")}, now, false)
	if err != nil || res.Created != 1 {
		t.Fatalf("create: %+v, %v", res, err)
	}
	id := res.IDs[feed+"@uid"]
	res, err = s.ImportFeedEvents(ctx, feed, []*cyberlotse.FeedEvent{ev(2, "Workshop Backup (alt)")}, now, false)
	if err != nil || res.Unchanged != 1 || len(res.Stale) != 1 {
		t.Fatalf("stale: %+v, %v", res, err)
	}
	res, err = s.ImportFeedEvents(ctx, feed, []*cyberlotse.FeedEvent{ev(4, "Workshop Backup und Wiederherstellung")}, now, false)
	if err != nil || res.Updated != 1 || res.IDs[feed+"@uid"] != id {
		t.Fatalf("update: %+v, %v", res, err)
	}
	got, err := store.NewEventService(db).EventsByIDs(ctx, []string{id})
	if err != nil || len(got) != 1 || got[0].Title != "Workshop Backup und Wiederherstellung" || got[0].Sequence != 4 {
		t.Fatalf("event %+v, %v", got, err)
	}
}
