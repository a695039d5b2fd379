package live

import (
	"context"
	"fmt"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// All who ask in one tick get the tick's snapshot, told when a newer
// version exists; the next tick has the newest; plain snapshots are
// always the newest (a participant sees its own question at once).
func TestSnapshotOfTick(t *testing.T) {
	ctx := context.Background()
	nats, err := StartEmbedded(t.TempDir())
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
	n := 0
	h := NewHub(log, time.Now, func() string { n++; return fmt.Sprintf("tick-%d", n) }, nil)
	t.Cleanup(func() { h.Close(); log.Close() })
	const room = "tick-room"
	if err := h.Do(ctx, room, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened}); err != nil {
		t.Fatal(err)
	}
	version := func(tick int64) (uint64, bool) {
		var v uint64
		behind := h.snapshotOfTick(room, tick, func(_ *cyberlotse.Room, s *snapshot) { v = s.version })
		return v, behind
	}
	first, behind := version(5)
	if behind {
		t.Fatal("the first in a tick is behind")
	}
	if err := h.Do(ctx, room, cyberlotse.LiveEvent{Kind: cyberlotse.LiveModeChanged, Mode: cyberlotse.LivePremoderated}); err != nil {
		t.Fatal(err)
	}
	if v, behind := version(5); v != first || !behind {
		t.Errorf("later in the same tick: version %d behind %v, want %d and behind", v, behind, first)
	}
	if v, behind := version(0); v != first+1 || behind {
		t.Errorf("the newest: version %d behind %v, want %d", v, behind, first+1)
	}
	if v, behind := version(6); v != first+1 || behind {
		t.Errorf("the next tick: version %d behind %v, want %d", v, behind, first+1)
	}
}
