package neo4j_test

import (
	"context"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// A query whose caller gave up (its deadline passed, or it was cancelled)
// fails alone: the driver reports it as a connectivity error, but the
// server is there, and the next query must not be answered UNAVAILABLE.
func TestCallerDeadlineDoesNotMarkNeo4jDown(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	changes := store.NewChangeLog(db)
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	cancelled, cancel2 := context.WithCancel(context.Background())
	cancel2()
	for name, ctx := range map[string]context.Context{"deadline": expired, "cancelled": cancelled} {
		if _, err := changes.Head(ctx); err == nil {
			t.Fatalf("%s: a query with a dead context succeeded", name)
		} else if cyberlotse.ErrorCode(err) == cyberlotse.EUNAVAILABLE {
			t.Errorf("%s: the caller's own context made the query UNAVAILABLE: %v", name, err)
		}
		if _, err := changes.Head(context.Background()); err != nil {
			t.Fatalf("%s: the next query failed: %v", name, err)
		}
	}
}
