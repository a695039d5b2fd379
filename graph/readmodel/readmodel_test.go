package readmodel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/graph/readmodel"
)

func source(db *store.DB) readmodel.Source {
	return readmodel.Source{Reference: store.NewNetworkService(db), Rollouts: store.NewRolloutService(db, neo4jtest.Berlin),
		Events: store.NewEventService(db), Counts: store.NewEventService(db),
		Changes: store.NewChangeLog(db), Companies: store.NewMatchStore(db)}
}

// mustOpen opens a model on db; its own writes through db reach it at
// once, as in the server.
func mustOpen(t testing.TB, db *store.DB) *readmodel.Model {
	t.Helper()
	m, err := readmodel.Open(context.Background(), source(db), nil)
	if err != nil {
		panic(err)
	}
	t.Cleanup(m.Close)
	return m
}

// checker is what a comparison reports to: the test, or a recorder for
// the attempts before the last.
type checker interface {
	Helper()
	Errorf(format string, args ...any)
	Failed() bool
}

type recorder struct{ failed bool }

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Failed() bool          { return r.failed }

// eventually runs check on a model caught up with the change log, up to
// three times: tests of other packages write to the same graph meanwhile,
// and every write is logged, so a retry compares the same state.
func eventually(t *testing.T, m *readmodel.Model, check func(c checker)) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		if err := m.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		if attempt == 3 {
			check(t)
			return
		}
		r := &recorder{}
		check(r)
		if !r.failed {
			return
		}
	}
}

// same compares two answers; empty and nil lists are the same answer.
func same[T any](t checker, what string, store, model T) {
	t.Helper()
	if reflect.ValueOf(store).Kind() == reflect.Slice && reflect.ValueOf(store).Len() == 0 && reflect.ValueOf(model).Len() == 0 {
		return
	}
	if !reflect.DeepEqual(store, model) {
		s, _ := json.Marshal(store)
		m, _ := json.Marshal(model)
		i := 0
		for i < len(s) && i < len(m) && s[i] == m[i] {
			i++
		}
		from := max(0, i-200)
		t.Errorf("%s differs at byte %d\nstore: …%.500s\nmodel: …%.500s", what, i, s[from:], m[from:])
	}
}

// must unwraps a service answer; an error ends the test with a panic.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// The model answers every lookup of the seeded graph as the store does.
func TestLookupsAnswerAsTheStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	m := mustOpen(t, db)
	ctx := context.Background()
	eventually(t, m, func(t checker) {
		geo, network, measures := store.NewGeoService(db), store.NewNetworkService(db), store.NewMeasureService(db)

		same(t, "GovRegions", must(geo.GovRegions(ctx)), must(m.GovRegions(ctx)))
		same(t, "GovRegionsByKeys", must(geo.GovRegionsByKeys(ctx, []string{"Detmold"})), must(m.GovRegionsByKeys(ctx, []string{"Detmold", "nowhere"})))
		detmold := "Detmold"
		same(t, "Districts(Detmold)", must(geo.Districts(ctx, &detmold)), must(m.Districts(ctx, &detmold)))
		districts := must(geo.Districts(ctx, nil))
		same(t, "Districts", districts, must(m.Districts(ctx, nil)))
		if len(districts) != 53 {
			t.Errorf("districts = %d, want 53", len(districts))
			return
		}
		var keys []cyberlotse.DistrictKey
		for _, d := range districts {
			keys = append(keys, d.Key)
		}
		same(t, "MunicipalitiesOfDistricts", must(geo.MunicipalitiesOfDistricts(ctx, keys)), must(m.MunicipalitiesOfDistricts(ctx, keys)))

		// Every municipality, page by page, with and without filters.
		lippe, prefix, pc := cyberlotse.DistrictKey("05766"), "kal", cyberlotse.Postcode("42853")
		for _, f := range []cyberlotse.MunicipalityFilter{{}, {District: &lippe}, {NameStartsWith: &prefix}, {Postcode: &pc}, {GovRegion: &detmold}} {
			same(t, fmt.Sprintf("CountMunicipalities(%+v)", f), must(geo.CountMunicipalities(ctx, f)), must(m.CountMunicipalities(ctx, f)))
			p := cyberlotse.Page{First: 37}
			for page := 0; ; page++ {
				want, wantMore, err := geo.FindMunicipalities(ctx, f, p)
				if err != nil {
					panic(err)
				}
				got, gotMore, err := m.FindMunicipalities(ctx, f, p)
				if err != nil {
					panic(err)
				}
				same(t, fmt.Sprintf("FindMunicipalities(%+v) page %d", f, page), want, got)
				if wantMore != gotMore || !wantMore {
					if wantMore != gotMore {
						t.Errorf("more = %v, want %v", gotMore, wantMore)
					}
					break
				}
				c := store.MunicipalityCursor(want[len(want)-1])
				p.After = &c
			}
		}

		regions := must(network.Regions(ctx, nil))
		same(t, "Regions", regions, must(m.Regions(ctx, nil)))
		sat := cyberlotse.Satellite
		same(t, "Regions(SATELLITE)", must(network.Regions(ctx, &sat)), must(m.Regions(ctx, &sat)))
		var ids []string
		for _, r := range regions {
			ids = append(ids, r.ID)
		}
		same(t, "RegionsByIDs", sortedBy(must(network.RegionsByIDs(ctx, ids)), func(r *cyberlotse.Region) string { return r.ID }), sortedBy(must(m.RegionsByIDs(ctx, ids)), func(r *cyberlotse.Region) string { return r.ID }))
		same(t, "RegionMembers", must(network.RegionMembers(ctx, ids)), must(m.RegionMembers(ctx, ids)))
		same(t, "Satellites", must(network.Satellites(ctx, ids)), must(m.Satellites(ctx, ids)))
		var all []cyberlotse.AGS
		for _, mu := range must(m.Regions(ctx, nil)) {
			for _, x := range must(m.RegionMembers(ctx, []string{mu.ID}))[mu.ID] {
				all = append(all, x.AGS)
			}
		}
		all = append(all, "05766036", "05315000")
		same(t, "RegionsOfMunicipalities", must(network.RegionsOfMunicipalities(ctx, all)), must(m.RegionsOfMunicipalities(ctx, all)))

		orgs := must(network.Organizations(ctx, cyberlotse.OrganizationFilter{}))
		same(t, "Organizations", orgs, must(m.Organizations(ctx, cyberlotse.OrganizationFilter{})))
		police := cyberlotse.OrgPolice
		same(t, "Organizations(POLICE)", must(network.Organizations(ctx, cyberlotse.OrganizationFilter{Kind: &police})),
			must(m.Organizations(ctx, cyberlotse.OrganizationFilter{Kind: &police})))
		var orgIDs []string
		for _, o := range orgs {
			orgIDs = append(orgIDs, o.ID)
		}
		same(t, "ContactsOfOrganizations", must(network.ContactsOfOrganizations(ctx, orgIDs)), must(m.ContactsOfOrganizations(ctx, orgIDs)))

		company, level, key, lkaOrg := cyberlotse.AudienceCompany, cyberlotse.LevelDistrict, "05766", "lka-nrw"
		for _, f := range []cyberlotse.ContactFilter{{}, {Audience: &company}, {Level: &level}, {Level: &level, Key: &key}, {OrganizationID: &lkaOrg}} {
			same(t, fmt.Sprintf("Contacts(%+v)", f), must(network.Contacts(ctx, f)), must(m.Contacts(ctx, f)))
		}
		same(t, "Offers", must(network.Offers(ctx)), must(m.Offers(ctx)))
		same(t, "Topics", must(network.Topics(ctx)), must(m.Topics(ctx)))
		same(t, "Measures", must(measures.Measures(ctx)), must(m.Measures(ctx)))
		same(t, "MeasuresByCodes", sortedBy(must(measures.MeasuresByCodes(ctx, []string{"M03", "M01"})), func(x *cyberlotse.Measure) string { return x.Code }),
			sortedBy(must(m.MeasuresByCodes(ctx, []string{"M03", "M99", "M01"})), func(x *cyberlotse.Measure) string { return x.Code }))
	})
}

func sortedBy[T any](xs []T, key func(T) string) []T {
	out := slices.Clone(xs)
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

// Event lists come in the same order with the same filters and cursors.
func TestEventListsAnswerAsTheStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	m := mustOpen(t, db)
	ctx := context.Background()
	eventually(t, m, func(t checker) {
		events := store.NewEventService(db)
		kalletal := must(m.MunicipalitiesByAGS(ctx, []cyberlotse.AGS{"05766036"}))[0]
		from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		to := time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)
		region, ags, online, lunch, measure := "bergisches-staedtedreieck", cyberlotse.AGS("05766036"), cyberlotse.ModeOnline,
			cyberlotse.FormatLunchtalk, "M01"
		filters := []cyberlotse.EventFilter{
			{From: &from, To: &to},
			{Region: &region, To: &to},
			{AGS: &ags, To: &to},
			{Mode: &online, To: &to},
			{Format: &lunch, To: &to},
			{Measure: &measure, To: &to},
			{From: &from, To: &to, Near: &cyberlotse.Near{Place: kalletal, RadiusKm: 60}},
		}
		for _, f := range filters {
			want, err := events.CountEvents(ctx, f)
			if err != nil {
				panic(err)
			}
			same(t, fmt.Sprintf("CountEvents(%+v)", f), want, must(m.CountEvents(ctx, f)))
			p := cyberlotse.Page{First: 3}
			for page := 0; page < 50; page++ {
				w, wantMore, err := events.FindEvents(ctx, f, p)
				if err != nil {
					panic(err)
				}
				g, gotMore, err := m.FindEvents(ctx, f, p)
				if err != nil {
					panic(err)
				}
				same(t, fmt.Sprintf("FindEvents(%+v) page %d", f, page), w, g)
				if wantMore != gotMore {
					t.Errorf("FindEvents(%+v) page %d: more = %v, want %v", f, page, gotMore, wantMore)
				}
				if !wantMore {
					break
				}
				c := cyberlotse.EventCursor(w[len(w)-1])
				p.After = &c
			}
		}
		if _, _, err := m.FindEvents(ctx, cyberlotse.EventFilter{}, cyberlotse.Page{First: 1, After: &cyberlotse.Cursor{Keys: []string{"gestern"}}}); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
			t.Errorf("bad cursor: err = %v, want EINVALID", err)
		}
	})
}

// Matchmaking and emergency help give the same answers for every
// municipality of NRW whether the graph walk runs in Cypher or in memory.
func TestMatchmakingAnswersAsTheStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	m := mustOpen(t, db)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 8, 20, 9, 0, 0, 0, neo4jtest.Berlin) }
	viaStore := cyberlotse.NewMatchmaker(store.NewMatchStore(db))
	viaModel := cyberlotse.NewMatchmaker(m)
	viaStore.Now, viaModel.Now = now, now
	to := time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)
	munis, _, err := m.FindMunicipalities(ctx, cyberlotse.MunicipalityFilter{}, cyberlotse.Page{First: 1000})
	if err != nil || len(munis) != 396 {
		t.Fatalf("municipalities = %d, %v", len(munis), err)
	}
	employees := 12
	for _, mu := range munis {
		ags := mu.AGS
		// One municipality at a time, each compared right after catching
		// up: other packages' tests add and delete contacts and events
		// in Kalletal meanwhile, and a whole pass takes seconds.
		eventually(t, m, func(t checker) {
			in := cyberlotse.MatchInput{Place: cyberlotse.PlaceQuery{AGS: &ags}, Employees: &employees,
				Topics: []string{"phishing", "ransomware"}, To: &to, Limits: cyberlotse.MatchLimits{Contacts: 50, Events: 50, Measures: 13, Offers: 50}}
			want, err := viaStore.Match(ctx, in)
			if err != nil {
				panic(err)
			}
			got, err := viaModel.Match(ctx, in)
			if err != nil {
				panic(err)
			}
			roundDistances(want)
			roundDistances(got)
			same(t, "Match "+string(ags), jsonOf(want), jsonOf(got))
			for _, kind := range []cyberlotse.EmergencyKind{cyberlotse.EmergencyCompany, cyberlotse.EmergencyMunicipality, cyberlotse.EmergencyCitizen} {
				w, err := viaStore.EmergencyHelp(ctx, cyberlotse.PlaceQuery{AGS: &ags}, kind)
				if err != nil {
					panic(err)
				}
				g, err := viaModel.EmergencyHelp(ctx, cyberlotse.PlaceQuery{AGS: &ags}, kind)
				if err != nil {
					panic(err)
				}
				same(t, fmt.Sprintf("EmergencyHelp %s %s", ags, kind), jsonOf(w), jsonOf(g))
			}
		})
		if t.Failed() {
			return // one municipality's diff says enough
		}
	}
}

// The rollout matrix of every region, with its reach snapshots and the
// satellites under way, comes from memory as the store reads it.
func TestRolloutMatrixAnswersAsTheStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	m := mustOpen(t, db)
	ctx := context.Background()
	rollouts := store.NewRolloutService(db, neo4jtest.Berlin)
	viaModel := &readmodel.Rollouts{RolloutService: rollouts, Model: m}
	var ids []string
	for _, r := range must(m.Regions(ctx, nil)) {
		ids = append(ids, r.ID)
	}
	// The first read computes the missing reach snapshots; their write
	// reaches the model before it returns.
	first := must(viaModel.Matrix(ctx, ids))
	if len(first) != 13*len(ids) || len(ids) < 2 {
		t.Fatalf("%d cells for %d regions", len(first), len(ids))
	}
	eventually(t, m, func(t checker) {
		same(t, "Matrix", jsonOf(must(rollouts.Matrix(ctx, ids))), jsonOf(must(viaModel.Matrix(ctx, ids))))
	})
	if _, err := viaModel.Matrix(ctx, []string{ids[0], "atlantis"}); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown region: %v, want NOT_FOUND", err)
	}
}

// Places resolve as in the store: exact names win, prefixes list up to
// ten, postcodes with and without a town, unknown ones nothing.
func TestPlacesAnswerAsTheStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	m := mustOpen(t, db)
	ctx := context.Background()
	eventually(t, m, func(t checker) {
		s := store.NewMatchStore(db)
		str := func(v string) *string { return &v }
		pc := func(v string) *cyberlotse.Postcode { p := cyberlotse.Postcode(v); return &p }
		for _, q := range []cyberlotse.PlaceQuery{
			{Town: str("Kalletal")}, {Town: str("muenster")}, {Town: str("Bad")}, {Town: str("  wuppertal ")},
			{Postcode: pc("32689")}, {Postcode: pc("42853")}, {Postcode: pc("33602"), Town: str("Biel")}, {Town: str("Atlantis")},
		} {
			want, _, err := s.Places(ctx, q)
			if err != nil {
				panic(err)
			}
			got, _, err := m.Places(ctx, q)
			if err != nil {
				panic(err)
			}
			same(t, fmt.Sprintf("Places(%s)", jsonOf(q)), want, got)
		}
	})
}

// roundDistances rounds to millimetres: Neo4j's and Go's haversine
// differ in the last bits.
func roundDistances(r *cyberlotse.MatchResult) {
	for i := range r.Events {
		if d := r.Events[i].DistanceKm; d != nil {
			x := math.Round(*d*1e6) / 1e6
			r.Events[i].DistanceKm = &x
		}
	}
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// A registration and its cancellation change only the event's counts:
// the model takes the counts (ChangedEventCounts) and keeps the event in
// its place in the lists, as the store has it.
func TestRegistrationCountsReachTheModel(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	m := mustOpen(t, db)
	ctx := context.Background()
	capacity := 1
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture.Add(17*time.Hour), &capacity)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	register := func(name string) *cyberlotse.Registration {
		t.Helper()
		ch, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Consent: true,
			Attendee: cyberlotse.Attendee{Name: name, Email: cyberlotse.Email(neo4jtest.NewID() + "@example.org")}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return ch.Registration
	}
	counts := func(confirmed, waitlisted int) {
		t.Helper()
		if err := m.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		got := must(m.EventsByIDs(ctx, []string{e.ID}))
		if len(got) != 1 || got[0].Confirmed != confirmed || got[0].Waitlisted != waitlisted {
			t.Fatalf("model: %+v, want %d confirmed and %d waitlisted", got, confirmed, waitlisted)
		}
		ags := cyberlotse.AGS("05766036")
		from := e.StartsAt
		list, _ := must2(m.FindEvents(ctx, cyberlotse.EventFilter{AGS: &ags, From: &from}, cyberlotse.Page{First: 50}))
		found := false
		for _, x := range list {
			found = found || (x.ID == e.ID && x.Confirmed == confirmed)
		}
		if !found {
			t.Errorf("the event list does not show the event with %d confirmed", confirmed)
		}
	}
	counts(0, 0)
	first := register("Erste Person")
	counts(1, 0)
	register("Zweite Person")
	counts(1, 1)
	if _, err := regs.Cancel(ctx, first.ID, time.Now()); err != nil { // the second moves up
		t.Fatal(err)
	}
	counts(1, 0)
	same(t, "event", must(store.NewEventService(db).EventsByIDs(ctx, []string{e.ID})), must(m.EventsByIDs(ctx, []string{e.ID})))
}

func must2[T, U any](v T, u U, err error) (T, U) {
	if err != nil {
		panic(err)
	}
	return v, u
}
