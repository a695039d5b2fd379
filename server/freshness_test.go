package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// freshWithin is how soon a change made through one replica must show
// through another (each follows the change log every READ_MODEL_INTERVAL).
const freshWithin = time.Second

// answers asks h until the answer of query contains want, for at most
// freshWithin, and fails with the last answer otherwise. It returns how
// long the change took to show.
func answers(t *testing.T, h http.Handler, token, query string, vars map[string]any, want string) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		res := gql(t, h, token, query, vars)
		if len(res.Errors) == 0 && strings.Contains(string(res.Data), want) {
			return time.Since(start)
		}
		if time.Since(start) > freshWithin {
			t.Fatalf("after %v, %s answers %s %+v; want %s", time.Since(start).Round(time.Millisecond), query, res.Data, res.Errors, want)
		}
		time.Sleep(10 * time.Millisecond) // polling for another replica's follower
	}
}

// answersNow asks h once: the replica that wrote reads its own writes.
func answersNow(t *testing.T, h http.Handler, token, query string, vars map[string]any, want string) {
	t.Helper()
	res := gql(t, h, token, query, vars)
	if len(res.Errors) > 0 || !strings.Contains(string(res.Data), want) {
		t.Fatalf("%s answers %s %+v at once; want %s", query, res.Data, res.Errors, want)
	}
}

// A change made through replica A is visible through A at once and
// through replica B (same Neo4j, its own read model) within a second:
// new, updated and cancelled events, registrations, rollout updates,
// satellites and imported contacts.
func TestChangesReachEveryReplica(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	a, ha := newTestMain(t, c, srv)
	b, hb := newTestMain(t, c, srv)
	ctx := context.Background()
	issue := func(id cyberlotse.Identity) string {
		tok, err := a.Auth.Issue(id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	organizer := issue(cyberlotse.Identity{Subject: "kalletal", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer},
		OrganizationIDs: []string{"gemeinde-kalletal"}})
	adminID := cyberlotse.Identity{Subject: "admin", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}
	admin := issue(adminID)
	adminB, err := b.Auth.Issue(adminID, time.Hour) // each replica has its own test key
	if err != nil {
		t.Fatal(err)
	}
	var slowest time.Duration
	both := func(token, query string, vars map[string]any, want string) {
		t.Helper()
		tokenB := token
		if token == admin {
			tokenB = adminB
		}
		answersNow(t, ha, token, query, vars, want)
		slowest = max(slowest, answers(t, hb, tokenB, query, vars, want))
	}

	// A new event, then an update, a registration and the cancellation.
	title := "Frischetest " + neo4jtest.NewID()
	res := gql(t, ha, organizer, `mutation($title: String!) { createEvent(input: {title: $title,
		startsAt: "2099-04-01T18:00:00+02:00", format: WORKSHOP, mode: ONSITE, venue: "Rathaus", ags: "05766036",
		capacity: 10, organizer: "gemeinde-kalletal"}) { slug } }`, map[string]any{"title": title})
	var created struct{ CreateEvent struct{ Slug string } }
	if err := json.Unmarshal(res.Data, &created); err != nil || len(res.Errors) > 0 {
		t.Fatalf("create: %s %+v", res.Data, res.Errors)
	}
	slug := created.CreateEvent.Slug
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, a.DB, slug) })
	detail := `query($id: ID!) { event(id: $id) { title status confirmedCount } }`
	byID := map[string]any{"id": slug}
	both("", detail, byID, `"title":"`+title+`"`)
	both("", `{ events(filter: {ags: "05766036", from: "2099-01-01T00:00:00+01:00"}, first: 100) { nodes { slug } } }`, nil, slug)

	res = gql(t, ha, organizer, `mutation($id: ID!) { updateEvent(id: $id, input: {title: "Geändert"}) { title } }`, byID)
	if len(res.Errors) > 0 {
		t.Fatalf("update: %+v", res.Errors)
	}
	both("", detail, byID, `"title":"Geändert"`)

	res = gql(t, ha, "", `mutation($id: ID!, $email: String!) { registerForEvent(eventId: $id, consent: true,
		attendee: {name: "Frieda Frisch", email: $email}) { registration { status } } }`,
		map[string]any{"id": slug, "email": "frieda-" + neo4jtest.NewID() + "@example.org"})
	if len(res.Errors) > 0 {
		t.Fatalf("register: %+v", res.Errors)
	}
	both("", detail, byID, `"confirmedCount":1`)

	res = gql(t, ha, organizer, `mutation($id: ID!) { cancelEvent(id: $id, reason: "Test") { status } }`, byID)
	if len(res.Errors) > 0 {
		t.Fatalf("cancel: %+v", res.Errors)
	}
	both("", detail, byID, `"status":"CANCELLED"`)

	// A rollout update shows in matchmaking's measures.
	t.Cleanup(func() { store.DeleteRolloutForTest(ctx, a.DB, "bergisches-staedtedreieck", "M13") })
	res = gql(t, ha, admin, `mutation { updateRollout(regionId: "bergisches-staedtedreieck", measureCode: "M13",
		input: {status: PLANNED, note: "Frischetest"}) { status } }`, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("updateRollout: %+v", res.Errors)
	}
	both("", `{ matchmaking(input: {place: {ags: "05124000"}, first: {measures: 13}}) { measures { measure { code } rolloutStatus } } }`,
		nil, `{"measure":{"code":"M13"},"rolloutStatus":"PLANNED"}`)

	// A satellite of a model region of the test's own.
	model := neo4jtest.NewID()
	if err := store.CreateModelRegionForTest(ctx, a.DB, model, "Testmodellregion "+model, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.DeleteRegionsForTest(ctx, a.DB, model, "nieheim") })
	res = gql(t, ha, admin, `mutation($model: ID!) { addSatellite(modelRegionId: $model, ags: "05762028") { slug } }`,
		map[string]any{"model": model})
	if len(res.Errors) > 0 {
		t.Fatalf("addSatellite: %+v", res.Errors)
	}
	both("", `{ municipality(ags: "05762028") { regions { slug modelRegion { slug } } } }`, nil,
		`{"slug":"nieheim","modelRegion":{"slug":"`+model+`"}}`)

	// The satellite taking up a measure counts in its model region's matrix.
	matrix := `query($model: ID!) { rolloutMatrix(regionIds: [$model]) { cells { measure { code } reach { satellites } } } }`
	both(admin, matrix, map[string]any{"model": model}, `{"measure":{"code":"M01"},"reach":{"satellites":0}}`)
	for _, status := range []string{"PLANNED", "IN_PROGRESS"} {
		res = gql(t, ha, admin, `mutation($status: RolloutStatus!) { updateRollout(regionId: "nieheim", measureCode: "M01",
			input: {status: $status, note: "Frischetest"}) { status } }`, map[string]any{"status": status})
		if len(res.Errors) > 0 {
			t.Fatalf("updateRollout nieheim %s: %+v", status, res.Errors)
		}
	}
	both(admin, matrix, map[string]any{"model": model}, `{"measure":{"code":"M01"},"reach":{"satellites":1}}`)

	// An imported contact, responsible for Nieheim.
	email := "frisch-" + neo4jtest.NewID() + "@example.org"
	key := cyberlotse.ContactKey(email, "", "")
	t.Cleanup(func() { store.DeleteContactKeysForTest(ctx, a.DB, []string{key}) })
	if _, err := store.NewImportService(a.DB, berlin).ImportContacts(ctx, []*cyberlotse.ContactRecord{{Key: key,
		ID: neo4jtest.NewID(), Name: "Frische Ansprechstelle", Email: email, OrganizationID: "gemeinde-kalletal",
		AGS: "05762028", Audiences: []cyberlotse.Audience{cyberlotse.AudienceCompany}}}, false); err != nil {
		t.Fatal(err)
	}
	both("", `{ matchmaking(input: {place: {ags: "05762028"}, first: {contacts: 50}}) { contacts { contact { name } } } }`,
		nil, "Frische Ansprechstelle")
	t.Logf("the slowest change showed through the other replica after %v", slowest.Round(time.Millisecond))
}

// A replica that starts while another writes misses none of the writes:
// the writer runs before, during and after the second replica's load.
func TestReplicaStartingDuringWritesMissesNothing(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	a, _ := newTestMain(t, c, srv)
	regs := store.NewRegistrationService(a.DB, neo4jtest.NewID, berlin)
	var (
		mu   sync.Mutex
		ids  []string
		wg   sync.WaitGroup
		stop = make(chan struct{})
	)
	written := func() int { mu.Lock(); defer mu.Unlock(); return len(ids) }
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				if i > 0 { // one more write after the load, at least
					return
				}
			default:
			}
			e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Anlauftest", StartsAt: neo4jtest.FarFuture.Add(time.Duration(i) * time.Minute),
				Format: cyberlotse.FormatWorkshop, Mode: cyberlotse.ModeOnline, Status: cyberlotse.EventScheduled,
				OrganizerID: "gemeinde-kalletal"}
			if err := regs.CreateEvent(context.Background(), e); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			ids = append(ids, e.ID)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		for _, id := range ids {
			neo4jtest.MustDeleteEvent(t, a.DB, id)
		}
	})
	for written() < 5 {
		time.Sleep(5 * time.Millisecond) // until the writer is under way
	}
	_, hb := newTestMain(t, c, srv) // loads while the writes go on
	before := written()
	for written() < before+5 {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	for _, id := range ids {
		answers(t, hb, "", `query($id: ID!) { event(id: $id) { title } }`, map[string]any{"id": id}, "Anlauftest")
	}
	t.Logf("%d events written, %d of them before the second replica had loaded", len(ids), before)
}
