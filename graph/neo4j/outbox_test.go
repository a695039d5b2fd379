package neo4j_test

import (
	"context"
	"sync"
	"testing"
	"time"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// Concurrent writes queue their outbox entries and change log entries
// with distinct numbers, without deadlocks (a MERGE on either counter
// made concurrent writers deadlock and wait out the driver's back-off).
func TestConcurrentWritesNumberTheirEntries(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	db.SearchOutbox = true
	changes := store.NewChangeLog(db)
	ctx := context.Background()
	before, err := changes.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const writers = 8
	ids := make([]string, writers)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i] = neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture.Add(time.Duration(i)*time.Hour), nil).ID
		}()
	}
	wg.Wait()
	pending, err := store.NewSearchOutbox(db).Pending(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	seqs := map[int64]string{}
	mine := map[string]bool{}
	for _, id := range ids {
		mine["EVENT-"+id] = true
	}
	found := 0
	for _, e := range pending {
		if other, dup := seqs[e.Seq]; dup {
			t.Errorf("outbox seq %d twice: %s and %s", e.Seq, other, e.DocumentID)
		}
		seqs[e.Seq] = e.DocumentID
		if mine[e.DocumentID] {
			found++
		}
	}
	if found != writers {
		t.Errorf("outbox has %d of the %d events", found, writers)
	}
	logged, head, err := changes.ChangesAfter(ctx, before, 10000)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range logged {
		if c.Seq != before+int64(i)+1 {
			t.Fatalf("change %d has seq %d, want %d: numbers must have no gaps", i, c.Seq, before+int64(i)+1)
		}
	}
	events := 0
	for _, c := range logged {
		for _, k := range c.Keys {
			if mine["EVENT-"+k] {
				events++
			}
		}
	}
	if events != writers || head < before+writers {
		t.Errorf("change log: %d of %d events, head %d after %d", events, writers, head, before)
	}
}
