package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// rmIncidentInput is a valid incident for the role matrix.
var rmIncidentInput = map[string]any{"what": "Rollenmatrix: Verschlüsselung", "since": "2026-11-23T07:00:00+01:00",
	"systems": "Dateiserver", "reached": []any{map[string]any{"party": "CERT_NRW", "at": "2026-11-23T08:00:00+01:00"}}}

// digisos stores an incident of the own officer's municipality with an
// active handover link; all incidents there are removed at the end.
func (f *rmFixture) digisos() {
	f.t.Helper()
	f.t.Cleanup(func() { store.DeleteIncidentsForTest(context.Background(), f.m.DB, f.isbAGS) })
	f.incident = f.newIncident()
	l, token, err := cyberlotse.NewHandoverLink(neo4jtest.NewID(), f.incident, "Polizei", "rm-fixture", f.now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := store.NewDigiSOSService(f.m.DB).CreateHandoverLink(f.ctx, l); err != nil {
		f.t.Fatal(err)
	}
	f.handover = string(token)
}

// newIncident stores a fresh incident of the own officer's municipality.
func (f *rmFixture) newIncident() string {
	f.t.Helper()
	in := &cyberlotse.Incident{ID: neo4jtest.NewID(), AGS: f.isbAGS, What: "Rollenmatrix", Since: f.now().Add(-time.Hour),
		Reached: []cyberlotse.Notification{{Party: cyberlotse.PartyPolice, At: f.now()}}, CreatedAt: f.now(), CreatedBy: "rm-fixture"}
	if err := store.NewDigiSOSService(f.m.DB).CreateIncident(f.ctx, in); err != nil {
		f.t.Fatal(err)
	}
	return in.ID
}

// newHandoverLink stores a fresh link for the fixture's incident.
func (f *rmFixture) newHandoverLink() string {
	f.t.Helper()
	l, _, err := cyberlotse.NewHandoverLink(neo4jtest.NewID(), f.newIncident(), "Dienstleister", "rm-fixture", f.now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := store.NewDigiSOSService(f.m.DB).CreateHandoverLink(f.ctx, l); err != nil {
		f.t.Fatal(err)
	}
	return l.ID
}

// The Digi-SOS call-off over HTTP: an officer records an incident and
// makes links; whoever holds a link sees the summary and the contacts,
// each view logged once; the link expires a second after day 7 and can be
// revoked, then answers with its code and nothing of the incident; other
// officers are refused; the secret never reaches the log.
func TestDigiSOSHandover(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	var logs lockedBuffer
	m, h := newTestMainLogging(t, c, srv, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	const ags = cyberlotse.AGS("05766052") // Lügde
	t.Cleanup(func() { store.DeleteIncidentsForTest(context.Background(), m.DB, ags) })
	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, 30*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	isb := issue(cyberlotse.Identity{Subject: "isb-luegde", Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{ags}})
	other := issue(cyberlotse.Identity{Subject: "isb-lage", Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{"05766040"}})
	company := issue(cyberlotse.Identity{Subject: "firma", Roles: []cyberlotse.Role{cyberlotse.RoleCompanyMember}, CompanyID: "x"})

	const create = `mutation($ags: String!, $input: IncidentInput!) { createIncident(ags: $ags, input: $input) {
		id version municipality { name } reached { party at } } }`
	input := map[string]any{"what": "Ransomware auf den Dateiservern", "since": "2026-11-23T06:30:00+01:00",
		"systems": "Dateiserver, Fachverfahren Meldewesen", "reachedNote": "Rechenzentrum ist informiert",
		"reached": []any{map[string]any{"party": "POLICE", "at": "2026-11-23T08:10:00+01:00"},
			map[string]any{"party": "CERT_NRW", "at": "2026-11-23T07:45:00+01:00"}}}
	for token, want := range map[string]string{"": "UNAUTHENTICATED", other: "FORBIDDEN", company: "FORBIDDEN"} {
		if res := gql(t, h, token, create, map[string]any{"ags": string(ags), "input": input}); res.code() != want || string(res.Data) != "null" {
			t.Errorf("createIncident as %q: want %s, got %s %+v", token[:min(len(token), 8)], want, res.Data, res.Errors)
		}
	}
	future := map[string]any{"what": "x", "since": "2026-11-24T09:00:00+01:00"}
	if res := gql(t, h, isb, create, map[string]any{"ags": string(ags), "input": future}); res.code() != "BAD_USER_INPUT" ||
		!strings.Contains(res.Errors[0].Message, "Zukunft") || res.Errors[0].Extensions["field"] != "since" {
		t.Errorf("a future start: %+v", res.Errors)
	}
	res := gql(t, h, isb, create, map[string]any{"ags": string(ags), "input": input})
	var created struct {
		CreateIncident struct {
			ID           string
			Version      int
			Municipality struct{ Name string }
			Reached      []struct{ Party, At string }
		}
	}
	if err := json.Unmarshal(res.Data, &created); err != nil || len(res.Errors) > 0 {
		t.Fatalf("createIncident: %s %+v", res.Data, res.Errors)
	}
	inc := created.CreateIncident
	if inc.Version != 1 || inc.Municipality.Name != "Lügde" || len(inc.Reached) != 2 || inc.Reached[0].Party != "CERT_NRW" ||
		inc.Reached[0].At != "2026-11-23T07:45:00+01:00" {
		t.Errorf("created: %+v", inc)
	}
	const update = `mutation($id: ID!, $input: IncidentInput!, $v: Int) { updateIncident(id: $id, input: $input, version: $v) { version systems } }`
	input["systems"] = "Dateiserver, Meldewesen, Telefonanlage"
	if res := gql(t, h, other, update, map[string]any{"id": inc.ID, "input": input, "v": 1}); res.code() != "FORBIDDEN" {
		t.Errorf("updateIncident by another municipality's officer: %+v", res.Errors)
	}
	if res := gql(t, h, isb, update, map[string]any{"id": inc.ID, "input": input, "v": 1}); len(res.Errors) > 0 ||
		!strings.Contains(string(res.Data), `"version":2`) {
		t.Errorf("updateIncident: %s %+v", res.Data, res.Errors)
	}
	if res := gql(t, h, isb, update, map[string]any{"id": inc.ID, "input": input, "v": 1}); res.code() != "CONFLICT" {
		t.Errorf("updateIncident with a stale version: %+v", res.Errors)
	}

	// Links: one per recipient; the secret is shown once.
	const makeLink = `mutation($id: ID!, $label: String!) { createHandoverLink(incidentId: $id, label: $label) {
		url token link { id label state expiresAt viewCount } } }`
	newLink := func(label string) (id, token, url string) {
		t.Helper()
		res := gql(t, h, isb, makeLink, map[string]any{"id": inc.ID, "label": label})
		var out struct {
			CreateHandoverLink struct {
				URL, Token string
				Link       struct{ ID, Label, State, ExpiresAt string }
			}
		}
		if err := json.Unmarshal(res.Data, &out); err != nil || len(res.Errors) > 0 {
			t.Fatalf("createHandoverLink: %s %+v", res.Data, res.Errors)
		}
		l := out.CreateHandoverLink
		expires, _ := time.Parse(time.RFC3339, l.Link.ExpiresAt)
		if l.Link.State != "ACTIVE" || !expires.Equal(c.Now().Add(7*24*time.Hour)) || l.URL != "http://cyberlotse.test/uebergabe#"+l.Token || len(l.Token) != 43 {
			t.Errorf("new link: %+v", l)
		}
		return l.Link.ID, l.Token, l.URL
	}
	if res := gql(t, h, other, makeLink, map[string]any{"id": inc.ID, "label": "x"}); res.code() != "FORBIDDEN" {
		t.Errorf("createHandoverLink by another officer: %+v", res.Errors)
	}
	if res := gql(t, h, isb, makeLink, map[string]any{"id": inc.ID, "label": "  "}); res.code() != "BAD_USER_INPUT" {
		t.Errorf("an empty label: %+v", res.Errors)
	}
	certID, certToken, _ := newLink("CERT NRW")
	policeID, policeToken, _ := newLink("Polizei")

	const open = `mutation($token: String!) { openHandover(token: $token) { label expiresAt municipality { name }
		incident { what since systems reached { party at } reachedNote } contacts { name email }
		framework { callOff providers { name } steps { title isSample } } } }`
	opened := func(token string) (gqlResult, string) {
		t.Helper()
		res := gql(t, h, "", open, map[string]any{"token": token})
		return res, string(res.Data)
	}
	res, data := opened(certToken)
	for _, want := range []string{`"label":"CERT NRW"`, `"name":"Lügde"`, "Telefonanlage", "Rechenzentrum ist informiert",
		"cert@it.nrw.de", "Bechtle AG", "Ernst \u0026 Young GmbH (EY)", "Abrufweg"} {
		if !strings.Contains(data, want) && !strings.Contains(data, strings.ReplaceAll(want, "&", `\u0026`)) {
			t.Errorf("the handover page lacks %q: %s %+v", want, data, res.Errors)
		}
	}
	for _, secret := range []string{"isb-luegde", certID, policeID} {
		if strings.Contains(data, secret) {
			t.Errorf("the handover page shows %q", secret)
		}
	}
	views := func() []struct{ LinkID, Label, At string } {
		t.Helper()
		res := gql(t, h, isb, `query($id: ID!) { handoverViews(incidentId: $id) { linkId label at } }`, map[string]any{"id": inc.ID})
		var out struct {
			HandoverViews []struct{ LinkID, Label, At string }
		}
		if err := json.Unmarshal(res.Data, &out); err != nil || len(res.Errors) > 0 {
			t.Fatalf("handoverViews: %s %+v", res.Data, res.Errors)
		}
		return out.HandoverViews
	}
	if v := views(); len(v) != 1 || v[0].LinkID != certID || v[0].Label != "CERT NRW" || v[0].At != "2026-11-23T10:00:00+01:00" {
		t.Errorf("one view: %+v", v)
	}
	if res := gql(t, h, other, `query($id: ID!) { handoverViews(incidentId: $id) { at } }`, map[string]any{"id": inc.ID}); res.code() != "FORBIDDEN" {
		t.Errorf("handoverViews by another officer: %+v", res.Errors)
	}
	// A mutation cannot go over GET: the secret stays out of addresses.
	get := httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(`mutation { openHandover(token: "`+certToken+`") { label } }`), nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	if strings.Contains(rec.Body.String(), "CERT NRW") {
		t.Errorf("openHandover over GET: %d %s", rec.Code, rec.Body.String())
	}
	c.Add(time.Hour)
	opened(certToken)
	opened(policeToken)
	if v := views(); len(v) != 3 || v[0].At != "2026-11-23T11:00:00+01:00" || v[2].At != "2026-11-23T10:00:00+01:00" {
		t.Errorf("three views, newest first: %+v", v)
	}

	// Day 7 exactly: valid; a second later: expired, nothing shown, no view.
	c.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	if res, _ := opened(policeToken); len(res.Errors) > 0 {
		t.Errorf("at day 7: %+v", res.Errors)
	}
	c.Add(time.Second)
	res, data = opened(policeToken)
	if res.code() != "HANDOVER_EXPIRED" || data != "null" || !strings.Contains(res.Errors[0].Message, "abgelaufen") {
		t.Errorf("at day 7 + 1 s: %s %+v", data, res.Errors)
	}
	if v := views(); len(v) != 4 {
		t.Errorf("an expired open was logged: %d views", len(v))
	}

	// Revoked: its own code, nothing shown, the other links unaffected.
	c.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	_, providerToken, _ := newLink("Dienstleister")
	revoke := `mutation($id: ID!) { revokeHandoverLink(id: $id) { state revokedAt } }`
	if res := gql(t, h, other, revoke, map[string]any{"id": certID}); res.code() != "FORBIDDEN" {
		t.Errorf("revoke by another officer: %+v", res.Errors)
	}
	if res := gql(t, h, isb, revoke, map[string]any{"id": certID}); !strings.Contains(string(res.Data), `"state":"REVOKED"`) {
		t.Errorf("revoke: %s %+v", res.Data, res.Errors)
	}
	res, data = opened(certToken)
	if res.code() != "HANDOVER_REVOKED" || data != "null" || !strings.Contains(res.Errors[0].Message, "widerrufen") {
		t.Errorf("revoked: %s %+v", data, res.Errors)
	}
	if res, _ := opened(providerToken); len(res.Errors) > 0 {
		t.Errorf("another link of the incident: %+v", res.Errors)
	}
	if res, _ := opened("Zm9yZ2Vk.bGluaw"); res.code() != "UNAUTHENTICATED" {
		t.Errorf("a forged link: %+v", res.Errors)
	}
	list := gql(t, h, isb, `query($ags: String!) { incidents(ags: $ags) { id handoverLinks { label state viewCount views } } }`,
		map[string]any{"ags": string(ags)})
	for _, want := range []string{`{"label":"Dienstleister","state":"ACTIVE","viewCount":1`, `{"label":"Polizei","state":"ACTIVE","viewCount":2`,
		`{"label":"CERT NRW","state":"REVOKED","viewCount":2`} {
		if !strings.Contains(string(list.Data), want) {
			t.Errorf("incidents lack %s: %s %+v", want, list.Data, list.Errors)
		}
	}

	// Deleting: not by another officer; then its links open nothing.
	del := `mutation($id: ID!) { deleteIncident(id: $id) }`
	if res := gql(t, h, other, del, map[string]any{"id": inc.ID}); res.code() != "FORBIDDEN" {
		t.Errorf("deleteIncident by another officer: %+v", res.Errors)
	}
	if res := gql(t, h, isb, del, map[string]any{"id": inc.ID}); string(res.Data) != `{"deleteIncident":true}` {
		t.Errorf("deleteIncident: %s %+v", res.Data, res.Errors)
	}
	if res, _ := opened(providerToken); res.code() != "UNAUTHENTICATED" {
		t.Errorf("a link of a deleted incident: %+v", res.Errors)
	}

	// The secrets never reach the log; the opens are there, by link.
	log := logs.String()
	for _, secret := range []string{certToken, policeToken, providerToken} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds a handover secret")
		}
	}
	if !strings.Contains(log, `"msg":"handover opened"`) || !strings.Contains(log, certID) {
		t.Errorf("the log lacks the opens")
	}
}

// The handover page sends no referrer and is never cached.
func TestHandoverPageHeaders(t *testing.T) {
	srv := smtptest.Start(t)
	_, h := newTestMain(t, &clock{t: time.Now()}, srv)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/uebergabe", nil))
	if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
}
