package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
)

// OutboxEntry says that a document changed (or was deleted) in the graph.
// The store writes entries in the same transaction as the change, so the
// outbox never misses one; Seq orders them.
type OutboxEntry struct {
	Seq        int64
	DocumentID string
	Type       Type
	Key        string
	Delete     bool
}

// Outbox is the store's queue of changed documents (graph/neo4j).
type Outbox interface {
	// Pending returns up to limit entries, oldest first.
	Pending(ctx context.Context, limit int) ([]OutboxEntry, error)
	// Documents returns the current documents of the given (non-delete)
	// entries. An object that no longer exists is absent from the answer;
	// the syncer then deletes its document.
	Documents(ctx context.Context, entries []OutboxEntry) ([]Document, error)
	// Ack removes the entries; called only after the index applied them.
	Ack(ctx context.Context, seqs []int64) error
}

// Indexer writes documents into a search index (Meili). Both calls return
// only after the index applied the change.
type Indexer interface {
	Upsert(ctx context.Context, docs []Document) error
	Delete(ctx context.Context, ids []string) error
}

// DefaultSyncBatch is the batch size of a Syncer without one.
const DefaultSyncBatch = 200

// Syncer moves changes from the outbox into the index, at least once:
// entries are acknowledged only after the index applied them, so a failure
// anywhere leaves them for the next run, and applying an entry twice is
// harmless (upserts and deletes are idempotent, and the current document
// is read from the graph at sync time).
//
// Run Drain from one scheduled job at a time (the Neo4j-locked scheduler);
// two concurrent drains are still correct, only wasteful.
type Syncer struct {
	Outbox Outbox
	Index  Indexer
	Batch  int          // entries per round; DefaultSyncBatch when 0
	Logger *slog.Logger // nil: no logging
}

// Drain syncs rounds of pending entries until the outbox is empty, and
// returns the number of entries synced (acknowledged). On an error the
// current round is not acknowledged; earlier rounds stay synced.
func (s *Syncer) Drain(ctx context.Context) (int, error) {
	batch := s.Batch
	if batch <= 0 {
		batch = DefaultSyncBatch
	}
	total := 0
	lastSeq := int64(-1 << 63)
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		entries, err := s.Outbox.Pending(ctx, batch)
		if err != nil {
			return total, fmt.Errorf("search sync: reading the outbox: %w", err)
		}
		if len(entries) == 0 {
			return total, nil
		}
		maxSeq := entries[0].Seq
		for _, e := range entries {
			maxSeq = max(maxSeq, e.Seq)
		}
		// A store whose Ack does not remove entries would loop forever.
		if maxSeq <= lastSeq {
			return total, fmt.Errorf("search sync: the outbox returned entry %d again after it was acknowledged", maxSeq)
		}
		lastSeq = maxSeq
		if err := s.round(ctx, entries); err != nil {
			return total, err
		}
		total += len(entries)
	}
}

// round applies one batch of entries and acknowledges them.
func (s *Syncer) round(ctx context.Context, entries []OutboxEntry) error {
	latest := coalesce(entries)
	var upserts []OutboxEntry
	var deletes []string
	for _, e := range latest {
		if e.Delete {
			deletes = append(deletes, e.DocumentID)
		} else {
			upserts = append(upserts, e)
		}
	}

	var docs []Document
	if len(upserts) > 0 {
		found, err := s.Outbox.Documents(ctx, upserts)
		if err != nil {
			return fmt.Errorf("search sync: reading documents: %w", err)
		}
		var missing []string
		docs, missing = match(upserts, found)
		deletes = append(deletes, missing...)
		if len(missing) > 0 {
			s.log(ctx, slog.LevelDebug, "search sync: objects gone, deleting their documents", "ids", missing)
		}
	}

	if len(docs) > 0 {
		if err := s.Index.Upsert(ctx, docs); err != nil {
			return fmt.Errorf("search sync: upserting %d documents: %w", len(docs), err)
		}
	}
	if len(deletes) > 0 {
		if err := s.Index.Delete(ctx, deletes); err != nil {
			return fmt.Errorf("search sync: deleting %d documents: %w", len(deletes), err)
		}
	}

	seqs := make([]int64, len(entries))
	for i, e := range entries {
		seqs[i] = e.Seq
	}
	if err := s.Outbox.Ack(ctx, seqs); err != nil {
		// The index has the changes; they are applied again next time.
		return fmt.Errorf("search sync: acknowledging %d entries: %w", len(seqs), err)
	}
	s.log(ctx, slog.LevelDebug, "search sync: round done",
		"entries", len(entries), "upserted", len(docs), "deleted", len(deletes))
	return nil
}

func (s *Syncer) log(ctx context.Context, level slog.Level, msg string, args ...any) {
	if s.Logger != nil {
		s.Logger.Log(ctx, level, msg, args...)
	}
}

// coalesce keeps the latest entry (highest Seq) of each document, so that
// a delete after an upsert deletes and an upsert after a delete upserts.
// The result is ordered by Seq. Entries without DocumentID get it from
// Type and Key.
func coalesce(entries []OutboxEntry) []OutboxEntry {
	byID := map[string]OutboxEntry{}
	for _, e := range entries {
		if e.DocumentID == "" {
			e.DocumentID = DocumentID(e.Type, e.Key)
		}
		if prev, ok := byID[e.DocumentID]; !ok || e.Seq > prev.Seq {
			byID[e.DocumentID] = e
		}
	}
	out := make([]OutboxEntry, 0, len(byID))
	for _, e := range byID {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// match pairs the requested entries with the documents found; entries
// without a document are returned as ids to delete. Documents nobody asked
// for are ignored.
func match(want []OutboxEntry, found []Document) (docs []Document, missing []string) {
	byID := make(map[string]Document, len(found))
	for _, d := range found {
		if d.ID == "" {
			d.ID = DocumentID(d.Type, d.Key)
		}
		byID[d.ID] = d
	}
	for _, e := range want {
		if d, ok := byID[e.DocumentID]; ok {
			docs = append(docs, d)
		} else {
			missing = append(missing, e.DocumentID)
		}
	}
	return docs, missing
}

// Resetter empties an index.
type Resetter interface {
	Reset(ctx context.Context) error
}

// ReindexTarget is an index that can be rebuilt (Meili).
type ReindexTarget interface {
	Resetter
	Upsert(ctx context.Context, docs []Document) error
}

// Reindex rebuilds idx from scratch: it empties it, then upserts every
// batch that all yields, calling progress (if not nil) with the number of
// documents done after each batch. It returns that number.
//
// Run it under the sync job's lock and Drain afterwards: changes made
// while it runs stay in the outbox and are applied after it, so a
// deletion is never undone by a document read before it.
func Reindex(ctx context.Context, all func(ctx context.Context, yield func([]Document) error) error,
	idx ReindexTarget, progress func(done int)) (int, error) {
	if err := idx.Reset(ctx); err != nil {
		return 0, fmt.Errorf("search reindex: emptying the index: %w", err)
	}
	done := 0
	err := all(ctx, func(docs []Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(docs) == 0 {
			return nil
		}
		if err := idx.Upsert(ctx, docs); err != nil {
			return &reindexUpsertError{done: done, err: err}
		}
		done += len(docs)
		if progress != nil {
			progress(done)
		}
		return nil
	})
	if err != nil {
		var ue *reindexUpsertError
		if errors.As(err, &ue) {
			return done, fmt.Errorf("search reindex: upserting after %d documents: %w", ue.done, ue.err)
		}
		return done, fmt.Errorf("search reindex: reading documents: %w", err)
	}
	return done, nil
}

// reindexUpsertError tells Reindex's caller whether the index or the
// source failed, whatever the source wraps around the yield error.
type reindexUpsertError struct {
	done int
	err  error
}

func (e *reindexUpsertError) Error() string { return e.err.Error() }
func (e *reindexUpsertError) Unwrap() error { return e.err }
