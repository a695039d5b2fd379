package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"syscall"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/server/localneo4j"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// The drill of a database that dies under load: 200 people register at
// once for an event with 50 places while Neo4j is killed (SIGKILL) and
// comes back. Every acknowledged registration survives, none twice,
// never more than 50 confirmed, the waitlist in order; during the outage
// every request answers within 5 s with the retryable UNAVAILABLE and
// Retry-After, /readyz says not ready, and the same server serves again
// once Neo4j is back. The drill runs its own Neo4j, so the shared test
// server is never killed.
func TestDatabaseRestartUnderLoad(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// A home of its own that outlives the run: Maven's classpath is
	// resolved once, the data is fresh each time.
	db, err := localneo4j.Start(ctx, localneo4j.Options{Home: "../var/neo4j-drill", Fresh: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Stop() })
	go db.Supervise(ctx) // brings it back after the kill, as `make run` does

	m, h := outageMain(t, db.URI)
	api := httptest.NewServer(h)
	defer api.Close()
	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	organizer := issue(cyberlotse.Identity{Subject: "drill", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer},
		OrganizationIDs: []string{"gemeinde-kalletal"}})
	admin := issue(cyberlotse.Identity{Subject: "drill-admin", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}})

	res := post(t, api.URL, organizer, `mutation { createEvent(input: {title: "Ausfallübung", startsAt: "2099-04-01T18:00:00+02:00",
		format: WORKSHOP, mode: ONSITE, venue: "Rathaus", ags: "05766036", capacity: 50, organizer: "gemeinde-kalletal"}) { slug } }`, nil)
	var created struct{ CreateEvent struct{ Slug string } }
	if err := json.Unmarshal(res.Data, &created); err != nil || len(res.Errors) > 0 {
		t.Fatalf("createEvent: %s %+v", res.Data, res.Errors)
	}
	event := created.CreateEvent.Slug

	// 200 registrations at once; Neo4j dies after the first 25 answers.
	const people = 200
	answers := make([]attempt, people)
	acked := make(chan struct{}, people)
	var wg sync.WaitGroup
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = drillRegister(t, api.URL, event, i)
			if answers[i].status != "" {
				acked <- struct{}{}
			}
		}()
	}
	for range 25 {
		<-acked
	}
	if err := syscall.Kill(db.PID(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()

	// Meanwhile: not ready, and writes fail at once with UNAVAILABLE.
	notReady := waitFor(t, 10*time.Second, func() bool { return statusOf(t, api.URL+"/readyz") == http.StatusServiceUnavailable })
	t.Logf("/readyz said 503 %v after the kill", notReady.Round(time.Millisecond))
	during := []struct{ name, token, query string }{
		{"updateEvent", organizer, `mutation { updateEvent(id: "` + event + `", input: {venue: "Bürgerhaus"}) { venue } }`},
		{"updateRollout", admin, `mutation { updateRollout(regionId: "bergisches-staedtedreieck", measureCode: "M13",
			input: {status: PLANNED, note: "Ausfallübung"}) { status } }`},
	}
	for _, w := range during {
		start := time.Now()
		res := post(t, api.URL, w.token, w.query, nil)
		if took := time.Since(start); res.code() != "UNAVAILABLE" || res.retryAfter != "5" || took > 5*time.Second {
			t.Errorf("%s during the outage: code %q, Retry-After %q, after %v; want UNAVAILABLE, 5, ≤ 5 s",
				w.name, res.code(), res.retryAfter, took)
		}
	}
	wg.Wait()

	// Every request got an answer within 5 s: a registration or the
	// retryable UNAVAILABLE, never an internal error.
	var ackedBefore, unavailable int
	var slowest time.Duration
	for i, a := range answers {
		switch {
		case a.status != "":
			ackedBefore++
		case a.code == "UNAVAILABLE" && a.retryAfter == "5":
			unavailable++
		default:
			t.Errorf("registration %d: code %q, Retry-After %q (%s)", i, a.code, a.retryAfter, a.message)
		}
		if a.end.After(killedAt) {
			from := a.start
			if from.Before(killedAt) {
				from = killedAt
			}
			slowest = max(slowest, a.end.Sub(from))
		}
	}
	if slowest > 5*time.Second {
		t.Errorf("the slowest answer during the outage took %v, want ≤ 5 s", slowest)
	}
	t.Logf("%d registrations acknowledged before or during the kill, %d answered UNAVAILABLE, slowest answer after the kill %v",
		ackedBefore, unavailable, slowest.Round(time.Millisecond))

	// Neo4j comes back; the same server is ready again and the clients
	// that were asked to retry do so.
	back := waitFor(t, 3*time.Minute, func() bool { return statusOf(t, api.URL+"/readyz") == http.StatusOK })
	t.Logf("ready again %v after the kill", (notReady + back).Round(time.Millisecond))
	for i, a := range answers {
		if a.status == "" {
			if answers[i] = drillRegister(t, api.URL, event, i); answers[i].status == "" {
				t.Fatalf("registration %d after the restart: %q %s", i, answers[i].code, answers[i].message)
			}
		} else if again := drillRegister(t, api.URL, event, i); !again.already || again.status != a.status {
			// Acknowledged before the kill: stored, and not twice.
			t.Errorf("registration %d acknowledged as %s, after the restart %+v", i, a.status, again)
		}
	}
	for _, w := range during {
		if res := post(t, api.URL, w.token, w.query, nil); len(res.Errors) > 0 {
			t.Errorf("%s after the restart: %+v", w.name, res.Errors)
		}
	}

	// Stored: one registration per person, 50 confirmed, the waitlist 1…150
	// in the order of registration.
	res = post(t, api.URL, organizer, `query($e: ID!) { registrations(eventId: $e) { status position createdAt attendee { email } } }`,
		map[string]any{"e": event})
	var stored struct {
		Registrations []struct {
			Status    string
			Position  *int
			CreatedAt time.Time
			Attendee  struct{ Email string }
		}
	}
	if err := json.Unmarshal(res.Data, &stored); err != nil || len(res.Errors) > 0 {
		t.Fatalf("registrations: %+v %v", res.Errors, err)
	}
	byEmail := map[string]int{}
	confirmed := 0
	var positions []int
	for _, r := range stored.Registrations {
		byEmail[r.Attendee.Email]++
		switch r.Status {
		case "CONFIRMED":
			confirmed++
		case "WAITLISTED":
			positions = append(positions, *r.Position)
		}
	}
	sort.Ints(positions)
	if len(stored.Registrations) != people || len(byEmail) != people || confirmed != 50 || len(positions) != people-50 ||
		positions[0] != 1 || positions[len(positions)-1] != people-50 {
		t.Errorf("stored %d registrations of %d people, %d confirmed, waitlist %d…%d of %d",
			len(stored.Registrations), len(byEmail), confirmed, positions[0], positions[len(positions)-1], len(positions))
	}
	for i := 1; i < len(positions); i++ {
		if positions[i] != positions[i-1]+1 {
			t.Errorf("waitlist positions skip from %d to %d", positions[i-1], positions[i])
			break
		}
	}
	// The read model follows: the event's counts and the update show.
	waitFor(t, 10*time.Second, func() bool {
		res := post(t, api.URL, "", `query($e: ID!) { event(id: $e) { venue confirmedCount freePlaces } }`, map[string]any{"e": event})
		return bytes.Contains(res.Data, []byte(`"venue":"Bürgerhaus","confirmedCount":50,"freePlaces":0`))
	})
}

// outageMain is a server on the drill's own Neo4j, migrated and seeded.
func outageMain(t *testing.T, uri string) (*Main, http.Handler) {
	t.Helper()
	cfg, err := ConfigFromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	srv := smtptest.Start(t)
	cfg.Neo4jURI, cfg.VarDir, cfg.SMTPURL, cfg.BaseURL = uri, t.TempDir(), srv.URL(), "http://cyberlotse.test"
	cfg.TrustProxy = true // each person registers from an address of their own (X-Forwarded-For)
	m := NewMain(cfg)
	m.Logger = quiet
	ctx := context.Background()
	if err := m.OpenDB(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Seed(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenServices(); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenReadModel(ctx); err != nil {
		t.Fatal(err)
	}
	return m, m.Handler()
}

// attempt is what one client saw of its registration.
type attempt struct {
	status, code, message, retryAfter string
	already                           bool
	start, end                        time.Time
}

func drillRegister(t *testing.T, url, event string, i int) attempt {
	a := attempt{start: time.Now()}
	res := post(t, url, "", `mutation($e: ID!, $email: String!) { registerForEvent(eventId: $e, consent: true,
		attendee: {name: "Übende Person", email: $email}) { alreadyRegistered registration { status } } }`,
		map[string]any{"e": event, "email": fmt.Sprintf("drill-%03d@example.org", i)}, fmt.Sprintf("192.0.2.%d", i))
	a.end = time.Now()
	var out struct {
		RegisterForEvent *struct {
			AlreadyRegistered bool
			Registration      struct{ Status string }
		}
	}
	_ = json.Unmarshal(res.Data, &out)
	if out.RegisterForEvent != nil {
		a.status, a.already = out.RegisterForEvent.Registration.Status, out.RegisterForEvent.AlreadyRegistered
	}
	a.code, a.retryAfter = res.code(), res.retryAfter
	if len(res.Errors) > 0 {
		a.message = res.Errors[0].Message
	}
	return a
}

// httpResult is a GraphQL answer over real HTTP, with its Retry-After.
type httpResult struct {
	gqlResult
	retryAfter string
}

// post sends a GraphQL request; from is the client's address (X-Forwarded-For).
func post(t *testing.T, url, token, query string, vars map[string]any, from ...string) httpResult {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return httpResult{}
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if len(from) > 0 {
		req.Header.Set("X-Forwarded-For", from[0])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return httpResult{}
	}
	defer resp.Body.Close()
	var res httpResult
	if err := json.NewDecoder(resp.Body).Decode(&res.gqlResult); err != nil {
		t.Errorf("status %d: %v", resp.StatusCode, err)
	}
	res.status, res.retryAfter = resp.StatusCode, resp.Header.Get("Retry-After")
	return res
}

func statusOf(t *testing.T, url string) int {
	resp, err := http.Get(url)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitFor polls cond until it holds and returns how long that took.
func waitFor(t *testing.T, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("condition not met within %v", limit)
		}
		time.Sleep(100 * time.Millisecond) // polling a condition, not waiting for a clock
	}
	return time.Since(start)
}
