package neo4j_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// Eligibility is derived from what the seeded graph holds, with a reason;
// where the graph cannot tell, it says so.
func TestDigiSOSEligibility(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	s := store.NewDigiSOSService(db)
	for _, c := range []struct {
		ags               cyberlotse.AGS
		district, org     string
		want              cyberlotse.DigiSOSStatus
		kind, name, check string
	}{
		{ags: "05766036", want: cyberlotse.Eligible, kind: "MUNICIPALITY", name: "Kalletal"},
		{district: "05766", want: cyberlotse.Eligible, kind: "DISTRICT", name: "Kreis Lippe"},
		{district: "05124", want: cyberlotse.Eligible, kind: "DISTRICT", name: "Wuppertal"},
		{org: "gemeinde-kalletal", want: cyberlotse.Eligible, kind: "ORGANIZATION", name: "Gemeinde Kalletal"},
		{org: "lka-nrw", want: cyberlotse.Eligible, kind: "ORGANIZATION"},
		{org: "cr14-estland", want: cyberlotse.NotEligible, kind: "ORGANIZATION"},
		{org: "bergische-gesellschaft", want: cyberlotse.Undetermined, kind: "ORGANIZATION", check: "Beteiligungsbericht"},
		{org: "asw-west", want: cyberlotse.Undetermined, kind: "ORGANIZATION", check: "Satzung"},
	} {
		e, err := s.Eligibility(ctx, c.ags, c.district, c.org)
		if err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		switch {
		case e.Status != c.want || e.Subject.Kind != c.kind:
			t.Errorf("%s%s%s: %s %s, want %s %s", c.ags, c.district, c.org, e.Status, e.Subject.Kind, c.want, c.kind)
		case c.name != "" && !strings.Contains(e.Reason, c.name):
			t.Errorf("%s%s%s: the reason %q does not name %q", c.ags, c.district, c.org, e.Reason, c.name)
		case c.want == cyberlotse.Undetermined && (!strings.Contains(e.Reason, "Nicht feststellbar") || !strings.Contains(e.Check, c.check)):
			t.Errorf("%s: %q / %q", c.org, e.Reason, e.Check)
		case c.want != cyberlotse.Undetermined && e.Check != "":
			t.Errorf("%s%s%s: a check %q without need", c.ags, c.district, c.org, e.Check)
		case e.Source != cyberlotse.DigiSOSSource:
			t.Errorf("source %q", e.Source)
		}
	}
	for _, c := range [][3]string{{"05766999", "", ""}, {"", "05999", ""}, {"", "", "no-such-org"}} {
		if _, err := s.Eligibility(ctx, cyberlotse.AGS(c[0]), c[1], c[2]); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
			t.Errorf("%v: want NOT_FOUND, got %v", c, err)
		}
	}
}

// An incident and its handover links: versions, the link's life (valid
// up to day 7, expired a second later, revoked), views logged exactly
// once per open and only while the link is valid.
func TestDigiSOSIncidentsAndHandover(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	s := store.NewDigiSOSService(db)
	const ags = cyberlotse.AGS("05766048") // Leopoldshöhe
	t.Cleanup(func() { store.DeleteIncidentsForTest(context.Background(), db, ags) })
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	in := cyberlotse.IncidentInput{What: "Verschlüsselte Dateiserver", Since: t0.Add(-3 * time.Hour), Systems: "Dateiserver, E-Mail",
		Reached:     []cyberlotse.Notification{{Party: cyberlotse.PartyPolice, At: t0.Add(-time.Hour)}, {Party: cyberlotse.PartyCERTNRW, At: t0.Add(-2 * time.Hour)}},
		ReachedNote: "Rechenzentrum informiert"}
	if err := in.Validate(t0); err != nil {
		t.Fatal(err)
	}
	if in.Reached[0].Party != cyberlotse.PartyCERTNRW {
		t.Errorf("parties in form order: %+v", in.Reached)
	}
	inc := &cyberlotse.Incident{ID: neo4jtest.NewID(), AGS: ags, What: in.What, Since: in.Since, Systems: in.Systems, Reached: in.Reached,
		ReachedNote: in.ReachedNote, CreatedAt: t0, CreatedBy: "isb-test"}
	if err := s.CreateIncident(ctx, inc); err != nil {
		t.Fatal(err)
	}
	missing := *inc
	missing.ID, missing.AGS = neo4jtest.NewID(), "05766999"
	if err := s.CreateIncident(ctx, &missing); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("an incident of an unknown municipality: %v", err)
	}
	list, err := s.Incidents(ctx, ags)
	if err != nil || len(list) != 1 {
		t.Fatalf("incidents: %v %+v", err, list)
	}
	got := list[0]
	if got.What != in.What || !got.Since.Equal(in.Since) || got.Version != 1 || len(got.Reached) != 2 ||
		got.Reached[1].Party != cyberlotse.PartyPolice || !got.Reached[1].At.Equal(t0.Add(-time.Hour)) || got.ReachedNote != in.ReachedNote {
		t.Errorf("stored incident: %+v", got)
	}

	// Updates: with the current version, then with a stale one.
	in.Systems = "Dateiserver, E-Mail, Telefonanlage"
	v1 := 1
	upd, err := s.UpdateIncident(ctx, inc.ID, in, &v1, "isb-zwei", t0.Add(time.Minute))
	if err != nil || upd.Version != 2 || upd.Systems != in.Systems || upd.UpdatedBy != "isb-zwei" || upd.CreatedBy != "isb-test" {
		t.Fatalf("update: %v %+v", err, upd)
	}
	if _, err := s.UpdateIncident(ctx, inc.ID, in, &v1, "isb-drei", t0.Add(2*time.Minute)); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("a stale version: want CONFLICT, got %v", err)
	}
	if _, err := s.UpdateIncident(ctx, neo4jtest.NewID(), in, nil, "isb", t0); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("an unknown incident: %v", err)
	}

	// Two links, one per recipient.
	cert, certToken, err := cyberlotse.NewHandoverLink(neo4jtest.NewID(), inc.ID, "CERT NRW", "isb-test", t0)
	if err != nil {
		t.Fatal(err)
	}
	police, policeToken, _ := cyberlotse.NewHandoverLink(neo4jtest.NewID(), inc.ID, "Polizei", "isb-test", t0)
	for _, l := range []*cyberlotse.HandoverLink{cert, police} {
		if err := s.CreateHandoverLink(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if len(certToken) < 43 || cert.TokenHash == "" || cert.TokenHash == string(certToken) {
		t.Errorf("token %d characters, hash %q", len(certToken), cert.TokenHash)
	}
	open := func(tok cyberlotse.HandoverToken, at time.Time) (*cyberlotse.Handover, cyberlotse.Code) {
		t.Helper()
		h, err := s.OpenHandover(ctx, tok.Hash(), at)
		return h, cyberlotse.ErrorCode(err)
	}
	views := func(id string) int {
		t.Helper()
		l, err := s.HandoverLink(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return len(l.Views)
	}
	h, code := open(certToken, t0.Add(time.Hour))
	if code != "" || h.Incident.ID != inc.ID || h.Incident.Systems != in.Systems || h.Link.Label != "CERT NRW" {
		t.Fatalf("open: %s %+v", code, h)
	}
	// Ten opens at once: ten views.
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.OpenHandover(ctx, certToken.Hash(), t0.Add(2*time.Hour)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := views(cert.ID); n != 11 {
		t.Errorf("11 opens, %d views", n)
	}
	if n := views(police.ID); n != 0 {
		t.Errorf("the police's link was not opened, %d views", n)
	}
	// Valid up to day 7, expired a second later; an expired open logs nothing.
	if _, code := open(policeToken, t0.Add(cyberlotse.HandoverValidity)); code != "" {
		t.Errorf("at day 7: %s", code)
	}
	if h, code := open(policeToken, t0.Add(cyberlotse.HandoverValidity+time.Second)); code != cyberlotse.EHANDOVEREXPIRED || h != nil {
		t.Errorf("at day 7 + 1 s: %s %+v", code, h)
	}
	if n := views(police.ID); n != 1 {
		t.Errorf("one valid open of the police's link, %d views", n)
	}
	// Revoked: refused at once, a second revoke keeps the first time.
	r, err := s.RevokeHandoverLink(ctx, cert.ID, "isb-test", t0.Add(3*time.Hour))
	if err != nil || r.State(t0.Add(3*time.Hour)) != cyberlotse.HandoverRevoked {
		t.Fatalf("revoke: %v %+v", err, r)
	}
	r, _ = s.RevokeHandoverLink(ctx, cert.ID, "isb-other", t0.Add(4*time.Hour))
	if !r.RevokedAt.Equal(t0.Add(3*time.Hour)) || r.RevokedBy != "isb-test" {
		t.Errorf("second revoke: %+v", r)
	}
	if h, code := open(certToken, t0.Add(3*time.Hour+time.Second)); code != cyberlotse.EHANDOVERREVOKED || h != nil {
		t.Errorf("revoked: %s %+v", code, h)
	}
	if n := views(cert.ID); n != 11 {
		t.Errorf("a revoked open logged a view: %d", n)
	}
	// Unknown and malformed tokens open nothing.
	for _, tok := range []cyberlotse.HandoverToken{cyberlotse.NewHandoverToken(), "kurz", ""} {
		if _, code := open(tok, t0); code != cyberlotse.EUNAUTH {
			t.Errorf("token %q: %s", tok, code)
		}
	}
	links, err := s.HandoverLinks(ctx, inc.ID)
	if err != nil || len(links) != 2 {
		t.Fatalf("links: %v %d", err, len(links))
	}
	if _, err := s.RevokeHandoverLink(ctx, neo4jtest.NewID(), "isb", t0); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("revoke unknown: %v", err)
	}
	// At most MaxHandoverLinks per incident.
	for i := 2; i < cyberlotse.MaxHandoverLinks; i++ {
		l, _, _ := cyberlotse.NewHandoverLink(neo4jtest.NewID(), inc.ID, "Weitere", "isb-test", t0)
		if err := s.CreateHandoverLink(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	extra, _, _ := cyberlotse.NewHandoverLink(neo4jtest.NewID(), inc.ID, "Zu viel", "isb-test", t0)
	if err := s.CreateHandoverLink(ctx, extra); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("link %d: want CONFLICT, got %v", cyberlotse.MaxHandoverLinks+1, err)
	}
	// Deleted: the incident, its links and views are gone; its links open nothing.
	if err := s.DeleteIncident(ctx, inc.ID); err != nil {
		t.Fatal(err)
	}
	if _, code := open(policeToken, t0); code != cyberlotse.EUNAUTH {
		t.Errorf("a link of a deleted incident: %s", code)
	}
	if _, err := s.HandoverLink(ctx, police.ID); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("the links stay after deleting: %v", err)
	}
	if err := s.DeleteIncident(ctx, inc.ID); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("deleting twice: %v", err)
	}
}
