package neo4j

import (
	"context"
	"testing"
)

// Counts is the size of the reference data in the graph (what the seed
// owns), for idempotency tests that must not see other tests' writes.
type Counts struct{ Nodes, Relationships int }

func GraphCounts(ctx context.Context, tb testing.TB, db *DB) Counts {
	tb.Helper()
	recs, err := db.read(ctx, "test.GraphCounts",
		`MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels)
		 WITH count(n) AS nodes
		 MATCH (a)-[r]->() WHERE any(l IN labels(a) WHERE l IN $labels)
		 RETURN nodes, count(r) AS rels`,
		map[string]any{"labels": []string{"GovRegion", "District", "Municipality", "Region", "Organization",
			"Contact", "Measure", "Offer", "Topic", "Event"}})
	if err != nil || len(recs) != 1 {
		tb.Fatalf("graph counts: %v", err)
	}
	nodes, _ := recs[0].Get("nodes")
	rels, _ := recs[0].Get("rels")
	return Counts{Nodes: int(nodes.(int64)), Relationships: int(rels.(int64))}
}
