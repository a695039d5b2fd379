package main

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"

	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// With Meilisearch configured but down, search says SEARCH_UNAVAILABLE
// while every other query keeps working; with SEARCH_FALLBACK=neo4j it
// answers from Neo4j instead.
func TestSearchWhileMeilisearchIsDown(t *testing.T) {
	neo4jtest.MustOpenDB(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port nobody answers on once closed
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	for _, fallback := range []bool{false, true} {
		cfg, err := ConfigFromEnv(os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		cfg.VarDir, cfg.MeiliURL, cfg.MeiliKey, cfg.SearchFallback = t.TempDir(), down, "test-master-key", fallback
		m := NewMain(cfg)
		m.Logger = quiet
		if err := m.OpenDB(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := m.OpenServices(); err != nil {
			t.Fatal(err)
		}
		h := m.Handler()
		res := gql(t, h, "", `{ search(query: "Kalletal") { estimatedTotal } measures { code } }`, nil)
		if fallback {
			if len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"estimatedTotal"`) {
				t.Errorf("fallback: %s %+v", res.Data, res.Errors)
			}
		} else if res.code() != "SEARCH_UNAVAILABLE" || !strings.Contains(string(res.Data), `"code":"M13"`) ||
			!strings.Contains(res.Errors[0].Message, "Suche ist gerade nicht erreichbar") {
			t.Errorf("no fallback: %s %+v", res.Data, res.Errors)
		}
		m.DB.SearchOutbox = false
		m.Close()
	}
}
