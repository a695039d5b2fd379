package neo4j

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// advisoryWhere is the filter of the admins' list; the parameters come
// from advisoryParams.
const advisoryWhere = `a.version IS NOT NULL
	AND ($severities IS NULL OR a.severity IN $severities)
	AND ($from IS NULL OR a.updatedAt >= $from)
	AND ($to IS NULL OR a.updatedAt < $to)
	AND ($withdrawn IS NULL OR a.withdrawn = $withdrawn)
	AND ($product IS NULL OR EXISTS {
		MATCH (a)-[:AFFECTS]->(p:AffectedProduct)
		WHERE toLower(coalesce(p.vendor, '') + ' ' + coalesce(p.name, '')) CONTAINS $product
		   OR toLower(coalesce(p.cpe, '')) CONTAINS $product OR toLower(coalesce(p.purl, '')) CONTAINS $product
	})`

func advisoryParams(f cyberlotse.AdvisoryFilter) map[string]any {
	p := map[string]any{"severities": nil, "from": nil, "to": nil, "withdrawn": nil, "product": nil}
	if len(f.Severities) > 0 {
		p["severities"] = castAll(f.Severities)
	}
	if f.From != nil {
		p["from"] = f.From.UTC()
	}
	if f.To != nil {
		p["to"] = f.To.UTC()
	}
	if f.Withdrawn != nil {
		p["withdrawn"] = *f.Withdrawn
	}
	if f.Product != "" {
		p["product"] = strings.ToLower(f.Product)
	}
	return p
}

func (s *AdvisoryDesk) FindAdvisories(ctx context.Context, f cyberlotse.AdvisoryFilter, page cyberlotse.Page) ([]*cyberlotse.Advisory, bool, int, error) {
	const op = "neo4j.FindAdvisories"
	params := advisoryParams(f)
	params["limit"] = page.First + 1
	params["afterAt"], params["afterKey"] = nil, nil
	if page.After != nil {
		at, err := time.Parse(time.RFC3339Nano, page.After.Key(0))
		if err != nil || page.After.Key(1) == "" {
			return nil, false, 0, cyberlotse.Invalid("after", "der Cursor gehört nicht zu dieser Liste.")
		}
		params["afterAt"], params["afterKey"] = at.UTC(), page.After.Key(1)
	}
	var out []*cyberlotse.Advisory
	var total int
	// The page (keyset: newest release first, then by key) and the total
	// in one read transaction, so that they agree.
	err := s.db.readTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		rows, err := collectRows(ctx, tx, "a", `
			MATCH (a:Advisory)
			WHERE `+advisoryWhere+`
			  AND ($afterAt IS NULL OR a.updatedAt < $afterAt OR (a.updatedAt = $afterAt AND a.key > $afterKey))
			WITH a ORDER BY a.updatedAt DESC, a.key
			LIMIT $limit
			RETURN `+advisoryProjection+` AS a`, params)
		if err != nil {
			return err
		}
		out = out[:0]
		for _, r := range rows {
			out = append(out, advisoryFrom(r))
		}
		counts, err := collectRows(ctx, tx, "c", `
			MATCH (a:Advisory)
			WHERE `+advisoryWhere+`
			RETURN {n: count(a)} AS c`, params)
		if err != nil {
			return err
		}
		total = counts[0].int("n")
		return nil
	})
	if err != nil {
		return nil, false, 0, err
	}
	more := len(out) > page.First
	if more {
		out = out[:page.First]
	}
	keys := make([]string, len(out))
	for i, a := range out {
		keys[i] = a.Key()
	}
	products, err := s.AffectedProducts(ctx, keys)
	if err != nil {
		return nil, false, 0, err
	}
	for _, a := range out {
		a.Products = products[a.Key()]
		if a.Products == nil {
			a.Products = []cyberlotse.AffectedProduct{}
		}
	}
	return out, more, total, nil
}

func (s *AdvisoryDesk) AffectedProducts(ctx context.Context, keys []string) (map[string][]cyberlotse.AffectedProduct, error) {
	out := map[string][]cyberlotse.AffectedProduct{}
	if len(keys) == 0 {
		return out, nil
	}
	recs, err := s.db.read(ctx, "neo4j.AffectedProducts", `
		UNWIND $keys AS key
		MATCH (a:Advisory {key: key})-[:AFFECTS]->(p:AffectedProduct)
		WITH key, p ORDER BY p.productId
		RETURN key, collect(p {.*}) AS products`, map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		k, _ := rec.Get("key")
		ps, _ := rec.Get("products")
		var list []cyberlotse.AffectedProduct
		for _, p := range ps.([]any) {
			list = append(list, affectedFrom(p.(map[string]any)))
		}
		out[k.(string)] = list
	}
	return out, nil
}

func (s *AdvisoryDesk) ProductSuggestions(ctx context.Context, prefix string, first int) ([]cyberlotse.ProductSuggestion, error) {
	p := strings.ToLower(strings.TrimSpace(prefix))
	// A scan of the affected products (a few per advisory): vendor or name
	// starting with the prefix, or a word of them.
	recs, err := s.db.read(ctx, "neo4j.ProductSuggestions", `
		MATCH (a:Advisory)-[:AFFECTS]->(x:AffectedProduct)
		WHERE x.name IS NOT NULL AND x.name <> '' AND a.version IS NOT NULL
		WITH a, x, toLower(coalesce(x.vendor, '')) AS v, toLower(x.name) AS n
		WHERE v STARTS WITH $p OR n STARTS WITH $p OR v CONTAINS (' ' + $p) OR n CONTAINS (' ' + $p)
		WITH coalesce(x.vendor, '') AS vendor, x.name AS name, count(DISTINCT a) AS advisories
		ORDER BY advisories DESC, toLower(vendor), toLower(name)
		LIMIT $first
		RETURN {vendor: vendor, name: name, advisories: advisories} AS s`, map[string]any{"p": p, "first": first})
	if err != nil {
		return nil, err
	}
	out := []cyberlotse.ProductSuggestion{}
	for _, r := range rowsOf(recs, "s") {
		out = append(out, cyberlotse.ProductSuggestion{Vendor: r.str("vendor"), Name: r.str("name"), Advisories: r.int("advisories")})
	}
	return out, nil
}

func (s *AdvisoryDesk) RegionMunicipalities(ctx context.Context, regionID string) ([]cyberlotse.AGS, string, map[cyberlotse.AGS]bool, error) {
	recs, err := s.db.read(ctx, "neo4j.RegionMunicipalities", `
		MATCH (r:Region {id: $id})
		OPTIONAL MATCH (r)-[:SATELLITE_OF]->(model:Region)
		OPTIONAL MATCH (r)<-[:SATELLITE_OF*0..1]-(:Region)-[:COVERS]->(m:Municipality)
		WITH r, model, collect(DISTINCT m) AS ms
		RETURN {satelliteOf: model.id,
		        municipalities: [m IN ms | {ags: m.ags, products: EXISTS { (m)-[:USES]->(:MunicipalityProduct) }}]} AS r`,
		map[string]any{"id": regionID})
	if err != nil {
		return nil, "", nil, err
	}
	if len(recs) == 0 {
		return nil, "", nil, cyberlotse.NotFound(cyberlotse.KindRegion, regionID)
	}
	r := rowOf(recs[0], "r")
	var ags []cyberlotse.AGS
	with := map[cyberlotse.AGS]bool{}
	for _, x := range r["municipalities"].([]any) {
		m := row(x.(map[string]any))
		a := cyberlotse.AGS(m.str("ags"))
		ags = append(ags, a)
		with[a] = m.bool("products")
	}
	sort.Slice(ags, func(i, j int) bool { return ags[i] < ags[j] })
	return ags, r.str("satelliteOf"), with, nil
}

// CoverForTest lets a test region cover municipalities.
func CoverForTest(ctx context.Context, db *DB, regionID string, ags ...cyberlotse.AGS) error {
	return db.writeLogged(ctx, "neo4j.CoverForTest", `
		MATCH (r:Region {id: $id}), (m:Municipality) WHERE m.ags IN $ags
		MERGE (r)-[:COVERS]->(m)`, map[string]any{"id": regionID, "ags": castAll(ags)},
		cyberlotse.Change{Kind: cyberlotse.ChangedNetwork})
}
