package neo4j_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

func mustParse(t *testing.T, ta csaf.TestAdvisory) *cyberlotse.Advisory {
	t.Helper()
	a, err := csaf.Parse(csaf.Document{Source: ta.TrackingID + ".json", Data: ta.JSON()})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// An advisory's versions in the store: new, unchanged, updated, an older
// version after a newer one, withdrawn; a municipality's products and the
// matches computed from them.
func TestAdvisoryStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	advs := store.NewAdvisoryService(db)
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	const ags = cyberlotse.AGS("05120000") // Remscheid
	t.Cleanup(func() {
		if err := store.DeleteAdvisoriesForTest(context.Background(), db, pub); err != nil {
			t.Error(err)
		}
		if err := store.DeleteMunicipalityProductsForTest(context.Background(), db, ags); err != nil {
			t.Error(err)
		}
	})
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

	v1 := mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-1", Version: "1", Score: 7.5})
	v2 := mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-1", Version: "2", Score: 9.8, Range: "vers:generic/<2.4.5",
		Exploit: "Ausnutzung beobachtet"})
	other := mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-2", Vendor: "Fortinet, Inc.", Product: "FortiOS",
		Range: "vers:generic/>=7.2.0|<7.2.6", Score: 6.1})
	gone := mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-3", Version: "2", Withdrawn: true,
		Range: "vers:generic/<2.4.5"}) // would match Apache 2.4.4 if it were not withdrawn

	for _, step := range []struct {
		a       *cyberlotse.Advisory
		outcome cyberlotse.AdvisoryOutcome
		stored  string
	}{
		{v1, cyberlotse.AdvisoryNew, ""},
		{v1, cyberlotse.AdvisoryUnchanged, "1"},
		{v2, cyberlotse.AdvisoryUpdated, "1"},
		{v1, cyberlotse.AdvisoryOlder, "2"},
		{other, cyberlotse.AdvisoryNew, ""},
		{gone, cyberlotse.AdvisoryNew, ""},
	} {
		got, stored, err := advs.StoreAdvisory(ctx, step.a, now)
		if err != nil || got != step.outcome || stored != step.stored {
			t.Fatalf("store %s v%s: %s %q %v; want %s %q", step.a.TrackingID, step.a.Version, got, stored, err, step.outcome, step.stored)
		}
	}
	a, err := advs.FindAdvisory(ctx, pub, "TEST-1")
	if err != nil {
		t.Fatal(err)
	}
	if a.Version != "2" || a.CVSSScore != 9.8 || a.Severity() != cyberlotse.SeverityCritical || a.Title != v2.Title ||
		a.Language != "de-DE" || a.ExploitStatus != "Ausnutzung beobachtet" || len(a.CVEs) != 1 || len(a.Remediations) != 1 || a.Remediations[0].Category != "vendor_fix" ||
		!a.UpdatedAt.Equal(v2.UpdatedAt) || len(a.Products) != 1 || a.Products[0].Range != "vers:generic/<2.4.5" {
		t.Errorf("stored advisory: %+v", a)
	}
	if g, err := advs.FindAdvisory(ctx, pub, "TEST-3"); err != nil || !g.Withdrawn {
		t.Errorf("withdrawn advisory: %+v %v", g, err)
	}
	if _, err := advs.FindAdvisory(ctx, pub, "TEST-9"); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown advisory: %v", err)
	}

	// The municipality's products and their matches.
	if err := advs.SetMunicipalityProducts(ctx, ags, []cyberlotse.MunicipalityProduct{{Vendor: "Apache"}}); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("product without name: %v", err)
	}
	if err := advs.SetMunicipalityProducts(ctx, "05999999", nil); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown municipality: %v", err)
	}
	mine := []cyberlotse.MunicipalityProduct{
		{Vendor: "Apache", Name: "HTTP Server", Version: "2.4.4"},
		{Vendor: "Fortinet", Name: "FortiOS", Version: "7.4.1"}, // outside the range
		{Vendor: "Microsoft Corporation", Name: "Exchange Server", Version: "2019"},
	}
	if err := advs.SetMunicipalityProducts(ctx, ags, mine); err != nil {
		t.Fatal(err)
	}
	got, err := advs.MunicipalityProducts(ctx, ags)
	if err != nil || len(got) != 3 || got[0].Vendor != "Apache" || got[1].Name != "FortiOS" || got[2].Version != "2019" || got[0].ID == "" {
		t.Fatalf("products: %+v %v", got, err)
	}
	matches, err := advs.MunicipalityMatches(ctx, ags)
	if err != nil {
		t.Fatal(err)
	}
	// Other tests' advisories may match the same products: look at ours.
	var ours []cyberlotse.ProductMatch
	for _, m := range matches {
		if m.Advisory.Publisher == pub {
			ours = append(ours, m)
		}
	}
	if len(ours) != 1 || ours[0].Advisory.TrackingID != "TEST-1" || ours[0].Advisory.Version != "2" ||
		ours[0].Product.Name != "HTTP Server" ||
		ours[0].Reason != "Hersteller und Produkt stimmen überein, Version 2.4.4 im betroffenen Bereich vers:generic/<2.4.5" {
		t.Fatalf("matches: %+v", ours)
	}
	// FortiOS 7.2.5 is in the other advisory's range.
	mine[1].Version = "7.2.5"
	if err := advs.SetMunicipalityProducts(ctx, ags, mine); err != nil {
		t.Fatal(err)
	}
	matches, err = advs.MunicipalityMatches(ctx, ags)
	if err != nil {
		t.Fatal(err)
	}
	ours = ours[:0]
	for _, m := range matches {
		if m.Advisory.Publisher == pub {
			ours = append(ours, m)
		}
	}
	if len(ours) != 2 || ours[0].Advisory.TrackingID != "TEST-1" || ours[1].Advisory.TrackingID != "TEST-2" ||
		ours[1].Reason != "Hersteller und Produkt stimmen überein, Version 7.2.5 im betroffenen Bereich vers:generic/>=7.2.0|<7.2.6" {
		t.Fatalf("matches after the version change: %+v", ours)
	}
	if _, err := advs.MunicipalityMatches(ctx, "05999999"); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown municipality: %v", err)
	}
}

// BenchmarkMunicipalityMatches: one municipality with 50 products against
// ADVISORIES (default 2000) advisories over 500 products, matched on read.
func BenchmarkMunicipalityMatches(b *testing.B) {
	db := neo4jtest.MustOpenDB(b)
	advs := store.NewAdvisoryService(db)
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	const ags = cyberlotse.AGS("05124000") // Wuppertal
	b.Cleanup(func() {
		store.DeleteAdvisoriesForTest(context.Background(), db, pub)
		store.DeleteMunicipalityProductsForTest(context.Background(), db, ags)
	})
	n := 2000
	if s := os.Getenv("ADVISORIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	now := time.Now()
	start := time.Now()
	for i := range n {
		a := &cyberlotse.Advisory{Publisher: pub, TrackingID: fmt.Sprintf("B-%d", i), Version: "1", SHA256: strconv.Itoa(i),
			CVSSScore: float64(i%100) / 10, UpdatedAt: now, PublishedAt: now,
			Products: []cyberlotse.AffectedProduct{{ProductID: "P1", Vendor: fmt.Sprintf("Hersteller %d", i%100),
				Name: fmt.Sprintf("Produkt %d", i%500), Range: "vers:generic/<2.0"}}}
		if _, _, err := advs.StoreAdvisory(ctx, a, now); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d advisories stored in %s", n, time.Since(start))
	var mine []cyberlotse.MunicipalityProduct
	for i := range 50 {
		mine = append(mine, cyberlotse.MunicipalityProduct{Vendor: fmt.Sprintf("Hersteller %d", (i*10)%100),
			Name: fmt.Sprintf("Produkt %d", i*10), Version: "1.5"})
	}
	if err := advs.SetMunicipalityProducts(ctx, ags, mine); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var found int
	for b.Loop() {
		ms, err := advs.MunicipalityMatches(ctx, ags)
		if err != nil {
			b.Fatal(err)
		}
		found = 0
		for _, m := range ms {
			if m.Advisory.Publisher == pub {
				found++
			}
		}
	}
	b.ReportMetric(float64(found), "matches")
}

// BenchmarkAllMunicipalityMatches is the scale: ADVISORIES
// (default 10000) advisories over 1000 products, 396 municipalities with
// 50 products each (every product of a municipality in 10 advisories, all
// versions affected: 500 matches per municipality, denser than real
// life); it reports the time to store the advisories (8 writers) and to
// match every municipality once. It replaces the product lists of all
// municipalities and empties them at the end: run it alone against your
// own database, never beside other tests.
func BenchmarkAllMunicipalityMatches(b *testing.B) {
	db := neo4jtest.MustOpenDB(b)
	advs := store.NewAdvisoryService(db)
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	ags, err := db.AllMunicipalityAGSForTest(ctx)
	if err != nil || len(ags) != 396 {
		b.Fatalf("municipalities: %d %v", len(ags), err)
	}
	b.Cleanup(func() {
		store.DeleteAdvisoriesForTest(context.Background(), db, pub)
		for _, a := range ags {
			store.DeleteMunicipalityProductsForTest(context.Background(), db, a)
		}
	})
	n := 10000
	if s := os.Getenv("ADVISORIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	now := time.Now()
	product := func(k int) (string, string) {
		return fmt.Sprintf("Hersteller %d", k%97), fmt.Sprintf("Produkt %d", k)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				v, p := product(i % 1000)
				a := &cyberlotse.Advisory{Publisher: pub, TrackingID: fmt.Sprintf("B-%d", i), Version: "1", SHA256: strconv.Itoa(i),
					CVSSScore: float64(i%100) / 10, UpdatedAt: now, PublishedAt: now,
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
	start = time.Now()
	for j, a := range ags {
		var mine []cyberlotse.MunicipalityProduct
		for k := range 50 {
			v, p := product((j*7 + k*13) % 1000)
			mine = append(mine, cyberlotse.MunicipalityProduct{Vendor: v, Name: p, Version: "1.5"})
		}
		if err := advs.SetMunicipalityProducts(ctx, a, mine); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("396 × 50 products stored in %s", time.Since(start).Round(time.Millisecond))
	b.ResetTimer()
	for b.Loop() {
		total := 0
		for _, a := range ags {
			ms, err := advs.MunicipalityMatches(ctx, a)
			if err != nil {
				b.Fatal(err)
			}
			total += len(ms)
		}
		b.ReportMetric(float64(total), "matches")
	}
}
