package live_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/live"
)

// replicas starts an embedded NATS server and n hubs on it, as n
// replicas of the server would be.
func replicas(t testing.TB, n int) ([]*live.Hub, *live.Embedded) {
	t.Helper()
	nats, err := live.StartEmbedded(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nats.Shutdown)
	var hubs []*live.Hub
	for range n {
		hubs = append(hubs, hubOn(t, nats))
	}
	return hubs, nats
}

var ids atomic.Int64

func hubOn(t testing.TB, nats *live.Embedded) *live.Hub {
	t.Helper()
	conn, err := nats.Connect()
	if err != nil {
		t.Fatal(err)
	}
	log, err := live.OpenNATSLog(context.Background(), conn, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h := live.NewHub(log, time.Now, func() string { return fmt.Sprintf("id-%d", ids.Add(1)) }, nil)
	t.Cleanup(func() { h.Close(); log.Close() })
	return h
}

// eventually polls cond until it holds or 5 s have passed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s", what)
		}
	}
}

const talk = "lunchtalk-2027-01-13"

func TestHubAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	hubs, _ := replicas(t, 2)
	a, b := hubs[0], hubs[1]
	updates, unsubscribe := b.Subscribe(talk)
	defer unsubscribe()
	if err := a.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened, Mode: cyberlotse.LiveOpen}); err != nil {
		t.Fatal(err)
	}
	if err := a.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q1", Participant: "p1",
		Text: "Wer hilft im Notfall?"}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-updates:
	case <-time.After(5 * time.Second):
		t.Fatal("the other replica's subscriber heard nothing")
	}
	eventually(t, "the question on the other replica", func() (ok bool) {
		b.View(talk, func(r *cyberlotse.Room) { _, ok = r.Question("q1") })
		return ok
	})
	// Refusals come back to the caller, from whichever replica.
	if err := b.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "p2"}); err != nil {
		t.Fatal(err)
	}
	err := a.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "p2"})
	if cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("a second upvote through the other replica: %v, want CONFLICT", err)
	}
}

// A replica without a NATS server of its own reaches the first one's
// over TCP (NATS_LISTEN there, NATS_URL here) and shares its sessions.
func TestHubOverTheEmbeddedServersListener(t *testing.T) {
	ctx := context.Background()
	embedded, err := live.StartEmbedded(t.TempDir(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(embedded.Shutdown)
	if _, err := live.StartEmbedded(t.TempDir(), "no port"); err == nil || !strings.Contains(err.Error(), "NATS_LISTEN") {
		t.Errorf("a listen address without a port: %v, want the NATS_LISTEN message", err)
	}
	url := embedded.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("client URL %q", url)
	}
	first := hubOn(t, embedded)
	conn, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	log, err := live.OpenNATSLog(ctx, conn, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	second := live.NewHub(log, time.Now, func() string { return fmt.Sprintf("id-%d", ids.Add(1)) }, nil)
	t.Cleanup(func() { second.Close(); log.Close() })
	if err := second.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened, Mode: cyberlotse.LiveOpen}); err != nil {
		t.Fatal(err)
	}
	if err := second.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q1", Participant: "p1",
		Text: "Wer hilft im Notfall?"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the question asked over TCP on the first replica", func() (ok bool) {
		first.View(talk, func(r *cyberlotse.Room) { _, ok = r.Question("q1") })
		return ok
	})
}

// Votes from many participants through two replicas at once are counted
// once each, the same on both; a replica that starts later folds the
// whole log and agrees.
func TestHubVotesCountedOnce(t *testing.T) {
	ctx := context.Background()
	hubs, nats := replicas(t, 2)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(hubs[0].Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened}))
	must(hubs[0].Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "poll1",
		Poll: &cyberlotse.PollSpec{Kind: cyberlotse.PollSingle, Question: "Backup getestet?", Options: []string{"Ja", "Nein"}}}))
	const voters = 200
	var wg sync.WaitGroup
	errs := make(chan error, voters*2)
	for i := range voters {
		wg.Go(func() {
			h := hubs[i%2]
			p := fmt.Sprintf("p%d", i)
			errs <- h.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "poll1", Participant: p, Choices: []int{0}})
			if i%4 == 0 { // a changed mind, through the other replica
				errs <- hubs[(i+1)%2].Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "poll1", Participant: p, Choices: []int{1}})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(err)
	}
	want := []int{voters - voters/4, voters / 4}
	late := hubOn(t, nats) // a replica that starts now
	for i, h := range append(hubs, late) {
		eventually(t, fmt.Sprintf("replica %d's count", i), func() (ok bool) {
			h.View(talk, func(r *cyberlotse.Room) {
				p := r.CurrentPoll()
				ok = p != nil && slices.Equal(p.Result().Counts, want)
			})
			return ok
		})
	}
}

// An action whose log cannot be reached is UNAVAILABLE (try again), not
// an internal error.
func TestHubLogAwayIsUnavailable(t *testing.T) {
	hubs, nats := replicas(t, 1)
	h := hubs[0]
	h.Wait = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened}); err != nil {
		t.Fatal(err)
	}
	nats.Shutdown()
	err := h.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveModeChanged, Mode: cyberlotse.LivePremoderated})
	if cyberlotse.ErrorCode(err) != cyberlotse.EUNAVAILABLE {
		t.Errorf("an action with the log away: %v, want UNAVAILABLE", err)
	}
}
