package neo4j

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
	"unique"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// searchDoc is what a search filters, orders and counts a document by:
// a copy of its node's search properties. Reading these properties for
// up to MaxHits nodes was three quarters of a search's cost in Neo4j
// (10 ms of a 2.5 ms full-text look-up at 100k companies); with the copy
// a search asks Neo4j only for the ranked element ids and the texts of
// its page.
type searchDoc struct {
	key, typ, format                  string
	event                             bool
	ags, districts, regions, measures []string
	startsAt                          *time.Time
	location                          *cyberlotse.Point
}

// docMap projects a search node n onto a map for docFrom, its words for
// the vocabulary included. The key is the one the Cypher search orders by.
const docMap = `id: elementId(n), key: coalesce(n.id, n.ags, n.code), event: n:Event, type: n.search_type,
	format: n.format, ags: n.search_ags, districts: n.search_districts, regions: n.search_regions,
	measures: n.search_measures, startsAt: n.startsAt, location: n.search_location, words: ` + documentWords

func docFrom(r row) (id string, d *searchDoc, words string) {
	d = &searchDoc{key: r.str("key"), typ: interned(r.str("type")), format: interned(r.str("format")), event: r.bool("event"),
		ags: internedAll(r.strs("ags")), districts: internedAll(r.strs("districts")),
		regions: internedAll(r.strs("regions")), measures: internedAll(r.strs("measures"))}
	if t, ok := r["startsAt"].(time.Time); ok {
		d.startsAt = &t
	}
	if p, ok := r["location"].(neo4j.Point2D); ok {
		d.location = &cyberlotse.Point{Lat: p.Y, Lon: p.X}
	}
	return r.str("id"), d, r.str("words")
}

// interned shares one copy of the few hundred values that 20,000 events
// repeat (types, formats, places, measures).
func interned(s string) string { return unique.Make(s).Value() }

func internedAll(xs []string) []string {
	if len(xs) == 0 {
		return nil
	}
	for i, x := range xs {
		xs[i] = interned(x)
	}
	return slices.Clip(xs)
}

// searchDocs holds the searchDocs of every search node by element id.
// Safe for concurrent use.
type searchDocs struct {
	mu   sync.RWMutex
	byID map[string]*searchDoc
	// ids lists the element ids per label and key, to replace a node's
	// document and to drop those of deleted nodes.
	ids map[string]map[string]string
}

func newSearchDocs() *searchDocs {
	return &searchDocs{byID: map[string]*searchDoc{}, ids: map[string]map[string]string{}}
}

// replace puts the documents of label in place of the old ones with the
// given keys (nil: all of the label's).
func (s *searchDocs) replace(label string, keys []string, fresh map[string]*searchDoc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.ids[label]
	if old == nil {
		old = map[string]string{}
		s.ids[label] = old
	}
	drop := func(key string) {
		if id, ok := old[key]; ok {
			delete(s.byID, id)
			delete(old, key)
		}
	}
	if keys == nil {
		for key := range old {
			drop(key)
		}
	}
	for _, key := range keys {
		drop(key)
	}
	for id, d := range fresh {
		drop(d.key) // a node of the same key made anew
		s.byID[id] = d
		old[d.key] = id
	}
}

// lookup returns the documents of ids, in order, and the ids it does
// not hold (nodes made since the last catch-up).
func (s *searchDocs) lookup(ids []string) (docs []*searchDoc, missing []string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	docs = make([]*searchDoc, len(ids))
	for i, id := range ids {
		if docs[i] = s.byID[id]; docs[i] == nil {
			missing = append(missing, id)
		}
	}
	return docs, missing
}

// docFilter is a search.Query's filters in Go, as the Cypher search's
// WHERE reads them: a missing property never matches.
type docFilter struct {
	q     search.Query
	types map[string]bool
}

func newDocFilter(q search.Query) docFilter {
	f := docFilter{q: q}
	if len(q.Types) > 0 {
		f.types = map[string]bool{}
		for _, t := range q.Types {
			f.types[string(t)] = true
		}
	}
	return f
}

func (f docFilter) keep(d *searchDoc) bool {
	q := f.q
	switch {
	case f.types != nil && !f.types[d.typ]:
		return false
	case q.AGS != nil && !slices.Contains(d.ags, string(*q.AGS)):
		return false
	case q.District != nil && !slices.Contains(d.districts, string(*q.District)):
		return false
	case q.Region != nil && !slices.Contains(d.regions, *q.Region):
		return false
	case q.Format != nil && d.format != string(*q.Format):
		return false
	case q.Measure != nil && !slices.Contains(d.measures, *q.Measure):
		return false
	case q.From != nil && d.event && (d.startsAt == nil || d.startsAt.Before(*q.From)):
		return false
	case q.To != nil && d.event && (d.startsAt == nil || !d.startsAt.Before(*q.To)):
		return false
	case q.Near != nil && (d.location == nil ||
		cyberlotse.DistanceKm(*d.location, cyberlotse.Point{Lat: q.Near.Lat, Lon: q.Near.Lon}) > q.Near.RadiusKm):
		return false
	}
	return true
}

// docHit is a kept hit with its element id, for fetching the page's texts.
type docHit struct {
	id    string
	doc   *searchDoc
	score float64
}

// rankDocs keeps the hits that pass the filters, in the Cypher search's
// order (score, then key), and counts the facets over all of them.
func rankDocs(ids []string, scores []float64, docs []*searchDoc, f docFilter, facets *search.Facets) []docHit {
	hits := make([]docHit, 0, len(ids))
	for i, d := range docs {
		if d != nil && f.keep(d) {
			hits = append(hits, docHit{id: ids[i], doc: d, score: scores[i]})
		}
	}
	slices.SortFunc(hits, func(a, b docHit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.doc.key, b.doc.key))
	})
	for _, h := range hits {
		facets.Types[search.Type(h.doc.typ)]++
		if h.doc.format != "" {
			facets.Formats[h.doc.format]++
		}
		for _, v := range h.doc.districts {
			facets.Districts[v]++
		}
		for _, v := range h.doc.measures {
			facets.Measures[v]++
		}
	}
	return hits
}

// searchFromDocs is Search over the copy: the full-text look-up returns
// element ids and scores only; the documents come from the copy (the few
// it does not hold yet from Neo4j), the page's texts from Neo4j. ok is
// false when a page's node is no longer the document the copy holds (a
// node deleted and its id reused since the last catch-up): the caller
// asks Cypher then.
func (s *SearchBackend) searchFromDocs(ctx context.Context, docs *searchDocs, q search.Query, lucene string,
	res *search.Result) (page []pageText, ok bool, err error) {
	ok = true
	err = s.db.readTx(ctx, "neo4j.Search", func(tx neo4j.ManagedTransaction) error {
		*res = *emptyResult() // a retried transaction counts again
		rows, err := collectRows(ctx, tx, "r", `
			CALL db.index.fulltext.queryNodes('search', $lucene, {limit: $max}) YIELD node, score
			RETURN {ids: collect(elementId(node)), scores: collect(score)} AS r`,
			map[string]any{"lucene": lucene, "max": search.MaxHits})
		if err != nil || len(rows) == 0 {
			return err
		}
		ids, scores := rows[0].strs("ids"), floats(rows[0]["scores"])
		found, missing := docs.lookup(ids)
		if len(missing) > 0 {
			fresh, err := docsByID(ctx, tx, missing)
			if err != nil {
				return err
			}
			for i, id := range ids {
				if found[i] == nil {
					found[i] = fresh[id]
				}
			}
		}
		hits := rankDocs(ids, scores, found, newDocFilter(q), &res.Facets)
		res.EstimatedTotal = len(hits)
		hits = hits[min(q.Offset, len(hits)):min(q.Offset+q.First, len(hits))]
		page, ok, err = pageTexts(ctx, tx, hits)
		return err
	})
	return page, ok, err
}

// pageText is a hit of the page with the texts its highlights come from.
type pageText struct {
	hit                   search.Hit
	title, text, keywords string
}

func pageTexts(ctx context.Context, tx runner, hits []docHit) ([]pageText, bool, error) {
	if len(hits) == 0 {
		return nil, true, nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	rows, err := collectRows(ctx, tx, "t", `
		MATCH (n) WHERE elementId(n) IN $ids
		RETURN {id: elementId(n), key: coalesce(n.id, n.ags, n.code), title: n.search_title,
		        text: n.search_text, keywords: n.search_keywords} AS t`, map[string]any{"ids": ids})
	if err != nil {
		return nil, false, err
	}
	byID := make(map[string]row, len(rows))
	for _, r := range rows {
		byID[r.str("id")] = r
	}
	out := make([]pageText, len(hits))
	for i, h := range hits {
		r, ok := byID[h.id]
		if !ok || r.str("key") != h.doc.key {
			return nil, false, nil
		}
		out[i] = pageText{hit: search.Hit{Type: search.Type(h.doc.typ), Key: h.doc.key, Score: h.score},
			title: r.str("title"), text: r.str("text"), keywords: r.str("keywords")}
	}
	return out, true, nil
}

// docsByID reads the documents of nodes the copy does not hold yet.
func docsByID(ctx context.Context, tx runner, ids []string) (map[string]*searchDoc, error) {
	rows, err := collectRows(ctx, tx, "d", `MATCH (n) WHERE elementId(n) IN $ids RETURN {`+docMap+`} AS d`,
		map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]*searchDoc, len(rows))
	for _, r := range rows {
		id, d, _ := docFrom(r)
		out[id] = d
	}
	return out, nil
}

func floats(v any) []float64 {
	list, _ := v.([]any)
	out := make([]float64, len(list))
	for i, x := range list {
		out[i], _ = x.(float64)
	}
	return out
}

// searchFollowers are the search backends of this process that keep
// searchDocs, told after each commit that may have changed documents.
type searchFollowers struct {
	mu        sync.Mutex
	followers map[*SearchBackend]func(context.Context)
}

// followSearch registers s's catch-up (nil: removes it).
func (f *searchFollowers) followSearch(s *SearchBackend, catchUp func(context.Context)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if catchUp == nil {
		delete(f.followers, s)
		return
	}
	if f.followers == nil {
		f.followers = map[*SearchBackend]func(context.Context){}
	}
	f.followers[s] = catchUp
}

func (f *searchFollowers) searchChanged(ctx context.Context) {
	f.mu.Lock()
	catchUps := make([]func(context.Context), 0, len(f.followers))
	for _, c := range f.followers {
		catchUps = append(catchUps, c)
	}
	f.mu.Unlock()
	// The write committed: apply it even when its client went away, but
	// do not hold the answer long when Neo4j went away meanwhile (the
	// follower applies it then).
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	for _, c := range catchUps {
		c(ctx)
	}
}
