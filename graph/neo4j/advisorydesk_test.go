package neo4j_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// deskAdvisory is an advisory of the test's own publisher about its own
// vendor's product, released at day 2099-01-day 08:00 UTC.
func deskAdvisory(pub, vendor, id, version string, score float64, day int, withdrawn bool) *cyberlotse.Advisory {
	return &cyberlotse.Advisory{Publisher: pub, TrackingID: id, Version: version, Title: "Titel " + id, Language: "de-DE",
		Status: "final", CVSSScore: score, Withdrawn: withdrawn, SourceURL: pub + "/" + id + ".json", SHA256: id + "-" + version,
		PublishedAt: time.Date(2099, 1, 1, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2099, 1, day, 8, 0, 0, 0, time.UTC),
		Products: []cyberlotse.AffectedProduct{{ProductID: "CSAFPID-1", Vendor: vendor, Name: "Fachverfahren " + id, Range: "vers:generic/<3.0"},
			{ProductID: "CSAFPID-2", Vendor: vendor, Name: "Bürgerportal", Range: "vers:generic/<5.0"}}}
}

// The officers' store: marks across an advisory's versions, alert
// subscriptions, the admins' filters and pages, product suggestions and a
// region's municipalities.
func TestAdvisoryDesk(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	advs, desk := store.NewAdvisoryService(db), store.NewAdvisoryDesk(db)
	short := strings.TrimPrefix(neo4jtest.NewID(), "test-")[:8]
	pub, vendor := "https://desk-"+short+".example/csaf", "Deskvendor"+short
	const ags, other = cyberlotse.AGS("05762016"), cyberlotse.AGS("05762020") // Brakel, Höxter
	region := neo4jtest.NewID()
	t.Cleanup(func() {
		store.DeleteAdvisoriesForTest(ctx, db, pub)
		store.DeleteMunicipalityProductsForTest(ctx, db, ags)
		store.DeleteAdvisoryDeskForTest(ctx, db, ags, other)
		store.DeleteRegionsForTest(ctx, db, region)
	})
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	// A-1 … A-5 on days 1 … 5: critical, high, high (withdrawn), medium, low.
	scores := []float64{9.8, 8.1, 7.0, 5.0, 2.0}
	for i, s := range scores {
		a := deskAdvisory(pub, vendor, fmt.Sprintf("A-%d", i+1), "1", s, i+1, i == 2)
		if _, _, err := advs.StoreAdvisory(ctx, a, now); err != nil {
			t.Fatal(err)
		}
	}

	// Filters and keyset pages of the admins' list.
	page := func(f cyberlotse.AdvisoryFilter, first int, after *cyberlotse.Cursor) ([]string, bool, int) {
		t.Helper()
		f.Product = vendor
		items, more, total, err := desk.FindAdvisories(ctx, f, cyberlotse.Page{First: first, After: after})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range items {
			ids = append(ids, a.TrackingID)
			if len(a.Products) != 2 || a.Products[0].ProductID != "CSAFPID-1" {
				t.Errorf("%s: products %+v", a.TrackingID, a.Products)
			}
		}
		return ids, more, total
	}
	ids, more, total := page(cyberlotse.AdvisoryFilter{}, 2, nil)
	if strings.Join(ids, ",") != "A-5,A-4" || !more || total != 5 {
		t.Errorf("first page: %v more=%v total=%d", ids, more, total)
	}
	c := cyberlotse.AdvisoryCursor(&cyberlotse.Advisory{Publisher: pub, TrackingID: "A-4", UpdatedAt: time.Date(2099, 1, 4, 8, 0, 0, 0, time.UTC)})
	ids, more, _ = page(cyberlotse.AdvisoryFilter{}, 2, &c)
	if strings.Join(ids, ",") != "A-3,A-2" || !more {
		t.Errorf("second page: %v more=%v", ids, more)
	}
	from, to := time.Date(2099, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2099, 1, 4, 8, 0, 0, 0, time.UTC)
	no, yes := false, true
	for _, fc := range []struct {
		f    cyberlotse.AdvisoryFilter
		want string
	}{
		{cyberlotse.AdvisoryFilter{Severities: []cyberlotse.Severity{cyberlotse.SeverityHigh}}, "A-3,A-2"},
		{cyberlotse.AdvisoryFilter{Severities: []cyberlotse.Severity{cyberlotse.SeverityHigh}, Withdrawn: &no}, "A-2"},
		{cyberlotse.AdvisoryFilter{Withdrawn: &yes}, "A-3"},
		{cyberlotse.AdvisoryFilter{From: &from, To: &to}, "A-3,A-2"},
	} {
		if ids, _, total := page(fc.f, 10, nil); strings.Join(ids, ",") != fc.want || total != len(ids) {
			t.Errorf("%+v: %v (total %d), want %s", fc.f, ids, total, fc.want)
		}
	}
	items, _, total, err := desk.FindAdvisories(ctx, cyberlotse.AdvisoryFilter{Product: "fachverfahren a-4"}, cyberlotse.Page{First: 10})
	if err != nil || total != 1 || items[0].TrackingID != "A-4" {
		t.Errorf("product text: %v %d %v", items, total, err)
	}

	// Suggestions: the own vendor's two products, the one in five
	// advisories first.
	sugg, err := desk.ProductSuggestions(ctx, strings.ToLower(vendor), 3)
	if err != nil || len(sugg) != 3 || sugg[0] != (cyberlotse.ProductSuggestion{Vendor: vendor, Name: "Bürgerportal", Advisories: 5}) ||
		sugg[1].Advisories != 1 {
		t.Errorf("suggestions: %+v %v", sugg, err)
	}

	// Marks: set, replaced, kept by a newer version, cleared.
	if err := advs.SetMunicipalityProducts(ctx, ags, []cyberlotse.MunicipalityProduct{{Vendor: vendor, Name: "Bürgerportal", Version: "4.2"}}); err != nil {
		t.Fatal(err)
	}
	m, _ := cyberlotse.NewAdvisoryMark(ags, pub+"#A-1", cyberlotse.MarkNotAffected, "Nur intern erreichbar", "isb-1", now)
	stored, err := desk.SetMark(ctx, m)
	if err != nil || stored.Version != "1" || stored.State != cyberlotse.MarkNotAffected || stored.By != "isb-1" || !stored.At.Equal(now) {
		t.Fatalf("mark: %+v %v", stored, err)
	}
	m.State, m.Note, m.By = cyberlotse.MarkHandled, "Gepatcht", "isb-2"
	if stored, err = desk.SetMark(ctx, m); err != nil || stored.State != cyberlotse.MarkHandled || stored.Note != "Gepatcht" {
		t.Fatalf("mark again: %+v %v", stored, err)
	}
	if _, _, err := advs.StoreAdvisory(ctx, deskAdvisory(pub, vendor, "A-1", "2", 9.9, 6, false), now); err != nil {
		t.Fatal(err)
	}
	marks, err := desk.Marks(ctx, []cyberlotse.AGS{ags, other})
	if err != nil || len(marks) != 1 || len(marks[ags]) != 1 {
		t.Fatalf("marks: %+v %v", marks, err)
	}
	kept := marks[ags][pub+"#A-1"]
	if kept.Version != "1" || kept.By != "isb-2" || !kept.Changed("2") {
		t.Errorf("the mark after version 2: %+v", kept)
	}
	matches, err := advs.MunicipalityMatches(ctx, ags)
	if err != nil {
		t.Fatal(err)
	}
	open := cyberlotse.ListMunicipalityAdvisories(matches, marks[ags], cyberlotse.MunicipalityAdvisoryFilter{})
	var openIDs []string
	for _, x := range open {
		if strings.HasPrefix(x.Advisory.Key(), pub) {
			openIDs = append(openIDs, x.Advisory.TrackingID)
		}
	}
	if strings.Join(openIDs, ",") != "A-2,A-4,A-5" {
		t.Errorf("open: %v (A-1 is marked, A-3 withdrawn)", openIDs)
	}
	m.AdvisoryKey = pub + "#NOPE"
	if _, err := desk.SetMark(ctx, m); codeOfErr(err) != cyberlotse.ENOTFOUND {
		t.Errorf("mark of an unknown advisory: %v", err)
	}
	m.AGS, m.AdvisoryKey = "05999999", pub+"#A-1"
	if _, err := desk.SetMark(ctx, m); codeOfErr(err) != cyberlotse.ENOTFOUND || !strings.Contains(cyberlotse.ErrorMessage(err), "Gemeinde") {
		t.Errorf("mark in an unknown municipality: %v", err)
	}
	if ok, err := desk.ClearMark(ctx, ags, pub+"#A-1"); !ok || err != nil {
		t.Errorf("clear: %v %v", ok, err)
	}
	if ok, err := desk.ClearMark(ctx, ags, pub+"#A-1"); ok || err != nil {
		t.Errorf("clear again: %v %v", ok, err)
	}

	// Alert subscriptions: one per municipality and address.
	s, _ := cyberlotse.NewAdvisoryAlertSettings(ags, "isb@brakel.example", 0, true)
	first, err := desk.SetAlertSubscription(ctx, s, now)
	if err != nil || first.ID == "" || !first.CreatedAt.Equal(now) || !first.Immediate {
		t.Fatalf("subscribe: %+v %v", first, err)
	}
	s.MinCVSS, s.Immediate = 7.5, false
	second, err := desk.SetAlertSubscription(ctx, s, now.Add(time.Hour))
	if err != nil || second.ID != first.ID || !second.CreatedAt.Equal(now) || !second.UpdatedAt.Equal(now.Add(time.Hour)) ||
		second.MinCVSS != 7.5 || second.Immediate {
		t.Errorf("change: %+v %v", second, err)
	}
	subs, err := desk.AlertSubscriptions(ctx, ags)
	if err != nil || len(subs) != 1 || subs[0] != *second {
		t.Errorf("subscriptions: %+v %v", subs, err)
	}
	if _, err := desk.AlertSubscriptions(ctx, "05999999"); codeOfErr(err) != cyberlotse.ENOTFOUND {
		t.Errorf("subscriptions of an unknown municipality: %v", err)
	}

	// A region's municipalities.
	if err := store.CreateModelRegionForTest(ctx, db, region, "Desk "+region, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	if err := store.CoverForTest(ctx, db, region, ags, other); err != nil {
		t.Fatal(err)
	}
	munis, sat, with, err := desk.RegionMunicipalities(ctx, region)
	if err != nil || fmt.Sprint(munis) != "[05762016 05762020]" || sat != "" || !with[ags] || with[other] {
		t.Errorf("region: %v %q %v %v", munis, sat, with, err)
	}
	if _, _, _, err := desk.RegionMunicipalities(ctx, "keine-region"); codeOfErr(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
}

func codeOfErr(err error) cyberlotse.Code {
	if e, ok := err.(*cyberlotse.Error); ok {
		return e.Code
	}
	return ""
}

// BenchmarkAdvisoryDesk measures the officers' and admins' reads over
// ADVISORIES (default 10000) advisories of the benchmark's own publisher
// (each about one of 1,000 products, ten advisories per product) and one
// municipality (Brakel) with 50 products, 30 of its 500 matches marked:
// the admins' first page unfiltered and with a product text, product
// suggestions, and a municipality's open list (matching, marks, order).
// It stores its own data and removes it; its product list and marks are
// Brakel's, which TestAdvisoryDesk uses too: run it alone.
func BenchmarkAdvisoryDesk(b *testing.B) {
	db := neo4jtest.MustOpenDB(b)
	ctx := context.Background()
	advs, desk := store.NewAdvisoryService(db), store.NewAdvisoryDesk(db)
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	const ags = cyberlotse.AGS("05762016")
	b.Cleanup(func() {
		store.DeleteAdvisoriesForTest(ctx, db, pub)
		store.DeleteMunicipalityProductsForTest(ctx, db, ags)
		store.DeleteAdvisoryDeskForTest(ctx, db, ags)
	})
	n := 10000
	if s := os.Getenv("ADVISORIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	now := time.Now()
	product := func(k int) (string, string) {
		return fmt.Sprintf("Benchvendor %d", k%97), fmt.Sprintf("Benchprodukt %d", k)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				v, p := product(i % 1000)
				a := &cyberlotse.Advisory{Publisher: pub, TrackingID: fmt.Sprintf("D-%d", i), Version: "1", SHA256: strconv.Itoa(i),
					CVSSScore: float64(i%100) / 10, UpdatedAt: now.Add(-time.Duration(i) * time.Minute), PublishedAt: now,
					Products: []cyberlotse.AffectedProduct{{ProductID: "P1", Vendor: v, Name: p, Range: "vers:generic/<2.0"}}}
				if _, _, err := advs.StoreAdvisory(ctx, a, now); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.Logf("%d advisories stored in %s", n, time.Since(start).Round(time.Millisecond))
	var mine []cyberlotse.MunicipalityProduct
	for k := range 50 {
		v, p := product(k * 13 % 1000)
		mine = append(mine, cyberlotse.MunicipalityProduct{Vendor: v, Name: p, Version: "1.5"})
	}
	if err := advs.SetMunicipalityProducts(ctx, ags, mine); err != nil {
		b.Fatal(err)
	}
	for i := range 30 {
		m, _ := cyberlotse.NewAdvisoryMark(ags, fmt.Sprintf("%s#D-%d", pub, i*13%1000), cyberlotse.MarkHandled, "", "bench", now)
		if _, err := desk.SetMark(ctx, m); err != nil {
			b.Fatal(err)
		}
	}
	measure := func(name string, fn func() int) {
		const rounds = 20
		fn() // warm
		var took []time.Duration
		count := 0
		for range rounds {
			s := time.Now()
			count = fn()
			took = append(took, time.Since(s))
		}
		sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
		b.Logf("%-40s %5d items  p50 %7s  p95 %7s", name, count, took[rounds/2].Round(10*time.Microsecond), took[rounds*95/100].Round(10*time.Microsecond))
	}
	b.ResetTimer()
	for b.Loop() {
		measure("advisories (first 20 of all)", func() int {
			items, _, _, err := desk.FindAdvisories(ctx, cyberlotse.AdvisoryFilter{}, cyberlotse.Page{First: 20})
			if err != nil {
				b.Fatal(err)
			}
			return len(items)
		})
		measure("advisories (product text, severity: total)", func() int {
			items, _, total, err := desk.FindAdvisories(ctx, cyberlotse.AdvisoryFilter{Product: "benchprodukt 99",
				Severities: []cyberlotse.Severity{cyberlotse.SeverityCritical, cyberlotse.SeverityHigh}}, cyberlotse.Page{First: 20})
			if err != nil {
				b.Fatal(err)
			}
			_ = items
			return total
		})
		measure("productSuggestions (benchv, 10)", func() int {
			s, err := desk.ProductSuggestions(ctx, "benchv", 10)
			if err != nil {
				b.Fatal(err)
			}
			return len(s)
		})
		measure("municipality open list (match+marks)", func() int {
			matches, err := advs.MunicipalityMatches(ctx, ags)
			if err != nil {
				b.Fatal(err)
			}
			marks, err := desk.Marks(ctx, []cyberlotse.AGS{ags})
			if err != nil {
				b.Fatal(err)
			}
			return len(cyberlotse.ListMunicipalityAdvisories(matches, marks[ags], cyberlotse.MunicipalityAdvisoryFilter{}))
		})
	}
}
