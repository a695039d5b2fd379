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
//	  -[:KEYED]->(:ProductKey {key})<-[:DECLARED_KEY]-(:MunicipalityProduct {id, vendor, name, version, cpe, purl})
//	  <-[:USES]-(:Municipality)
//
//	(:MunicipalityProduct)-[:MATCHES {reason}]->(:AffectedProduct)
//
// Matches are stored and kept current on write: storing advisories
// matches their affected products against the declared products on the
// same keys, a new product list is matched against the stored advisories
// (both decide in Go with cyberlotse.MatchProduct; the keys are locked so
// that the second of two concurrent writes sees the first). An update
// replaces an advisory's affected products and so drops their matches;
// MunicipalityMatches only reads. A municipality whose products were
// stored before matches were (m.matchesStored unset) is matched on its
// first read. Advisories are not in the read model or the search index,
// so no write logs a change.
type AdvisoryService struct{ db *DB }

func NewAdvisoryService(db *DB) *AdvisoryService { return &AdvisoryService{db: db} }

func (s *AdvisoryService) StoreAdvisory(ctx context.Context, a *cyberlotse.Advisory, now time.Time) (cyberlotse.AdvisoryOutcome, string, error) {
	out, err := s.StoreAdvisories(ctx, []*cyberlotse.Advisory{a}, now)
	if err != nil {
		return "", "", err
	}
	return out[0].Outcome, out[0].StoredVersion, nil
}

// StoreAdvisories stores validated advisories in one transaction per round
// (a round holds each advisory key once; a second version of the same
// advisory in the batch goes into the next round, so it is decided against
// the first) and keeps their matches current. Per advisory it decides as
// StoreAdvisory does; the results are in the order of as.
func (s *AdvisoryService) StoreAdvisories(ctx context.Context, as []*cyberlotse.Advisory, now time.Time) ([]cyberlotse.AdvisoryStored, error) {
	out := make([]cyberlotse.AdvisoryStored, len(as))
	rest := make([]int, len(as))
	for i := range as {
		rest[i] = i
	}
	for len(rest) > 0 {
		seen := map[string]bool{}
		var round, later []int
		for _, i := range rest {
			if k := as[i].Key(); seen[k] {
				later = append(later, i)
			} else {
				seen[k] = true
				round = append(round, i)
			}
		}
		// Sorted by key, so that concurrent batches lock their advisories
		// in the same order.
		sort.Slice(round, func(x, y int) bool { return as[round[x]].Key() < as[round[y]].Key() })
		if err := s.storeRound(ctx, as, round, now, out); err != nil {
			return nil, err
		}
		rest = later
	}
	return out, nil
}

// storeRound writes one round in one transaction:
//
//  1. lock the product keys of every affected product (sorted; created if
//     new): SetMunicipalityProducts locks the keys of its products as
//     well, so an advisory and a product list written at the same time
//     are matched by whichever commits second;
//  2. lock and read the advisories' stored versions, decide in Go;
//  3. write the new and updated ones: properties, affected products
//     (the old ones deleted, and their matches with them), keys;
//  4. read the municipalities' products on the keys of the written
//     affected products, match in Go (cyberlotse.MatchProduct, the first
//     affected product by product ID per declared product, as
//     MatchAdvisory does), create (:MunicipalityProduct)-[:MATCHES
//     {reason}]->(:AffectedProduct). Withdrawn advisories match nothing.
func (s *AdvisoryService) storeRound(ctx context.Context, as []*cyberlotse.Advisory, round []int, now time.Time, out []cyberlotse.AdvisoryStored) error {
	const op = "neo4j.StoreAdvisories"
	keySet := map[string]bool{}
	advKeys := make([]string, 0, len(round))
	for _, i := range round {
		advKeys = append(advKeys, as[i].Key())
		for _, p := range as[i].Products {
			for _, k := range p.MatchKeys() {
				keySet[k] = true
			}
		}
	}
	productKeys := sortedKeys(keySet)
	results := make([]cyberlotse.AdvisoryStored, len(round))
	err := s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		if err := lockProductKeys(ctx, tx, productKeys); err != nil {
			return err
		}
		rows, err := collectRows(ctx, tx, "a", `
			UNWIND $keys AS key
			MERGE (a:Advisory {key: key})
			ON CREATE SET a.created = true
			SET a.locked = true
			REMOVE a.locked
			RETURN a {.key, .version, .updatedAt, .sha256, .created} AS a`, map[string]any{"keys": advKeys})
		if err != nil {
			return err
		}
		state := make(map[string]row, len(rows))
		for _, r := range rows {
			state[r.str("key")] = r
		}
		var writes []map[string]any
		var written []*cyberlotse.Advisory
		for j, i := range round {
			a := as[i]
			r := state[a.Key()]
			res := cyberlotse.AdvisoryStored{StoredVersion: r.str("version")}
			switch {
			case r.bool("created") || res.StoredVersion == "":
				res.Outcome = cyberlotse.AdvisoryNew
			case r.str("sha256") == a.SHA256:
				res.Outcome = cyberlotse.AdvisoryUnchanged
			case a.NewerThan(res.StoredVersion, r.time("updatedAt")):
				res.Outcome = cyberlotse.AdvisoryUpdated
			default:
				res.Outcome = cyberlotse.AdvisoryOlder
			}
			results[j] = res
			if res.Outcome == cyberlotse.AdvisoryNew || res.Outcome == cyberlotse.AdvisoryUpdated {
				writes = append(writes, map[string]any{"key": a.Key(), "props": advisoryProps(a, now), "products": productRows(a)})
				written = append(written, a)
			}
		}
		if len(writes) == 0 {
			return nil
		}
		if err := run(ctx, tx, `
			UNWIND $advisories AS r
			MATCH (a:Advisory {key: r.key})
			SET a += r.props
			REMOVE a.created
			WITH a, r
			CALL (a) {
				MATCH (a)-[:AFFECTS]->(old:AffectedProduct)
				DETACH DELETE old
			}
			WITH a, r
			UNWIND r.products AS p
			CREATE (a)-[:AFFECTS]->(x:AffectedProduct)
			SET x = p.props
			WITH x, p
			UNWIND p.keys AS k
			MATCH (key:ProductKey {key: k})
			CREATE (x)-[:KEYED]->(key)`, map[string]any{"advisories": writes}); err != nil {
			return err
		}
		return matchAdvisories(ctx, tx, written)
	})
	if err != nil {
		return err
	}
	for j, i := range round {
		out[i] = results[j]
	}
	return nil
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lockProductKeys write-locks the product keys that exist, in sorted
// order (no deadlock between two writers), and then creates the new ones.
// A MERGE of an existing key would take a shared lock that the SET then
// upgrades, and two writers doing so deadlock (see 0010).
func lockProductKeys(ctx context.Context, tx neo4j.ManagedTransaction, keys []string) error {
	if err := run(ctx, tx, `
		UNWIND $keys AS k
		MATCH (key:ProductKey {key: k})
		SET key.locked = true
		REMOVE key.locked`, map[string]any{"keys": keys}); err != nil {
		return err
	}
	return run(ctx, tx, `
		UNWIND $keys AS k
		OPTIONAL MATCH (key:ProductKey {key: k})
		WITH k WHERE key IS NULL
		MERGE (:ProductKey {key: k})`, map[string]any{"keys": keys})
}

// matchAdvisories stores the matches of freshly written advisories: one
// query for the declared products on their keys, the decision in Go, one
// write.
func matchAdvisories(ctx context.Context, tx neo4j.ManagedTransaction, written []*cyberlotse.Advisory) error {
	var keys []string
	byKey := map[string]*cyberlotse.Advisory{}
	for _, a := range written {
		if a.Open() && len(a.Products) > 0 {
			keys = append(keys, a.Key())
			byKey[a.Key()] = a
		}
	}
	if len(keys) == 0 {
		return nil
	}
	// The batch's affected products by match key; the declared products
	// on those keys from the keys' index (one row per declared product,
	// its properties once, with the keys it shares with the batch).
	type cand struct {
		i   int // index in keys
		pid string
	}
	onKey := map[string][]cand{}
	for i, k := range keys {
		for _, ap := range byKey[k].Products {
			for _, mk := range ap.MatchKeys() {
				onKey[mk] = append(onKey[mk], cand{i, ap.ProductID})
			}
		}
	}
	productKeys := make([]string, 0, len(onKey))
	for k := range onKey {
		productKeys = append(productKeys, k)
	}
	rows, err := collectRows(ctx, tx, "c", `
		UNWIND $keys AS k
		MATCH (:ProductKey {key: k})<-[:DECLARED_KEY]-(mp:MunicipalityProduct)
		WITH mp, collect(k) AS ks
		RETURN {mpId: elementId(mp), mp: mp {.vendor, .name, .version, .cpe, .purl}, ks: ks} AS c`, map[string]any{"keys": productKeys})
	if err != nil {
		return err
	}
	var matches []map[string]any
	for _, c := range rows {
		mp := municipalityProductFrom(row(c["mp"].(map[string]any)))
		cands := map[int]map[string]bool{} // advisory index -> product IDs
		for _, k := range c.strs("ks") {
			for _, x := range onKey[k] {
				if cands[x.i] == nil {
					cands[x.i] = map[string]bool{}
				}
				cands[x.i][x.pid] = true
			}
		}
		for i, pids := range cands {
			a := byKey[keys[i]]
			for _, ap := range sortedProducts(a.Products) {
				if !pids[ap.ProductID] {
					continue
				}
				if reason, ok := cyberlotse.MatchProduct(mp, ap); ok {
					matches = append(matches, map[string]any{"mp": c.str("mpId"), "key": keys[i], "pid": ap.ProductID, "reason": reason})
					break
				}
			}
		}
	}
	return createMatches(ctx, tx, matches)
}

func sortedProducts(ps []cyberlotse.AffectedProduct) []cyberlotse.AffectedProduct {
	if sort.SliceIsSorted(ps, func(i, j int) bool { return ps[i].ProductID < ps[j].ProductID }) {
		return ps
	}
	out := append([]cyberlotse.AffectedProduct(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ProductID < out[j].ProductID })
	return out
}

// createMatches stores matches: {mp, ap, reason} names both products by
// element ID, {mp, key, pid, reason} the affected one by its advisory's
// key and its product ID.
func createMatches(ctx context.Context, tx neo4j.ManagedTransaction, matches []map[string]any) error {
	if len(matches) == 0 {
		return nil
	}
	if _, byID := matches[0]["ap"]; byID {
		return run(ctx, tx, `
			UNWIND $matches AS m
			MATCH (mp:MunicipalityProduct) WHERE elementId(mp) = m.mp
			MATCH (ap:AffectedProduct) WHERE elementId(ap) = m.ap
			CREATE (mp)-[:MATCHES {reason: m.reason}]->(ap)`, map[string]any{"matches": matches})
	}
	return run(ctx, tx, `
		UNWIND $matches AS m
		MATCH (mp:MunicipalityProduct) WHERE elementId(mp) = m.mp
		MATCH (:Advisory {key: m.key})-[:AFFECTS]->(ap:AffectedProduct {productId: m.pid})
		CREATE (mp)-[:MATCHES {reason: m.reason}]->(ap)`, map[string]any{"matches": matches})
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
	keySet := map[string]bool{}
	for _, r := range rows {
		for _, k := range r["keys"].([]string) {
			keySet[k] = true
		}
	}
	productKeys := sortedKeys(keySet)
	return s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		found, err := collectRows(ctx, tx, "m", `
			MATCH (m:Municipality {ags: $ags})
			SET m.productsChangedAt = $now, m.matchesStored = true
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
		if err := lockProductKeys(ctx, tx, productKeys); err != nil {
			return err
		}
		if err := run(ctx, tx, `
			MATCH (m:Municipality {ags: $ags})
			UNWIND $products AS p
			CREATE (m)-[:USES]->(x:MunicipalityProduct {id: randomUUID()})
			SET x += p.props
			WITH x, p
			UNWIND p.keys AS k
			MATCH (key:ProductKey {key: k})
			CREATE (x)-[:DECLARED_KEY]->(key)`, map[string]any{"ags": string(ags), "products": rows}); err != nil {
			return err
		}
		return matchMunicipality(ctx, tx, ags)
	})
}

// matchMunicipality stores the matches of a municipality's products
// afresh: the candidates on their keys (affected products of advisories
// that are not withdrawn), the decision in Go (per declared product and
// advisory the first affected product by product ID that matches, as
// MatchAdvisory does), one write.
func matchMunicipality(ctx context.Context, tx neo4j.ManagedTransaction, ags cyberlotse.AGS) error {
	if err := run(ctx, tx, `
		MATCH (:Municipality {ags: $ags})-[:USES]->(:MunicipalityProduct)-[r:MATCHES]->()
		DELETE r`, map[string]any{"ags": string(ags)}); err != nil {
		return err
	}
	rows, err := collectRows(ctx, tx, "c", `
		MATCH (:Municipality {ags: $ags})-[:USES]->(mp:MunicipalityProduct)-[:DECLARED_KEY]->(:ProductKey)<-[:KEYED]-(ap:AffectedProduct)<-[:AFFECTS]-(a:Advisory)
		WHERE NOT a.withdrawn
		WITH mp, a, collect(DISTINCT ap) AS aps
		RETURN {mpId: elementId(mp), mp: mp {.*}, aps: [ap IN aps | ap {.*, id: elementId(ap)}]} AS c`, map[string]any{"ags": string(ags)})
	if err != nil {
		return err
	}
	var matches []map[string]any
	for _, c := range rows {
		mp := municipalityProductFrom(row(c["mp"].(map[string]any)))
		aps := c["aps"].([]any)
		sort.Slice(aps, func(i, j int) bool {
			return row(aps[i].(map[string]any)).str("productId") < row(aps[j].(map[string]any)).str("productId")
		})
		for _, x := range aps {
			r := row(x.(map[string]any))
			if reason, ok := cyberlotse.MatchProduct(mp, affectedFrom(r)); ok {
				matches = append(matches, map[string]any{"mp": c.str("mpId"), "ap": r.str("id"), "reason": reason})
				break
			}
		}
	}
	return createMatches(ctx, tx, matches)
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
		OPTIONAL MATCH (m)-[:USES]->(mp:MunicipalityProduct)-[r:MATCHES]->(ap:AffectedProduct)<-[:AFFECTS]-(a:Advisory)
		WHERE NOT a.withdrawn
		RETURN m.ags AS ags, m.matchesStored = true OR NOT EXISTS { (m)-[:USES]->() } AS stored,
			collect(CASE WHEN a IS NULL THEN null ELSE {mp: mp {.*}, ap: ap {.*}, reason: r.reason, a: `+advisoryProjection+`} END) AS matches`,
		map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	if st, _ := recs[0].Get("stored"); st != true {
		// A product list from before matches were stored: match it once.
		err := s.db.writeTx(ctx, "neo4j.MunicipalityMatches.backfill", func(tx neo4j.ManagedTransaction) error {
			if err := run(ctx, tx, `MATCH (m:Municipality {ags: $ags}) SET m.matchesStored = true`, map[string]any{"ags": string(ags)}); err != nil {
				return err
			}
			var keys []string
			recs, err := collectRows(ctx, tx, "k", `
				MATCH (:Municipality {ags: $ags})-[:USES]->(:MunicipalityProduct)-[:DECLARED_KEY]->(k:ProductKey)
				RETURN DISTINCT k {.key} AS k ORDER BY k.key`, map[string]any{"ags": string(ags)})
			if err != nil {
				return err
			}
			for _, r := range recs {
				keys = append(keys, r.str("key"))
			}
			if err := lockProductKeys(ctx, tx, keys); err != nil {
				return err
			}
			return matchMunicipality(ctx, tx, ags)
		})
		if err != nil {
			return nil, err
		}
		return s.MunicipalityMatches(ctx, ags)
	}
	raw, _ := recs[0].Get("matches")
	out := []cyberlotse.ProductMatch{}
	for _, c := range raw.([]any) {
		cm := row(c.(map[string]any))
		out = append(out, cyberlotse.ProductMatch{Advisory: advisoryFrom(row(cm["a"].(map[string]any))),
			Product:  municipalityProductFrom(row(cm["mp"].(map[string]any))),
			Affected: affectedFrom(row(cm["ap"].(map[string]any))), Reason: cm.str("reason")})
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

// ForgetStoredMatchesForTest makes a municipality's product list look as
// if stored before matches were: no matches, no mark.
func ForgetStoredMatchesForTest(ctx context.Context, db *DB, ags cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.ForgetStoredMatchesForTest", `
		MATCH (m:Municipality {ags: $ags})
		REMOVE m.matchesStored
		WITH m
		OPTIONAL MATCH (m)-[:USES]->(:MunicipalityProduct)-[r:MATCHES]->()
		DELETE r`, map[string]any{"ags": string(ags)})
	return err
}
