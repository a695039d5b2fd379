package neo4j

import (
	"context"
	"errors"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Search documents are built from the graph in Cypher, one projection per
// type; the same fields are stored on the nodes (search_* properties) for
// the Neo4j full-text backend and queued in the outbox for Meilisearch.

var documentQueries = map[search.Type]string{
	search.TypeEvent: `
		MATCH (e:Event) WHERE e.id IN $keys
		OPTIONAL MATCH (e)-[:TAKES_PLACE_IN]->(m:Municipality)-[:IN]->(d:District)
		RETURN {type: 'EVENT', key: e.id, title: e.title, text: coalesce(e.description, '') + ' ' + coalesce(e.venue, ''),
		  keywords: [x IN [m.name, d.name, e.venue] + [(e)-[:ORGANIZED_BY]->(o) | o.name] + [(e)-[:ORGANIZED_BY]->(o) | o.shortName]
		    + [(e)-[:ABOUT]->(t) | t.name] + [(e)-[:FOR_REGION]->(r) | r.name] WHERE x IS NOT NULL],
		  ags: [x IN [m.ags] WHERE x IS NOT NULL], districts: [x IN [d.key] WHERE x IS NOT NULL],
		  regions: [(e)-[:FOR_REGION]->(r) | r.id] + [(m)<-[:COVERS]-(r:Region) | r.id],
		  format: e.format, measures: [(e)-[:ADDRESSES]->(x:Measure) | x.code], startsAt: e.startsAt, status: e.status,
		  location: m.location, sample: coalesce(e.sample, false)} AS doc`,
	search.TypeContact: `
		MATCH (c:Contact) WHERE c.id IN $keys
		OPTIONAL MATCH (c)-[:WORKS_FOR]->(o:Organization)
		WITH c, o, [(o)<-[:CYBERCRIME_HQ]-(:Organization)<-[:KRIMINALHAUPTSTELLE]-(:Organization)<-[:POLICED_BY]-(m:Municipality) | m] AS policed
		RETURN {type: 'CONTACT', key: c.id, title: c.name, text: coalesce(c.role, '') + ' ' + coalesce(c.availability, ''),
		  keywords: [x IN [o.name, o.shortName] + [(c)-[:EXPERT_IN]->(t) | t.name]
		    + [(c)-[:RESPONSIBLE_FOR]->(y) | y.name] + apoc_free_distinct([m IN policed | [(m)-[:IN]->(d) | d.name][0]])
		    + CASE WHEN o.kind IN ['POLICE', 'LKA'] THEN ['Polizei', 'Cybercrime'] ELSE [] END WHERE x IS NOT NULL],
		  ags: [m IN policed | m.ags] + [(c)-[:RESPONSIBLE_FOR]->(m:Municipality) | m.ags],
		  districts: apoc_free_distinct([m IN policed | [(m)-[:IN]->(d) | d.key][0]] + [(c)-[:RESPONSIBLE_FOR]->(d:District) | d.key]),
		  regions: [(c)-[:RESPONSIBLE_FOR]->(r:Region) | r.id], measures: [], sample: coalesce(c.sample, false)} AS doc`,
	search.TypeOrganization: `
		MATCH (o:Organization) WHERE o.id IN $keys
		WITH o, [(o)<-[:POLICED_BY]-(m:Municipality) | m] AS policed
		RETURN {type: 'ORGANIZATION', key: o.id, title: o.name, text: coalesce(o.description, ''),
		  keywords: [x IN [o.shortName, o.seat] + [(o)-[:ABOUT]->(t) | t.name]
		    + apoc_free_distinct([m IN policed | [(m)-[:IN]->(d) | d.name][0]])
		    + CASE WHEN o.kind IN ['POLICE', 'LKA'] THEN ['Polizei'] ELSE [] END WHERE x IS NOT NULL],
		  ags: [m IN policed | m.ags], districts: apoc_free_distinct([m IN policed | [(m)-[:IN]->(d) | d.key][0]]),
		  regions: [(o)<-[:MANAGED_BY]-(r:Region) | r.id], measures: [], sample: coalesce(o.sample, false)} AS doc`,
	search.TypeMunicipality: `
		MATCH (m:Municipality) WHERE m.ags IN $keys
		MATCH (m)-[:IN]->(d:District)-[:IN]->(g:GovRegion)
		RETURN {type: 'MUNICIPALITY', key: m.ags, title: m.name, text: '',
		  keywords: [d.name, 'Regierungsbezirk ' + g.name] + m.postcodes + [(m)<-[:COVERS]-(r:Region) | r.name],
		  ags: [m.ags], districts: [d.key], regions: [(m)<-[:COVERS]-(r:Region) | r.id], measures: [],
		  location: m.location, postcodes: m.postcodes, sample: false} AS doc`,
	search.TypeRegion: `
		MATCH (r:Region) WHERE r.id IN $keys
		WITH r, [(r)-[:COVERS]->(m:Municipality) | m] AS members
		RETURN {type: 'REGION', key: r.id, title: r.name, text: coalesce(r.description, ''),
		  keywords: [m IN members | m.name] + [(r)-[:MANAGED_BY]->(o) | o.name] + [(r)-[:SATELLITE_OF]->(x) | x.name],
		  ags: [m IN members | m.ags], districts: apoc_free_distinct([m IN members | [(m)-[:IN]->(d) | d.key][0]]),
		  regions: [r.id], measures: [(ro:Rollout)-[:IN]->(r) | [(ro)-[:OF]->(x) | x.code][0]],
		  location: CASE WHEN size(members) = 0 THEN null ELSE point({
		    latitude: reduce(s = 0.0, m IN members | s + m.location.latitude) / size(members),
		    longitude: reduce(s = 0.0, m IN members | s + m.location.longitude) / size(members)}) END,
		  sample: coalesce(r.sample, false)} AS doc`,
	search.TypeMeasure: `
		MATCH (x:Measure) WHERE x.code IN $keys
		RETURN {type: 'MEASURE', key: x.code, title: x.code + ' ' + x.title, text: coalesce(x.summary, ''),
		  keywords: [(x)-[:ABOUT]->(t) | t.name], ags: [], districts: [], regions: [], measures: [x.code],
		  sample: coalesce(x.sample, false)} AS doc`,
	search.TypeOffer: `
		MATCH (o:Offer) WHERE o.id IN $keys
		RETURN {type: 'OFFER', key: o.id, title: o.name, text: coalesce(o.description, ''),
		  keywords: [(o)-[:PROVIDED_BY]->(p) | p.name] + [(o)-[:PROVIDED_BY]->(p) WHERE p.shortName IS NOT NULL | p.shortName]
		    + [(o)-[:ABOUT]->(t) | t.name],
		  ags: [], districts: [], regions: [(o)-[:FOR_REGION]->(r) | r.id], measures: [(o)-[:IMPLEMENTS]->(x) | x.code],
		  sample: coalesce(o.sample, false)} AS doc`,
}

func init() {
	// Cypher has no list-distinct without APOC; spell it out once here.
	for t, q := range documentQueries {
		documentQueries[t] = expandDistinct(q)
	}
}

// expandDistinct rewrites apoc_free_distinct(list) into a reduce that
// keeps the first occurrence of each value.
func expandDistinct(q string) string {
	const fn = "apoc_free_distinct("
	for {
		i := strings.Index(q, fn)
		if i < 0 {
			return q
		}
		depth, j := 1, i+len(fn)
		for ; depth > 0; j++ {
			switch q[j] {
			case '(', '[':
				depth++
			case ')', ']':
				depth--
			}
		}
		inner := q[i+len(fn) : j-1]
		q = q[:i] + "reduce(acc = [], v IN " + inner + " | CASE WHEN v IS NULL OR v IN acc THEN acc ELSE acc + v END)" + q[j:]
	}
}

var documentKeyQueries = map[search.Type]string{
	search.TypeEvent: `MATCH (n:Event) RETURN n.id AS key ORDER BY key`, search.TypeContact: `MATCH (n:Contact) RETURN n.id AS key ORDER BY key`,
	search.TypeOrganization: `MATCH (n:Organization) RETURN n.id AS key ORDER BY key`, search.TypeMunicipality: `MATCH (n:Municipality) RETURN n.ags AS key ORDER BY key`,
	search.TypeRegion: `MATCH (n:Region) RETURN n.id AS key ORDER BY key`, search.TypeMeasure: `MATCH (n:Measure) RETURN n.code AS key ORDER BY key`,
	search.TypeOffer: `MATCH (n:Offer) RETURN n.id AS key ORDER BY key`,
}

var labelOf = map[search.Type]string{
	search.TypeEvent: "Event", search.TypeContact: "Contact", search.TypeOrganization: "Organization",
	search.TypeMunicipality: "Municipality", search.TypeRegion: "Region", search.TypeMeasure: "Measure", search.TypeOffer: "Offer",
}

var keyPropOf = map[search.Type]string{
	search.TypeMunicipality: "ags", search.TypeMeasure: "code",
}

func keyProp(t search.Type) string {
	if p, ok := keyPropOf[t]; ok {
		return p
	}
	return "id"
}

type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (neo4j.ResultWithContext, error)
}

// buildDocuments builds the search documents of keys of type t.
func buildDocuments(ctx context.Context, tx runner, t search.Type, keys []string) ([]search.Document, error) {
	res, err := tx.Run(ctx, documentQueries[t], map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]search.Document, 0, len(recs))
	for _, r := range rowsOf(recs, "doc") {
		out = append(out, documentFrom(r))
	}
	return out, nil
}

func documentFrom(r row) search.Document {
	d := search.Document{Type: search.Type(r.str("type")), Key: r.str("key"), Title: r.str("title"),
		Text: strings.TrimSpace(r.str("text")), Keywords: dedupe(r.strs("keywords")), AGS: dedupe(r.strs("ags")),
		Districts: dedupe(r.strs("districts")), Regions: dedupe(r.strs("regions")), Format: r.str("format"),
		Measures: dedupe(r.strs("measures")), StartsAt: r.timePtr("startsAt"), Status: r.str("status"),
		Postcodes: r.strs("postcodes"), Sample: r.bool("sample")}
	d.ID = search.DocumentID(d.Type, d.Key)
	if p, ok := r["location"].(neo4j.Point2D); ok {
		lat, lon := p.Y, p.X
		d.Lat, d.Lon = &lat, &lon
	}
	return d
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// indexDocuments writes the documents' search fields onto their nodes and
// queues them in the outbox, inside the caller's transaction, so that the
// graph, its full-text index and the outbox never disagree.
func indexDocuments(ctx context.Context, tx runner, docs []search.Document, outbox bool) error {
	byType := map[search.Type][]map[string]any{}
	for _, d := range docs {
		row := map[string]any{"key": d.Key, "props": map[string]any{
			"search_title": d.Title, "search_text": d.Text, "search_keywords": strings.Join(d.Keywords, " · "),
			"search_ags": d.AGS, "search_districts": d.Districts, "search_regions": d.Regions,
			"search_measures": d.Measures, "search_type": string(d.Type)}, "lat": d.Lat, "lon": d.Lon}
		byType[d.Type] = append(byType[d.Type], row)
	}
	for t, rows := range byType {
		// Labels and key properties come from the fixed tables above, never from input.
		if _, err := tx.Run(ctx, `
			UNWIND $rows AS row
			MATCH (n:`+labelOf[t]+` {`+keyProp(t)+`: row.key})
			SET n += row.props,
			    n.search_location = CASE WHEN row.lat IS NULL THEN null ELSE point({latitude: row.lat, longitude: row.lon}) END`,
			map[string]any{"rows": rows}); err != nil {
			return err
		}
	}
	if !outbox {
		return nil
	}
	return enqueue(ctx, tx, docs, false)
}

// enqueue appends outbox entries; seq comes from one counter node, so
// entries are ordered and the drain can acknowledge exactly what it sent.
// The counter is read in the SET that raises it: that SET holds its lock,
// where a read in an earlier WITH let two writers take the same numbers.
// It is MATCHed (migration 0010 creates it), as MERGE deadlocks
// concurrent writers (see logChanges).
func enqueue(ctx context.Context, tx runner, docs []search.Document, deleted bool) error {
	if len(docs) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(docs))
	for i, d := range docs {
		rows[i] = map[string]any{"doc": d.ID, "type": string(d.Type), "key": d.Key}
	}
	created, err := collectRows(ctx, tx, "n", `
		MATCH (c:SearchOutboxCounter {name: 'search'})
		SET c.seq = c.seq + size($rows)
		WITH c.seq - size($rows) AS base
		UNWIND range(0, size($rows) - 1) AS i
		WITH base + i + 1 AS seq, $rows[i] AS row
		CREATE (:SearchOutbox {seq: seq, documentId: row.doc, type: row.type, key: row.key, delete: $deleted})
		RETURN {created: count(*)} AS n`,
		map[string]any{"rows": rows, "deleted": deleted})
	if err != nil {
		return err
	}
	if len(created) == 0 || created[0].int("created") == 0 {
		return errors.New("neo4j.enqueue: the search outbox counter is missing; run the migrations")
	}
	return nil
}

// reindexTypes refreshes the search fields of the given objects.
func reindexTypes(ctx context.Context, tx runner, keys map[search.Type][]string, outbox bool) error {
	for t, ks := range keys {
		if len(ks) == 0 {
			continue
		}
		docs, err := buildDocuments(ctx, tx, t, ks)
		if err != nil {
			return err
		}
		if err := indexDocuments(ctx, tx, docs, outbox); err != nil {
			return err
		}
	}
	return nil
}

// Short names for the search types used by other store files.
type searchType = search.Type

const (
	searchRegion       = search.TypeRegion
	searchMunicipality = search.TypeMunicipality
)
