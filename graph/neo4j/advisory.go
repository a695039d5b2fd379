package neo4j

import (
	"context"
	"maps"
	"sort"
	"sync"
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
//	(:MunicipalityProduct)-[:MATCHES]->(:AffectedProduct)
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
//
// A product key carries a token (k.declared) that every new product list
// on it changes; an import remembers the declared products it read on a
// key with the key's token and reads them again only when the token has
// changed (see declaredCache).
type AdvisoryService struct {
	db       *DB
	declared declaredCache
}

func NewAdvisoryService(db *DB) *AdvisoryService { return &AdvisoryService{db: db} }

// declaredCache remembers the declared products on product keys, each
// key's with the key's token when they were read. SetMunicipalityProducts
// changes the token of every key it declares a product on (under the
// key's write lock), so products read with the token that the key still
// has are all the products on it, except ones deleted since: those are
// matched in Go and then not found by their ID when the match is created,
// which creates nothing. A product is never changed in place (a new list
// replaces the old one with new IDs).
type declaredCache struct {
	mu   sync.Mutex
	keys map[string]declaredOnKey
}

type declaredOnKey struct {
	token string
	mps   []declaredProduct
}

// declaredProduct is a municipality's product as matching reads it: its
// element ID and ID (a deleted node's element ID may be reused, its ID
// not) and what MatchProduct needs.
type declaredProduct struct {
	eid, id string
	mp      cyberlotse.MunicipalityProduct
}

// maxDeclaredKeys bounds the cache: when full, it starts afresh.
const maxDeclaredKeys = 200_000

// peek returns the products on key and the token they were read with.
func (c *declaredCache) peek(key string) (string, []declaredProduct, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.keys[key]
	return e.token, e.mps, ok
}

func (c *declaredCache) put(key, token string, mps []declaredProduct) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) >= maxDeclaredKeys {
		c.keys = map[string]declaredOnKey{}
	}
	c.keys[key] = declaredOnKey{token: token, mps: mps}
}

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

// storeRound writes one round in one transaction, after matching its
// advisories in Go against the declared products remembered from earlier
// rounds (roundMatcher.prematch: cyberlotse.MatchProduct, the first
// affected product by product ID per declared product, as MatchAdvisory
// does; withdrawn advisories match nothing):
//
//  1. lock and read the advisories' stored versions (sorted by key),
//     decide in Go; when none is new or updated, that is all;
//  2. lock the product keys of the new and updated ones' affected
//     products (sorted; created if new) and read their tokens and element
//     IDs: SetMunicipalityProducts locks the keys of its products as
//     well, so an advisory and a product list written at the same time
//     are matched by whichever commits second. The keys are locked after
//     the advisories (every writer takes advisories before keys), so that
//     two batches, which share popular keys, take turns only from here;
//  3. read the declared products on keys whose token differs from the
//     remembered one and match those products again
//     (roundMatcher.current);
//  4. write the new and updated ones in one statement that returns
//     nothing: properties, affected products (the old ones deleted, and
//     their matches with them), their keys and their matches
//     ((:MunicipalityProduct)-[:MATCHES]->(:AffectedProduct), each
//     affected product created with the declared products it matches).
//
// The statements that read return one record each (collect): a record
// per row cost the driver more CPU than the rows' content.
func (s *AdvisoryService) storeRound(ctx context.Context, as []*cyberlotse.Advisory, round []int, now time.Time, out []cyberlotse.AdvisoryStored) error {
	const op = "neo4j.StoreAdvisories"
	advKeys := make([]string, 0, len(round))
	for _, i := range round {
		advKeys = append(advKeys, as[i].Key())
	}
	results := make([]cyberlotse.AdvisoryStored, len(round))
	roundAs := make([]*cyberlotse.Advisory, len(round))
	for j, i := range round {
		roundAs[j] = as[i]
	}
	matcher := newRoundMatcher(roundAs)
	matcher.prematch(&s.declared)
	err := s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		rows, err := collectList(ctx, tx, "a", `
			UNWIND $keys AS key
			MERGE (a:Advisory {key: key})
			ON CREATE SET a.created = true
			SET a.locked = true
			REMOVE a.locked
			RETURN collect(a {.key, .version, .updatedAt, .sha256, .created, eid: elementId(a)}) AS a`, map[string]any{"keys": advKeys})
		if err != nil {
			return err
		}
		state := make(map[string]row, len(rows))
		for _, r := range rows {
			state[r.str("key")] = r
		}
		var writes []map[string]any
		written, keySet := map[string]bool{}, map[string]bool{}
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
				products := productRows(a)
				for _, p := range products {
					for _, k := range p["keys"].([]string) {
						keySet[k] = true
					}
				}
				writes = append(writes, map[string]any{"key": a.Key(), "eid": r.str("eid"), "props": advisoryProps(a, now), "products": products})
				written[a.Key()] = true
			}
		}
		if len(writes) == 0 {
			return nil
		}
		tokens, err := lockProductKeys(ctx, tx, sortedKeys(keySet), false)
		if err != nil {
			return err
		}
		for _, w := range writes {
			for _, p := range w["products"].([]map[string]any) {
				ks := p["keys"].([]string)
				eids := make([]string, len(ks))
				for i, k := range ks {
					eids[i] = tokens[k].eid
				}
				p["keys"] = eids
			}
		}
		// The matches, decided on the current declared products, go with
		// the affected products they name: one statement writes the
		// advisories, their products, keys and matches, and returns
		// nothing.
		matches, err := matcher.current(ctx, tx, &s.declared, tokens)
		if err != nil {
			return err
		}
		byProduct := map[string]*productMatches{} // advisory key NUL product ID -> matches
		for _, f := range matches {
			if written[f.adv] {
				k := f.adv + "\x00" + f.pid
				pm := byProduct[k]
				if pm == nil {
					pm = &productMatches{}
					byProduct[k] = pm
				}
				pm.eids, pm.ids = append(pm.eids, f.mp.eid), append(pm.ids, f.mp.id)
			}
		}
		for _, w := range writes {
			for _, p := range w["products"].([]map[string]any) {
				pm := byProduct[w["key"].(string)+"\x00"+p["props"].(map[string]any)["productId"].(string)]
				if pm == nil {
					pm = &productMatches{eids: []string{}, ids: []string{}}
				}
				p["mps"], p["ids"] = pm.eids, pm.ids
			}
		}
		// A declared product deleted since it was read is not found (its
		// element ID may have been reused, its ID not): no match.
		return run(ctx, tx, `
			UNWIND $advisories AS r
			MATCH (a:Advisory) WHERE elementId(a) = r.eid
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
			WITH p, x
			CALL (p, x) {
				UNWIND p.keys AS k
				MATCH (key:ProductKey) WHERE elementId(key) = k
				CREATE (x)-[:KEYED]->(key)
			}
			CALL (p, x) {
				UNWIND range(0, size(p.mps) - 1) AS i
				MATCH (mp) WHERE elementId(mp) = p.mps[i] AND mp.id = p.ids[i]
				CREATE (mp)-[:MATCHES]->(x)
			}`, map[string]any{"advisories": writes})
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

// productMatches are the declared products that one affected product
// matches: element IDs and IDs.
type productMatches struct{ eids, ids []string }

// productKey is a locked product key: its token and element ID.
type productKey struct{ token, eid string }

// lockProductKeys write-locks the product keys that exist, in sorted
// order (no deadlock between two writers), and then creates the new ones;
// it returns each key's token (see declaredCache; "" for none). With
// declare (a new product list on the keys) it gives every key a new token.
// A MERGE of an existing key would take a shared lock that the SET then
// upgrades, and two writers doing so deadlock (see 0010): only keys that
// did not exist a statement before are merged. Removing a property that
// a key does not have takes the key's write lock and changes nothing.
func lockProductKeys(ctx context.Context, tx neo4j.ManagedTransaction, keys []string, declare bool) (map[string]productKey, error) {
	lock := `
		UNWIND $keys AS k
		MATCH (key:ProductKey {key: k})
		REMOVE key.locked
		RETURN collect(key {.key, .declared, eid: elementId(key)}) AS key`
	create := `
		UNWIND $keys AS k
		MERGE (key:ProductKey {key: k})
		RETURN collect(key {.key, .declared, eid: elementId(key)}) AS key`
	if declare {
		lock = `
			UNWIND $keys AS k
			MATCH (key:ProductKey {key: k})
			SET key.declared = randomUUID()
			RETURN collect(key {.key, .declared, eid: elementId(key)}) AS key`
		create = `
			UNWIND $keys AS k
			MERGE (key:ProductKey {key: k})
			SET key.declared = randomUUID()
			RETURN collect(key {.key, .declared, eid: elementId(key)}) AS key`
	}
	tokens := make(map[string]productKey, len(keys))
	found, err := collectList(ctx, tx, "key", lock, map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	for _, r := range found {
		tokens[r.str("key")] = productKey{token: r.str("declared"), eid: r.str("eid")}
	}
	if len(found) == len(keys) {
		return tokens, nil
	}
	var missing []string
	for _, k := range keys {
		if _, ok := tokens[k]; !ok {
			missing = append(missing, k)
		}
	}
	made, err := collectList(ctx, tx, "key", create, map[string]any{"keys": missing})
	if err != nil {
		return nil, err
	}
	for _, r := range made {
		tokens[r.str("key")] = productKey{token: r.str("declared"), eid: r.str("eid")}
	}
	return tokens, nil
}

// roundMatcher matches the affected products of a round's advisories
// (open ones with products) against the declared products on their keys.
// Before the round's transaction it matches against the cache (prematch),
// so that the Go work is done before the keys are locked; in the
// transaction it reads the keys whose token has changed or that were not
// cached and matches again the declared products found on them before or
// now (current).
type roundMatcher struct {
	keys        []string // advisory keys
	byKey       map[string]*cyberlotse.Advisory
	onKey       map[string][]roundCand // product key -> affected products on it
	productKeys []string               // sorted
	// From prematch: the products used per key, with the token they were
	// read with (absent: not cached), and the matches found.
	declared map[string][]declaredProduct
	used     map[string]string
	found    []pendingMatch
	decide   cyberlotse.ProductMatcher
}

type roundCand struct {
	i   int // index in keys
	pid string
}

// pendingMatch is a match decided in Go: the declared product and the
// advisory's affected product.
type pendingMatch struct {
	mp       *declaredProduct
	adv, pid string
}

func newRoundMatcher(as []*cyberlotse.Advisory) *roundMatcher {
	m := &roundMatcher{byKey: map[string]*cyberlotse.Advisory{}, onKey: map[string][]roundCand{}}
	for _, a := range as {
		if a.Open() && len(a.Products) > 0 {
			m.keys = append(m.keys, a.Key())
			m.byKey[a.Key()] = a
		}
	}
	for i, k := range m.keys {
		for _, ap := range sortedProducts(m.byKey[k].Products) {
			for _, mk := range ap.MatchKeys() {
				m.onKey[mk] = append(m.onKey[mk], roundCand{i, ap.ProductID})
			}
		}
	}
	m.productKeys = make([]string, 0, len(m.onKey))
	for k := range m.onKey {
		m.productKeys = append(m.productKeys, k)
	}
	sort.Strings(m.productKeys)
	return m
}

// prematch matches against the declared products in the cache.
func (m *roundMatcher) prematch(c *declaredCache) {
	m.declared = make(map[string][]declaredProduct, len(m.productKeys))
	m.used = make(map[string]string, len(m.productKeys))
	for _, k := range m.productKeys {
		if token, mps, ok := c.peek(k); ok {
			m.declared[k], m.used[k] = mps, token
		}
	}
	m.found = m.match(m.declared, nil)
}

// match decides for the declared products on the round's keys (only
// those in only, if set): per declared product and advisory the first
// affected product by product ID that matches, as MatchAdvisory does.
func (m *roundMatcher) match(declared map[string][]declaredProduct, only map[string]bool) []pendingMatch {
	type shared struct {
		mp   *declaredProduct
		keys []string
	}
	var order []string
	mps := map[string]*shared{}
	for _, k := range m.productKeys {
		ds := declared[k]
		for j := range ds {
			d := &ds[j]
			if only != nil && !only[d.id] {
				continue
			}
			x := mps[d.id]
			if x == nil {
				x = &shared{mp: d}
				mps[d.id] = x
				order = append(order, d.id)
			}
			x.keys = append(x.keys, k)
		}
	}
	var out []pendingMatch
	for _, id := range order {
		x := mps[id]
		cands := map[int]map[string]bool{} // advisory index -> product IDs
		for _, k := range x.keys {
			for _, c := range m.onKey[k] {
				if cands[c.i] == nil {
					cands[c.i] = map[string]bool{}
				}
				cands[c.i][c.pid] = true
			}
		}
		for i, pids := range cands {
			for _, ap := range sortedProducts(m.byKey[m.keys[i]].Products) {
				if !pids[ap.ProductID] {
					continue
				}
				if _, ok := m.decide.Match(x.mp.mp, ap); ok {
					out = append(out, pendingMatch{mp: x.mp, adv: m.keys[i], pid: ap.ProductID})
					break
				}
			}
		}
	}
	return out
}

// current brings the prematch up to date with the locked keys' tokens and
// returns the matches: the products on keys whose token differs from the
// one they were read with (or that were not cached) are read again and
// matched again.
func (m *roundMatcher) current(ctx context.Context, tx neo4j.ManagedTransaction, c *declaredCache, tokens map[string]productKey) ([]pendingMatch, error) {
	var stale []string
	for _, k := range m.productKeys {
		locked, written := tokens[k]
		if used, ok := m.used[k]; written && (!ok || used != locked.token) {
			stale = append(stale, k)
		}
	}
	if len(stale) == 0 {
		return m.found, nil
	}
	rows, err := collectList(ctx, tx, "c", `
		UNWIND $keys AS k
		MATCH (:ProductKey {key: k})<-[:DECLARED_KEY]-(mp:MunicipalityProduct)
		WITH k, collect(mp {.id, .vendor, .name, .version, .cpe, .purl, eid: elementId(mp)}) AS mps
		RETURN collect({key: k, mps: mps}) AS c`, map[string]any{"keys": stale})
	if err != nil {
		return nil, err
	}
	now := make(map[string][]declaredProduct, len(stale))
	for _, r := range rows {
		var mps []declaredProduct
		for _, x := range r["mps"].([]any) {
			mp := municipalityProductFrom(row(x.(map[string]any)))
			mps = append(mps, declaredProduct{eid: row(x.(map[string]any)).str("eid"), id: mp.ID, mp: mp})
		}
		now[r.str("key")] = mps
	}
	// The products on a stale key, before and now, are matched again
	// (m is left as it was: the transaction may be run again).
	declared := maps.Clone(m.declared)
	again := map[string]bool{}
	for _, k := range stale {
		for _, d := range m.declared[k] {
			again[d.id] = true
		}
		for _, d := range now[k] {
			again[d.id] = true
		}
		declared[k] = now[k]
		c.put(k, tokens[k].token, now[k])
	}
	var found []pendingMatch
	for _, f := range m.found {
		if !again[f.mp.id] {
			found = append(found, f)
		}
	}
	return append(found, m.match(declared, again)...), nil
}

func sortedProducts(ps []cyberlotse.AffectedProduct) []cyberlotse.AffectedProduct {
	if sort.SliceIsSorted(ps, func(i, j int) bool { return ps[i].ProductID < ps[j].ProductID }) {
		return ps
	}
	out := append([]cyberlotse.AffectedProduct(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ProductID < out[j].ProductID })
	return out
}

// createMatches stores matches {mp, ap, reason} that name both products
// by element ID.
func createMatches(ctx context.Context, tx neo4j.ManagedTransaction, matches []map[string]any) error {
	if len(matches) == 0 {
		return nil
	}
	return run(ctx, tx, `
		UNWIND $matches AS m
		MATCH (mp:MunicipalityProduct) WHERE elementId(mp) = m.mp
		MATCH (ap:AffectedProduct) WHERE elementId(ap) = m.ap
		CREATE (mp)-[:MATCHES]->(ap)`, map[string]any{"matches": matches})
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
		if _, err := lockProductKeys(ctx, tx, productKeys, true); err != nil {
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
			if _, ok := cyberlotse.MatchProduct(mp, affectedFrom(r)); ok {
				matches = append(matches, map[string]any{"mp": c.str("mpId"), "ap": r.str("id")})
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
			if _, err := lockProductKeys(ctx, tx, keys, false); err != nil {
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
		m := cyberlotse.ProductMatch{Advisory: advisoryFrom(row(cm["a"].(map[string]any))),
			Product:  municipalityProductFrom(row(cm["mp"].(map[string]any))),
			Affected: affectedFrom(row(cm["ap"].(map[string]any))), Reason: cm.str("reason")}
		// The reason follows from the two products; matches stored before
		// it was no longer stored carry it as r.reason.
		if reason, ok := cyberlotse.MatchProduct(m.Product, m.Affected); ok {
			m.Reason = reason
		}
		out = append(out, m)
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
// with their affected products (their product keys stay; they are shared),
// 500 advisories per transaction: the 10,000 of the benchmark with their
// matches in one would exceed Neo4j's transaction memory.
func DeleteAdvisoriesForTest(ctx context.Context, db *DB, publisher string) error {
	for {
		recs, err := db.write(ctx, "neo4j.DeleteAdvisoriesForTest", `
			MATCH (a:Advisory) WHERE a.key STARTS WITH $prefix
			WITH a LIMIT 500
			OPTIONAL MATCH (a)-[:AFFECTS]->(p:AffectedProduct)
			DETACH DELETE a, p
			RETURN count(DISTINCT a) AS n`, map[string]any{"prefix": publisher + "#"})
		if err != nil {
			return err
		}
		if n, _ := recs[0].Get("n"); n == int64(0) {
			return nil
		}
	}
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
