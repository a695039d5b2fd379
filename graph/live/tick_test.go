package live

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// The subscribers of a room are told of its changes together, with one
// snapshot for all of them, and the last notice holds the last change:
// three subscribers, 60 changes as fast as they go.
func TestHubNotifiesWithOneSnapshot(t *testing.T) {
	ctx := context.Background()
	nats, err := StartEmbedded(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nats.Shutdown)
	conn, err := nats.Connect()
	if err != nil {
		t.Fatal(err)
	}
	log, err := OpenNATSLog(ctx, conn, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	h := NewHub(log, time.Now, func() string { mu.Lock(); defer mu.Unlock(); n++; return fmt.Sprintf("tick-%d", n) }, nil)
	h.UpdateInterval = 20 * time.Millisecond
	t.Cleanup(func() { h.Close(); log.Close() })
	const room = "tick-room"
	var subs []<-chan *snapshot
	for range 3 {
		ch, stop := h.Subscribe(room)
		t.Cleanup(stop)
		subs = append(subs, ch)
	}
	if err := h.Do(ctx, room, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened}); err != nil {
		t.Fatal(err)
	}
	for i := range 60 {
		if err := h.Do(ctx, room, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: fmt.Sprintf("q%d", i),
			Participant: "p", Text: fmt.Sprintf("Frage Nummer %d?", i)}); err != nil {
			t.Fatal(err)
		}
	}
	var final uint64
	h.snapshot(room, func(_ *cyberlotse.Room, s *snapshot) { final = s.version })
	if final != 61 {
		t.Fatalf("final version %d, want 61", final)
	}
	seen := map[uint64]*snapshot{}
	deadline := time.After(10 * time.Second)
	for i, ch := range subs {
		for last := uint64(0); last != final; {
			select {
			case s := <-ch:
				if other, ok := seen[s.version]; ok && other != s {
					t.Errorf("subscriber %d got its own snapshot of version %d", i, s.version)
				}
				seen[s.version], last = s, s.version
			case <-deadline:
				t.Fatalf("subscriber %d stopped at version %d of %d", i, last, final)
			}
		}
	}
	if got := len(seen[final].allByTime); got != 60 {
		t.Errorf("the last notice holds %d questions, want 60", got)
	}
}

// A crowd is told every second tick: 999 subscribers every 250 ms, 1,000
// every 500 ms.
func TestCrowdsAreToldEverySecondTick(t *testing.T) {
	for subs, want := range map[int]time.Duration{0: 250 * time.Millisecond, 999: 250 * time.Millisecond,
		1000: 500 * time.Millisecond, 5000: 500 * time.Millisecond} {
		if got := tickFor(250*time.Millisecond, subs); got != want {
			t.Errorf("%d subscribers: every %v, want %v", subs, got, want)
		}
	}
}
