package csaf_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

// memStore is a function-field fake of the store for the import's own
// logic (its counting, its workers, its error path); the real store is
// tested against Neo4j in graph/neo4j and end to end in server.
type memStore struct {
	mu    sync.Mutex
	store func(a *cyberlotse.Advisory) (cyberlotse.AdvisoryOutcome, string, error)
}

func (m *memStore) StoreAdvisory(_ context.Context, a *cyberlotse.Advisory, _ time.Time) (cyberlotse.AdvisoryOutcome, string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.store(a)
}

type docs []csaf.Document

func (d docs) Len() int { return len(d) }
func (d docs) Documents(context.Context) iter.Seq2[csaf.Document, error] {
	return func(yield func(csaf.Document, error) bool) {
		for _, x := range d {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func TestImportWorkers(t *testing.T) {
	var src docs
	for i := range 40 {
		data := csaf.TestAdvisory{TrackingID: fmt.Sprintf("T-%02d", i)}.JSON()
		if i%10 == 0 {
			data = []byte("{")
		}
		src = append(src, csaf.Document{Source: fmt.Sprintf("d%02d.json", i), Data: data})
	}
	seen := map[string]bool{}
	st := &memStore{store: func(a *cyberlotse.Advisory) (cyberlotse.AdvisoryOutcome, string, error) {
		if seen[a.TrackingID] {
			return cyberlotse.AdvisoryUnchanged, "1", nil
		}
		seen[a.TrackingID] = true
		return cyberlotse.AdvisoryNew, "", nil
	}}
	s, err := csaf.Import(context.Background(), st, src, csaf.Options{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if s.Read != 40 || s.New != 36 || len(s.Rejected) != 4 || s.Rejected[0].Source != "d00.json" || s.Rejected[3].Source != "d30.json" {
		t.Fatalf("summary %+v", s)
	}
	s, err = csaf.Import(context.Background(), st, src, csaf.Options{Workers: 3})
	if err != nil || s.Unchanged != 36 || s.New != 0 {
		t.Fatalf("again: %+v %v", s, err)
	}

	// A store error ends the import with it.
	boom := errors.New("Neo4j weg")
	st.store = func(a *cyberlotse.Advisory) (cyberlotse.AdvisoryOutcome, string, error) { return "", "", boom }
	if _, err := csaf.Import(context.Background(), st, src, csaf.Options{Workers: 4}); !errors.Is(err, boom) {
		t.Fatalf("store error: %v", err)
	}
}
