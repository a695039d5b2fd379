package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Hand-written fakes with function fields: each test sets what it needs.

type fakeOutbox struct {
	PendingFn   func(ctx context.Context, limit int) ([]OutboxEntry, error)
	DocumentsFn func(ctx context.Context, entries []OutboxEntry) ([]Document, error)
	AckFn       func(ctx context.Context, seqs []int64) error
}

func (f *fakeOutbox) Pending(ctx context.Context, limit int) ([]OutboxEntry, error) {
	return f.PendingFn(ctx, limit)
}
func (f *fakeOutbox) Documents(ctx context.Context, entries []OutboxEntry) ([]Document, error) {
	return f.DocumentsFn(ctx, entries)
}
func (f *fakeOutbox) Ack(ctx context.Context, seqs []int64) error { return f.AckFn(ctx, seqs) }

type fakeIndex struct {
	UpsertFn func(ctx context.Context, docs []Document) error
	DeleteFn func(ctx context.Context, ids []string) error
	ResetFn  func(ctx context.Context) error
}

func (f *fakeIndex) Upsert(ctx context.Context, docs []Document) error { return f.UpsertFn(ctx, docs) }
func (f *fakeIndex) Delete(ctx context.Context, ids []string) error    { return f.DeleteFn(ctx, ids) }
func (f *fakeIndex) Reset(ctx context.Context) error                   { return f.ResetFn(ctx) }

var (
	_ Outbox        = (*fakeOutbox)(nil)
	_ Indexer       = (*fakeIndex)(nil)
	_ ReindexTarget = (*fakeIndex)(nil)
)

// queue is an in-memory outbox over the fake: entries stay until acked;
// docs are the objects that exist. log records every call in order.
type queue struct {
	entries []OutboxEntry
	docs    map[string]Document
	log     []string
}

func (q *queue) outbox() *fakeOutbox {
	return &fakeOutbox{
		PendingFn: func(_ context.Context, limit int) ([]OutboxEntry, error) {
			n := min(limit, len(q.entries))
			q.log = append(q.log, fmt.Sprintf("pending(%d)=%d", limit, n))
			return slices.Clone(q.entries[:n]), nil
		},
		DocumentsFn: func(_ context.Context, entries []OutboxEntry) ([]Document, error) {
			var ids []string
			var out []Document
			for _, e := range entries {
				ids = append(ids, e.DocumentID)
				if d, ok := q.docs[e.DocumentID]; ok {
					out = append(out, d)
				}
			}
			q.log = append(q.log, "documents("+strings.Join(ids, ",")+")")
			return out, nil
		},
		AckFn: func(_ context.Context, seqs []int64) error {
			q.log = append(q.log, fmt.Sprintf("ack%v", seqs))
			q.entries = slices.DeleteFunc(q.entries, func(e OutboxEntry) bool { return slices.Contains(seqs, e.Seq) })
			return nil
		},
	}
}

// recorder is an index that records what it is asked to do.
func (q *queue) index(upsertErr, deleteErr error) *fakeIndex {
	return &fakeIndex{
		UpsertFn: func(_ context.Context, docs []Document) error {
			q.log = append(q.log, "upsert("+strings.Join(ids(docs), ",")+")")
			return upsertErr
		},
		DeleteFn: func(_ context.Context, docIDs []string) error {
			q.log = append(q.log, "delete("+strings.Join(docIDs, ",")+")")
			return deleteErr
		},
	}
}

func ids(docs []Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func upsert(seq int64, t Type, key string) OutboxEntry {
	return OutboxEntry{Seq: seq, DocumentID: DocumentID(t, key), Type: t, Key: key}
}

func del(seq int64, t Type, key string) OutboxEntry {
	e := upsert(seq, t, key)
	e.Delete = true
	return e
}

func doc(t Type, key string) Document {
	return Document{ID: DocumentID(t, key), Type: t, Key: key, Title: key}
}

func docsOf(ds ...Document) map[string]Document {
	m := map[string]Document{}
	for _, d := range ds {
		m[d.ID] = d
	}
	return m
}

func TestSyncDrainsInBatches(t *testing.T) {
	q := &queue{
		entries: []OutboxEntry{upsert(1, TypeEvent, "a"), upsert(2, TypeEvent, "b"), upsert(3, TypeEvent, "c"),
			upsert(4, TypeEvent, "d"), upsert(5, TypeEvent, "e")},
		docs: docsOf(doc(TypeEvent, "a"), doc(TypeEvent, "b"), doc(TypeEvent, "c"), doc(TypeEvent, "d"), doc(TypeEvent, "e")),
	}
	s := &Syncer{Outbox: q.outbox(), Index: q.index(nil, nil), Batch: 2}
	n, err := s.Drain(context.Background())
	if err != nil || n != 5 {
		t.Fatalf("Drain = %d, %v; want 5, nil", n, err)
	}
	want := []string{
		"pending(2)=2", "documents(EVENT-a,EVENT-b)", "upsert(EVENT-a,EVENT-b)", "ack[1 2]",
		"pending(2)=2", "documents(EVENT-c,EVENT-d)", "upsert(EVENT-c,EVENT-d)", "ack[3 4]",
		"pending(2)=1", "documents(EVENT-e)", "upsert(EVENT-e)", "ack[5]",
		"pending(2)=0",
	}
	if !slices.Equal(q.log, want) {
		t.Errorf("calls:\n got %q\nwant %q", q.log, want)
	}
	if len(q.entries) != 0 {
		t.Errorf("entries left: %v", q.entries)
	}
}

func TestSyncDefaultBatch(t *testing.T) {
	var limits []int
	s := &Syncer{Outbox: &fakeOutbox{PendingFn: func(_ context.Context, limit int) ([]OutboxEntry, error) {
		limits = append(limits, limit)
		return nil, nil
	}}, Index: &fakeIndex{}}
	if n, err := s.Drain(context.Background()); n != 0 || err != nil {
		t.Fatalf("Drain on an empty outbox = %d, %v", n, err)
	}
	if !slices.Equal(limits, []int{DefaultSyncBatch}) {
		t.Errorf("Pending limits = %v, want [%d]", limits, DefaultSyncBatch)
	}
}

func TestSyncAcksOnlyAfterTheIndexSucceeded(t *testing.T) {
	q := &queue{
		entries: []OutboxEntry{upsert(1, TypeEvent, "a"), del(2, TypeOffer, "x")},
		docs:    docsOf(doc(TypeEvent, "a")),
	}
	s := &Syncer{Outbox: q.outbox(), Index: q.index(nil, nil), Batch: 10}
	if _, err := s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"pending(10)=2", "documents(EVENT-a)", "upsert(EVENT-a)", "delete(OFFER-x)", "ack[1 2]", "pending(10)=0"}
	if !slices.Equal(q.log, want) {
		t.Errorf("calls:\n got %q\nwant %q", q.log, want)
	}
}

func TestSyncLeavesEntriesWhenTheIndexFails(t *testing.T) {
	boom := errors.New("meilisearch down")
	for _, tc := range []struct {
		name              string
		upsertErr, delErr error
	}{
		{"upsert fails", boom, nil},
		{"delete fails", nil, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			entries := []OutboxEntry{upsert(1, TypeEvent, "a"), del(2, TypeEvent, "b")}
			q := &queue{entries: slices.Clone(entries), docs: docsOf(doc(TypeEvent, "a"))}
			s := &Syncer{Outbox: q.outbox(), Index: q.index(tc.upsertErr, tc.delErr), Batch: 10}
			n, err := s.Drain(context.Background())
			if !errors.Is(err, boom) || n != 0 {
				t.Fatalf("Drain = %d, %v; want 0 and the index error", n, err)
			}
			for _, c := range q.log {
				if strings.HasPrefix(c, "ack") {
					t.Errorf("acknowledged although the index failed: %q", q.log)
				}
			}
			if !slices.Equal(q.entries, entries) {
				t.Errorf("entries = %v, want them all left: %v", q.entries, entries)
			}

			// The next run, with the index back, syncs them.
			s.Index = q.index(nil, nil)
			if n, err := s.Drain(context.Background()); n != 2 || err != nil {
				t.Fatalf("second Drain = %d, %v; want 2, nil", n, err)
			}
			if len(q.entries) != 0 {
				t.Errorf("entries left after the second run: %v", q.entries)
			}
		})
	}
}

func TestSyncKeepsEarlierRoundsWhenALaterOneFails(t *testing.T) {
	boom := errors.New("task failed")
	q := &queue{
		entries: []OutboxEntry{upsert(1, TypeEvent, "a"), upsert(2, TypeEvent, "b"), upsert(3, TypeEvent, "c")},
		docs:    docsOf(doc(TypeEvent, "a"), doc(TypeEvent, "b"), doc(TypeEvent, "c")),
	}
	calls := 0
	s := &Syncer{Outbox: q.outbox(), Batch: 2, Index: &fakeIndex{UpsertFn: func(context.Context, []Document) error {
		calls++
		if calls == 2 {
			return boom
		}
		return nil
	}}}
	n, err := s.Drain(context.Background())
	if !errors.Is(err, boom) || n != 2 {
		t.Fatalf("Drain = %d, %v; want 2 and the error", n, err)
	}
	if len(q.entries) != 1 || q.entries[0].Seq != 3 {
		t.Errorf("entries left = %v, want only seq 3", q.entries)
	}
}

func TestSyncCoalescesEntriesOfOneDocument(t *testing.T) {
	q := &queue{
		entries: []OutboxEntry{
			upsert(1, TypeEvent, "a"), upsert(2, TypeEvent, "a"), // twice: one upsert
			upsert(3, TypeOffer, "b"), del(4, TypeOffer, "b"), // delete after upsert: delete
			del(5, TypeContact, "c"), upsert(6, TypeContact, "c"), // upsert after delete: upsert
		},
		docs: docsOf(doc(TypeEvent, "a"), doc(TypeContact, "c")),
	}
	s := &Syncer{Outbox: q.outbox(), Index: q.index(nil, nil), Batch: 10}
	n, err := s.Drain(context.Background())
	if err != nil || n != 6 {
		t.Fatalf("Drain = %d, %v; want 6, nil", n, err)
	}
	want := []string{"pending(10)=6", "documents(EVENT-a,CONTACT-c)", "upsert(EVENT-a,CONTACT-c)",
		"delete(OFFER-b)", "ack[1 2 3 4 5 6]", "pending(10)=0"}
	if !slices.Equal(q.log, want) {
		t.Errorf("calls:\n got %q\nwant %q", q.log, want)
	}
}

func TestSyncCoalesceOrder(t *testing.T) {
	// Out of order input: the highest Seq wins, whatever the position.
	got := coalesce([]OutboxEntry{del(9, TypeEvent, "a"), upsert(3, TypeEvent, "a"), upsert(5, TypeRegion, "r"),
		{Seq: 7, Type: TypeMeasure, Key: "M01"}})
	want := []OutboxEntry{upsert(5, TypeRegion, "r"), {Seq: 7, DocumentID: "MEASURE-M01", Type: TypeMeasure, Key: "M01"},
		del(9, TypeEvent, "a")}
	if !slices.Equal(got, want) {
		t.Errorf("coalesce =\n %v\nwant\n %v", got, want)
	}
}

func TestSyncMissingDocumentsAreDeleted(t *testing.T) {
	q := &queue{
		entries: []OutboxEntry{upsert(1, TypeEvent, "a"), upsert(2, TypeEvent, "gone"), upsert(3, TypeRegion, "r")},
		docs:    docsOf(doc(TypeEvent, "a"), doc(TypeRegion, "r")),
	}
	s := &Syncer{Outbox: q.outbox(), Index: q.index(nil, nil), Batch: 10}
	if _, err := s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []string{"pending(10)=3", "documents(EVENT-a,EVENT-gone,REGION-r)", "upsert(EVENT-a,REGION-r)",
		"delete(EVENT-gone)", "ack[1 2 3]", "pending(10)=0"}
	if !slices.Equal(q.log, want) {
		t.Errorf("calls:\n got %q\nwant %q", q.log, want)
	}
}

func TestSyncIgnoresDocumentsNotAskedFor(t *testing.T) {
	var upserted []string
	entries := []OutboxEntry{upsert(1, TypeEvent, "a")}
	s := &Syncer{
		Outbox: &fakeOutbox{
			PendingFn: func(context.Context, int) ([]OutboxEntry, error) {
				e := entries
				entries = nil
				return e, nil
			},
			DocumentsFn: func(context.Context, []OutboxEntry) ([]Document, error) {
				// An ID-less document is matched by type and key.
				return []Document{{Type: TypeEvent, Key: "a"}, doc(TypeEvent, "other")}, nil
			},
			AckFn: func(context.Context, []int64) error { return nil },
		},
		Index: &fakeIndex{UpsertFn: func(_ context.Context, docs []Document) error {
			upserted = ids(docs)
			return nil
		}},
	}
	if _, err := s.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(upserted, []string{"EVENT-a"}) {
		t.Errorf("upserted %v, want [EVENT-a]", upserted)
	}
}

func TestSyncOutboxErrors(t *testing.T) {
	boom := errors.New("neo4j down")
	entries := func() []OutboxEntry { return []OutboxEntry{upsert(1, TypeEvent, "a")} }
	ok := &fakeIndex{
		UpsertFn: func(context.Context, []Document) error { return nil },
		DeleteFn: func(context.Context, []string) error { return nil },
	}
	for _, tc := range []struct {
		name string
		box  *fakeOutbox
	}{
		{"pending", &fakeOutbox{PendingFn: func(context.Context, int) ([]OutboxEntry, error) { return nil, boom }}},
		{"documents", &fakeOutbox{
			PendingFn:   func(context.Context, int) ([]OutboxEntry, error) { return entries(), nil },
			DocumentsFn: func(context.Context, []OutboxEntry) ([]Document, error) { return nil, boom },
			AckFn: func(context.Context, []int64) error {
				t.Error("acked although the documents could not be read")
				return nil
			},
		}},
		{"ack", &fakeOutbox{
			PendingFn:   func(context.Context, int) ([]OutboxEntry, error) { return entries(), nil },
			DocumentsFn: func(context.Context, []OutboxEntry) ([]Document, error) { return []Document{doc(TypeEvent, "a")}, nil },
			AckFn:       func(context.Context, []int64) error { return boom },
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := (&Syncer{Outbox: tc.box, Index: ok}).Drain(context.Background())
			if !errors.Is(err, boom) || n != 0 {
				t.Errorf("Drain = %d, %v; want 0 and the outbox error", n, err)
			}
		})
	}
}

func TestSyncStopsWhenAckDoesNotRemoveEntries(t *testing.T) {
	s := &Syncer{
		Outbox: &fakeOutbox{
			PendingFn: func(context.Context, int) ([]OutboxEntry, error) {
				return []OutboxEntry{upsert(1, TypeEvent, "a")}, nil
			},
			DocumentsFn: func(context.Context, []OutboxEntry) ([]Document, error) { return []Document{doc(TypeEvent, "a")}, nil },
			AckFn:       func(context.Context, []int64) error { return nil }, // forgets to remove
		},
		Index: &fakeIndex{UpsertFn: func(context.Context, []Document) error { return nil }},
	}
	n, err := s.Drain(context.Background())
	if err == nil || n != 1 {
		t.Fatalf("Drain = %d, %v; want 1 and an error instead of a loop", n, err)
	}
}

func TestSyncHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := &Syncer{Outbox: &fakeOutbox{PendingFn: func(context.Context, int) ([]OutboxEntry, error) {
		t.Error("Pending called with a cancelled context")
		return nil, nil
	}}}
	if _, err := s.Drain(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Drain = %v, want context.Canceled", err)
	}
}

func TestSyncReindex(t *testing.T) {
	var log []string
	idx := &fakeIndex{
		ResetFn: func(context.Context) error { log = append(log, "reset"); return nil },
		UpsertFn: func(_ context.Context, docs []Document) error {
			log = append(log, "upsert("+strings.Join(ids(docs), ",")+")")
			return nil
		},
	}
	all := func(ctx context.Context, yield func([]Document) error) error {
		for _, batch := range [][]Document{
			{doc(TypeEvent, "a"), doc(TypeEvent, "b")},
			{},
			{doc(TypeRegion, "r")},
		} {
			if err := yield(batch); err != nil {
				return err
			}
		}
		return nil
	}
	var progress []int
	n, err := Reindex(context.Background(), all, idx, func(done int) { progress = append(progress, done) })
	if err != nil || n != 3 {
		t.Fatalf("Reindex = %d, %v; want 3, nil", n, err)
	}
	if want := []string{"reset", "upsert(EVENT-a,EVENT-b)", "upsert(REGION-r)"}; !slices.Equal(log, want) {
		t.Errorf("calls = %q, want %q", log, want)
	}
	if !slices.Equal(progress, []int{2, 3}) {
		t.Errorf("progress = %v, want [2 3]", progress)
	}
	// Progress is optional.
	if _, err := Reindex(context.Background(), all, idx, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSyncReindexErrors(t *testing.T) {
	boom := errors.New("boom")
	two := func(ctx context.Context, yield func([]Document) error) error {
		if err := yield([]Document{doc(TypeEvent, "a")}); err != nil {
			return fmt.Errorf("source wraps: %w", err)
		}
		return yield([]Document{doc(TypeEvent, "b")})
	}

	t.Run("reset fails: nothing upserted", func(t *testing.T) {
		idx := &fakeIndex{
			ResetFn: func(context.Context) error { return boom },
			UpsertFn: func(context.Context, []Document) error {
				t.Error("upserted after a failed reset")
				return nil
			},
		}
		if n, err := Reindex(context.Background(), two, idx, nil); !errors.Is(err, boom) || n != 0 {
			t.Errorf("Reindex = %d, %v", n, err)
		}
	})
	t.Run("upsert fails: stops", func(t *testing.T) {
		calls := 0
		idx := &fakeIndex{
			ResetFn: func(context.Context) error { return nil },
			UpsertFn: func(context.Context, []Document) error {
				calls++
				if calls == 2 {
					return boom
				}
				return nil
			},
		}
		n, err := Reindex(context.Background(), two, idx, nil)
		if !errors.Is(err, boom) || n != 1 || !strings.Contains(err.Error(), "upserting after 1 documents") {
			t.Errorf("Reindex = %d, %v", n, err)
		}
	})
	t.Run("source fails", func(t *testing.T) {
		idx := &fakeIndex{ResetFn: func(context.Context) error { return nil }}
		failing := func(context.Context, func([]Document) error) error { return boom }
		n, err := Reindex(context.Background(), failing, idx, nil)
		if !errors.Is(err, boom) || n != 0 || !strings.Contains(err.Error(), "reading documents") {
			t.Errorf("Reindex = %d, %v", n, err)
		}
	})
}
