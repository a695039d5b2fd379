package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// The officer's work end to end through the HTTP handler: the product
// list, the matching advisories, marks across a new version, pages,
// alert settings with bad input, and what the region's manager and other
// callers get.
func TestMunicipalAdvisoriesOverHTTP(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	ctx := context.Background()
	short := strings.TrimPrefix(neo4jtest.NewID(), "test-")[:8]
	pub, vendor := "https://kwid-"+short+".example/csaf", "Kwidvendor"+short
	const ags, neighbour = cyberlotse.AGS("05762008"), cyberlotse.AGS("05762012") // Beverungen, Borgentreich
	region := neo4jtest.NewID()
	t.Cleanup(func() {
		store.DeleteAdvisoriesForTest(ctx, m.DB, pub)
		store.DeleteMunicipalityProductsForTest(ctx, m.DB, ags)
		store.DeleteMunicipalityProductsForTest(ctx, m.DB, neighbour)
		store.DeleteAdvisoryDeskForTest(ctx, m.DB, ags, neighbour)
		store.DeleteRegionsForTest(ctx, m.DB, region)
	})
	advs := store.NewAdvisoryService(m.DB)
	storeAdv := func(id, version string, score float64, day int) {
		t.Helper()
		a := &cyberlotse.Advisory{Publisher: pub, TrackingID: id, Version: version, Title: "Avis de sécurité " + id, Language: "fr-FR",
			Status: "final", CVSSScore: score, SourceURL: pub + "/" + id + ".json", SHA256: id + version,
			PublishedAt: time.Date(2099, 1, 1, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2099, 1, day, 8, 0, 0, 0, time.UTC),
			Products: []cyberlotse.AffectedProduct{{ProductID: "P1", Vendor: vendor, Name: "Ratsinfo", Range: "vers:generic/<4.0"}}}
		if _, _, err := advs.StoreAdvisory(ctx, a, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	storeAdv("K-CRIT", "1", 9.8, 1)
	storeAdv("K-HIGH", "1", 7.5, 2)
	storeAdv("K-MED", "1", 5.3, 3)

	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	isb := issue(cyberlotse.Identity{Subject: "isb-beverungen", Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{ags}})
	admin := issue(cyberlotse.Identity{Subject: "admin", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}})
	manager := issue(cyberlotse.Identity{Subject: "mgr", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{region}})
	// An identity provider that writes the claim as one string.
	single, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"roles": []string{"MUNICIPAL_ISB"}, "ags": string(neighbour),
		"sub": "isb-borgentreich", "iss": issuer, "exp": c.Now().Add(time.Hour).Unix()}).SignedString(m.Auth.Key)
	if err != nil {
		t.Fatal(err)
	}

	ask := func(token, query string, vars map[string]any, out any) rmResult {
		t.Helper()
		res := rmAsk(t, h, token, query, vars)
		if out != nil {
			if err := json.Unmarshal(res.Data, out); err != nil {
				t.Fatalf("%s: %v", res.Data, err)
			}
		}
		return res
	}
	code := func(res rmResult) string {
		if len(res.Errors) == 0 {
			return ""
		}
		c, _ := res.Errors[0].Extensions["code"].(string)
		return c
	}

	// The product list: bad input, then Ratsinfo 3.2 (matches all three).
	const setProducts = `mutation($ags: String!, $p: [MunicipalityProductInput!]!) { setMunicipalityProducts(ags: $ags, products: $p) { vendor name version } }`
	res := ask(isb, setProducts, map[string]any{"ags": string(ags), "p": []any{map[string]any{"vendor": vendor}}}, nil)
	if code(res) != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "Hersteller") && !strings.Contains(res.Errors[0].Message, "Produkt") {
		t.Errorf("a product without a name: %+v", res.Errors)
	}
	var set struct{ SetMunicipalityProducts []map[string]string }
	if res := ask(isb, setProducts, map[string]any{"ags": string(ags), "p": []any{map[string]any{"vendor": vendor, "name": "Ratsinfo", "version": "3.2"}}}, &set); len(res.Errors) > 0 ||
		len(set.SetMunicipalityProducts) != 1 || set.SetMunicipalityProducts[0]["version"] != "3.2" {
		t.Fatalf("set products: %s %+v", res.Data, res.Errors)
	}
	// The neighbour's officer (single-string claim) keeps a list too.
	if res := ask(single, setProducts, map[string]any{"ags": string(neighbour), "p": []any{map[string]any{"vendor": vendor, "name": "Ratsinfo", "version": "3.9"}}}, nil); len(res.Errors) > 0 {
		t.Fatalf("officer with a single-string ags claim: %+v", res.Errors)
	}
	for _, who := range []struct{ name, token, ags string }{{"the other officer", single, string(ags)}, {"the manager", manager, string(ags)}} {
		if res := ask(who.token, `query($ags: String!) { municipalityProducts(ags: $ags) { name } }`, map[string]any{"ags": who.ags}, nil); code(res) != "FORBIDDEN" || string(res.Data) != "null" {
			t.Errorf("%s reads the product list: %s %+v", who.name, res.Data, res.Errors)
		}
	}

	const list = `query($ags: String!, $f: MunicipalityAdvisoryFilter, $first: Int, $after: String) {
		municipalityAdvisories(ags: $ags, filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
		nodes { reason advisory { trackingId version language title severity affectedProducts { name versionRange } url }
		mark { state note markedBy markedVersion advisoryChanged } } } }`
	type page struct {
		MunicipalityAdvisories struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Nodes []struct {
				Reason   string
				Advisory struct {
					TrackingID, Version, Language, Title, Severity, URL string
					AffectedProducts                                    []map[string]string
				}
				Mark *struct {
					State, Note, MarkedBy, MarkedVersion string
					AdvisoryChanged                      bool
				}
			}
		}
	}
	ids := func(p page) string {
		var out []string
		for _, n := range p.MunicipalityAdvisories.Nodes {
			if strings.HasPrefix(n.Advisory.TrackingID, "K-") {
				out = append(out, n.Advisory.TrackingID)
			}
		}
		return strings.Join(out, ",")
	}
	var p page
	if res := ask(isb, list, map[string]any{"ags": string(ags)}, &p); len(res.Errors) > 0 || ids(p) != "K-CRIT,K-HIGH,K-MED" {
		t.Fatalf("open list: %s %+v", res.Data, res.Errors)
	}
	n := p.MunicipalityAdvisories.Nodes[0]
	if n.Advisory.Language != "fr-FR" || n.Advisory.Title != "Avis de sécurité K-CRIT" || n.Advisory.Severity != "CRITICAL" ||
		n.Advisory.URL != pub+"/K-CRIT.json" || len(n.Advisory.AffectedProducts) != 1 || n.Advisory.AffectedProducts[0]["versionRange"] != "vers:generic/<4.0" ||
		!strings.Contains(n.Reason, "3.2") || n.Mark != nil {
		t.Errorf("first match: %+v", n)
	}
	// Pages of one.
	var p1, p2 page
	ask(isb, list, map[string]any{"ags": string(ags), "first": 1}, &p1)
	ask(isb, list, map[string]any{"ags": string(ags), "first": 1, "after": p1.MunicipalityAdvisories.PageInfo.EndCursor}, &p2)
	if ids(p1) != "K-CRIT" || !p1.MunicipalityAdvisories.PageInfo.HasNextPage || ids(p2) != "K-HIGH" || p2.MunicipalityAdvisories.TotalCount != 3 {
		t.Errorf("pages: %+v / %+v", p1, p2)
	}

	// Marks: too long a note, then K-CRIT handled (by publisher and
	// tracking ID), K-MED not affected (by key); the open list shrinks.
	const mark = `mutation($ags: String!, $a: AdvisoryRefInput!, $s: AdvisoryMarkState!, $note: String) {
		markAdvisory(ags: $ags, advisory: $a, state: $s, note: $note) { state note markedBy markedVersion advisoryChanged } }`
	if res := ask(isb, mark, map[string]any{"ags": string(ags), "a": map[string]any{"key": pub + "#K-CRIT"}, "s": "HANDLED",
		"note": strings.Repeat("x", 1001)}, nil); code(res) != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "1.000") && !strings.Contains(res.Errors[0].Message, "1000") {
		t.Errorf("a note of 1,001 characters: %+v", res.Errors)
	}
	var marked struct{ MarkAdvisory map[string]any }
	if res := ask(isb, mark, map[string]any{"ags": string(ags), "a": map[string]any{"publisher": pub, "trackingId": "K-CRIT"}, "s": "HANDLED",
		"note": "Update auf 4.0 eingespielt"}, &marked); len(res.Errors) > 0 || marked.MarkAdvisory["markedBy"] != "isb-beverungen" ||
		marked.MarkAdvisory["markedVersion"] != "1" || marked.MarkAdvisory["advisoryChanged"] != false {
		t.Fatalf("mark: %s %+v", res.Data, res.Errors)
	}
	if res := ask(admin, mark, map[string]any{"ags": string(ags), "a": map[string]any{"key": pub + "#K-MED"}, "s": "NOT_AFFECTED"}, nil); len(res.Errors) > 0 {
		t.Fatalf("admin marks: %+v", res.Errors)
	}
	if res := ask(isb, mark, map[string]any{"ags": string(ags), "a": map[string]any{"key": pub + "#K-NONE"}, "s": "HANDLED"}, nil); code(res) != "NOT_FOUND" {
		t.Errorf("mark of an unknown advisory: %+v", res.Errors)
	}
	if res := ask(single, mark, map[string]any{"ags": string(ags), "a": map[string]any{"key": pub + "#K-HIGH"}, "s": "HANDLED"}, nil); code(res) != "FORBIDDEN" {
		t.Errorf("another municipality's officer marks: %+v", res.Errors)
	}
	p = page{}
	if ask(isb, list, map[string]any{"ags": string(ags)}, &p); ids(p) != "K-HIGH" {
		t.Errorf("open after marks: %s", ids(p))
	}

	// Version 2 of K-CRIT keeps the mark and says it changed.
	storeAdv("K-CRIT", "2", 9.9, 4)
	p = page{}
	ask(isb, list, map[string]any{"ags": string(ags), "f": map[string]any{"handled": "HANDLED"}}, &p)
	if ids(p) != "K-CRIT" {
		t.Fatalf("handled: %s", ids(p))
	}
	if n := p.MunicipalityAdvisories.Nodes[0]; n.Advisory.Version != "2" || n.Mark == nil || n.Mark.MarkedVersion != "1" || !n.Mark.AdvisoryChanged ||
		n.Mark.Note != "Update auf 4.0 eingespielt" || n.Mark.State != "HANDLED" {
		t.Errorf("the mark after version 2: %+v", n)
	}
	p = page{}
	if ask(isb, list, map[string]any{"ags": string(ags), "f": map[string]any{"handled": "ALL", "severity": []string{"MEDIUM"}}}, &p); ids(p) != "K-MED" ||
		p.MunicipalityAdvisories.Nodes[0].Mark.State != "NOT_AFFECTED" {
		t.Errorf("all medium: %+v", p)
	}
	var cleared struct{ ClearAdvisoryMark bool }
	ask(isb, `mutation($ags: String!, $a: AdvisoryRefInput!) { clearAdvisoryMark(ags: $ags, advisory: $a) }`,
		map[string]any{"ags": string(ags), "a": map[string]any{"key": pub + "#K-MED"}}, &cleared)
	if !cleared.ClearAdvisoryMark {
		t.Error("clear: false")
	}

	// The region's manager: counts only. Beverungen has K-HIGH and K-MED
	// open; Borgentreich (3.9) all three.
	if err := store.CreateModelRegionForTest(ctx, m.DB, region, "KWID "+region, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	if err := store.CoverForTest(ctx, m.DB, region, ags, neighbour); err != nil {
		t.Fatal(err)
	}
	const summary = `query($r: ID!) { regionAdvisorySummary(regionId: $r) { regionId municipalities withProducts openCritical openHigh } }`
	var sum struct{ RegionAdvisorySummary map[string]any }
	if res := ask(manager, summary, map[string]any{"r": region}, &sum); len(res.Errors) > 0 {
		t.Fatalf("summary: %+v", res.Errors)
	}
	if s := sum.RegionAdvisorySummary; s["municipalities"] != 2.0 || s["withProducts"] != 2.0 || s["openCritical"] != 1.0 || s["openHigh"] != 2.0 {
		t.Errorf("summary: %+v", s)
	}
	for _, tok := range []string{isb, issue(cyberlotse.Identity{Subject: "mgr2", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{"bergisches-staedtedreieck"}})} {
		if res := ask(tok, summary, map[string]any{"r": region}, nil); code(res) != "FORBIDDEN" {
			t.Errorf("summary for a stranger: %+v", res.Errors)
		}
	}

	// Alert settings: bad address, bad threshold, then stored and read.
	const alerts = `mutation($ags: String!, $e: String!, $min: Float, $now: Boolean) {
		setAdvisoryAlerts(ags: $ags, email: $e, minCvss: $min, immediate: $now) { id ags email minCvss immediate createdAt updatedAt } }`
	for _, bad := range []map[string]any{{"e": "isb(at)beverungen"}, {"e": "isb@beverungen.de", "min": 10.5}} {
		bad["ags"] = string(ags)
		if res := ask(isb, alerts, bad, nil); code(res) != "BAD_USER_INPUT" {
			t.Errorf("alerts %v: %+v", bad, res.Errors)
		}
	}
	var sub struct{ SetAdvisoryAlerts map[string]any }
	if res := ask(isb, alerts, map[string]any{"ags": string(ags), "e": "ISB@beverungen.de", "min": 7.0}, &sub); len(res.Errors) > 0 ||
		sub.SetAdvisoryAlerts["email"] != "isb@beverungen.de" || sub.SetAdvisoryAlerts["immediate"] != true || sub.SetAdvisoryAlerts["minCvss"] != 7.0 {
		t.Fatalf("alerts: %s %+v", res.Data, res.Errors)
	}
	var settings struct{ AdvisoryAlertSettings []map[string]any }
	ask(isb, `query($ags: String!) { advisoryAlertSettings(ags: $ags) { id email } }`, map[string]any{"ags": string(ags)}, &settings)
	if len(settings.AdvisoryAlertSettings) != 1 || settings.AdvisoryAlertSettings[0]["id"] != sub.SetAdvisoryAlerts["id"] {
		t.Errorf("settings: %+v", settings)
	}

	var removed struct{ RemoveAdvisoryAlerts bool }
	const remove = `mutation($ags: String!, $e: String!) { removeAdvisoryAlerts(ags: $ags, email: $e) }`
	if ask(isb, remove, map[string]any{"ags": string(ags), "e": "isb@beverungen.de"}, &removed); !removed.RemoveAdvisoryAlerts {
		t.Error("remove alerts: false")
	}
	if ask(isb, remove, map[string]any{"ags": string(ags), "e": "isb@beverungen.de"}, &removed); removed.RemoveAdvisoryAlerts {
		t.Error("remove alerts again: true")
	}

	// Admins' list and suggestions.
	if res := ask(admin, `{ advisories(filter: {from: "2099-01-03T00:00:00Z", to: "2099-01-02T00:00:00Z"}) { totalCount } }`, nil, nil); code(res) != "BAD_USER_INPUT" {
		t.Errorf("a window that ends before it begins: %+v", res.Errors)
	}
	var all struct {
		Advisories struct {
			TotalCount int
			Nodes      []struct{ TrackingID, Version string }
		}
	}
	if res := ask(admin, `query($p: String!) { advisories(filter: {product: $p, severity: [CRITICAL, HIGH]}) { totalCount nodes { trackingId version } } }`,
		map[string]any{"p": vendor}, &all); len(res.Errors) > 0 || all.Advisories.TotalCount != 2 || all.Advisories.Nodes[0].TrackingID != "K-CRIT" ||
		all.Advisories.Nodes[0].Version != "2" {
		t.Errorf("advisories: %s %+v", res.Data, res.Errors)
	}
	if res := ask(isb, `{ advisories { totalCount } }`, nil, nil); code(res) != "FORBIDDEN" {
		t.Errorf("an officer lists all advisories: %+v", res.Errors)
	}
	var sugg struct{ ProductSuggestions []map[string]any }
	if res := ask(isb, `query($p: String!) { productSuggestions(prefix: $p) { vendor name advisories } }`, map[string]any{"p": strings.ToLower(vendor)}, &sugg); len(res.Errors) > 0 ||
		len(sugg.ProductSuggestions) != 1 || sugg.ProductSuggestions[0]["name"] != "Ratsinfo" || sugg.ProductSuggestions[0]["advisories"] != 3.0 {
		t.Errorf("suggestions: %s %+v", res.Data, res.Errors)
	}
	if res := ask(isb, `{ productSuggestions(prefix: "R") { name } }`, nil, nil); code(res) != "BAD_USER_INPUT" {
		t.Errorf("a one-letter prefix: %+v", res.Errors)
	}
}
