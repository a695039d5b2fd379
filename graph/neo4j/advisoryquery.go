package neo4j

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// advisoryWhere builds the filter of the admins' list from fixed
// fragments, one per filter field given (the values are parameters, see
// advisoryParams): a fragment that is left out costs nothing, and the
// planner sees the order's index property in every query.
func advisoryWhere(f cyberlotse.AdvisoryFilter) string {
	conds := []string{"a.updatedAt IS NOT NULL"}
	if len(f.Severities) > 0 {
		conds = append(conds, "a.severity IN $severities")
	}
	if f.From != nil {
		conds = append(conds, "a.updatedAt >= $from")
	}
	if f.To != nil {
		conds = append(conds, "a.updatedAt < $to")
	}
	if f.Withdrawn != nil {
		conds = append(conds, "a.withdrawn = $withdrawn")
	}
	if f.Product != "" {
		conds = append(conds, `EXISTS {
			MATCH (a)-[:AFFECTS]->(p:AffectedProduct)
			WHERE toLower(coalesce(p.vendor, '') + ' ' + coalesce(p.name, '')) CONTAINS $product
			   OR toLower(coalesce(p.cpe, '')) CONTAINS $product OR toLower(coalesce(p.purl, '')) CONTAINS $product
		}`)
	}
	return strings.Join(conds, "\n\t\t\t  AND ")
}

func advisoryParams(f cyberlotse.AdvisoryFilter) map[string]any {
	p := map[string]any{}
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
	where := advisoryWhere(f)
	pageWhere := where
	if page.After != nil {
		at, err := time.Parse(time.RFC3339Nano, page.After.Key(0))
		if err != nil || page.After.Key(1) == "" {
			return nil, false, 0, cyberlotse.Invalid("after", "der Cursor gehört nicht zu dieser Liste.")
		}
		params["afterAt"], params["afterKey"] = at.UTC(), page.After.Key(1)
		pageWhere += " AND a.updatedAt <= $afterAt AND (a.updatedAt < $afterAt OR a.key > $afterKey)"
	}
	// Without a filter the total comes from the count store.
	countQuery := `MATCH (a:Advisory) RETURN {n: count(a)} AS c`
	if len(params) > 1 {
		countQuery = `MATCH (a:Advisory) WHERE ` + where + ` RETURN {n: count(a)} AS c`
	}
	var out []*cyberlotse.Advisory
	var total int
	// The page (keyset: newest release first, then by key, in the order
	// of the updatedAt index) and the total in one read transaction, so
	// that they agree.
	err := s.db.readTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		rows, err := collectRows(ctx, tx, "a", `
			MATCH (a:Advisory)
			WHERE `+pageWhere+`
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
		counts, err := collectRows(ctx, tx, "c", countQuery, params)
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
	// The distinct products are the name keys both kinds of product hang
	// on ("name:vendor/product", normalised): a vendor prefix is a seek in
	// the key's index, a product prefix a scan of the keys (far fewer than
	// the affected products). A key counts the affected products on it
	// (about one per advisory); one of them spells vendor and name.
	p := cyberlotse.NormalizeVendor(prefix)
	if p == "" {
		return []cyberlotse.ProductSuggestion{}, nil
	}
	recs, err := s.db.read(ctx, "neo4j.ProductSuggestions", `
		CALL () {
			MATCH (k:ProductKey) WHERE k.key STARTS WITH $vendor RETURN k
			UNION
			MATCH (k:ProductKey) WHERE k.key STARTS WITH 'name:' AND k.key CONTAINS $product RETURN k
		}
		WITH k, COUNT { (k)<-[:KEYED]-(:AffectedProduct) } AS n
		WHERE n > 0
		ORDER BY n DESC, k.key
		LIMIT $first
		CALL (k) {
			MATCH (k)<-[:KEYED]-(ap:AffectedProduct)
			WHERE ap.name IS NOT NULL AND ap.name <> ''
			RETURN ap LIMIT 1
		}
		RETURN {key: k.key, vendor: coalesce(ap.vendor, ''), name: ap.name, advisories: n} AS s`,
		map[string]any{"vendor": "name:" + p, "product": "/" + p, "first": first})
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
