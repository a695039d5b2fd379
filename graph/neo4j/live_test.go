package neo4j_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

func TestLiveSummaryStored(t *testing.T) {
	ctx := context.Background()
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Lunchtalk live", StartsAt: neo4jtest.FarFuture,
		Format: cyberlotse.FormatLunchtalk, Mode: cyberlotse.ModeOnline, OnlineURL: "https://example.org/l",
		Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal", Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
	if err := regs.CreateEvent(ctx, e); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, db, e.ID) })
	live := store.NewLiveService(db)
	if got, err := live.LiveSummary(ctx, e.ID); err != nil || got != nil {
		t.Fatalf("before the session: %+v, %v", got, err)
	}
	at := time.Date(2027, 1, 13, 12, 0, 0, 0, time.UTC)
	sum := cyberlotse.LiveSummary{EventID: e.ID, OpenedAt: at, ClosedAt: at.Add(time.Hour), Questions: 12, Answered: 7,
		Polls: []cyberlotse.PollSummary{
			{ID: "p1", Kind: cyberlotse.PollSingle, Question: "MFA?", Options: []string{"Ja", "Nein"}, StartedAt: at.Add(time.Minute),
				Result: cyberlotse.PollResult{Counts: []int{30, 12}, Voters: 42}},
			{ID: "p2", Kind: cyberlotse.PollScale, Question: "Wie sicher?", Options: []string{}, StartedAt: at.Add(2 * time.Minute),
				Result: cyberlotse.PollResult{Counts: []int{1, 0, 3, 5, 1}, Voters: 10, Mean: 3.5}},
		}}
	for range 2 { // closing twice replaces
		if err := live.SaveLiveSummary(ctx, sum); err != nil {
			t.Fatal(err)
		}
	}
	got, err := live.LiveSummary(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []*time.Time{&got.OpenedAt, &got.ClosedAt, &got.Polls[0].StartedAt, &got.Polls[1].StartedAt} {
		*g = g.UTC()
	}
	if !reflect.DeepEqual(*got, sum) {
		t.Errorf("stored %+v\nwant   %+v", *got, sum)
	}
	sum.EventID = "gibt-es-nicht"
	if err := live.SaveLiveSummary(ctx, sum); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("a summary for a missing event: %v, want NOT_FOUND", err)
	}
}
