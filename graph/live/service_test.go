package live_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	"github.com/cyberlotse/cyberlotse/graph/live"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// serviceOn returns a Service over a fresh embedded NATS and the test
// Neo4j, and an online event of an organizer to run it on.
func serviceOn(t *testing.T, mode cyberlotse.EventMode) (*live.Service, *cyberlotse.Event) {
	t.Helper()
	db := neo4jtest.MustOpenDB(t)
	hubs, _ := replicas(t, 1)
	e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Lunchtalk live", StartsAt: neo4jtest.FarFuture,
		Format: cyberlotse.FormatLunchtalk, Mode: mode, OnlineURL: "https://example.org/l", Venue: "Rathaus",
		AGS: "05766036", Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal",
		Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
	if mode == cyberlotse.ModeOnline {
		e.Venue, e.AGS = "", ""
	}
	if err := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin).CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, db, e.ID) })
	return &live.Service{Hub: hubs[0], Events: store.NewEventService(db), Store: store.NewLiveService(db),
		Tokens: cyberlotse.NewLiveTokens([]byte("0123456789abcdef0123456789abcdef")), CodeKey: []byte("code-key"),
		Now: time.Now, NewID: neo4jtest.NewID,
		PerParticipant: graph.NewRateLimiter(3, time.Minute, time.Now)}, e
}

func organizerOf(ctx context.Context, org string) context.Context {
	return cyberlotse.NewContextWithIdentity(ctx, &cyberlotse.Identity{Subject: "orga", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer},
		OrganizationIDs: []string{org}})
}

func TestServiceSession(t *testing.T) {
	ctx := context.Background()
	s, e := serviceOn(t, cyberlotse.ModeOnline)
	if _, _, err := s.Join(ctx, e.ID); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("joining before the session is open: %v, want CONFLICT", err)
	}
	if _, err := s.Open(organizerOf(ctx, "lka-nrw"), e.ID, cyberlotse.LiveOpen); cyberlotse.ErrorCode(err) != cyberlotse.EFORBIDDEN {
		t.Errorf("another organizer opens it: %v, want FORBIDDEN", err)
	}
	if _, err := s.Open(ctx, e.ID, cyberlotse.LiveOpen); cyberlotse.ErrorCode(err) != cyberlotse.EUNAUTH {
		t.Errorf("an anonymous caller opens it: %v, want UNAUTHENTICATED", err)
	}
	orga := organizerOf(ctx, "gemeinde-kalletal")
	code, err := s.Open(orga, e.ID, cyberlotse.LiveOpen)
	if err != nil || len(code) != 6 || code != s.Code(e.ID) {
		t.Fatalf("Open = %q, %v", code, err)
	}
	token, eventID, err := s.Join(ctx, " "+code[:3]+code[3:]+" ")
	if err != nil || eventID != e.ID {
		t.Fatalf("Join by code = %q, %v", eventID, err)
	}
	if _, _, err := s.Join(ctx, "ZZZZZZ"); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("an unknown code: %v, want NOT_FOUND", err)
	}
	q, err := s.Ask(ctx, token, e.ID, "Wie erreiche ich die ZAC nachts?", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Upvote(ctx, token, e.ID, q, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	// Three actions a minute per participant: the fourth is refused.
	if _, err := s.Ask(ctx, token, e.ID, "Noch eine Frage?", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Ask(ctx, token, e.ID, "Und noch eine?", "192.0.2.1"); cyberlotse.ErrorCode(err) != cyberlotse.ERATELIMITED {
		t.Errorf("the fourth action within a minute: %v, want RATE_LIMITED", err)
	}
	if _, err := s.Ask(ctx, token+"x", e.ID, "Gefälscht?", "192.0.2.2"); cyberlotse.ErrorCode(err) != cyberlotse.EUNAUTH {
		t.Errorf("a forged token: %v, want UNAUTHENTICATED", err)
	}
	if _, err := s.Ask(ctx, token, e.ID, "x", "192.0.2.1"); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("a too short question: %v, want BAD_USER_INPUT", err)
	}
	if _, err := s.Moderate(orga, e.ID, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted}); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("a vote through moderation: %v, want BAD_USER_INPUT", err)
	}
	poll, err := s.Moderate(orga, e.ID, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted,
		Poll: &cyberlotse.PollSpec{Kind: cyberlotse.PollScale, Question: "Wie hilfreich war es?"}})
	if err != nil || poll == "" {
		t.Fatalf("starting a poll: %q, %v", poll, err)
	}
	token2, _, err := s.Join(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Vote(ctx, token2, e.ID, poll, []int{4}, "192.0.2.3"); err != nil {
		t.Fatal(err)
	}
	sum, err := s.Close(orga, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Questions != 2 || len(sum.Polls) != 1 || sum.Polls[0].Result.Mean != 4 {
		t.Errorf("summary %+v", sum)
	}
	stored, err := store.NewLiveService(neo4jtest.MustOpenDB(t)).LiveSummary(ctx, e.ID)
	if err != nil || stored == nil || stored.Questions != 2 {
		t.Errorf("stored summary %+v, %v", stored, err)
	}
	if err := s.Vote(ctx, token2, e.ID, poll, []int{5}, "192.0.2.3"); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("voting after the close: %v, want CONFLICT", err)
	}
	if _, _, err := s.Join(ctx, e.ID); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("joining after the close: %v, want CONFLICT", err)
	}
}

func TestServiceOnsiteEventHasNoSession(t *testing.T) {
	ctx := context.Background()
	s, e := serviceOn(t, cyberlotse.ModeOnsite)
	if _, err := s.Open(organizerOf(ctx, "gemeinde-kalletal"), e.ID, cyberlotse.LiveOpen); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("a session for an on-site event: %v, want CONFLICT", err)
	}
}

// Subscribers woken in one tick share its snapshot, even when votes keep
// coming while they are served; each still ends at the final state: 20
// watchers, 300 votes from 300 participants as fast as they go.
func TestWatchEndsAtTheFinalState(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, e := serviceOn(t, cyberlotse.ModeOnline)
	s.Hub.UpdateInterval = 20 * time.Millisecond
	s.PerParticipant = nil
	orga := organizerOf(ctx, "gemeinde-kalletal")
	if _, err := s.Open(orga, e.ID, cyberlotse.LiveOpen); err != nil {
		t.Fatal(err)
	}
	poll, err := s.Moderate(orga, e.ID, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted,
		Poll: &cyberlotse.PollSpec{Kind: cyberlotse.PollScale, Question: "Wie sicher fühlen Sie sich?"}})
	if err != nil {
		t.Fatal(err)
	}
	var watches []<-chan *live.View
	for range 20 {
		token, _, err := s.Join(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		w, err := s.Follow(ctx, e.ID, token)
		if err != nil {
			t.Fatal(err)
		}
		watches = append(watches, w.Channel(ctx))
	}
	var wg sync.WaitGroup
	for i := range 300 {
		token, _, err := s.Join(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			if err := s.Vote(ctx, token, e.ID, poll, []int{1 + i%5}, "192.0.2.9"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	final, err := s.View(orga, e.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := final.CurrentPoll().Result.Counts; !slices.Equal(got, []int{60, 60, 60, 60, 60}) {
		t.Fatalf("final counts %v", got)
	}
	deadline := time.After(10 * time.Second)
	for i, w := range watches {
		for last := 0; last != final.Version; {
			select {
			case v := <-w:
				if last = v.Version; last == final.Version {
					if got := v.CurrentPoll().Result.Counts; !slices.Equal(got, []int{60, 60, 60, 60, 60}) {
						t.Errorf("watcher %d: counts %v at the final version", i, got)
					}
				}
			case <-deadline:
				t.Fatalf("watcher %d stopped at version %d of %d", i, last, final.Version)
			}
		}
	}
}

// A subscription ends with the first change after its token expired.
func TestWatchEndsWhenTheTokenExpires(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, e := serviceOn(t, cyberlotse.ModeOnline)
	var now atomic.Int64
	now.Store(time.Now().UnixNano())
	s.Now = func() time.Time { return time.Unix(0, now.Load()) }
	s.Hub.UpdateInterval = time.Millisecond
	orga := organizerOf(ctx, "gemeinde-kalletal")
	if _, err := s.Open(orga, e.ID, cyberlotse.LiveOpen); err != nil {
		t.Fatal(err)
	}
	token, _, err := s.Join(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	follow, err := s.Follow(ctx, e.ID, token)
	if err != nil {
		t.Fatal(err)
	}
	w := follow.Channel(ctx)
	<-w // the first view
	mode := func(m cyberlotse.LiveMode) {
		if _, err := s.Moderate(orga, e.ID, cyberlotse.LiveEvent{Kind: cyberlotse.LiveModeChanged, Mode: m}); err != nil {
			t.Fatal(err)
		}
	}
	mode(cyberlotse.LivePremoderated)
	if v := <-w; v == nil || v.Mode != cyberlotse.LivePremoderated {
		t.Fatalf("view after the change: %+v", v)
	}
	now.Add(int64(cyberlotse.DefaultLiveTokenTTL))
	mode(cyberlotse.LiveOpen)
	select {
	case v, ok := <-w:
		if ok {
			t.Fatalf("a view after the token expired: %+v", v)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the subscription did not end within 10 s")
	}
}
