package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// newClient serves the real schema over the real, seeded Neo4j with the
// per-request loaders, as the server does.
func newClient(t *testing.T, db *store.DB) *client.Client {
	t.Helper()
	return client.New(newHandler(db))
}

func newHandler(db *store.DB) http.Handler {
	r := &graph.Resolver{
		Geo: store.NewGeoService(db), Network: store.NewNetworkService(db),
		Events: store.NewEventService(db), Measures: store.NewMeasureService(db),
		Match:    cyberlotse.NewMatchmaker(store.NewMatchStore(db)),
		Search:   store.NewSearchBackend(db),
		Rollouts: store.NewRolloutService(db, neo4jtest.Berlin),
	}
	return r.Middleware(graph.OverHTTP(graph.NewHandler(r, graph.DefaultLimits, neo4jtest.Logger())))
}

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

// post runs a query and returns its data and errors without failing on
// GraphQL errors, so that tests can assert them.
func post(t *testing.T, c *client.Client, query string, data any, opts ...client.Option) []gqlError {
	t.Helper()
	resp, err := c.RawPost(query, opts...)
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	if data != nil && resp.Data != nil {
		b, _ := json.Marshal(resp.Data)
		if err := json.Unmarshal(b, data); err != nil {
			t.Fatalf("decode data: %v", err)
		}
	}
	var errs []gqlError
	if resp.Errors != nil {
		if err := json.Unmarshal(resp.Errors, &errs); err != nil {
			t.Fatalf("decode errors %s: %v", resp.Errors, err)
		}
	}
	return errs
}

// rawPost posts a query over HTTP and returns the status and errors, for
// the error cases that gqlgen answers with a non-200 status.
func rawPost(t *testing.T, h http.Handler, query string) (int, []gqlError) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var resp struct{ Errors []gqlError }
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		t.Fatalf("response %q: %v", rec.Body.String(), err)
	}
	return rec.Code, resp.Errors
}

func mustPost(t *testing.T, c *client.Client, query string, data any, opts ...client.Option) {
	t.Helper()
	if errs := post(t, c, query, data, opts...); len(errs) > 0 {
		t.Fatalf("unexpected errors: %+v", errs)
	}
}

func TestMeasuresAreThirteenAndMarkedSample(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		Measures []struct {
			Code     string
			Title    string
			IsSample bool
		}
	}
	mustPost(t, c, `{ measures { code title isSample } }`, &resp)
	if len(resp.Measures) != 13 {
		t.Fatalf("%d measures", len(resp.Measures))
	}
	for i, m := range resp.Measures {
		want := fmt.Sprintf("M%02d", i+1)
		if m.Code != want || m.Title == "" {
			t.Errorf("measure %d = %+v, want code %s", i, m, want)
		}
	}
}

func TestRegionBySlugListsMembersAndSatellite(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		Region struct {
			ID, Slug, Kind string
			Members        []struct{ Name string }
			Satellites     []struct {
				Slug        string
				Kind        string
				Members     []struct{ Name string }
				ModelRegion struct{ Slug string }
			}
			Manager struct{ Name string }
		}
	}
	mustPost(t, c, `{ region(id: "bergisches-staedtedreieck") { id slug kind members { name }
		satellites { slug kind members { name } modelRegion { slug } } manager { name } } }`, &resp)
	r := resp.Region
	var members []string
	for _, m := range r.Members {
		members = append(members, m.Name)
	}
	if strings.Join(members, ",") != "Remscheid,Solingen,Wuppertal" || r.Kind != "MODEL_REGION" {
		t.Errorf("members = %v, kind %s", members, r.Kind)
	}
	if len(r.Satellites) != 1 || r.Satellites[0].Slug != "kalletal" || r.Satellites[0].Members[0].Name != "Kalletal" ||
		r.Satellites[0].ModelRegion.Slug != "bergisches-staedtedreieck" || r.Satellites[0].Kind != "SATELLITE" {
		t.Errorf("satellites = %+v", r.Satellites)
	}
	if !strings.Contains(r.Manager.Name, "Bergische Struktur- und Wirtschaftsförderungsgesellschaft") {
		t.Errorf("manager = %q", r.Manager.Name)
	}

	// The global ID fetches the same region through node(id:) and region(id:).
	var byNode struct {
		Node   struct{ Slug string }
		Region struct{ Name string }
	}
	mustPost(t, c, `query($id: ID!) { node(id: $id) { ... on Region { slug } } region(id: $id) { name } }`, &byNode,
		client.Var("id", r.ID))
	if byNode.Node.Slug != "bergisches-staedtedreieck" || byNode.Region.Name == "" {
		t.Errorf("by global id: %+v", byNode)
	}
}

// A satellite reached through its municipality names its model region,
// as it does when asked for by id: the region projection once bound the
// outer municipality in place of the model region and answered null.
func TestSatelliteModelRegionOnEveryPath(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		Municipality struct {
			Regions []struct {
				Slug        string
				ModelRegion struct{ Slug string }
			}
		}
		Region struct{ ModelRegion struct{ Slug string } }
	}
	mustPost(t, c, `{ municipality(ags: "05766036") { regions { slug modelRegion { slug } } }
		region(id: "kalletal") { modelRegion { slug } } }`, &resp)
	regions := resp.Municipality.Regions
	if len(regions) != 1 || regions[0].Slug != "kalletal" || regions[0].ModelRegion.Slug != "bergisches-staedtedreieck" ||
		resp.Region.ModelRegion.Slug != "bergisches-staedtedreieck" {
		t.Errorf("via municipality %+v, by id %+v", regions, resp.Region)
	}
}

func TestMunicipalitiesConnection(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		All struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Nodes []struct{ Name string }
		}
		ByPostcode struct {
			TotalCount int
			Nodes      []struct {
				Ags      string
				District struct{ Name string }
			}
		}
	}
	mustPost(t, c, `{ all: municipalities(first: 5) { totalCount pageInfo { hasNextPage endCursor } nodes { name } }
		byPostcode: municipalities(filter: {postcode: "42853"}) { totalCount nodes { ags district { name } } } }`, &resp)
	if resp.All.TotalCount != 396 || !resp.All.PageInfo.HasNextPage || len(resp.All.Nodes) != 5 || resp.All.Nodes[0].Name != "Aachen" {
		t.Errorf("all = %+v", resp.All)
	}
	if resp.ByPostcode.TotalCount != 1 || resp.ByPostcode.Nodes[0].Ags != "05120000" || resp.ByPostcode.Nodes[0].District.Name != "Remscheid" {
		t.Errorf("42853 = %+v", resp.ByPostcode)
	}
	var next struct {
		Municipalities struct{ Nodes []struct{ Name string } }
	}
	mustPost(t, c, `query($after: String) { municipalities(first: 1, after: $after) { nodes { name } } }`, &next,
		client.Var("after", resp.All.PageInfo.EndCursor))
	if len(next.Municipalities.Nodes) != 1 || next.Municipalities.Nodes[0].Name != "Alpen" {
		t.Errorf("page after the fifth = %+v, want Alpen", next.Municipalities.Nodes)
	}
}

func TestKalletalEveningInBerlinTime(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		Event struct {
			StartsAt     string
			IsSample     bool
			Municipality struct{ Name string }
			Organizer    struct{ Slug string }
			Regions      []struct{ Slug string }
		}
	}
	mustPost(t, c, `{ event(id: "kalletal-infoabend-2025-09-04") { startsAt isSample municipality { name } organizer { slug } regions { slug } } }`, &resp)
	e := resp.Event
	if e.StartsAt != "2025-09-04T18:00:00+02:00" || e.IsSample || e.Municipality.Name != "Kalletal" || e.Organizer.Slug != "gemeinde-kalletal" {
		t.Errorf("event = %+v", e)
	}
}

func TestEventsFilterByRegionAndWindow(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		Events struct {
			TotalCount int
			Edges      []struct {
				Cursor string
				Node   struct {
					Slug     string
					StartsAt string
					Format   string
				}
			}
		}
	}
	mustPost(t, c, `{ events(filter: {region: "bergisches-staedtedreieck", from: "2026-11-23T00:00:00+01:00", to: "2090-01-01T00:00:00+01:00"}) {
		totalCount edges { cursor node { slug startsAt format } } } }`, &resp)
	if resp.Events.TotalCount == 0 || resp.Events.TotalCount != len(resp.Events.Edges) {
		t.Fatalf("events for the model region: %+v", resp.Events)
	}
	for _, e := range resp.Events.Edges {
		if e.Node.StartsAt < "2026-11-23" || e.Cursor == "" {
			t.Errorf("event %+v outside the window", e.Node)
		}
	}
}

// With application/graphql-response+json, a request that fails before
// execution gets 400 and no data entry; one that executes gets 200 and
// its data (GraphQL over HTTP, sections 6.4.2).
func TestRequestErrorsAsGraphQLResponse(t *testing.T) {
	h := newHandler(neo4jtest.MustOpenDB(t))
	for _, tt := range []struct {
		query   string
		status  int
		hasData bool
	}{
		{`{ measures { code `, http.StatusBadRequest, false},
		{`{ nope }`, http.StatusBadRequest, false},
		{`query($n: Int!) { events(first: $n) { totalCount } }`, http.StatusBadRequest, false},
		{`{ measure(code: "M14") { title } }`, http.StatusOK, true},
	} {
		body, _ := json.Marshal(map[string]any{"query": tt.query, "variables": map[string]any{"n": "zwei"}})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var resp map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("%s: %q: %v", tt.query, rec.Body.String(), err)
		}
		_, hasData := resp["data"]
		if rec.Code != tt.status || hasData != tt.hasData || resp["errors"] == nil ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "application/graphql-response+json") {
			t.Errorf("%s: %d %s %s, want %d with data %v", tt.query, rec.Code, rec.Header().Get("Content-Type"), rec.Body.String(),
				tt.status, tt.hasData)
		}
	}
}

func TestErrorsCarryCodes(t *testing.T) {
	h := newHandler(neo4jtest.MustOpenDB(t))
	deep := `{ region(id: "kalletal") { modelRegion { satellites { modelRegion { satellites { modelRegion {
		satellites { modelRegion { satellites { modelRegion { satellites { modelRegion { slug } } } } } } } } } } } } }`
	tests := []struct {
		name, query, code, reason, message string
		status                             int
	}{
		// application/json: request errors with status 200 (GraphQL over HTTP)
		{"malformed", `{ measures { code `, "BAD_USER_INPUT", "GRAPHQL_PARSE_FAILED", "Ungültige Abfrage", 200},
		{"unknown field", `{ nope }`, "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "Cannot query field", 200},
		{"unknown event", `{ event(id: "gibt-es-nicht") { title } }`, "NOT_FOUND", "", "Veranstaltung „gibt-es-nicht“ wurde nicht gefunden.", 200},
		{"unknown region", `{ region(id: "atlantis") { name } }`, "NOT_FOUND", "", "Region „atlantis“ wurde nicht gefunden.", 200},
		{"too deep", deep, "BAD_USER_INPUT", "DEPTH_LIMIT_EXCEEDED", "Ebenen tief", 200},
		{"bad datetime", `{ events(filter: {from: "morgen"}) { totalCount } }`, "BAD_USER_INPUT", "", "RFC 3339", 200},
		{"bad ags", `{ municipality(ags: "123") { name } }`, "BAD_USER_INPUT", "", "05766036", 200},
		{"page too large", `{ events(first: 1000) { totalCount } }`, "BAD_USER_INPUT", "", "zwischen 1 und 100", 200},
		{"bad cursor", `{ events(after: "kaputt") { totalCount } }`, "BAD_USER_INPUT", "", "Cursor", 200},
		{"bad measure", `{ measure(code: "M14") { title } }`, "BAD_USER_INPUT", "", "M01 bis M13", 200},
		{"bad global id", `{ node(id: "???") { id } }`, "BAD_USER_INPUT", "", "globale ID", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, errs := rawPost(t, h, tt.query)
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			if len(errs) != 1 {
				t.Fatalf("errors = %+v, want one", errs)
			}
			e := errs[0]
			if e.Extensions["code"] != tt.code || (tt.reason != "" && e.Extensions["reason"] != tt.reason) || !strings.Contains(e.Message, tt.message) {
				t.Errorf("error = %+v, want code %s reason %q message containing %q", e, tt.code, tt.reason, tt.message)
			}
		})
	}
}

// A failing database shows a generic INTERNAL error; the driver's message
// (addresses, Cypher) stays in the log.
func TestInternalErrorsDoNotLeak(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	c := newClient(t, db)
	db.Close(context.Background())
	errs := post(t, c, `{ measures { code } }`, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "INTERNAL" || errs[0].Message != "Interner Fehler. Bitte versuchen Sie es später erneut." {
		t.Errorf("errors = %+v", errs)
	}
}

// A nested query costs one Cypher round trip per level of the query, not
// one per object: the dataloaders batch each level.
func TestNestedQueryRoundTrips(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	var mu sync.Mutex
	var ops []string
	db.OnQuery = func(op string) {
		mu.Lock()
		ops = append(ops, op)
		mu.Unlock()
	}
	c := newClient(t, db)
	var resp struct {
		Regions []struct {
			Slug    string
			Members []struct {
				District struct {
					GovRegion struct{ Name string }
				}
				Police struct {
					Kriminalhauptstelle struct{ Name string }
				}
			}
		}
	}
	mustPost(t, c, `{ regions { slug name
		members { name district { name govRegion { name } } police { name kriminalhauptstelle { name } } } } }`, &resp)
	// The seeded regions; a server test may add a test region meanwhile.
	members := map[string]int{}
	for _, r := range resp.Regions {
		members[r.Slug] = len(r.Members)
	}
	if members["bergisches-staedtedreieck"] != 3 || members["kalletal"] != 1 {
		t.Fatalf("regions = %+v", resp.Regions)
	}
	// Level 1 regions; 2 members; 3 districts and police (two loaders in
	// parallel); 4 gov regions and Kriminalhauptstellen.
	want := []string{"neo4j.Regions", "neo4j.RegionMembers", "neo4j.DistrictsByKeys", "neo4j.OrganizationsByIDs",
		"neo4j.GovRegionsByKeys", "neo4j.OrganizationsByIDs"}
	got := append([]string(nil), ops...)
	if len(got) != len(want) {
		t.Fatalf("round trips = %d %v, want %d %v", len(got), got, len(want), want)
	}
	count := func(xs []string) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			m[x]++
		}
		return m
	}
	g, w := count(got), count(want)
	for k, v := range w {
		if g[k] != v {
			t.Errorf("%s ran %d times, want %d (all: %v)", k, g[k], v, got)
		}
	}
	t.Logf("nested query over %d municipalities: %d round trips", 4, len(got))
}

// Events near a place: on site or hybrid within the radius of the place's
// municipality, in start order, with the distance on each edge.
func TestEventsNearAPlace(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	c := newClient(t, db)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	day := func(d int) time.Time { return time.Date(2097, 5, d, 10, 0, 0, 0, time.UTC) }
	create := func(ags cyberlotse.AGS, mode cyberlotse.EventMode, start time.Time, title string) {
		e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: title, StartsAt: start, Format: cyberlotse.FormatInfoEvening,
			Mode: mode, AGS: ags, Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal",
			Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
		if err := regs.CreateEvent(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, db, e.ID) })
	}
	create("05766020", cyberlotse.ModeHybrid, day(3), "Umkreistest Detmold")
	create("05315000", cyberlotse.ModeOnsite, day(2), "Umkreistest Köln") // 200 km away
	create("", cyberlotse.ModeOnline, day(1), "Umkreistest online")
	create("05766044", cyberlotse.ModeOnsite, day(4), "Umkreistest Lemgo")

	var resp struct {
		Events struct {
			TotalCount int
			Edges      []struct {
				DistanceKm *float64
				Node       struct{ Title string }
			}
		}
	}
	near := func(radius string) string {
		return `{ events(filter: {from: "2097-05-01T00:00:00Z", to: "2097-06-01T00:00:00Z",
			near: {place: {town: "Kalletal"}` + radius + `}}) { totalCount edges { distanceKm node { title } } } }`
	}
	mustPost(t, c, near(""), &resp)
	var got []string
	for _, e := range resp.Events.Edges {
		got = append(got, fmt.Sprintf("%s %.1f", e.Node.Title, deref(e.DistanceKm)))
	}
	// Distances between the municipalities' centres (Kalletal 52.1068 N
	// 8.9482 E, Detmold 51.9354 N 8.8786 E, Lemgo 52.0279 N 8.9009 E).
	if want := []string{"Umkreistest Detmold 19.7", "Umkreistest Lemgo 9.4"}; resp.Events.TotalCount != 2 || strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("near Kalletal (25 km): %d %v, want %v", resp.Events.TotalCount, got, want)
	}
	mustPost(t, c, near(", radiusKm: 10"), &resp)
	if len(resp.Events.Edges) != 1 || resp.Events.Edges[0].Node.Title != "Umkreistest Lemgo" {
		t.Errorf("near Kalletal (10 km): %+v", resp.Events.Edges)
	}
	mustPost(t, c, `{ events(filter: {from: "2097-05-01T00:00:00Z", to: "2097-06-01T00:00:00Z"}) {
		totalCount edges { distanceKm node { title } } } }`, &resp)
	if resp.Events.TotalCount != 4 || resp.Events.Edges[0].DistanceKm != nil {
		t.Errorf("without near: %d events, first distance %v (want 4, none)", resp.Events.TotalCount, resp.Events.Edges[0].DistanceKm)
	}
	errs := post(t, c, near(", radiusKm: 0"), nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || errs[0].Extensions["field"] != "near.radiusKm" {
		t.Errorf("radius 0: %+v", errs)
	}
	errs = post(t, c, `{ events(filter: {near: {place: {ags: "05766036", town: "Kalletal"}}}) { totalCount } }`, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || errs[0].Extensions["field"] != "near.place" {
		t.Errorf("two forms of place: %+v", errs)
	}
	errs = post(t, c, `{ events(filter: {near: {place: {town: "Atlantis"}}}) { totalCount } }`, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || errs[0].Extensions["reason"] != "UNKNOWN_PLACE" {
		t.Errorf("unknown place: %+v", errs)
	}
}

func deref(f *float64) float64 {
	if f == nil {
		return -1
	}
	return *f
}
