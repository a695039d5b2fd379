package main

import (
	"context"
	"fmt"
	"os"
	"time"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Reindex rebuilds the search fields of every searchable node and, with
// MEILI_URL, the whole Meilisearch index, printing progress. It holds the
// search-sync lock, so that no drain interleaves, and drains afterwards.
func (m *Main) Reindex(ctx context.Context) error {
	if err := m.openSearch(); err != nil {
		return err
	}
	owner := fmt.Sprintf("reindex-%d", os.Getpid())
	ok, err := m.DB.TryLock(ctx, "search-sync", owner, m.Now(), time.Hour)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("the search sync job is running on a server; try again in a minute")
	}
	defer m.DB.Unlock(context.Background(), "search-sync", owner)

	neo := store.NewSearchBackend(m.DB)
	start := time.Now()
	n, err := neo.RefreshSearch(ctx, progress("Neo4j-Suchfelder"))
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nNeo4j: %d Dokumente in %v\n", n, time.Since(start).Round(time.Millisecond))
	if m.Meili == nil {
		return nil
	}
	if err := m.Meili.EnsureSettings(ctx); err != nil {
		return err
	}
	all := func(ctx context.Context, yield func([]search.Document) error) error {
		return neo.AllDocuments(ctx, 500, yield)
	}
	start = time.Now()
	if n, err = search.Reindex(ctx, all, m.Meili, progress("Meilisearch")); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\nMeilisearch: %d Dokumente in %v\n", n, time.Since(start).Round(time.Millisecond))
	drained, err := (&search.Syncer{Outbox: store.NewSearchOutbox(m.DB), Index: m.Meili, Logger: m.Logger}).Drain(ctx)
	fmt.Fprintf(os.Stderr, "Outbox: %d Änderungen nachgetragen\n", drained)
	return err
}

// progress prints "label: n documents" in place on a terminal.
func progress(label string) func(int) {
	return func(done int) { fmt.Fprintf(os.Stderr, "\r%s: %d Dokumente …", label, done) }
}
