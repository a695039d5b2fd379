package neo4j_test

import (
	"testing"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/graph/search/searchtest"
)

// The Neo4j full-text backend passes the shared search behaviour suite.
func TestSearchBehaviour(t *testing.T) {
	searchtest.Run(t, store.NewSearchBackend(neo4jtest.MustOpenDB(t)))
}
