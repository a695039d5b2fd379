package main

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// The officers' network end to end through the HTTP handler: profiles of
// four municipalities of the Kreis Olpe and two elsewhere, peers by
// district, size and topic with hand-checked AGS sets and reasons, pages,
// refusals for every other caller, bad input that writes nothing, a
// profile that shares nothing, and deletion.
//
// The graph's populations (IT.NRW, in seeds/data): Drolshagen 11,913,
// Finnentrop 17,022, Kirchhundem 11,509 (all 10,000–19,999), Attendorn
// 23,554 (20,000–49,999); Ense (Kreis Soest) 12,383; Hamm 179,968.
// Other tests keep profiles of their own (Kreis Höxter), so lists other
// than the district's are compared within this test's municipalities.
func TestIsbNetworkOverHTTP(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	ctx := context.Background()
	const (
		drolshagen  = "05966008"
		finnentrop  = "05966012"
		kirchhundem = "05966016"
		attendorn   = "05966004"
		ense        = "05974012"
		hamm        = "05915000"
	)
	mine := []string{drolshagen, finnentrop, kirchhundem, attendorn, ense, hamm}
	t.Cleanup(func() {
		var ags []cyberlotse.AGS
		for _, a := range mine {
			ags = append(ags, cyberlotse.AGS(a))
		}
		store.DeleteIsbProfilesForTest(ctx, m.DB, ags...)
	})
	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	officer := func(ags string) string {
		return issue(cyberlotse.Identity{Subject: "isb-" + ags, Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{cyberlotse.AGS(ags)}})
	}
	ask := func(token, query string, vars map[string]any, out any) rmResult {
		t.Helper()
		res := rmAsk(t, h, token, query, vars)
		if out != nil && len(res.Errors) == 0 {
			if err := json.Unmarshal(res.Data, out); err != nil {
				t.Fatalf("%s: %v", res.Data, err)
			}
		}
		return res
	}
	code := func(res rmResult) string {
		if len(res.Errors) == 0 {
			return ""
		}
		c, _ := res.Errors[0].Extensions["code"].(string)
		return c
	}

	const save = `mutation($ags: String!, $in: IsbProfileInput!) { saveIsbProfile(ags: $ags, input: $in) {
		municipality { ags name } function topics { slug } shares displayName contact updatedAt } }`
	profiles := []struct {
		ags   string
		input map[string]any
	}{
		{drolshagen, map[string]any{"function": "ISB", "topics": []string{"isms", "krisenuebung", "isms"}, "shares": []string{"TEMPLATES_POLICIES", "EMERGENCY_EXERCISE"},
			"displayName": "  Informationssicherheit   Drolshagen ", "contact": "informationssicherheit@drolshagen.example"}},
		{finnentrop, map[string]any{"function": "IT_MANAGEMENT", "topics": []string{"isms"}, "shares": []string{"TENDER_DOCUMENTS"},
			"displayName": "IT Finnentrop", "contact": "it@finnentrop.example"}},
		{kirchhundem, map[string]any{"function": "ISB", "topics": []string{"krisenuebung"}, "shares": []string{}}},
		// Attendorn shares nothing and publishes neither name nor contact.
		{attendorn, map[string]any{"function": "DATA_PROTECTION", "topics": []string{"backup"}, "shares": []string{}}},
		{ense, map[string]any{"function": "OTHER", "topics": []string{"datenschutz"}, "shares": []string{"WIBA_EXPERIENCE"}}},
		{hamm, map[string]any{"function": "ISB", "topics": []string{"isms"}, "shares": []string{"AWARENESS_MATERIAL"}}},
	}
	for _, p := range profiles {
		if res := ask(officer(p.ags), save, map[string]any{"ags": p.ags, "in": p.input}, nil); len(res.Errors) > 0 {
			t.Fatalf("save %s: %+v", p.ags, res.Errors)
		}
	}
	var own struct {
		MyIsbProfile struct {
			Municipality struct{ Ags, Name string }
			Function     string
			Topics       []struct{ Slug string }
			Shares       []string
			DisplayName  *string
			Contact      *string
			UpdatedAt    string
		}
	}
	const mine1 = `query($ags: String!) { myIsbProfile(ags: $ags) { municipality { ags name } function topics { slug } shares displayName contact updatedAt } }`
	if res := ask(officer(drolshagen), mine1, map[string]any{"ags": drolshagen}, &own); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	if p := own.MyIsbProfile; p.Municipality.Name != "Drolshagen" || p.Function != "ISB" ||
		!reflect.DeepEqual(p.Topics, []struct{ Slug string }{{"isms"}, {"krisenuebung"}}) ||
		!reflect.DeepEqual(p.Shares, []string{"TEMPLATES_POLICIES", "EMERGENCY_EXERCISE"}) ||
		p.DisplayName == nil || *p.DisplayName != "Informationssicherheit Drolshagen" ||
		p.Contact == nil || *p.Contact != "informationssicherheit@drolshagen.example" || p.UpdatedAt != "2026-12-01T10:00:00+01:00" {
		t.Errorf("own profile: %+v", p)
	}

	// Bad input is refused with its field, and nothing is written.
	for _, bad := range []struct {
		name, field string
		input       map[string]any
	}{
		{"an unknown topic", "topics", map[string]any{"function": "ISB", "topics": []string{"isms", "gibt-es-nicht"}, "shares": []string{}}},
		{"a name too long", "displayName", map[string]any{"function": "ISB", "topics": []string{}, "shares": []string{}, "displayName": strings.Repeat("x", 81)}},
		{"eleven topics", "topics", map[string]any{"function": "ISB", "shares": []string{}, "topics": []string{"phishing", "ransomware",
			"social-engineering", "passwortsicherheit-mfa", "awareness", "backup", "updates-patchmanagement", "notfallmanagement",
			"incident-response", "anzeige-strafverfolgung", "krisenuebung"}}},
	} {
		res := ask(officer(drolshagen), save, map[string]any{"ags": drolshagen, "in": bad.input}, nil)
		if code(res) != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != bad.field || string(res.Data) != "null" {
			t.Errorf("%s: %s %+v", bad.name, res.Data, res.Errors)
		}
	}
	if res := ask(officer(drolshagen), mine1, map[string]any{"ags": drolshagen}, &own); len(res.Errors) > 0 ||
		len(own.MyIsbProfile.Topics) != 2 || own.MyIsbProfile.DisplayName == nil {
		t.Errorf("a refused save changed the profile: %s %+v", res.Data, res.Errors)
	}

	const peersQ = `query($ags: String!, $by: [PeerCriterion!], $topic: String, $first: Int, $after: String) {
		isbPeers(ags: $ags, by: $by, topic: $topic, first: $first, after: $after) { sizeClass pageInfo { hasNextPage endCursor }
		edges { cursor node { profile { municipality { ags name } function topics { slug } shares displayName contact }
		reasons { code text } } } } }`
	type peer struct {
		Profile struct {
			Municipality struct{ Ags, Name string }
			Function     string
			Topics       []struct{ Slug string }
			Shares       []string
			DisplayName  *string
			Contact      *string
		}
		Reasons []struct{ Code, Text string }
	}
	type peers struct {
		IsbPeers struct {
			SizeClass string
			PageInfo  struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node peer }
		}
	}
	find := func(token string, vars map[string]any) peers {
		t.Helper()
		var p peers
		if res := ask(token, peersQ, vars, &p); len(res.Errors) > 0 {
			t.Fatalf("%v: %+v", vars, res.Errors)
		}
		return p
	}
	// agsOf lists the peers' AGS, restricted to this test's municipalities
	// unless all is set.
	agsOf := func(p peers, all bool) []string {
		var out []string
		for _, e := range p.IsbPeers.Edges {
			if a := e.Node.Profile.Municipality.Ags; all || slices.Contains(mine, a) {
				out = append(out, a)
			}
		}
		return out
	}
	me := officer(drolshagen)

	// The district: exactly the three others of the Kreis Olpe, by name.
	byDistrict := find(me, map[string]any{"ags": drolshagen, "by": []string{"DISTRICT"}})
	if got := agsOf(byDistrict, true); !reflect.DeepEqual(got, []string{attendorn, finnentrop, kirchhundem}) {
		t.Errorf("peers in the district: %v", got)
	}
	if byDistrict.IsbPeers.SizeClass != "10.000 bis 19.999 Einwohner" {
		t.Errorf("size class: %q", byDistrict.IsbPeers.SizeClass)
	}
	for _, e := range byDistrict.IsbPeers.Edges {
		if r := e.Node.Reasons; len(r) != 1 || r[0].Code != "SAME_DISTRICT" || r[0].Text != "Im selben Kreis: Kreis Olpe" {
			t.Errorf("reasons of %s by district: %+v", e.Node.Profile.Municipality.Name, r)
		}
	}
	// Attendorn shares nothing: its entry shows function and topics only.
	if a := byDistrict.IsbPeers.Edges[0].Node.Profile; a.Municipality.Ags != attendorn || len(a.Shares) != 0 ||
		a.DisplayName != nil || a.Contact != nil || a.Function != "DATA_PROTECTION" {
		t.Errorf("a profile that shares nothing: %+v", a)
	}
	// Finnentrop published name and contact; peers see them.
	if f := byDistrict.IsbPeers.Edges[1].Node.Profile; f.DisplayName == nil || *f.DisplayName != "IT Finnentrop" ||
		f.Contact == nil || *f.Contact != "it@finnentrop.example" || !reflect.DeepEqual(f.Shares, []string{"TENDER_DOCUMENTS"}) {
		t.Errorf("Finnentrop as a peer: %+v", f)
	}

	// Pages of two: Attendorn, Finnentrop, then Kirchhundem.
	first := find(me, map[string]any{"ags": drolshagen, "by": []string{"DISTRICT"}, "first": 2})
	if got := agsOf(first, true); !reflect.DeepEqual(got, []string{attendorn, finnentrop}) || !first.IsbPeers.PageInfo.HasNextPage {
		t.Errorf("first page: %v %+v", got, first.IsbPeers.PageInfo)
	}
	second := find(me, map[string]any{"ags": drolshagen, "by": []string{"DISTRICT"}, "first": 2, "after": first.IsbPeers.PageInfo.EndCursor})
	if got := agsOf(second, true); !reflect.DeepEqual(got, []string{kirchhundem}) || second.IsbPeers.PageInfo.HasNextPage {
		t.Errorf("second page: %v %+v", got, second.IsbPeers.PageInfo)
	}

	// Similar size (10,000–19,999): Finnentrop, Kirchhundem and Ense, not
	// Attendorn (23,554) nor Hamm.
	bySize := find(me, map[string]any{"ags": drolshagen, "by": []string{"SIMILAR_SIZE"}, "first": 100})
	if got := agsOf(bySize, false); !reflect.DeepEqual(got, []string{ense, finnentrop, kirchhundem}) {
		t.Errorf("peers of similar size: %v", got)
	}
	for _, e := range bySize.IsbPeers.Edges {
		if r := e.Node.Reasons; len(r) != 1 || r[0].Code != "SIMILAR_SIZE" || r[0].Text != "Ähnlich groß: 10.000 bis 19.999 Einwohner" {
			t.Errorf("reasons of %s by size: %+v", e.Node.Profile.Municipality.Name, r)
		}
	}
	// The own topics (ISMS, Krisenübung): Finnentrop and Hamm (ISMS),
	// Kirchhundem (Krisenübung); not Attendorn (Backup) nor Ense.
	byTopic := find(me, map[string]any{"ags": drolshagen, "by": []string{"TOPIC"}, "first": 100})
	if got := agsOf(byTopic, false); !reflect.DeepEqual(got, []string{finnentrop, hamm, kirchhundem}) {
		t.Errorf("peers by the own topics: %v", got)
	}
	// One topic asked for: Backup finds Attendorn only.
	backup := find(me, map[string]any{"ags": drolshagen, "by": []string{"TOPIC"}, "topic": "backup", "first": 100})
	if got := agsOf(backup, false); !reflect.DeepEqual(got, []string{attendorn}) ||
		backup.IsbPeers.Edges[0].Node.Reasons[0].Text != "Arbeitet am selben Thema: Datensicherung (Backup)" {
		t.Errorf("peers by topic backup: %v %+v", got, backup.IsbPeers.Edges)
	}
	// All criteria: most matches first. Finnentrop and Kirchhundem match
	// all three, then Attendorn (district), Ense (size), Hamm (topic).
	all := find(me, map[string]any{"ags": drolshagen, "first": 100})
	if got := agsOf(all, false); !reflect.DeepEqual(got, []string{finnentrop, kirchhundem, attendorn, ense, hamm}) {
		t.Errorf("peers by all criteria: %v", got)
	}
	// The same WiBA checklists: Drolshagen answers in Backup and in
	// IT-Administration; Attendorn works on Backup, Hamm on
	// IT-Administration, Ense on Clients only.
	neo4jtest.MustHoldLock(t, m.DB, neo4jtest.WibaLock)
	t.Cleanup(func() {
		store.DeleteWibaForTest(ctx, m.DB, drolshagen, attendorn, hamm, ense)
	})
	const answer = `mutation($ags: String!, $q: String!, $a: WibaAnswer!) { answerWibaQuestion(ags: $ags, question: $q, answer: $a) { changed } }`
	for _, a := range []struct{ ags, question, answer string }{
		{drolshagen, "backup-1", "YES"}, {drolshagen, "it-administration-1", "NO"},
		{attendorn, "backup-2", "NO"}, {hamm, "it-administration-2", "YES"}, {ense, "client-1", "YES"},
	} {
		if res := ask(officer(a.ags), answer, map[string]any{"ags": a.ags, "q": a.question, "a": a.answer}, nil); len(res.Errors) > 0 {
			t.Fatalf("answer %s %s: %+v", a.ags, a.question, res.Errors)
		}
	}
	byChecklist := find(me, map[string]any{"ags": drolshagen, "by": []string{"WIBA_CHECKLIST"}, "first": 100})
	if got := agsOf(byChecklist, false); !reflect.DeepEqual(got, []string{attendorn, hamm}) {
		t.Errorf("peers on the same WiBA checklists: %v", got)
	}
	for _, e := range byChecklist.IsbPeers.Edges {
		want := map[string]string{attendorn: "Arbeitet an derselben WiBA-Checkliste: Backup (Datensicherung)",
			hamm: "Arbeitet an derselben WiBA-Checkliste: IT-Administration"}[e.Node.Profile.Municipality.Ags]
		if r := e.Node.Reasons; len(r) != 1 || r[0].Code != "WIBA_CHECKLIST" || r[0].Text != want {
			t.Errorf("reasons of %s by checklist: %+v", e.Node.Profile.Municipality.Name, r)
		}
	}
	// All four criteria: Attendorn (district, Backup) and Hamm (topic,
	// IT-Administration) now match two each and come before Ense.
	all = find(me, map[string]any{"ags": drolshagen, "first": 100})
	if got := agsOf(all, false); !reflect.DeepEqual(got, []string{finnentrop, kirchhundem, attendorn, hamm, ense}) {
		t.Errorf("peers by all four criteria: %v", got)
	}
	for _, e := range all.IsbPeers.Edges {
		if e.Node.Profile.Municipality.Ags != finnentrop {
			continue
		}
		want := []struct{ Code, Text string }{{"SAME_DISTRICT", "Im selben Kreis: Kreis Olpe"},
			{"SIMILAR_SIZE", "Ähnlich groß: 10.000 bis 19.999 Einwohner"},
			{"SAME_TOPIC", "Arbeitet am selben Thema: Informationssicherheits-Managementsystem (ISMS)"}}
		if !reflect.DeepEqual(e.Node.Reasons, want) {
			t.Errorf("Finnentrop's reasons: %+v", e.Node.Reasons)
		}
	}
	// Admins see the peers of any municipality.
	admin := issue(cyberlotse.Identity{Subject: "admin", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}})
	if got := agsOf(find(admin, map[string]any{"ags": finnentrop, "by": []string{"DISTRICT"}}), true); !reflect.DeepEqual(got, []string{attendorn, drolshagen, kirchhundem}) {
		t.Errorf("the admin's view of Finnentrop's district: %v", got)
	}

	// Bad searches.
	for _, bad := range []struct {
		name, field string
		vars        map[string]any
	}{
		{"an unknown topic", "topic", map[string]any{"ags": drolshagen, "by": []string{"TOPIC"}, "topic": "gibt-es-nicht"}},
		{"a topic without TOPIC", "topic", map[string]any{"ags": drolshagen, "by": []string{"DISTRICT"}, "topic": "isms"}},
		{"a forged cursor", "", map[string]any{"ags": drolshagen, "after": "kaputt"}},
		{"another list's cursor", "", map[string]any{"ags": drolshagen, "after": cyberlotse.Cursor{Keys: []string{"x", "y"}}.Encode()}},
		{"a page too large", "", map[string]any{"ags": drolshagen, "first": 101}},
	} {
		if res := ask(me, peersQ, bad.vars, nil); code(res) != "BAD_USER_INPUT" || string(res.Data) != "null" ||
			bad.field != "" && res.Errors[0].Extensions["field"] != bad.field {
			t.Errorf("%s: %s %+v", bad.name, res.Data, res.Errors)
		}
	}

	// Refusals: nobody but officers (for their own AGS) and admins.
	callers := map[string]string{
		"anonymous":       "",
		"company member":  issue(cyberlotse.Identity{Subject: "cm", Roles: []cyberlotse.Role{cyberlotse.RoleCompanyMember}, CompanyID: "x"}),
		"organizer":       issue(cyberlotse.Identity{Subject: "org", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer}, OrganizationIDs: []string{"gemeinde-kalletal"}}),
		"manager":         issue(cyberlotse.Identity{Subject: "mgr", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{"bergisches-staedtedreieck"}}),
		"another officer": officer(attendorn),
	}
	calls := []struct {
		name, query string
		vars        map[string]any
	}{
		{"myIsbProfile", mine1, map[string]any{"ags": drolshagen}},
		{"isbPeers", peersQ, map[string]any{"ags": drolshagen}},
		{"saveIsbProfile", save, map[string]any{"ags": drolshagen, "in": map[string]any{"function": "OTHER", "topics": []string{}, "shares": []string{}}}},
		{"deleteIsbProfile", `mutation($ags: String!) { deleteIsbProfile(ags: $ags) }`, map[string]any{"ags": drolshagen}},
	}
	for who, token := range callers {
		want := "FORBIDDEN"
		if token == "" {
			want = "UNAUTHENTICATED"
		}
		for _, call := range calls {
			if res := ask(token, call.query, call.vars, nil); code(res) != want || string(res.Data) != "null" && string(res.Data) != `{"myIsbProfile":null}` {
				t.Errorf("%s calls %s: %s %+v", who, call.name, res.Data, res.Errors)
			}
		}
	}
	if res := ask(me, mine1, map[string]any{"ags": drolshagen}, &own); len(res.Errors) > 0 || own.MyIsbProfile.Function != "ISB" {
		t.Errorf("a refused call changed the profile: %s %+v", res.Data, res.Errors)
	}

	// Deletion removes the profile: it is gone for its officer, from the
	// peers of the district and from the graph; a second delete says false.
	const del = `mutation($ags: String!) { deleteIsbProfile(ags: $ags) }`
	var deleted struct{ DeleteIsbProfile bool }
	if res := ask(me, del, map[string]any{"ags": drolshagen}, &deleted); len(res.Errors) > 0 || !deleted.DeleteIsbProfile {
		t.Fatalf("delete: %s %+v", res.Data, res.Errors)
	}
	if res := ask(me, mine1, map[string]any{"ags": drolshagen}, nil); string(res.Data) != `{"myIsbProfile":null}` {
		t.Errorf("after deletion: %s %+v", res.Data, res.Errors)
	}
	if got := agsOf(find(officer(finnentrop), map[string]any{"ags": finnentrop, "by": []string{"DISTRICT"}}), true); !reflect.DeepEqual(got, []string{attendorn, kirchhundem}) {
		t.Errorf("the district after deletion: %v", got)
	}
	if p, err := store.NewIsbNetworkStore(m.DB).Profile(ctx, drolshagen); err != nil || p != nil {
		t.Errorf("the profile in the graph after deletion: %+v %v", p, err)
	}
	if res := ask(me, del, map[string]any{"ags": drolshagen}, &deleted); len(res.Errors) > 0 || deleted.DeleteIsbProfile {
		t.Errorf("second delete: %s %+v", res.Data, res.Errors)
	}
	// Without an own profile the officer still finds peers by district
	// and size, and none by topic.
	if got := agsOf(find(me, map[string]any{"ags": drolshagen, "by": []string{"TOPIC"}, "first": 100}), false); len(got) != 0 {
		t.Errorf("peers by topic without an own profile: %v", got)
	}
}
