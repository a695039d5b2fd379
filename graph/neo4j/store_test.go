package neo4j_test

import (
	"context"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/schema"
	"github.com/cyberlotse/cyberlotse/seeds"
)

var ctx = context.Background()

func ptr[T any](v T) *T { return &v }

func TestMunicipalitiesByPostcodeAndPrefix(t *testing.T) {
	geo := store.NewGeoService(neo4jtest.MustOpenDB(t))
	tests := []struct {
		name   string
		filter cyberlotse.MunicipalityFilter
		want   []string
	}{
		{"postcode of Kalletal", cyberlotse.MunicipalityFilter{Postcode: ptr(cyberlotse.Postcode("32689"))}, []string{"Kalletal"}},
		{"postcode shared by two", cyberlotse.MunicipalityFilter{Postcode: ptr(cyberlotse.Postcode("40721"))}, []string{"Düsseldorf", "Hilden"}},
		{"prefix ignores case", cyberlotse.MunicipalityFilter{NameStartsWith: ptr("kalle")}, []string{"Kalletal"}},
		{"district Remscheid", cyberlotse.MunicipalityFilter{District: ptr(cyberlotse.DistrictKey("05120"))}, []string{"Remscheid"}},
		{"unknown postcode", cyberlotse.MunicipalityFilter{Postcode: ptr(cyberlotse.Postcode("99999"))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, more, err := geo.FindMunicipalities(ctx, tt.filter, cyberlotse.Page{First: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range items {
				got = append(got, m.Name)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") || more {
				t.Errorf("got %v (more %v), want %v", got, more, tt.want)
			}
		})
	}
}

// Walking all 396 municipalities page by page visits each exactly once.
func TestMunicipalityPagesCoverAllOnce(t *testing.T) {
	geo := store.NewGeoService(neo4jtest.MustOpenDB(t))
	seen := map[cyberlotse.AGS]bool{}
	page := cyberlotse.Page{First: 100}
	pages := 0
	for {
		items, more, err := geo.FindMunicipalities(ctx, cyberlotse.MunicipalityFilter{}, page)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, m := range items {
			if seen[m.AGS] {
				t.Fatalf("%s %s seen twice", m.AGS, m.Name)
			}
			seen[m.AGS] = true
		}
		if !more {
			break
		}
		c := store.MunicipalityCursor(items[len(items)-1])
		page.After = &c
	}
	if len(seen) != 396 || pages != 4 {
		t.Errorf("saw %d municipalities in %d pages, want 396 in 4", len(seen), pages)
	}
}

func TestMunicipalityCarriesGeographyAndPolice(t *testing.T) {
	geo := store.NewGeoService(neo4jtest.MustOpenDB(t))
	ms, err := geo.MunicipalitiesByAGS(ctx, []cyberlotse.AGS{"05766036"})
	if err != nil || len(ms) != 1 {
		t.Fatalf("Kalletal: %v, %v", ms, err)
	}
	k := ms[0]
	if k.Name != "Kalletal" || k.DistrictKey != "05766" || k.PoliceID != "lr-lippe" || k.Population < 10000 {
		t.Errorf("Kalletal = %+v", k)
	}
	if k.Location.Lat < 52 || k.Location.Lat > 52.3 || k.Location.Lon < 8.9 || k.Location.Lon > 9.2 {
		t.Errorf("Kalletal location = %+v", k.Location)
	}
	if len(k.Postcodes) != 1 || k.Postcodes[0] != "32689" {
		t.Errorf("Kalletal postcodes = %v", k.Postcodes)
	}
}

func TestPoliceChainForKalletalAndWuppertal(t *testing.T) {
	net := store.NewNetworkService(neo4jtest.MustOpenDB(t))
	orgs, err := net.OrganizationsByIDs(ctx, []string{"lr-lippe", "pp-wuppertal", "pp-bielefeld"})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*cyberlotse.Organization{}
	for _, o := range orgs {
		byID[o.ID] = o
	}
	if byID["lr-lippe"].KriminalhauptstelleID != "pp-bielefeld" || byID["pp-bielefeld"].CybercrimeHQID != "pp-bielefeld" {
		t.Errorf("Lippe chain: %+v / %+v", byID["lr-lippe"], byID["pp-bielefeld"])
	}
	if byID["pp-wuppertal"].KriminalhauptstelleID != "pp-wuppertal" || byID["pp-wuppertal"].CybercrimeHQID != "pp-duesseldorf" {
		t.Errorf("Wuppertal chain: %+v", byID["pp-wuppertal"])
	}
}

func TestRegionsMembersAndSatellites(t *testing.T) {
	net := store.NewNetworkService(neo4jtest.MustOpenDB(t))
	members, err := net.RegionMembers(ctx, []string{"bergisches-staedtedreieck", "kalletal"})
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []*cyberlotse.Municipality) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.Name)
		}
		return strings.Join(s, ",")
	}
	if got := names(members["bergisches-staedtedreieck"]); got != "Remscheid,Solingen,Wuppertal" {
		t.Errorf("model region members = %s", got)
	}
	if got := names(members["kalletal"]); got != "Kalletal" {
		t.Errorf("satellite members = %s", got)
	}
	sats, err := net.Satellites(ctx, []string{"bergisches-staedtedreieck"})
	if err != nil || len(sats["bergisches-staedtedreieck"]) != 1 || sats["bergisches-staedtedreieck"][0].ID != "kalletal" {
		t.Errorf("satellites = %v, %v", sats, err)
	}
	regions, err := net.RegionsByIDs(ctx, []string{"kalletal"})
	if err != nil || regions[0].SatelliteOfID != "bergisches-staedtedreieck" || regions[0].ManagerID != "bergische-gesellschaft" {
		t.Errorf("kalletal = %+v, %v", regions, err)
	}
}

func TestEventsOrderedFilteredAndPaged(t *testing.T) {
	events := store.NewEventService(neo4jtest.MustOpenDB(t))
	from := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	to := time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC) // before the events tests create (neo4jtest.FarFuture)
	f := cyberlotse.EventFilter{From: &from, To: &to}
	total, err := events.CountEvents(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var all []*cyberlotse.Event
	page := cyberlotse.Page{First: 3}
	for {
		items, more, err := events.FindEvents(ctx, f, page)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, items...)
		if !more {
			break
		}
		c := cyberlotse.EventCursor(items[len(items)-1])
		page.After = &c
	}
	if len(all) != total || total < 10 {
		t.Fatalf("paged %d events, count says %d (want at least 10 upcoming seeded events)", len(all), total)
	}
	for i, e := range all {
		if e.StartsAt.Before(from) {
			t.Errorf("%s starts %v, before the window", e.ID, e.StartsAt)
		}
		if i > 0 && e.StartsAt.Before(all[i-1].StartsAt) {
			t.Errorf("%s is out of order", e.ID)
		}
	}

	lunch := cyberlotse.FormatLunchtalk
	items, _, err := events.FindEvents(ctx, cyberlotse.EventFilter{From: &from, To: &to, Format: &lunch}, cyberlotse.Page{First: 100})
	if err != nil || len(items) == 0 {
		t.Fatalf("lunchtalks: %d, %v", len(items), err)
	}
	for _, e := range items {
		if e.Format != lunch || e.Mode != cyberlotse.ModeOnline || e.Capacity == nil || *e.Capacity != 5000 || !e.Sample {
			t.Errorf("lunchtalk %s: format %s mode %s capacity %v sample %v", e.ID, e.Format, e.Mode, e.Capacity, e.Sample)
		}
	}

	kalletal := cyberlotse.AGS("05766036")
	items, _, err = events.FindEvents(ctx, cyberlotse.EventFilter{AGS: &kalletal}, cyberlotse.Page{First: 10})
	if err != nil || len(items) == 0 || items[0].ID != "kalletal-infoabend-2025-09-04" {
		t.Fatalf("events in Kalletal: %v, %v", items, err)
	}
	if got := items[0].StartsAt.In(berlin).Format(time.RFC3339); got != "2025-09-04T18:00:00+02:00" {
		t.Errorf("Kalletal evening starts %s", got)
	}
}

var berlin, _ = time.LoadLocation("Europe/Berlin")

func TestMeasureCatalogue(t *testing.T) {
	ms, err := store.NewMeasureService(neo4jtest.MustOpenDB(t)).Measures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 13 || ms[0].Code != "M01" || ms[12].Code != "M13" {
		t.Fatalf("measures: %d, first %v", len(ms), ms[0])
	}
}

// Seeding again writes the same graph: no node or relationship more or less.
func TestSeedIsIdempotent(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	n, err := seeds.Load()
	if err != nil {
		t.Fatal(err)
	}
	before := store.GraphCounts(ctx, t, db, n)
	if _, err := store.NewSeedService(db).ApplyNetwork(ctx, n); err != nil {
		t.Fatal(err)
	}
	seeded := len(n.GovRegions) + len(n.Districts) + len(n.Municipalities) + len(n.Topics) + len(n.Organizations) +
		len(n.Contacts) + len(n.Regions) + len(n.Measures) + len(n.Offers) + len(n.Events)
	if after := store.GraphCounts(ctx, t, db, n); after != before || before.Nodes != seeded {
		t.Errorf("graph changed from %+v to %+v (the seed has %d nodes)", before, after, seeded)
	}
}

func TestMigrateIsUpToDateAndRefusesChangedFiles(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	migrations, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := db.Migrate(ctx, migrations)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second migrate applied %v, err %v", applied, err)
	}
	if err := db.CheckMigrated(ctx, migrations); err != nil {
		t.Fatal(err)
	}
	changed := append([]schema.Migration(nil), migrations...)
	changed[0].Checksum = "0000"
	if _, err := db.Migrate(ctx, changed); err == nil || !strings.Contains(err.Error(), "was changed after it was applied") {
		t.Errorf("changed migration: err = %v", err)
	}
	if err := db.CheckMigrated(ctx, append(migrations, schema.Migration{Version: 9999, Name: "future"})); err == nil {
		t.Error("a missing migration must make CheckMigrated fail")
	}
}
