package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

var _ search.Outbox = (*SearchOutbox)(nil)

// SearchOutbox is the queue of changed search documents, written in the
// same transactions as the changes (see indexDocuments) and drained into
// Meilisearch by search.Syncer.
type SearchOutbox struct{ db *DB }

func NewSearchOutbox(db *DB) *SearchOutbox { return &SearchOutbox{db: db} }

func (o *SearchOutbox) Pending(ctx context.Context, limit int) ([]search.OutboxEntry, error) {
	recs, err := o.db.read(ctx, "neo4j.OutboxPending", `
		MATCH (e:SearchOutbox) RETURN e {.seq, .documentId, .type, .key, .delete} AS e ORDER BY e.seq LIMIT $limit`,
		map[string]any{"limit": limit})
	if err != nil {
		return nil, err
	}
	var out []search.OutboxEntry
	for _, r := range rowsOf(recs, "e") {
		seq, _ := r["seq"].(int64)
		out = append(out, search.OutboxEntry{Seq: seq, DocumentID: r.str("documentId"), Type: search.Type(r.str("type")),
			Key: r.str("key"), Delete: r.bool("delete")})
	}
	return out, nil
}

func (o *SearchOutbox) Documents(ctx context.Context, entries []search.OutboxEntry) ([]search.Document, error) {
	keys := map[search.Type][]string{}
	for _, e := range entries {
		if !e.Delete {
			keys[e.Type] = append(keys[e.Type], e.Key)
		}
	}
	var docs []search.Document
	err := o.db.readTx(ctx, "neo4j.OutboxDocuments", func(tx neo4j.ManagedTransaction) error {
		docs = nil
		for t, ks := range keys {
			if _, ok := documentQueries[t]; !ok {
				continue
			}
			d, err := buildDocuments(ctx, tx, t, ks)
			if err != nil {
				return err
			}
			docs = append(docs, d...)
		}
		return nil
	})
	return docs, err
}

func (o *SearchOutbox) Ack(ctx context.Context, seqs []int64) error {
	_, err := o.db.write(ctx, "neo4j.OutboxAck", `MATCH (e:SearchOutbox) WHERE e.seq IN $seqs DELETE e`,
		map[string]any{"seqs": seqs})
	return err
}

// RefreshSearch rebuilds the search fields of every searchable node (and
// queues them for Meilisearch when the outbox is on), reporting progress.
// It ends with a change of everything, so that the running replicas load
// their copies of the search properties again.
func (s *SearchBackend) RefreshSearch(ctx context.Context, progress func(done int)) (int, error) {
	done := 0
	err := s.AllDocuments(ctx, 500, func(docs []search.Document) error {
		err := s.db.writeTx(ctx, "neo4j.RefreshSearch", func(tx neo4j.ManagedTransaction) error {
			return indexDocuments(ctx, tx, docs, s.db.SearchOutbox)
		})
		if err != nil {
			return err
		}
		done += len(docs)
		if progress != nil {
			progress(done)
		}
		return nil
	})
	if err != nil {
		return done, err
	}
	return done, s.db.writeTx(ctx, "neo4j.RefreshSearchDone", func(tx neo4j.ManagedTransaction) error {
		return logChanges(ctx, tx, cyberlotse.Change{Kind: cyberlotse.ChangedAll})
	})
}
