package neo4j_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/graph/search"
	"github.com/cyberlotse/cyberlotse/graph/search/searchtest"
)

// The Neo4j full-text backend passes the shared search behaviour suite,
// with typos left to Lucene (before the vocabulary is loaded) and with
// typos expanded from the vocabulary.
func TestSearchBehaviour(t *testing.T) {
	searchtest.Run(t, store.NewSearchBackend(neo4jtest.MustOpenDB(t)))
}

func TestSearchBehaviourWithVocabulary(t *testing.T) {
	searchtest.Run(t, followingBackend(t, neo4jtest.MustOpenDB(t)))
}

// followingBackend returns a backend whose vocabulary has been loaded.
func followingBackend(t *testing.T, db *store.DB) *store.SearchBackend {
	t.Helper()
	b := store.NewSearchBackend(db)
	b.FollowVocabulary(20*time.Millisecond, nil)
	t.Cleanup(b.Close)
	deadline := time.Now().Add(30 * time.Second)
	for store.VocabularyOf(b) == nil {
		if time.Now().After(deadline) {
			t.Fatal("the vocabulary was not loaded within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := store.VocabularyOf(b).Len(); n < 500 {
		t.Fatalf("vocabulary of the seeded graph has %d words, want at least 500", n)
	}
	return b
}

// A word of an event written after the load is found with a typo within
// a second: the vocabulary follows the change log like a second replica.
func TestSearchVocabularyFollowsWrites(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	b := followingBackend(t, db)
	// A word no other document has: letters only, from a fresh id.
	word := "zwiebelwerk" + strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return 'g' + (r - '0')
		}
		return r
	}, strings.ReplaceAll(strings.ToLower(neo4jtest.NewID()), "-", ""))[:8]
	typo := word[:3] + word[4:] // one letter left out
	if got := store.VocabularyOf(b).Similar(typo, 2, search.MaxExpansions); len(got) != 0 {
		t.Fatalf("before the write %q already expands to %q", typo, got)
	}
	e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Workshop " + word, StartsAt: neo4jtest.FarFuture,
		Format: cyberlotse.FormatWorkshop, Mode: cyberlotse.ModeOnline, OnlineURL: "https://example.org/w",
		Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal",
		Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
	if err := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin).CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, db, e.ID) })
	written := time.Now()
	for {
		res, err := b.Search(context.Background(), search.Query{Text: typo, Types: []search.Type{search.TypeEvent}, First: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) == 1 && res.Hits[0].Key == e.ID {
			break
		}
		if time.Since(written) > time.Second {
			t.Fatalf("%q did not find the new event %q within 1 s: %+v", typo, e.Title, res.Hits)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := store.VocabularyOf(b).Similar(typo, 2, search.MaxExpansions); len(got) != 1 || got[0] != word {
		t.Errorf("%q expands to %q, want [%s]", typo, got, word)
	}
}

// A long query's typos expand to at most 150 words in all, so that the
// Lucene query stays far below its 1,024 clauses.
func TestLuceneQueryBoundsExpansions(t *testing.T) {
	v := search.NewVocabulary()
	var tokens []string
	for i := range 40 {
		base := "planspiel" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		tokens = append(tokens, base)
		for j := range 30 { // 30 words within one edit of each token
			v.Add(base + string(rune('a'+j%26)) + string(rune('a'+j/26)))
		}
	}
	q := store.LuceneQuery(tokens, v)
	// Every alternative is written twice: in the title clause and the plain one.
	terms := strings.Count(q, " OR ") + 1
	if max := 2 * (40 + 150 + 1); terms > max {
		t.Errorf("%d terms, want at most %d", terms, max)
	}
	if !strings.Contains(q, "planspielaaa") {
		t.Errorf("no expansion in %s", q[:200])
	}
}
