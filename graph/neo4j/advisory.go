package neo4j

import (
	"context"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.AdvisoryService = (*AdvisoryService)(nil)

// AdvisoryService implements cyberlotse.AdvisoryService:
//
//	(:Advisory {key, publisher, publisherName, trackingId, version, title, lang, status,
//	  withdrawn, cvssScore, cvssVector, severity, publishedAt, updatedAt, cves,
//	  remediationCategories, remediationDetails, remediationUrls, exploitStatus, sourceUrl, sha256, storedAt})
//	  -[:AFFECTS]->(:AffectedProduct {productId, vendor, name, cpe, purl, version, versionRange})
//	  -[:KEYED]->(:ProductKey {key})<-[:KEYED]-(:MunicipalityProduct {id, vendor, name, version, cpe, purl})
//	  <-[:USES]-(:Municipality)
//
// Matches are not stored: MunicipalityMatches walks from a municipality's
// products over their keys to the candidate affected products and decides
// in Go (cyberlotse.MatchProduct). Advisories are not in the read model or
// the search index, so no write logs a change.
type AdvisoryService struct{ db *DB }

func NewAdvisoryService(db *DB) *AdvisoryService { return &AdvisoryService{db: db} }

func (s *AdvisoryService) StoreAdvisory(ctx context.Context, a *cyberlotse.Advisory, now time.Time) (cyberlotse.AdvisoryOutcome, string, error) {
	const op = "neo4j.StoreAdvisory"
	var outcome cyberlotse.AdvisoryOutcome
	var storedVersion string
	err := s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		// The advisory's node is locked first (MERGE, then a write), so
		// that two imports of the same advisory decide one after the other.
		rows, err := collectRows(ctx, tx, "a", `
			MERGE (a:Advisory {key: $key})
			ON CREATE SET a.created = true
			SET a.locked = true
			REMOVE a.locked
			RETURN a {.version, .updatedAt, .sha256, .created} AS a`, map[string]any{"key": a.Key()})
		if err != nil {
			return err
		}
		r := rows[0]
		storedVersion = r.str("version")
		switch {
		case r.bool("created") || storedVersion == "":
			outcome = cyberlotse.AdvisoryNew
		case r.str("sha256") == a.SHA256:
			outcome = cyberlotse.AdvisoryUnchanged
		case a.NewerThan(storedVersion, r.time("updatedAt")):
			outcome = cyberlotse.AdvisoryUpdated
		default:
			outcome = cyberlotse.AdvisoryOlder
		}
		if outcome == cyberlotse.AdvisoryUnchanged || outcome == cyberlotse.AdvisoryOlder {
			return nil
		}
		return run(ctx, tx, `
			MATCH (a:Advisory {key: $key})
			SET a += $props
			REMOVE a.created
			WITH a
			CALL (a) {
				MATCH (a)-[:AFFECTS]->(old:AffectedProduct)
				DETACH DELETE old
			}
			WITH a
			UNWIND $products AS p
			CREATE (a)-[:AFFECTS]->(x:AffectedProduct)
			SET x = p.props
			WITH x, p
			UNWIND p.keys AS k
			MERGE (key:ProductKey {key: k})
			CREATE (x)-[:KEYED]->(key)`, map[string]any{"key": a.Key(), "props": advisoryProps(a, now), "products": productRows(a)})
	})
	if err != nil {
		return "", "", err
	}
	return outcome, storedVersion, nil
}

func advisoryProps(a *cyberlotse.Advisory, now time.Time) map[string]any {
	cats, details, urls := []string{}, []string{}, []string{}
	for _, r := range a.Remediations {
		cats, details, urls = append(cats, r.Category), append(details, r.Details), append(urls, r.URL)
	}
	return map[string]any{
		"publisher": a.Publisher, "publisherName": a.PublisherName, "trackingId": a.TrackingID,
		"version": a.Version, "title": a.Title, "lang": a.Language, "status": a.Status,
		"withdrawn": a.Withdrawn, "cvssScore": a.CVSSScore, "cvssVector": a.CVSSVector,
		"severity": string(a.Severity()), "publishedAt": a.PublishedAt.UTC(), "updatedAt": a.UpdatedAt.UTC(),
		"cves": nonNil(a.CVEs), "remediationCategories": cats, "remediationDetails": details,
		"remediationUrls": urls, "exploitStatus": a.ExploitStatus, "sourceUrl": a.SourceURL, "sha256": a.SHA256, "storedAt": now.UTC(),
	}
}

func productRows(a *cyberlotse.Advisory) []map[string]any {
	out := make([]map[string]any, 0, len(a.Products))
	for _, p := range a.Products {
		out = append(out, map[string]any{"keys": p.MatchKeys(), "props": map[string]any{
			"productId": p.ProductID, "vendor": p.Vendor, "name": p.Name, "cpe": p.CPE, "purl": p.PURL,
			"version": p.Version, "versionRange": p.Range}})
	}
	return out
}

const advisoryProjection = `a {.key, .publisher, .publisherName, .trackingId, .version, .title, .lang, .status,
	.withdrawn, .cvssScore, .cvssVector, .publishedAt, .updatedAt, .cves, .remediationCategories,
	.remediationDetails, .remediationUrls, .exploitStatus, .sourceUrl, .sha256}`

func advisoryFrom(r row) *cyberlotse.Advisory {
	a := &cyberlotse.Advisory{Publisher: r.str("publisher"), PublisherName: r.str("publisherName"),
		TrackingID: r.str("trackingId"), Version: r.str("version"), Title: r.str("title"), Language: r.str("lang"),
		Status: r.str("status"), Withdrawn: r.bool("withdrawn"), CVSSScore: r.float("cvssScore"),
		CVSSVector: r.str("cvssVector"), PublishedAt: r.time("publishedAt"), UpdatedAt: r.time("updatedAt"),
		CVEs: r.strs("cves"), ExploitStatus: r.str("exploitStatus"), SourceURL: r.str("sourceUrl"), SHA256: r.str("sha256")}
	cats, details, urls := r.strs("remediationCategories"), r.strs("remediationDetails"), r.strs("remediationUrls")
	for i := range cats {
		rem := cyberlotse.Remediation{Category: cats[i]}
		if i < len(details) {
			rem.Details = details[i]
		}
		if i < len(urls) {
			rem.URL = urls[i]
		}
		a.Remediations = append(a.Remediations, rem)
	}
	return a
}

func affectedFrom(r row) cyberlotse.AffectedProduct {
	return cyberlotse.AffectedProduct{ProductID: r.str("productId"), Vendor: r.str("vendor"), Name: r.str("name"),
		CPE: r.str("cpe"), PURL: r.str("purl"), Version: r.str("version"), Range: r.str("versionRange")}
}

func (s *AdvisoryService) FindAdvisory(ctx context.Context, publisher, trackingID string) (*cyberlotse.Advisory, error) {
	const op = "neo4j.FindAdvisory"
	a := &cyberlotse.Advisory{Publisher: publisher, TrackingID: trackingID}
	recs, err := s.db.read(ctx, op, `
		MATCH (a:Advisory {key: $key})
		WHERE a.version IS NOT NULL
		OPTIONAL MATCH (a)-[:AFFECTS]->(p:AffectedProduct)
		WITH a, p ORDER BY p.productId
		RETURN `+advisoryProjection+` AS a, collect(p {.*}) AS products`, map[string]any{"key": a.Key()})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindAdvisory, trackingID)
	}
	out := advisoryFrom(rowOf(recs[0], "a"))
	ps, _ := recs[0].Get("products")
	for _, p := range ps.([]any) {
		out.Products = append(out.Products, affectedFrom(p.(map[string]any)))
	}
	return out, nil
}

func (s *AdvisoryService) SetMunicipalityProducts(ctx context.Context, ags cyberlotse.AGS, products []cyberlotse.MunicipalityProduct) error {
	const op = "neo4j.SetMunicipalityProducts"
	rows := make([]map[string]any, 0, len(products))
	for _, p := range products {
		if err := p.Validate(); err != nil {
			return err
		}
		rows = append(rows, map[string]any{"keys": p.MatchKeys(), "props": map[string]any{
			"vendor": p.Vendor, "name": p.Name, "version": p.Version, "cpe": p.CPE, "purl": p.PURL}})
	}
	return s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		found, err := collectRows(ctx, tx, "m", `
			MATCH (m:Municipality {ags: $ags})
			SET m.productsChangedAt = $now
			WITH m
			CALL (m) {
				MATCH (m)-[:USES]->(old:MunicipalityProduct)
				DETACH DELETE old
			}
			RETURN m {.ags} AS m`, map[string]any{"ags": string(ags), "now": s.db.Now().UTC()})
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
		}
		return run(ctx, tx, `
			MATCH (m:Municipality {ags: $ags})
			UNWIND $products AS p
			CREATE (m)-[:USES]->(x:MunicipalityProduct {id: randomUUID()})
			SET x += p.props
			WITH x, p
			UNWIND p.keys AS k
			MERGE (key:ProductKey {key: k})
			CREATE (x)-[:KEYED]->(key)`, map[string]any{"ags": string(ags), "products": rows})
	})
}

func municipalityProductFrom(r row) cyberlotse.MunicipalityProduct {
	return cyberlotse.MunicipalityProduct{ID: r.str("id"), Vendor: r.str("vendor"), Name: r.str("name"),
		Version: r.str("version"), CPE: r.str("cpe"), PURL: r.str("purl")}
}

func (s *AdvisoryService) MunicipalityProducts(ctx context.Context, ags cyberlotse.AGS) ([]cyberlotse.MunicipalityProduct, error) {
	const op = "neo4j.MunicipalityProducts"
	recs, err := s.db.read(ctx, op, `
		MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (m)-[:USES]->(p:MunicipalityProduct)
		WITH p ORDER BY toLower(p.vendor), toLower(p.name), p.version
		RETURN collect(p {.*}) AS products`, map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	ps, _ := recs[0].Get("products")
	out := []cyberlotse.MunicipalityProduct{}
	for _, p := range ps.([]any) {
		out = append(out, municipalityProductFrom(p.(map[string]any)))
	}
	return out, nil
}

func (s *AdvisoryService) MunicipalityMatches(ctx context.Context, ags cyberlotse.AGS) ([]cyberlotse.ProductMatch, error) {
	const op = "neo4j.MunicipalityMatches"
	recs, err := s.db.read(ctx, op, `
		MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (m)-[:USES]->(mp:MunicipalityProduct)-[:KEYED]->(:ProductKey)<-[:KEYED]-(ap:AffectedProduct)<-[:AFFECTS]-(a:Advisory)
		WHERE NOT a.withdrawn
		WITH m, mp, a, collect(DISTINCT ap {.*}) AS aps
		RETURN m.ags AS ags, collect(CASE WHEN a IS NULL THEN null ELSE {mp: mp {.*}, a: `+advisoryProjection+`, aps: aps} END) AS cands`,
		map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	raw, _ := recs[0].Get("cands")
	out := []cyberlotse.ProductMatch{}
	for _, c := range raw.([]any) {
		cm := row(c.(map[string]any))
		mp := municipalityProductFrom(row(cm["mp"].(map[string]any)))
		a := advisoryFrom(row(cm["a"].(map[string]any)))
		aps := cm["aps"].([]any)
		sort.Slice(aps, func(i, j int) bool {
			return row(aps[i].(map[string]any)).str("productId") < row(aps[j].(map[string]any)).str("productId")
		})
		for _, x := range aps {
			ap := affectedFrom(x.(map[string]any))
			if reason, ok := cyberlotse.MatchProduct(mp, ap); ok {
				out = append(out, cyberlotse.ProductMatch{Advisory: a, Product: mp, Affected: ap, Reason: reason})
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Advisory.CVSSScore != y.Advisory.CVSSScore {
			return x.Advisory.CVSSScore > y.Advisory.CVSSScore
		}
		if !x.Advisory.UpdatedAt.Equal(y.Advisory.UpdatedAt) {
			return x.Advisory.UpdatedAt.After(y.Advisory.UpdatedAt)
		}
		if x.Advisory.TrackingID != y.Advisory.TrackingID {
			return x.Advisory.TrackingID < y.Advisory.TrackingID
		}
		return x.Product.Vendor+x.Product.Name < y.Product.Vendor+y.Product.Name
	})
	return out, nil
}

// ProviderSince reads (:AdvisoryProvider {url, since, fetchedAt}).
func (s *AdvisoryService) ProviderSince(ctx context.Context, url string) (time.Time, error) {
	recs, err := s.db.read(ctx, "neo4j.ProviderSince",
		`MATCH (p:AdvisoryProvider {url: $url}) RETURN p {.since} AS p`, map[string]any{"url": url})
	if err != nil || len(recs) == 0 {
		return time.Time{}, err
	}
	return rowOf(recs[0], "p").time("since"), nil
}

func (s *AdvisoryService) SetProviderSince(ctx context.Context, url string, since, fetchedAt time.Time) error {
	_, err := s.db.write(ctx, "neo4j.SetProviderSince", `
		MERGE (p:AdvisoryProvider {url: $url})
		SET p.since = $since, p.fetchedAt = $at`, map[string]any{"url": url, "since": since.UTC(), "at": fetchedAt.UTC()})
	return err
}

// DeleteAdvisoryProviderForTest forgets a provider's fetch state.
func DeleteAdvisoryProviderForTest(ctx context.Context, db *DB, url string) error {
	_, err := db.write(ctx, "neo4j.DeleteAdvisoryProviderForTest",
		`MATCH (p:AdvisoryProvider {url: $url}) DELETE p`, map[string]any{"url": url})
	return err
}

// DeleteAdvisoriesForTest removes the advisories of a publisher namespace
// with their affected products (their product keys stay; they are shared).
func DeleteAdvisoriesForTest(ctx context.Context, db *DB, publisher string) error {
	_, err := db.write(ctx, "neo4j.DeleteAdvisoriesForTest", `
		MATCH (a:Advisory) WHERE a.key STARTS WITH $prefix
		OPTIONAL MATCH (a)-[:AFFECTS]->(p:AffectedProduct)
		DETACH DELETE a, p`, map[string]any{"prefix": publisher + "#"})
	return err
}

// DeleteMunicipalityProductsForTest empties a municipality's product list.
func DeleteMunicipalityProductsForTest(ctx context.Context, db *DB, ags cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.DeleteMunicipalityProductsForTest", `
		MATCH (:Municipality {ags: $ags})-[:USES]->(p:MunicipalityProduct)
		DETACH DELETE p`, map[string]any{"ags": string(ags)})
	return err
}

// AllMunicipalityAGSForTest lists every municipality's AGS.
func (db *DB) AllMunicipalityAGSForTest(ctx context.Context) ([]cyberlotse.AGS, error) {
	recs, err := db.read(ctx, "neo4j.AllMunicipalityAGSForTest", `MATCH (m:Municipality) RETURN m.ags AS ags ORDER BY ags`, nil)
	if err != nil {
		return nil, err
	}
	out := make([]cyberlotse.AGS, 0, len(recs))
	for _, r := range recs {
		v, _ := r.Get("ags")
		s, _ := v.(string)
		out = append(out, cyberlotse.AGS(s))
	}
	return out, nil
}
