package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// The WiBA checklists through the HTTP handler: the catalogue, answers
// with their progress (figures by hand), the history in pages, the
// comparison hidden below five and shown at five, bad input and refusals.
func TestWibaOverHTTP(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	neo4jtest.MustHoldLock(t, m.DB, neo4jtest.WibaLock)
	ctx := context.Background()
	// Wuppertal and five more cities of 100,000 inhabitants and more.
	const wuppertal = cyberlotse.AGS("05124000")
	others := []cyberlotse.AGS{"05111000", "05112000", "05113000", "05114000", "05116000"}
	all := append([]cyberlotse.AGS{wuppertal, "05122000"}, others...)
	store.DeleteWibaForTest(ctx, m.DB, all...)
	t.Cleanup(func() { store.DeleteWibaForTest(ctx, m.DB, all...) })

	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	isb := issue(cyberlotse.Identity{Subject: "isb-wuppertal", Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{wuppertal}})
	solingen := issue(cyberlotse.Identity{Subject: "isb-solingen", Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{"05122000"}})
	admin := issue(cyberlotse.Identity{Subject: "admin-1", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}})
	manager := issue(cyberlotse.Identity{Subject: "mgr", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{"bergisches-staedtedreieck"}})

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

	// The catalogue.
	var cat struct {
		WibaCatalogue struct {
			QuestionCount int
			SourceURL     string `json:"sourceUrl"`
			Topics        []struct {
				Key            string
				Number         int
				Title          string
				TitleConfirmed bool
				Questions      []struct {
					Key      string
					IsSample bool
					Source   string
				}
			}
		}
	}
	if res := ask(isb, `{ wibaCatalogue { questionCount sourceUrl topics { key number title titleConfirmed questions { key isSample source } } } }`, nil, &cat); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	wc := cat.WibaCatalogue
	if wc.QuestionCount != 57 || len(wc.Topics) != 19 || wc.Topics[3].Key != "backup" || wc.Topics[3].Number != 4 || !wc.Topics[3].TitleConfirmed ||
		wc.Topics[3].Questions[1].Key != "backup-2" || !wc.Topics[3].Questions[1].IsSample ||
		!strings.HasPrefix(wc.Topics[3].Questions[1].Source, "Eigene Formulierung") || !strings.Contains(wc.SourceURL, "bsi.bund.de") {
		t.Fatalf("catalogue = %+v", wc)
	}

	type progress struct {
		Questions, Answered, Open, Yes, No, NotApplicable, AnsweredPercent int
		FulfilledPercent                                                   *int
	}
	const answerQ = `mutation($ags: String!, $q: String!, $a: WibaAnswer!, $note: String) {
		answerWibaQuestion(ags: $ags, question: $q, answer: $a, note: $note) {
			changed state { question { key } answer note answeredBy answeredByRole answeredAt }
			topic { topic { key } progress { questions answered open yes no notApplicable answeredPercent fulfilledPercent } }
			overall { questions answered open yes no notApplicable answeredPercent fulfilledPercent } } }`
	type answerOut struct {
		AnswerWibaQuestion struct {
			Changed bool
			State   struct {
				Question                 struct{ Key string }
				Answer, Note, AnsweredBy *string
				AnsweredByRole           *string
				AnsweredAt               *time.Time
			}
			Topic struct {
				Topic    struct{ Key string }
				Progress progress
			}
			Overall progress
		}
	}
	answer := func(token string, ags cyberlotse.AGS, q, a string, note any) (answerOut, rmResult) {
		t.Helper()
		c.Add(time.Minute)
		var out answerOut
		res := ask(token, answerQ, map[string]any{"ags": string(ags), "q": q, "a": a, "note": note}, &out)
		return out, res
	}
	pct := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}

	// Fixed answers, figures by hand.
	answer(isb, wuppertal, "backup-1", "YES", nil)
	answer(isb, wuppertal, "backup-2", "NO", "Offline-Kopie fehlt")
	out, res := answer(isb, wuppertal, "backup-3", "NOT_APPLICABLE", nil)
	a := out.AnswerWibaQuestion
	// Topic backup: 3/3 answered = 100 %; fulfilled 1/(3−1) = 50 %.
	// Overall: 3/57 = 5.26 % → 5; fulfilled 1/(57−1) = 1.79 % → 2.
	if len(res.Errors) > 0 || !a.Changed || a.Topic.Topic.Key != "backup" || a.Topic.Progress != (progress{3, 3, 0, 1, 1, 1, 100, a.Topic.Progress.FulfilledPercent}) ||
		pct(a.Topic.Progress.FulfilledPercent) != 50 || a.Overall.Questions != 57 || a.Overall.Answered != 3 || a.Overall.Open != 54 ||
		a.Overall.AnsweredPercent != 5 || pct(a.Overall.FulfilledPercent) != 2 || *a.State.Answer != "NOT_APPLICABLE" ||
		*a.State.AnsweredBy != "isb-wuppertal" || *a.State.AnsweredByRole != "MUNICIPAL_ISB" || !a.State.AnsweredAt.Equal(c.Now()) {
		t.Fatalf("answer backup-3: %+v %+v", a, res.Errors)
	}
	// The admin answers netze-1: overall 4/57 = 7.02 % → 7; fulfilled 2/56 = 3.57 % → 4.
	out, _ = answer(admin, wuppertal, "netze-1", "YES", nil)
	if a := out.AnswerWibaQuestion; a.Overall.AnsweredPercent != 7 || pct(a.Overall.FulfilledPercent) != 4 || *a.State.AnsweredByRole != "ADMIN" {
		t.Fatalf("admin's answer: %+v", a)
	}
	out, _ = answer(isb, wuppertal, "backup-2", "YES", "Offline-Kopie seit Dezember")
	if a := out.AnswerWibaQuestion; !a.Changed || pct(a.Topic.Progress.FulfilledPercent) != 100 || pct(a.Overall.FulfilledPercent) != 5 {
		// backup 2/(3−1) = 100 %; overall 3/56 = 5.36 % → 5.
		t.Fatalf("changed answer: %+v", a)
	}
	if out, _ := answer(isb, wuppertal, "backup-2", "YES", "Offline-Kopie seit Dezember"); out.AnswerWibaQuestion.Changed {
		t.Error("the same answer again counts as a change")
	}

	// The municipality's state.
	var state struct {
		MunicipalityWiba struct {
			Ags, MunicipalityName string
			Overall               progress
			Topics                []struct {
				Topic    struct{ Key string }
				Progress progress
			}
			Questions []struct {
				Question struct{ Key string }
				Answer   *string
				Note     *string
			}
			LastAnsweredAt *time.Time
		}
	}
	if res := ask(isb, `query($ags: String!) { municipalityWiba(ags: $ags) { ags municipalityName lastAnsweredAt
		overall { questions answered open yes no notApplicable answeredPercent fulfilledPercent }
		topics { topic { key } progress { questions answered open yes no notApplicable answeredPercent fulfilledPercent } }
		questions { question { key } answer note } } }`, map[string]any{"ags": string(wuppertal)}, &state); len(res.Errors) > 0 {
		t.Fatal(res.Errors)
	}
	mw := state.MunicipalityWiba
	if mw.MunicipalityName != "Wuppertal" || len(mw.Topics) != 19 || len(mw.Questions) != 57 || mw.Overall.Answered != 4 || mw.Overall.Yes != 3 ||
		mw.Topics[0].Progress.AnsweredPercent != 0 || pct(mw.Topics[0].Progress.FulfilledPercent) != 0 ||
		mw.Questions[10].Question.Key != "backup-2" || *mw.Questions[10].Answer != "YES" || *mw.Questions[10].Note != "Offline-Kopie seit Dezember" ||
		mw.Questions[0].Answer != nil || mw.LastAnsweredAt == nil {
		t.Fatalf("municipalityWiba = %+v", mw)
	}

	// The history: newest first, in pages.
	const history = `query($ags: String!, $first: Int, $after: String) { wibaHistory(ags: $ags, first: $first, after: $after) {
		totalCount pageInfo { hasNextPage endCursor } nodes { question { key } from to note noteBefore byRole by at } } }`
	type histOut struct {
		WibaHistory struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Nodes []struct {
				Question         struct{ Key string }
				From             *string
				To               string
				Note, NoteBefore *string
				ByRole, By       string
				At               time.Time
			}
		}
	}
	var h1, h2 histOut
	ask(isb, history, map[string]any{"ags": string(wuppertal), "first": 2}, &h1)
	n := h1.WibaHistory.Nodes
	if h1.WibaHistory.TotalCount != 5 || !h1.WibaHistory.PageInfo.HasNextPage || len(n) != 2 ||
		n[0].Question.Key != "backup-2" || *n[0].From != "NO" || n[0].To != "YES" || *n[0].NoteBefore != "Offline-Kopie fehlt" ||
		*n[0].Note != "Offline-Kopie seit Dezember" || n[0].By != "isb-wuppertal" || n[0].ByRole != "MUNICIPAL_ISB" ||
		n[1].Question.Key != "netze-1" || n[1].From != nil || n[1].ByRole != "ADMIN" || n[1].By != "admin-1" || !n[0].At.After(n[1].At) {
		t.Fatalf("history page 1 = %+v", h1.WibaHistory)
	}
	ask(isb, history, map[string]any{"ags": string(wuppertal), "first": 10, "after": h1.WibaHistory.PageInfo.EndCursor}, &h2)
	n = h2.WibaHistory.Nodes
	if h2.WibaHistory.PageInfo.HasNextPage || len(n) != 3 || n[0].Question.Key != "backup-3" || n[1].Question.Key != "backup-2" ||
		n[1].To != "NO" || n[2].Question.Key != "backup-1" {
		t.Fatalf("history page 2 = %+v", h2.WibaHistory)
	}

	// Bad input: nothing is written.
	for _, bad := range []struct {
		name, token, ags, q, code, text string
		note                            any
	}{
		{"unknown question", isb, string(wuppertal), "backup-9", "BAD_USER_INPUT", "gibt es im WiBA-Katalog nicht", nil},
		{"note too long", isb, string(wuppertal), "backup-1", "BAD_USER_INPUT", "höchstens 1000 Zeichen", strings.Repeat("ü", 1001)},
		{"malformed ags", isb, "5124", "backup-1", "BAD_USER_INPUT", "Gemeindeschlüssel", nil},
		{"unknown municipality", admin, "05999999", "backup-1", "NOT_FOUND", "nicht gefunden", nil},
		{"foreign municipality", solingen, string(wuppertal), "backup-1", "FORBIDDEN", "eigene", nil},
		{"regional manager", manager, string(wuppertal), "backup-1", "FORBIDDEN", "Berechtigung", nil},
		{"anonymous", "", string(wuppertal), "backup-1", "UNAUTHENTICATED", "Zugangstoken", nil},
	} {
		_, res := answer(bad.token, cyberlotse.AGS(bad.ags), bad.q, "NO", bad.note)
		if code(res) != bad.code || !strings.Contains(res.Errors[0].Message, bad.text) || string(res.Data) != "null" {
			t.Errorf("%s: %s %+v", bad.name, res.Data, res.Errors)
		}
	}
	for _, who := range []struct{ name, token, code string }{{"Solingen's officer", solingen, "FORBIDDEN"},
		{"the regional manager", manager, "FORBIDDEN"}, {"anonymous", "", "UNAUTHENTICATED"}} {
		for _, q := range []string{`query($ags: String!) { municipalityWiba(ags: $ags) { ags } }`,
			`query($ags: String!) { wibaHistory(ags: $ags) { totalCount } }`, `query($ags: String!) { wibaComparison(ags: $ags) { ags } }`} {
			if res := ask(who.token, q, map[string]any{"ags": string(wuppertal)}, nil); code(res) != who.code || string(res.Data) != "null" {
				t.Errorf("%s: %s → %s %+v", who.name, q, res.Data, res.Errors)
			}
		}
	}
	var again histOut
	ask(admin, history, map[string]any{"ags": string(wuppertal), "first": 1}, &again)
	if again.WibaHistory.TotalCount != 5 {
		t.Errorf("refused answers were written: %d history entries", again.WibaHistory.TotalCount)
	}

	// The comparison: Wuppertal is a district of its own (no one to compare
	// with); the cities of its size class answer one by one.
	const comparison = `query($ags: String!) { wibaComparison(ags: $ags) { ags sizeClass minimumGroupSize own { answeredPercent fulfilledPercent }
		district { kind label shown message municipalities answeredPercent fulfilledPercent }
		similarSize { kind label shown message municipalities answeredPercent fulfilledPercent } } }`
	type group struct {
		Kind, Label                                       string
		Shown                                             bool
		Message                                           *string
		Municipalities, AnsweredPercent, FulfilledPercent *int
	}
	var cmp struct {
		WibaComparison struct {
			Ags, SizeClass        string
			MinimumGroupSize      int
			Own                   progress
			District, SimilarSize group
		}
	}
	s := store.NewWibaService(m.DB)
	catalogue, err := s.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	other := func(ags cyberlotse.AGS, q string, a cyberlotse.WibaAnswer) {
		t.Helper()
		e, err := cyberlotse.NewWibaEntry(catalogue, ags, q, a, "", &cyberlotse.Identity{Subject: "isb-" + string(ags),
			Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{ags}}, c.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Answer(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	// Counts (answered, yes, not applicable): Düsseldorf 1, 1, 0; Duisburg
	// 2, 2, 0; Essen 1, 0, 0; Krefeld 1, 0, 1.
	other(others[0], "backup-1", cyberlotse.WibaYes)
	other(others[1], "backup-1", cyberlotse.WibaYes)
	other(others[1], "backup-2", cyberlotse.WibaYes)
	other(others[2], "backup-1", cyberlotse.WibaNo)
	other(others[3], "backup-1", cyberlotse.WibaNotApplicable)
	ask(isb, comparison, map[string]any{"ags": string(wuppertal)}, &cmp)
	wcmp := cmp.WibaComparison
	tooFew := "Zu wenige Vergleichswerte: Ein Vergleich wird erst gezeigt, wenn mindestens 5 andere Gemeinden der Gruppe geantwortet haben."
	if wcmp.SizeClass != "100.000 Einwohnerinnen und Einwohnern und mehr" || wcmp.MinimumGroupSize != 5 || wcmp.Own.AnsweredPercent != 7 ||
		wcmp.District.Shown || wcmp.District.Kind != "DISTRICT" || wcmp.District.Label != "Kreis bzw. kreisfreie Stadt: Wuppertal" || *wcmp.District.Message != tooFew || wcmp.District.Municipalities != nil ||
		wcmp.SimilarSize.Shown || *wcmp.SimilarSize.Message != tooFew || wcmp.SimilarSize.AnsweredPercent != nil || wcmp.SimilarSize.FulfilledPercent != nil {
		t.Fatalf("comparison with four = %+v", wcmp)
	}
	// Mönchengladbach (3, 3, 0) makes five: answered (1+2+1+1+3)/5/57 =
	// 2.81 % → 3; fulfilled (1/57 + 2/57 + 0/57 + 0/56 + 3/57)/5 = 2.11 % → 2.
	for _, q := range []string{"netze-1", "netze-2", "netze-3"} {
		other(others[4], q, cyberlotse.WibaYes)
	}
	ask(isb, comparison, map[string]any{"ags": string(wuppertal)}, &cmp)
	wcmp = cmp.WibaComparison
	if !wcmp.SimilarSize.Shown || wcmp.SimilarSize.Message != nil || pct(wcmp.SimilarSize.Municipalities) != 5 ||
		pct(wcmp.SimilarSize.AnsweredPercent) != 3 || pct(wcmp.SimilarSize.FulfilledPercent) != 2 || wcmp.District.Shown ||
		wcmp.SimilarSize.Label != "Gemeinden mit 100.000 Einwohnerinnen und Einwohnern und mehr" {
		t.Fatalf("comparison with five = %+v", wcmp.SimilarSize)
	}
}
