package main

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

type matrixReach struct {
	Events, Registrations, Companies, Satellites int
	AsOf                                         time.Time
}

type matrixCell struct {
	Measure      struct{ Code string }
	Status       string
	NextStatuses []string
	Progress     int
	Version      int
	Recorded     bool
	Reach        matrixReach
}

const matrixQuery = `query($ids: [ID!]) { rolloutMatrix(regionIds: $ids) { region { slug kind }
	cells { measure { code } status nextStatuses progress version recorded reach { events registrations companies satellites asOf } } } }`

func matrix(t *testing.T, h http.Handler, token string, ids []string) map[string]map[string]matrixCell {
	t.Helper()
	vars := map[string]any{}
	if ids != nil {
		vars["ids"] = ids
	}
	res := gql(t, h, token, matrixQuery, vars)
	if len(res.Errors) > 0 {
		t.Fatalf("matrix: %+v", res.Errors)
	}
	var out struct {
		RolloutMatrix []struct {
			Region struct{ Slug, Kind string }
			Cells  []matrixCell
		}
	}
	json.Unmarshal(res.Data, &out)
	m := map[string]map[string]matrixCell{}
	for _, row := range out.RolloutMatrix {
		if len(row.Cells) != 13 {
			t.Errorf("%s has %d cells", row.Region.Slug, len(row.Cells))
		}
		m[row.Region.Slug] = map[string]matrixCell{}
		for _, c := range row.Cells {
			m[row.Region.Slug][c.Measure.Code] = c
		}
	}
	return m
}

func TestRolloutForRegionalManagers(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	t.Cleanup(func() { store.DeleteRolloutForTest(context.Background(), m.DB, "bergisches-staedtedreieck", "M01") })
	issue := func(id cyberlotse.Identity, ttl time.Duration) string {
		tok, err := m.Auth.Issue(id, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	manager := issue(cyberlotse.Identity{Subject: "bsw-manager", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager},
		RegionIDs: []string{"bergisches-staedtedreieck"}}, time.Hour)
	elsewhere := issue(cyberlotse.Identity{Subject: "other-manager", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager},
		RegionIDs: []string{"eine-andere-region"}}, time.Hour)
	organizer := issue(cyberlotse.Identity{Subject: "org", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer}, OrganizationIDs: []string{"gemeinde-kalletal"}}, time.Hour)
	expired := issue(cyberlotse.Identity{Subject: "bsw-manager", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager},
		RegionIDs: []string{"bergisches-staedtedreieck"}}, time.Minute)
	c.Add(2 * time.Minute)

	// The manager's default matrix: the model region and its satellite
	// Kalletal, each with its own row of 13 measures.
	before := matrix(t, h, manager, nil)
	if len(before) != 2 || before["kalletal"] == nil || before["bergisches-staedtedreieck"]["M01"].Status != "NOT_STARTED" ||
		before["bergisches-staedtedreieck"]["M01"].Recorded {
		t.Fatalf("matrix = %+v", before)
	}

	update := `mutation($status: RolloutStatus!, $v: Int, $note: String) { updateRollout(regionId: "bergisches-staedtedreieck",
		measureCode: "M01", input: {status: $status, progress: 40, expectedVersion: $v, note: $note,
		milestones: [{title: "Auftakt mit Unternehmen", due: "2027-02-01"}]}) { status version recorded nextStatuses updatedBy milestones { title due done } } }`
	// Who may not.
	for _, tt := range []struct{ token, code string }{{"", "UNAUTHENTICATED"}, {elsewhere, "FORBIDDEN"}, {organizer, "FORBIDDEN"}} {
		if res := gql(t, h, tt.token, update, map[string]any{"status": "PLANNED"}); res.code() != tt.code {
			t.Errorf("update as %q…: %+v", tt.token[:min(8, len(tt.token))], res.Errors)
		}
	}
	for _, bad := range []string{expired, manager[:len(manager)-4] + "AAAA"} {
		if res := gql(t, h, bad, matrixQuery, nil); res.status != 401 || res.code() != "UNAUTHENTICATED" {
			t.Errorf("expired or tampered token: %d %+v", res.status, res.Errors)
		}
	}
	// NOT_STARTED → EVALUATED is not a transition; the error names the allowed ones.
	bad := gql(t, h, manager, update, map[string]any{"status": "EVALUATED"})
	if bad.code() != "BAD_USER_INPUT" || !strings.Contains(bad.Errors[0].Message, "Erlaubt sind: PLANNED") {
		t.Errorf("invalid transition: %+v", bad.Errors)
	}
	// PLANNED, then IN_PROGRESS.
	for i, status := range []string{"PLANNED", "IN_PROGRESS"} {
		res := gql(t, h, manager, update, map[string]any{"status": status, "v": i, "note": "Schritt " + status})
		if len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"status":"`+status+`"`) || !strings.Contains(string(res.Data), `"updatedBy":"bsw-manager"`) {
			t.Fatalf("%s: %s %+v", status, res.Data, res.Errors)
		}
	}
	// A stale version is a conflict.
	if res := gql(t, h, manager, update, map[string]any{"status": "LIVE", "v": 0}); res.code() != "CONFLICT" {
		t.Errorf("stale version: %+v", res.Errors)
	}
	after := matrix(t, h, manager, []string{"bergisches-staedtedreieck"})
	cell := after["bergisches-staedtedreieck"]["M01"]
	if cell.Status != "IN_PROGRESS" || cell.Progress != 40 || cell.Version != 2 || !cell.Recorded || strings.Join(cell.NextStatuses, ",") != "LIVE,PAUSED,PLANNED" {
		t.Errorf("M01 after update = %+v", cell)
	}
	hist := gql(t, h, manager, `{ rolloutHistory(regionId: "bergisches-staedtedreieck", measureCode: "M01") { by from to progressFrom progressTo note } }`, nil)
	if !strings.Contains(string(hist.Data), `{"by":"bsw-manager","from":"PLANNED","to":"IN_PROGRESS","progressFrom":40,"progressTo":40,"note":"Schritt IN_PROGRESS"}`) ||
		!strings.Contains(string(hist.Data), `"from":"NOT_STARTED","to":"PLANNED"`) {
		t.Errorf("history: %s %+v", hist.Data, hist.Errors)
	}

	// Reach: an event for the model region addressing M01, then a company
	// from Solingen registers for it. The reach is a snapshot: unchanged
	// until the job refreshes it.
	reachNow := func() matrixReach {
		return matrix(t, h, manager, []string{"bergisches-staedtedreieck"})["bergisches-staedtedreieck"]["M01"].Reach
	}
	refresh := func() {
		c.Add(time.Minute)
		if err := store.NewRolloutService(m.DB, berlin).RefreshReach(context.Background(), []string{"bergisches-staedtedreieck"}, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
	refresh()
	start := reachNow()
	regs := store.NewRegistrationService(m.DB, neo4jtest.NewID, berlin)
	e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Reichweitentest", StartsAt: neo4jtest.FarFuture,
		Format: cyberlotse.FormatWorkshop, Mode: cyberlotse.ModeOnsite, AGS: "05122000", Status: cyberlotse.EventScheduled,
		OrganizerID: "bergische-gesellschaft", RegionIDs: []string{"bergisches-staedtedreieck"}, MeasureCodes: []string{"M01"}}
	if err := regs.CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, m.DB, e.ID) })
	if stale := reachNow(); stale != start {
		t.Errorf("reach changed before a refresh: %+v, was %+v", stale, start)
	}
	refresh()
	mid := reachNow()
	solingen := cyberlotse.AGS("05122000")
	if _, err := regs.Register(context.Background(), cyberlotse.RegisterInput{EventID: e.ID, Consent: true,
		Attendee: cyberlotse.Attendee{Name: "Klara Klinge", Email: cyberlotse.Email("klara-" + neo4jtest.NewID() + "@example.org"),
			CompanyName: "Klingen " + neo4jtest.NewID() + " GmbH", AGS: &solingen}}, c.Now()); err != nil {
		t.Fatal(err)
	}
	refresh()
	end := reachNow()
	if mid.Events != start.Events+1 || end.Registrations != mid.Registrations+1 || end.Companies != mid.Companies+1 ||
		!end.AsOf.Equal(c.Now()) {
		t.Errorf("reach before %+v, with event %+v, after registration %+v (now %v)", start, mid, end, c.Now())
	}
}

// The matrix is executed once per query, viewer scope and version of the
// snapshots; the next viewer with the same claims gets the answer kept,
// a change shows at once, and a selection beyond the snapshots (a region's
// members) or an error is never kept.
func TestRolloutMatrixAnswersAreKept(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	t.Cleanup(func() { store.DeleteRolloutForTest(context.Background(), m.DB, "kalletal", "M07") })
	count := func(answer string) float64 {
		var d dto.Metric
		m.Metrics.matrix.WithLabelValues(answer).Write(&d)
		return d.GetCounter().GetValue()
	}
	issue := func(subject string, regions ...string) string {
		tok, err := m.Auth.Issue(cyberlotse.Identity{Subject: subject, Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager},
			RegionIDs: regions}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	first, second := issue("manager-1", "bergisches-staedtedreieck"), issue("manager-2", "bergisches-staedtedreieck")

	// Other tests may change rollouts meanwhile (a new version executes
	// again), so of five alternating asks at least one must be kept.
	want := matrix(t, h, first, nil)
	kept := count("kept")
	for i := range 5 {
		tok := []string{second, first}[i%2]
		if got := matrix(t, h, tok, nil); !reflect.DeepEqual(got, want) {
			t.Fatalf("ask %d: %+v, want %+v", i, got["kalletal"], want["kalletal"])
		}
	}
	if count("kept") == kept {
		t.Errorf("five asks with the same claims: none kept (executed %v)", count("executed"))
	}

	// A change through this server shows at once.
	res := gql(t, h, first, `mutation { updateRollout(regionId: "kalletal", measureCode: "M07", input: {status: PLANNED}) { status } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("update: %+v", res.Errors)
	}
	if got := matrix(t, h, first, nil)["kalletal"]["M07"]; got.Status != "PLANNED" || !got.Recorded {
		t.Errorf("after the update: %+v", got)
	}

	// Members are not in the snapshots the version follows; an answer
	// with an error is not kept either.
	kept = count("kept")
	for range 2 {
		res := gql(t, h, first, `{ rolloutMatrix { region { name members { name } } } }`, nil)
		if len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"name":"Kalletal"`) {
			t.Fatalf("with members: %s %+v", res.Data, res.Errors)
		}
		if res := gql(t, h, first, `{ rolloutMatrix(regionIds: ["eine-andere-region"]) { region { name } } }`, nil); res.code() != "NOT_FOUND" {
			t.Fatalf("another region: %+v", res.Errors)
		}
	}
	if count("kept") != kept {
		t.Errorf("kept %v answers with members or errors", count("kept")-kept)
	}
}
