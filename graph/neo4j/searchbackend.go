package neo4j

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

var _ search.Backend = (*SearchBackend)(nil)

// SearchBackend is the default search: the Neo4j full-text index "search"
// (German analyzer, schema/neo4j/0004_search.cypher), typos expanded into
// the words of the documents and the filters and facets counted in Go
// over a copy of the documents' search properties (FollowVocabulary), in
// Cypher until the copy is loaded.
type SearchBackend struct {
	db         *DB
	vocabulary atomic.Pointer[search.Vocabulary] // nil until loaded
	docs       atomic.Pointer[searchDocs]        // nil until loaded
	follower   *vocabularyFollower               // set by FollowVocabulary

	stop, done chan struct{}
}

func NewSearchBackend(db *DB) *SearchBackend { return &SearchBackend{db: db} }

// luceneQuery turns plain words into a Lucene query: each word exact or
// within its typo allowance, the last one also as a prefix (as you type).
// Only letters and digits reach it (search.Tokens), so no word can be
// Lucene syntax; and/or/not arrive lower-cased, which Lucene reads as terms.
// Numbers (postcodes, keys) are matched exactly or as a prefix, never
// fuzzily; matches in the title count three times. With a vocabulary, a
// word's typo allowance becomes the vocabulary's words within it, as exact
// terms (a sixth of the cost of Lucene's fuzzy terms); without one, it is
// left to Lucene.
func luceneQuery(tokens []string, vocabulary *search.Vocabulary) string {
	parts := make([]string, 0, len(tokens))
	// Each term appears in four field clauses; the budget keeps a long
	// query well below Lucene's 1,024 clauses.
	perToken := max(1, min(search.MaxExpansions, maxExpansionsPerQuery/len(tokens)))
	for i, t := range tokens {
		alts := []string{t}
		switch f := search.Fuzziness(t); {
		case f == 0 || isDigits(t):
		case vocabulary != nil:
			alts = append(alts, vocabulary.Similar(t, f, perToken)...)
		default:
			alts = append(alts, fmt.Sprintf("%s~%d", t, f))
		}
		if i == len(tokens)-1 && len([]rune(t)) >= 3 {
			alts = append(alts, t+"*")
		}
		term := "(" + strings.Join(alts, " OR ") + ")"
		parts = append(parts, "search_title:"+term+"^3 OR "+term)
	}
	return strings.Join(parts, " OR ")
}

// maxExpansionsPerQuery bounds the words all typos of one query expand to.
const maxExpansionsPerQuery = 150

func (s *SearchBackend) Search(ctx context.Context, q search.Query) (*search.Result, error) {
	if err := search.CheckText(q.Text); err != nil {
		return nil, err
	}
	tokens := search.Tokens(q.Text)
	res := emptyResult()
	if len(tokens) == 0 {
		return res, nil // only special characters: nothing to look for
	}
	lucene := luceneQuery(tokens, s.vocabulary.Load())
	if docs := s.docs.Load(); docs != nil {
		page, ok, err := s.searchFromDocs(ctx, docs, q, lucene, res)
		if err != nil {
			return nil, searchError(err)
		}
		if ok {
			for _, p := range page {
				res.Hits = append(res.Hits, withHighlights(p.hit, tokens, p.title, p.text, p.keywords))
			}
			return res, nil
		}
		*res = *emptyResult() // a node of the page changed meanwhile: ask Cypher
	}
	return s.searchInCypher(ctx, q, tokens, lucene, res)
}

func emptyResult() *search.Result {
	return &search.Result{Facets: search.Facets{Types: map[search.Type]int{}, Formats: map[string]int{},
		Districts: map[string]int{}, Measures: map[string]int{}}}
}

// withHighlights adds the highlights of a hit's texts.
func withHighlights(hit search.Hit, tokens []string, title, text, keywords string) search.Hit {
	for _, f := range []struct {
		name, text string
		width      int
	}{{"title", title, 0}, {"text", text, 160}, {"keywords", keywords, 120}} {
		if snip, ok := search.HighlightText(f.text, tokens, f.width); ok {
			hit.Highlights = append(hit.Highlights, search.Highlight{Field: f.name, Snippet: snip})
		}
	}
	return hit
}

// searchInCypher filters, orders and counts the facets in Cypher: before
// the copy of the documents is loaded, and when it is behind.
func (s *SearchBackend) searchInCypher(ctx context.Context, q search.Query, tokens []string, lucene string, res *search.Result) (*search.Result, error) {
	params := map[string]any{"lucene": lucene, "max": search.MaxHits,
		"types": nil, "ags": optString(q.AGS), "district": optString(q.District), "region": q.Region,
		"format": optString(q.Format), "measure": q.Measure, "from": optTime(q.From), "to": optTime(q.To),
		"near": nil, "radius": 0.0}
	if len(q.Types) > 0 {
		params["types"] = castAll(q.Types)
	}
	params["offset"], params["end"] = q.Offset, q.Offset+q.First
	if q.Near != nil {
		params["near"] = neo4j.Point2D{X: q.Near.Lon, Y: q.Near.Lat, SpatialRefId: 4326}
		params["radius"] = q.Near.RadiusKm * 1000
	}
	recs, err := s.db.read(ctx, "neo4j.Search", `
		CALL db.index.fulltext.queryNodes('search', $lucene, {limit: $max}) YIELD node AS n, score
		WHERE ($types IS NULL OR n.search_type IN $types)
		  AND ($ags IS NULL OR $ags IN n.search_ags)
		  AND ($district IS NULL OR $district IN n.search_districts)
		  AND ($region IS NULL OR $region IN n.search_regions)
		  AND ($format IS NULL OR n.format = $format)
		  AND ($measure IS NULL OR $measure IN n.search_measures)
		  AND ($from IS NULL OR NOT n:Event OR n.startsAt >= $from)
		  AND ($to IS NULL OR NOT n:Event OR n.startsAt < $to)
		  AND ($near IS NULL OR point.distance(n.search_location, $near) <= $radius)
		WITH n, score, coalesce(n.id, n.ags, n.code) AS key
		ORDER BY score DESC, key
		// Every hit counts for the facets, counted here; only the page's
		// hits leave the server, with their texts for the highlights.
		WITH collect({n: n, score: score, key: key}) AS hits
		CALL (hits) {
		  UNWIND hits AS h WITH h.n.search_type AS value, count(*) AS count
		  RETURN collect({value: value, count: count}) AS types }
		CALL (hits) {
		  UNWIND hits AS h WITH h.n.format AS value, count(*) AS count WHERE value IS NOT NULL
		  RETURN collect({value: value, count: count}) AS formats }
		CALL (hits) {
		  UNWIND hits AS h UNWIND coalesce(h.n.search_districts, []) AS value WITH value, count(*) AS count
		  RETURN collect({value: value, count: count}) AS districts }
		CALL (hits) {
		  UNWIND hits AS h UNWIND coalesce(h.n.search_measures, []) AS value WITH value, count(*) AS count
		  RETURN collect({value: value, count: count}) AS measures }
		RETURN size(hits) AS total, types, formats, districts, measures,
		       [h IN hits[$offset..$end] | {type: h.n.search_type, key: h.key, score: h.score,
		        title: h.n.search_title, text: h.n.search_text, keywords: h.n.search_keywords}] AS page`, params)
	if err != nil {
		return nil, searchError(err)
	}
	if len(recs) == 0 {
		return res, nil
	}
	rec := recs[0]
	get := func(k string) any { v, _ := rec.Get(k); return v }
	total, _ := get("total").(int64)
	res.EstimatedTotal = int(total)
	for k, into := range map[string]func(string, int){
		"types":     func(v string, n int) { res.Facets.Types[search.Type(v)] = n },
		"formats":   func(v string, n int) { res.Facets.Formats[v] = n },
		"districts": func(v string, n int) { res.Facets.Districts[v] = n },
		"measures":  func(v string, n int) { res.Facets.Measures[v] = n },
	} {
		list, _ := get(k).([]any)
		for _, it := range list {
			r := row(asMap(it))
			into(r.str("value"), r.int("count"))
		}
	}
	page, _ := get("page").([]any)
	for _, it := range page {
		h := row(asMap(it))
		hit := search.Hit{Type: search.Type(h.str("type")), Key: h.str("key"), Score: h.float("score")}
		res.Hits = append(res.Hits, withHighlights(hit, tokens, h.str("title"), h.str("text"), h.str("keywords")))
	}
	return res, nil
}

// searchError keeps query failures internal but names them as search.
func searchError(err error) error {
	if cyberlotse.ErrorCode(err) != cyberlotse.EINTERNAL {
		return err
	}
	return fmt.Errorf("search backend neo4j: %w", err)
}

func (s *SearchBackend) Suggest(ctx context.Context, prefix string, limit int) ([]search.Suggestion, error) {
	p := strings.TrimSpace(prefix)
	if p == "" || len(p) > 50 {
		return []search.Suggestion{}, nil
	}
	recs, err := s.db.read(ctx, "neo4j.Suggest", `
		CALL () {
		  MATCH (m:Municipality) WHERE $digits AND any(pc IN m.postcodes WHERE pc STARTS WITH $p)
		  UNWIND [pc IN m.postcodes WHERE pc STARTS WITH $p] AS pc
		  RETURN {kind: 'POSTCODE', text: pc + ' ' + m.name, key: m.ags, value: pc, rank: 0} AS s
		  UNION
		  MATCH (m:Municipality) WHERE NOT $digits AND `+foldedName+` STARTS WITH $folded
		  RETURN {kind: 'MUNICIPALITY', text: m.name, key: m.ags, value: m.name, rank: 1} AS s
		  UNION
		  MATCH (r:Region) WHERE NOT $digits AND any(w IN split(toLower(r.name), ' ') WHERE w STARTS WITH toLower($p))
		  RETURN {kind: 'REGION', text: r.name, key: r.id, value: r.name, rank: 2} AS s
		}
		RETURN s ORDER BY s.rank, s.text LIMIT $limit`,
		map[string]any{"p": p, "folded": cyberlotse.FoldPlaceName(p), "digits": isDigits(p), "limit": limit})
	if err != nil {
		return nil, searchError(err)
	}
	out := []search.Suggestion{}
	for _, r := range rowsOf(recs, "s") {
		out = append(out, search.Suggestion{Kind: search.SuggestionKind(r.str("kind")), Text: r.str("text"),
			Key: r.str("key"), Value: r.str("value")})
	}
	return out, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// AllDocuments streams every search document in batches, for reindexing.
func (s *SearchBackend) AllDocuments(ctx context.Context, batch int, yield func([]search.Document) error) error {
	types := append([]search.Type(nil), search.Types...)
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
	for _, t := range types {
		recs, err := s.db.read(ctx, "neo4j.DocumentKeys", documentKeyQueries[t], nil)
		if err != nil {
			return err
		}
		var keys []string
		for _, r := range recs {
			k, _ := r.Get("key")
			keys = append(keys, fmt.Sprint(k))
		}
		for i := 0; i < len(keys); i += batch {
			var docs []search.Document
			err := s.db.readTx(ctx, "neo4j.Documents", func(tx neo4j.ManagedTransaction) error {
				var err error
				docs, err = buildDocuments(ctx, tx, t, keys[i:min(i+batch, len(keys))])
				return err
			})
			if err != nil {
				return err
			}
			if err := yield(docs); err != nil {
				return err
			}
		}
	}
	return nil
}
