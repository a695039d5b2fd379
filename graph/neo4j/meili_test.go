package neo4j_test

import (
	"context"
	"os"
	"testing"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/graph/search"
	"github.com/cyberlotse/cyberlotse/graph/search/searchtest"
)

// The Meilisearch backend passes the same behaviour suite as the Neo4j
// one, on an index built from the seeded graph. Meilisearch cannot be
// installed on the project's machines, so this runs only where MEILI_URL
// (and MEILI_MASTER_KEY) point at a real server; see README.md.
func TestMeiliBehaviour(t *testing.T) {
	url := os.Getenv("MEILI_URL")
	if url == "" {
		t.Skip("MEILI_URL is not set: the Meilisearch run of the search behaviour suite did not run (README.md, Search)")
	}
	db := neo4jtest.MustOpenDB(t)
	m, err := search.NewMeili(url, os.Getenv("MEILI_MASTER_KEY"), search.MeiliIndex("cyberlotse-test-"+neo4jtest.NewID()[5:13]))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := m.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	backend := store.NewSearchBackend(db)
	all := func(ctx context.Context, yield func([]search.Document) error) error {
		return backend.AllDocuments(ctx, 500, yield)
	}
	if n, err := search.Reindex(ctx, all, m, nil); err != nil || n < 500 {
		t.Fatalf("reindexed %d documents: %v", n, err)
	}
	searchtest.Run(t, m)
}
