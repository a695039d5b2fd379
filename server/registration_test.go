package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// newTestMain wires the service as `server serve` does, with a test clock
// and the test SMTP server, without listening.
func newTestMain(t *testing.T, c *clock, srv *smtptest.Server) (*Main, http.Handler) {
	t.Helper()
	return newTestMainLogging(t, c, srv, quiet)
}

// newTestMainLogging is newTestMain logging to logger.
func newTestMainLogging(t *testing.T, c *clock, srv *smtptest.Server, logger *slog.Logger) (*Main, http.Handler) {
	t.Helper()
	neo4jtest.MustOpenDB(t)
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.VarDir, cfg.SMTPURL, cfg.BaseURL = t.TempDir(), srv.URL(), "http://cyberlotse.test"
	m := NewMain(cfg)
	m.Logger, m.Now = logger, c.Now
	if err := m.OpenDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.OpenServices(); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenReadModel(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenLive(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m, m.Handler()
}

type gqlResult struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Extensions map[string]any
	}
	status int
}

func gql(t *testing.T, h http.Handler, token, query string, vars map[string]any) gqlResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var res gqlResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	res.status = rec.Code
	return res
}

func (r gqlResult) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

const registerMutation = `mutation($event: ID!, $email: String!) {
  registerForEvent(eventId: $event, attendee: {name: "Erika Mustermann", email: $email, companyName: "Muster GmbH"}, consent: true) {
    alreadyRegistered manageToken manageUrl registration { status position event { title } }
  }
}`

// The Kalletal information evening, registered for in August 2025: the
// confirmation arrives over SMTP with an invitation at 18:00 Europe/Berlin,
// and the person can see, export and delete their data with the token.
func TestRegisterForKalletalEveningEndToEnd(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2025, 8, 1, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	email := "erika-" + neo4jtest.NewID() + "@example.org"
	res := gql(t, h, "", registerMutation, map[string]any{"event": "kalletal-infoabend-2025-09-04", "email": email})
	var out struct {
		RegisterForEvent struct {
			AlreadyRegistered bool
			ManageToken       string
			ManageURL         string
			Registration      struct{ Status string }
		}
	}
	if err := json.Unmarshal(res.Data, &out); err != nil || len(res.Errors) > 0 {
		t.Fatalf("register: %+v %v", res.Errors, err)
	}
	p := out.RegisterForEvent
	token := p.ManageToken
	t.Cleanup(func() {
		gql(t, h, "", `mutation($t: String!) { deleteMyData(token: $t) }`, map[string]any{"t": token})
	})
	if p.Registration.Status != "CONFIRMED" || p.AlreadyRegistered || !strings.HasPrefix(p.ManageURL, "http://cyberlotse.test/anmeldung?token=") {
		t.Errorf("payload = %+v", p)
	}

	if _, err := m.Notifier.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []byte
	for _, msg := range srv.Messages() {
		if len(msg.To) == 1 && msg.To[0] == email {
			got = msg.Data
		}
	}
	if got == nil {
		t.Fatal("no confirmation arrived")
	}
	subject, ics := icsOf(t, got)
	for _, want := range []string{"METHOD:REQUEST", "DTSTART;TZID=Europe/Berlin:20250904T180000", "BEGIN:VTIMEZONE", "TZID:Europe/Berlin", "SEQUENCE:0"} {
		if !strings.Contains(ics, want) {
			t.Errorf("invitation lacks %q:\n%s", want, ics)
		}
	}
	if !strings.Contains(subject, "Kalletal") || !strings.Contains(string(got), "anmeldung?token=") {
		t.Errorf("subject %q; manage link in body: %v", subject, strings.Contains(string(got), "anmeldung?token="))
	}

	// Registering again with the same address returns the registration.
	again := gql(t, h, "", registerMutation, map[string]any{"event": "kalletal-infoabend-2025-09-04", "email": email})
	if !strings.Contains(string(again.Data), `"alreadyRegistered":true`) {
		t.Errorf("second registration: %s", again.Data)
	}

	mine := gql(t, h, "", `query($t: String!) { myRegistrations(token: $t) { status event { slug } attendee { email companyName } }
		myData(token: $t) { name email registrations { status } } }`, map[string]any{"t": token})
	if len(mine.Errors) > 0 || !strings.Contains(string(mine.Data), email) || !strings.Contains(string(mine.Data), `"companyName":"Muster GmbH"`) {
		t.Errorf("my data: %s %+v", mine.Data, mine.Errors)
	}
	bad := gql(t, h, "", `query { myRegistrations(token: "abc.def") { status } }`, nil)
	if bad.code() != "UNAUTHENTICATED" {
		t.Errorf("forged token: %+v", bad.Errors)
	}
	del := gql(t, h, "", `mutation($t: String!) { deleteMyData(token: $t) }`, map[string]any{"t": token})
	if string(del.Data) != `{"deleteMyData":true}` {
		t.Errorf("delete: %s %+v", del.Data, del.Errors)
	}
	if gone := gql(t, h, "", `query($t: String!) { myRegistrations(token: $t) { status } }`, map[string]any{"t": token}); gone.code() != "NOT_FOUND" {
		t.Errorf("after delete: %s %+v", gone.Data, gone.Errors)
	}
}

func TestRegistrationErrors(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	e := neo4jtest.MustCreateEvent(t, m.DB, neo4jtest.FarFuture, nil)
	tests := []struct{ name, event, email, attendee, code, message string }{
		{"past event", "kalletal-infoabend-2025-09-04", "a@example.org", "", "BAD_USER_INPUT", "bereits begonnen oder ist vorbei"},
		{"unknown event", "gibt-es-nicht", "a@example.org", "", "NOT_FOUND", "Veranstaltung „gibt-es-nicht“"},
		{"bad e-mail", e.ID, "kein-at-zeichen", "", "BAD_USER_INPUT", "gültige E-Mail-Adresse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := gql(t, h, "", registerMutation, map[string]any{"event": tt.event, "email": tt.email})
			if res.code() != tt.code || !strings.Contains(res.Errors[0].Message, tt.message) {
				t.Errorf("errors = %+v", res.Errors)
			}
		})
	}
	noConsent := gql(t, h, "", `mutation($e: ID!) { registerForEvent(eventId: $e, attendee: {name: "A", email: "a@example.org"}, consent: false) { manageToken } }`,
		map[string]any{"e": e.ID})
	if noConsent.code() != "BAD_USER_INPUT" || !strings.Contains(noConsent.Errors[0].Message, "Zustimmung") {
		t.Errorf("no consent: %+v", noConsent.Errors)
	}
	// Five registrations an hour per address; the sixth is refused.
	email := "spam-" + neo4jtest.NewID() + "@example.org"
	var last gqlResult
	for range 6 {
		last = gql(t, h, "", registerMutation, map[string]any{"event": e.ID, "email": email})
	}
	if last.code() != "RATE_LIMITED" {
		t.Errorf("sixth registration: %+v", last.Errors)
	}
}

// Organizers manage their own events; everyone else is refused with the
// right code, and every registered person hears of changes.
func TestOrganizerManagesEvents(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	issue := func(id cyberlotse.Identity, ttl time.Duration) string {
		tok, err := m.Auth.Issue(id, ttl)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	kalletal := issue(cyberlotse.Identity{Subject: "kalletal", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer}, OrganizationIDs: []string{"gemeinde-kalletal"}}, time.Hour)
	other := issue(cyberlotse.Identity{Subject: "asw", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer}, OrganizationIDs: []string{"asw-west"}}, time.Hour)
	manager := issue(cyberlotse.Identity{Subject: "mgr", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{"bergisches-staedtedreieck"}}, time.Hour)
	expired := issue(cyberlotse.Identity{Subject: "old", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}, time.Minute)
	c.Add(2 * time.Minute)

	create := `mutation($title: String!) { createEvent(input: {title: $title, startsAt: "2099-03-18T18:00:00+01:00",
		format: INFO_EVENING, mode: ONSITE, venue: "Rathaus", ags: "05766036", capacity: 1, organizer: "gemeinde-kalletal",
		reminderOffsets: ["P2D", "PT1H"]}) { slug startsAt capacity reminderOffsets sequence isSample } }`
	title := "Testabend " + neo4jtest.NewID()
	for _, tt := range []struct{ token, code string }{{"", "UNAUTHENTICATED"}, {manager, "FORBIDDEN"}, {other, "FORBIDDEN"}} {
		if res := gql(t, h, tt.token, create, map[string]any{"title": title}); res.code() != tt.code {
			t.Errorf("create with %q…: %+v", tt.token[:min(10, len(tt.token))], res.Errors)
		}
	}
	for _, bad := range []string{expired, kalletal[:len(kalletal)-3] + "abc", "kein-token"} {
		if res := gql(t, h, bad, create, map[string]any{"title": title}); res.status != 401 || res.code() != "UNAUTHENTICATED" {
			t.Errorf("bad token: %d %+v", res.status, res.Errors)
		}
	}
	res := gql(t, h, kalletal, create, map[string]any{"title": title})
	var created struct {
		CreateEvent struct {
			Slug, StartsAt  string
			ReminderOffsets []string
			IsSample        bool
		}
	}
	if err := json.Unmarshal(res.Data, &created); err != nil || len(res.Errors) > 0 {
		t.Fatalf("create: %s %+v", res.Data, res.Errors)
	}
	slug := created.CreateEvent.Slug
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, m.DB, slug) })
	if !strings.HasSuffix(slug, "-2099-03-18") || created.CreateEvent.StartsAt != "2099-03-18T18:00:00+01:00" ||
		strings.Join(created.CreateEvent.ReminderOffsets, ",") != "P2D,PT1H" || created.CreateEvent.IsSample {
		t.Errorf("created = %+v", created.CreateEvent)
	}

	// Two people register for the one place; the second waits.
	emails := []string{"a-" + neo4jtest.NewID() + "@example.org", "b-" + neo4jtest.NewID() + "@example.org"}
	for _, e := range emails {
		gql(t, h, "", registerMutation, map[string]any{"event": slug, "email": e})
	}
	list := gql(t, h, kalletal, `query($id: ID!) { registrations(eventId: $id) { status position attendee { email } } }`, map[string]any{"id": slug})
	if !strings.Contains(string(list.Data), `{"status":"CONFIRMED","position":null,"attendee":{"email":"`+emails[0]) ||
		!strings.Contains(string(list.Data), `{"status":"WAITLISTED","position":1,"attendee":{"email":"`+emails[1]) {
		t.Errorf("registrations: %s %+v", list.Data, list.Errors)
	}
	if res := gql(t, h, other, `query($id: ID!) { registrations(eventId: $id) { status } }`, map[string]any{"id": slug}); res.code() != "FORBIDDEN" {
		t.Errorf("other organizer sees registrations: %+v", res.Errors)
	}
	if _, err := m.Notifier.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}

	// A new time: both get an updated invitation (SEQUENCE 1).
	up := gql(t, h, kalletal, `mutation($id: ID!) { updateEvent(id: $id, input: {startsAt: "2099-03-19T18:00:00+01:00"}) { sequence startsAt } }`, map[string]any{"id": slug})
	if !strings.Contains(string(up.Data), `"sequence":1`) {
		t.Fatalf("update: %s %+v", up.Data, up.Errors)
	}
	if _, err := m.Notifier.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	cancel := gql(t, h, kalletal, `mutation($id: ID!) { cancelEvent(id: $id, reason: "Test") { status sequence } }`, map[string]any{"id": slug})
	if !strings.Contains(string(cancel.Data), `"status":"CANCELLED"`) {
		t.Fatalf("cancel: %s %+v", cancel.Data, cancel.Errors)
	}
	if _, err := m.Notifier.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	var updates, cancels int
	for _, msg := range srv.Messages() {
		if msg.To[0] != emails[0] && msg.To[0] != emails[1] {
			continue
		}
		_, ics := icsOf(t, msg.Data)
		if strings.Contains(ics, "DTSTART;TZID=Europe/Berlin:20990319T180000") && strings.Contains(ics, "SEQUENCE:1") {
			updates++
		}
		if strings.Contains(ics, "METHOD:CANCEL") && strings.Contains(ics, "STATUS:CANCELLED") {
			cancels++
		}
	}
	if updates != 1 || cancels != 2 { // the waitlisted person has no invitation to update
		t.Errorf("%d updated and %d cancelled invitations, want 1 and 2", updates, cancels)
	}
}
