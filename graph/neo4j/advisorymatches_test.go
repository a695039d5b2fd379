package neo4j_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

// The stored matches are what MatchAdvisory computes, and stay so: after
// a batch (with two versions of one advisory in it), after a product list
// is set and changed, after an update and a withdrawal, and for a product
// list from before matches were stored (matched on its first read).
func TestAdvisoryStoredMatches(t *testing.T) {
	db, advs, pub, m1, m2 := matchesFixture(t, 100)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	// Vendors of their own, so that other tests' advisories and products
	// do not meet ours.
	vendor := "Hersteller " + strings.TrimPrefix(neo4jtest.NewID(), "test-")
	slug := strings.ReplaceAll(strings.ToLower(strings.Fields(vendor)[1]), "-", "")
	cpe := "cpe:2.3:a:" + slug + ":gateway:*:*:*:*:*:*:*:*"

	// m1 declares its products before any advisory is stored.
	list1 := []cyberlotse.MunicipalityProduct{
		{Vendor: vendor, Name: "Server", Version: "2.4.1"},
		{Vendor: vendor, Name: "Gateway", CPE: cpe, Version: "7.2.5"},
		{Vendor: vendor, Name: "Client"}, // no version: "bitte prüfen"
	}
	if err := advs.SetMunicipalityProducts(ctx, m1, list1); err != nil {
		t.Fatal(err)
	}
	batch := []*cyberlotse.Advisory{
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-1", Vendor: vendor, Product: "Server", Range: "vers:generic/<2.4.3"}),
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-2", Vendor: vendor + " GmbH", Product: "Gateway", CPE: cpe,
			Range: "vers:generic/>=7.2.0|<7.2.6", Score: 6.1}),
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-3", Vendor: vendor, Product: "Client", Range: "vers:generic/<5"}),
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-4", Vendor: vendor, Product: "Server", Range: "vers:generic/<2.4.3",
			Withdrawn: true}),
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-5", Vendor: vendor, Product: "Server", Range: "vers:generic/>=3.0"}),
		// M-1 again, newer: decided after the first in the same batch.
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-1", Version: "2", Vendor: vendor, Product: "Server",
			Range: "vers:generic/<2.4.5"}),
	}
	res, err := advs.StoreAdvisories(ctx, batch, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res); got != "[{NEW } {NEW } {NEW } {NEW } {NEW } {UPDATED 1}]" {
		t.Fatalf("outcomes %s", got)
	}
	again, err := advs.StoreAdvisories(ctx, batch[:2], now)
	if err != nil || fmt.Sprint(again) != "[{OLDER 2} {UNCHANGED 1}]" {
		t.Fatalf("again: %v %v", again, err)
	}
	// m2 declares its products after.
	list2 := []cyberlotse.MunicipalityProduct{
		{Vendor: vendor, Name: "Server", Version: "2.4.4"},
		{Vendor: vendor, Name: "Gateway", Version: "7.4.0"}, // outside the range
		{Vendor: vendor, Name: "Server", Version: "3.1"},
	}
	if err := advs.SetMunicipalityProducts(ctx, m2, list2); err != nil {
		t.Fatal(err)
	}

	// check compares the stored matches of m with MatchAdvisory over the
	// stored advisories, and with the number expected.
	check := func(step string, m cyberlotse.AGS, want int) {
		t.Helper()
		products, err := advs.MunicipalityProducts(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		var expected []string
		for _, id := range []string{"M-1", "M-2", "M-3", "M-4", "M-5"} {
			a, err := advs.FindAdvisory(ctx, pub, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, pm := range cyberlotse.MatchAdvisory(a, products) {
				expected = append(expected, describeMatch(pm))
			}
		}
		matches, err := advs.MunicipalityMatches(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		var stored []string
		for _, pm := range matches {
			if pm.Advisory.Publisher == pub {
				stored = append(stored, describeMatch(pm))
			}
		}
		sort.Strings(expected)
		sort.Strings(stored)
		if strings.Join(stored, "\n") != strings.Join(expected, "\n") || len(stored) != want {
			t.Errorf("%s: %s: stored matches\n%s\nMatchAdvisory (want %d)\n%s", step, m, strings.Join(stored, "\n"), want, strings.Join(expected, "\n"))
		}
	}
	check("batch", m1, 3) // M-1 v2 Server, M-2 Gateway by CPE, M-3 Client version unknown
	check("batch", m2, 2) // M-1 v2 Server 2.4.4, M-5 Server 3.1
	matches, err := advs.MunicipalityMatches(ctx, m1)
	if err != nil {
		t.Fatal(err)
	}
	for _, pm := range matches {
		if pm.Advisory.TrackingID == "M-2" && pm.Reason != "CPE "+cpe+" stimmt überein, Version 7.2.5 im betroffenen Bereich vers:generic/>=7.2.0|<7.2.6" {
			t.Errorf("reason %q", pm.Reason)
		}
	}

	// An update that leaves m1's Server out, a withdrawal of M-2.
	if _, err := advs.StoreAdvisories(ctx, []*cyberlotse.Advisory{
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-1", Version: "3", Vendor: vendor, Product: "Server",
			Range: "vers:generic/>=2.4.2|<2.4.5"}),
		mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: "M-2", Version: "2", Vendor: vendor, Product: "Gateway", CPE: cpe,
			Range: "vers:generic/>=7.2.0|<7.2.6", Withdrawn: true}),
	}, now); err != nil {
		t.Fatal(err)
	}
	check("update", m1, 1)
	check("update", m2, 2)

	// A changed product list.
	list1[0].Version = "2.4.3"
	if err := advs.SetMunicipalityProducts(ctx, m1, list1); err != nil {
		t.Fatal(err)
	}
	check("new list", m1, 2)

	// A list from before matches were stored.
	if err := store.ForgetStoredMatchesForTest(ctx, db, m1); err != nil {
		t.Fatal(err)
	}
	check("backfill", m1, 2)
}

// matchesFixture gives a test a publisher of its own and the
// municipalities all[first] and all[first+1] (no other test uses them),
// and removes their advisories and product lists afterwards.
func matchesFixture(t *testing.T, first int) (db *store.DB, advs *store.AdvisoryService, pub string, m1, m2 cyberlotse.AGS) {
	t.Helper()
	db = neo4jtest.MustOpenDB(t)
	advs = store.NewAdvisoryService(db)
	pub = "https://" + neo4jtest.NewID() + ".example/csaf"
	all, err := db.AllMunicipalityAGSForTest(context.Background())
	if err != nil || len(all) != 396 {
		t.Fatalf("municipalities: %d %v", len(all), err)
	}
	m1, m2 = all[first], all[first+1]
	t.Cleanup(func() {
		ctx := context.Background()
		if err := store.DeleteAdvisoriesForTest(ctx, db, pub); err != nil {
			t.Error(err)
		}
		for _, a := range []cyberlotse.AGS{m1, m2} {
			if err := store.DeleteMunicipalityProductsForTest(ctx, db, a); err != nil {
				t.Error(err)
			}
		}
	})
	return db, advs, pub, m1, m2
}

func describeMatch(pm cyberlotse.ProductMatch) string {
	return strings.Join([]string{pm.Advisory.TrackingID, pm.Advisory.Version, pm.Product.ID, pm.Affected.ProductID, pm.Reason}, " | ")
}

// An import remembers the declared products on a key while no new product
// list changes the key's token: a product deleted since (its list replaced
// by products on other keys) matches nothing, a product declared since on
// a remembered key is matched.
func TestAdvisoryMatchesRememberedProducts(t *testing.T) {
	_, advs, pub, m1, m2 := matchesFixture(t, 102)
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	vendor := "Hersteller " + strings.TrimPrefix(neo4jtest.NewID(), "test-")
	advisory := func(id, product string) *cyberlotse.Advisory {
		return mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: id, Vendor: vendor, Product: product, Range: "vers:generic/<5"})
	}
	set := func(m cyberlotse.AGS, product string) {
		t.Helper()
		if err := advs.SetMunicipalityProducts(ctx, m, []cyberlotse.MunicipalityProduct{{Vendor: vendor, Name: product, Version: "2.0"}}); err != nil {
			t.Fatal(err)
		}
	}
	stored := func(as ...*cyberlotse.Advisory) {
		t.Helper()
		if _, err := advs.StoreAdvisories(ctx, as, now); err != nil {
			t.Fatal(err)
		}
	}
	matched := func(m cyberlotse.AGS) string {
		t.Helper()
		ms, err := advs.MunicipalityMatches(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, pm := range ms {
			if pm.Advisory.Publisher == pub {
				ids = append(ids, pm.Advisory.TrackingID+" "+pm.Product.Name)
			}
		}
		sort.Strings(ids)
		return strings.Join(ids, ", ")
	}

	set(m1, "Alt")
	stored(advisory("R-1", "Alt")) // remembers the key of Alt with m1's product
	set(m1, "Neu")                 // m1's Alt is deleted; the key of Alt keeps its token
	stored(advisory("R-2", "Alt"), advisory("R-3", "Neu"))
	if got := matched(m1); got != "R-3 Neu" {
		t.Errorf("m1 matches %q, want R-3 Neu", got)
	}
	set(m2, "Alt") // a new product on the remembered key
	stored(advisory("R-4", "Alt"))
	if got := matched(m2); got != "R-1 Alt, R-2 Alt, R-4 Alt" {
		t.Errorf("m2 matches %q, want R-1 Alt, R-2 Alt, R-4 Alt", got)
	}
}

// Two importers (two replicas: services of their own, each with its own
// remembered products) store batches while a third writer keeps replacing
// the product lists of two municipalities: afterwards the stored matches
// are what MatchAdvisory computes over the stored advisories and the
// final lists, whichever transaction came second each time. A write that
// ends in UNAVAILABLE (a deadlock between two writers that the driver's
// second attempt did not resolve: the transaction is rolled back) is sent
// again, as a client would.
func TestAdvisoryMatchesConcurrentWrites(t *testing.T) {
	db, _, pub, m1, m2 := matchesFixture(t, 104)
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 11, 0, 0, 0, time.UTC)
	vendor := "Hersteller " + strings.TrimPrefix(neo4jtest.NewID(), "test-")
	products := []string{"Portal", "Mail", "Fachverfahren", "Firewall"}
	const batches, perBatch = 6, 4
	advisory := func(importer, batch, i int) *cyberlotse.Advisory {
		// The second importer's later batches bring new versions of the
		// first importer's advisories.
		id, version := fmt.Sprintf("C-%d-%d-%d", importer, batch, i), "1"
		if importer == 1 && batch >= batches/2 {
			id, version = fmt.Sprintf("C-0-%d-%d", batch-batches/2, i), "2"
		}
		return mustParse(t, csaf.TestAdvisory{Publisher: pub, TrackingID: id, Version: version, Vendor: vendor,
			Product: products[(importer+batch+i)%len(products)], Range: fmt.Sprintf("vers:generic/<%d", 2+(batch+i+importer)%3)})
	}
	lists := func(round int) map[cyberlotse.AGS][]cyberlotse.MunicipalityProduct {
		out := map[cyberlotse.AGS][]cyberlotse.MunicipalityProduct{}
		for j, m := range []cyberlotse.AGS{m1, m2} {
			for k, p := range products {
				if (round+j+k)%3 != 0 {
					out[m] = append(out[m], cyberlotse.MunicipalityProduct{Vendor: vendor, Name: p, Version: fmt.Sprintf("%d.5", 1+(round+k)%3)})
				}
			}
		}
		return out
	}
	const rounds = 8
	again := func(write func() error) error {
		for range 4 {
			if err := write(); cyberlotse.ErrorCode(err) != cyberlotse.EUNAVAILABLE {
				return err
			}
		}
		return write()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for importer := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			advs := store.NewAdvisoryService(db)
			for batch := range batches {
				var as []*cyberlotse.Advisory
				for i := range perBatch {
					as = append(as, advisory(importer, batch, i))
				}
				if err := again(func() error { _, err := advs.StoreAdvisories(ctx, as, now); return err }); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		advs := store.NewAdvisoryService(db)
		for round := range rounds {
			for m, list := range lists(round) {
				if err := again(func() error { return advs.SetMunicipalityProducts(ctx, m, list) }); err != nil {
					errs <- err
					return
				}
			}
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	advs := store.NewAdvisoryService(db)
	var stored []*cyberlotse.Advisory
	for importer := range 2 {
		for batch := range batches {
			for i := range perBatch {
				a, err := advs.FindAdvisory(ctx, pub, fmt.Sprintf("C-%d-%d-%d", importer, batch, i))
				if cyberlotse.ErrorCode(err) == cyberlotse.ENOTFOUND {
					continue // its number went to a new version
				}
				if err != nil {
					t.Fatal(err)
				}
				stored = append(stored, a)
			}
		}
	}
	if len(stored) != 2*batches*perBatch-batches/2*perBatch {
		t.Fatalf("%d advisories stored", len(stored))
	}
	total := 0
	for _, m := range []cyberlotse.AGS{m1, m2} {
		mine, err := advs.MunicipalityProducts(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		var want, got []string
		for _, a := range stored {
			for _, pm := range cyberlotse.MatchAdvisory(a, mine) {
				want = append(want, describeMatch(pm))
			}
		}
		matches, err := advs.MunicipalityMatches(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		for _, pm := range matches {
			if pm.Advisory.Publisher == pub {
				got = append(got, describeMatch(pm))
			}
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: stored matches\n%s\nMatchAdvisory\n%s", m, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		total += len(want)
	}
	if total < 20 {
		t.Errorf("only %d matches: the test does not test much", total)
	}
}
