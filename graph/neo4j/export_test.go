package neo4j

import (
	"context"
	"testing"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Counts is the size of the seed's part of the graph: its nodes and the
// relationships among them, so that idempotency tests do not see the
// events and contacts other tests write meanwhile.
type Counts struct{ Nodes, Relationships int }

func GraphCounts(ctx context.Context, tb testing.TB, db *DB, n *cyberlotse.Network) Counts {
	tb.Helper()
	var keys []string
	keys = appendKeys(keys, n.GovRegions, func(g *cyberlotse.GovRegion) string { return g.Key })
	keys = appendKeys(keys, n.Districts, func(d *cyberlotse.District) string { return string(d.Key) })
	keys = appendKeys(keys, n.Municipalities, func(m *cyberlotse.Municipality) string { return string(m.AGS) })
	keys = appendKeys(keys, n.Topics, func(t *cyberlotse.Topic) string { return t.ID })
	keys = appendKeys(keys, n.Organizations, func(o *cyberlotse.Organization) string { return o.ID })
	keys = appendKeys(keys, n.Contacts, func(c *cyberlotse.Contact) string { return c.ID })
	keys = appendKeys(keys, n.Regions, func(r *cyberlotse.Region) string { return r.ID })
	keys = appendKeys(keys, n.Measures, func(m *cyberlotse.Measure) string { return m.Code })
	keys = appendKeys(keys, n.Offers, func(o *cyberlotse.Offer) string { return o.ID })
	keys = appendKeys(keys, n.Events, func(e *cyberlotse.Event) string { return e.ID })
	recs, err := db.read(ctx, "test.GraphCounts", `
		MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels) AND coalesce(n.id, n.code, n.ags, n.key) IN $keys
		WITH collect(n) AS seeded
		RETURN size(seeded) AS nodes,
		       size([(a)-[r]->(b) WHERE a IN seeded AND b IN seeded | r]) AS rels`,
		map[string]any{"keys": keys, "labels": []string{"GovRegion", "District", "Municipality", "Region", "Organization",
			"Contact", "Measure", "Offer", "Topic", "Event"}})
	if err != nil || len(recs) != 1 {
		tb.Fatalf("graph counts: %v", err)
	}
	nodes, _ := recs[0].Get("nodes")
	rels, _ := recs[0].Get("rels")
	return Counts{Nodes: int(nodes.(int64)), Relationships: int(rels.(int64))}
}

func appendKeys[T any](keys []string, xs []T, key func(T) string) []string {
	for _, x := range xs {
		keys = append(keys, key(x))
	}
	return keys
}

// RegistrationCounts are an event's stored registration counts and the
// counts of its registrations, which the writes must keep equal.
func RegistrationCounts(ctx context.Context, tb testing.TB, db *DB, eventID string) (stored, counted [2]int) {
	tb.Helper()
	recs, err := db.read(ctx, "test.RegistrationCounts", `
		MATCH (e:Event {id: $id})
		RETURN [e.confirmedCount, e.waitlistedCount,
		        COUNT { (:Registration {status: 'CONFIRMED'})-[:FOR]->(e) },
		        COUNT { (:Registration {status: 'WAITLISTED'})-[:FOR]->(e) }] AS n`, map[string]any{"id": eventID})
	if err != nil || len(recs) != 1 {
		tb.Fatalf("registration counts: %v", err)
	}
	v, _ := recs[0].Get("n")
	n := v.([]any)
	num := func(x any) int {
		if i, ok := x.(int64); ok {
			return int(i)
		}
		return -1 // never set
	}
	return [2]int{num(n[0]), num(n[1])}, [2]int{num(n[2]), num(n[3])}
}

// SetRegistrationCountsForTest overwrites an event's stored counts, as a
// write that bypassed them would leave them.
func SetRegistrationCountsForTest(ctx context.Context, tb testing.TB, db *DB, eventID string, confirmed, waitlisted any) {
	tb.Helper()
	if _, err := db.write(ctx, "test.SetRegistrationCounts",
		`MATCH (e:Event {id: $id}) SET e.confirmedCount = $c, e.waitlistedCount = $w`,
		map[string]any{"id": eventID, "c": confirmed, "w": waitlisted}); err != nil {
		tb.Fatal(err)
	}
}

// VocabularyOf is the backend's vocabulary; nil until loaded.
func VocabularyOf(b *SearchBackend) *search.Vocabulary { return b.vocabulary.Load() }

// LuceneQuery is the query the backend sends for tokens.
var LuceneQuery = luceneQuery

// SearchInCypher searches as b does before its copy of the documents is
// loaded (filters, order and facets in Cypher), with b's vocabulary.
func SearchInCypher(ctx context.Context, b *SearchBackend, q search.Query) (*search.Result, error) {
	tokens := search.Tokens(q.Text)
	return b.searchInCypher(ctx, q, tokens, luceneQuery(tokens, b.vocabulary.Load()), emptyResult())
}

// SearchCatchUp applies the change log to b's vocabulary and documents
// now, as its follower does every interval.
func SearchCatchUp(ctx context.Context, b *SearchBackend) { b.follower.step(ctx) }

// HoldsSearchDocument says whether b's copy holds the document of key.
func HoldsSearchDocument(b *SearchBackend, t search.Type, key string) bool {
	docs := b.docs.Load()
	if docs == nil {
		return false
	}
	docs.mu.RLock()
	defer docs.mu.RUnlock()
	_, ok := docs.ids[labelOf[t]][key]
	return ok
}
