package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// syncBuffer is a log destination tests read back.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newLoggedTestMain is newTestMain with every log line, at debug level,
// in logs.
func newLoggedTestMain(t *testing.T, c *clock, srv *smtptest.Server, logs *syncBuffer) (*Main, http.Handler) {
	t.Helper()
	return newTestMainLogging(t, c, srv, slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
}

// decodeData unmarshals a result's data, failing the test on errors.
func decodeData(t *testing.T, what string, res gqlResult, v any) {
	t.Helper()
	if len(res.Errors) > 0 {
		t.Fatalf("%s: %+v", what, res.Errors)
	}
	if err := json.Unmarshal(res.Data, v); err != nil {
		t.Fatalf("%s: %v in %s", what, err, res.Data)
	}
}

type checkResultJSON struct {
	Points, MinPoints, MaxPoints, Percent int
	Complete                              bool
	Areas                                 []struct {
		Area    string
		Percent int
	}
	Recommendations []struct {
		Rank        int
		Answer      string
		Implied     bool
		Text        string
		Requirement struct{ Number int }
	}
}

const checkFields = `status version municipality { name } sizeClass nextStatusQuestion nextRequirement { number }
	result { points minPoints maxPoints percent complete areas { area percent }
	         recommendations { rank answer implied text requirement { number } } }`

// The Kalletal example, from start to delete through GraphQL: a small
// company in Kalletal (postcode 32689) without backups starts a check
// without an account, answers, pauses, resumes and finishes it; its most
// urgent gap is the backup (TOP requirement 11, implied by "no backups"),
// and its first actions are the seeded backup Lunchtalk and the Kalletal
// information evening with basic protection, and the state's funding
// programme MID-Digitale Sicherheit. It shares a read-only link, exports
// its answers and deletes the check. No token reaches the logs.
func TestSelfCheckKalletalFlow(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	logs := &syncBuffer{}
	m, h := newLoggedTestMain(t, c, srv, logs)
	checks := store.NewSelfCheckService(m.DB)

	var start struct {
		StartSelfCheck struct {
			Token, ResumeURL string
			SelfCheck        struct {
				Status             string
				Municipality       struct{ Name string }
				SizeClass          string
				NextStatusQuestion string
			}
		}
	}
	decodeData(t, "start", gql(t, h, "", `mutation { startSelfCheck(profile: {employees: 8, sector: "43.21", place: {postcode: "32689"}}) {
		token resumeUrl selfCheck { status municipality { name } sizeClass nextStatusQuestion } } }`, nil), &start)
	s := start.StartSelfCheck
	token := s.Token
	t.Cleanup(func() {
		if c, err := checks.CheckByToken(context.Background(), cyberlotse.CheckToken(token).Hash()); err == nil {
			checks.DeleteCheck(context.Background(), c.ID)
		}
	})
	if len(token) != 43 || !strings.HasPrefix(s.ResumeURL, "http://cyberlotse.test/selbstcheck?token=") || !strings.HasSuffix(s.ResumeURL, token) ||
		s.SelfCheck.Status != "IN_PROGRESS" || s.SelfCheck.Municipality.Name != "Kalletal" || s.SelfCheck.SizeClass != "MICRO" ||
		s.SelfCheck.NextStatusQuestion != "HOME_OFFICE" {
		t.Fatalf("start: %+v", s)
	}
	vars := map[string]any{"token": token}

	// The status questions first: everything but backups exists.
	answer := func(input string) gqlResult {
		return gql(t, h, "", `mutation($token: String!) { answerSelfCheck(token: $token, input: `+input+`) { `+checkFields+` } }`, vars)
	}
	var step struct {
		AnswerSelfCheck struct {
			Status             string
			NextStatusQuestion *string
			NextRequirement    *struct{ Number int }
		}
	}
	decodeData(t, "statuses", answer(`{statusAnswers: [{question: HOME_OFFICE, answer: true}, {question: REMOTE_ACCESS, answer: true},
		{question: WLAN, answer: true}, {question: REMOTE_MAINTENANCE, answer: true}, {question: BACKUPS, answer: false}]}`), &step)
	if step.AnswerSelfCheck.NextStatusQuestion != nil || step.AnswerSelfCheck.NextRequirement.Number != 1 {
		t.Fatalf("after the status questions: %+v", step)
	}
	// Requirements 1–10 yes, except 5 (training): no.
	var first []string
	for n := 1; n <= 10; n++ {
		a := "YES"
		if n == 5 {
			a = "NO"
		}
		first = append(first, fmt.Sprintf(`{number: %d, answer: %s}`, n, a))
	}
	decodeData(t, "answers 1–10", answer(`{answers: [`+strings.Join(first, ", ")+`]}`), &step)
	// 11 is not asked (no backups), 12–14 do not apply: 15 is next.
	if step.AnswerSelfCheck.NextRequirement == nil || step.AnswerSelfCheck.NextRequirement.Number != 15 {
		t.Fatalf("next after 10: %+v", step.AnswerSelfCheck.NextRequirement)
	}

	// Finishing now is refused with the open questions.
	res := gql(t, h, "", `mutation($token: String!) { finishSelfCheck(token: $token) { status } }`, vars)
	if res.code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["reason"] != "CHECK_INCOMPLETE" ||
		fmt.Sprint(res.Errors[0].Extensions["open"]) != "[15 16 17 18 19 20 21 22 23 24 25 26 27]" {
		t.Fatalf("early finish: %s %+v", res.Data, res.Errors)
	}

	// Pause, close the browser, resume with the link.
	var paused struct{ PauseSelfCheck struct{ Status string } }
	decodeData(t, "pause", gql(t, h, "", `mutation($token: String!) { pauseSelfCheck(token: $token) { status } }`, vars), &paused)
	var resumed struct {
		SelfCheck struct {
			Status          string
			Answers         []struct{ Answer string }
			NextRequirement struct{ Number int }
		}
	}
	decodeData(t, "resume", gql(t, h, "", `query($token: String!) { selfCheck(token: $token) { status answers { answer } nextRequirement { number } } }`, vars), &resumed)
	if paused.PauseSelfCheck.Status != "PAUSED" || resumed.SelfCheck.Status != "PAUSED" || len(resumed.SelfCheck.Answers) != 10 ||
		resumed.SelfCheck.NextRequirement.Number != 15 {
		t.Fatalf("paused %+v, resumed %+v", paused, resumed)
	}
	var rest []string
	for n := 15; n <= 27; n++ {
		rest = append(rest, fmt.Sprintf(`{number: %d, answer: YES}`, n))
	}
	decodeData(t, "answers 15–27", answer(`{answers: [`+strings.Join(rest, ", ")+`]}`), &step)
	if step.AnswerSelfCheck.Status != "IN_PROGRESS" || step.AnswerSelfCheck.NextRequirement != nil {
		t.Fatalf("after all answers: %+v", step)
	}

	// Finish. Hand-computed: 12–14 do not apply (max 41 - 5 = 36, min
	// -21 + 3 = -18); 11 counts -3 instead of +3, 5 counts 0 instead of 1:
	// 36 - 6 - 1 = 29 points, (29 + 18) / 54 = 87 %.
	var done struct {
		FinishSelfCheck struct {
			Status string
			Result checkResultJSON
		}
	}
	decodeData(t, "finish", gql(t, h, "", `mutation($token: String!) { finishSelfCheck(token: $token) { `+checkFields+` } }`, vars), &done)
	r := done.FinishSelfCheck.Result
	if done.FinishSelfCheck.Status != "FINISHED" || r.Points != 29 || r.MaxPoints != 36 || r.MinPoints != -18 || r.Percent != 87 || !r.Complete {
		t.Fatalf("finished: %+v", done.FinishSelfCheck)
	}
	if len(r.Recommendations) != 2 || r.Recommendations[0].Requirement.Number != 11 || !r.Recommendations[0].Implied ||
		r.Recommendations[1].Requirement.Number != 5 || r.Recommendations[1].Rank != 2 ||
		!strings.Contains(r.Recommendations[0].Text, "Sicherung") {
		t.Fatalf("recommendations: %+v", r.Recommendations)
	}
	if r.Areas[2].Area != "BACKUP" || r.Areas[2].Percent != 0 || r.Areas[0].Percent != 92 { // organisation: (8+3)/(9+3)
		t.Errorf("areas: %+v", r.Areas)
	}
	if res := answer(`{answers: [{number: 5, answer: YES}]}`); res.code() != "CONFLICT" {
		t.Errorf("answer after finish: %s %+v", res.Data, res.Errors)
	}

	// The next actions for the backup gap.
	var next struct {
		SelfCheck struct {
			NextActions struct {
				Municipality struct{ Name string }
				Regions      []struct{ Slug string }
				Hint         *string
				Actions      []struct {
					Recommendation struct{ Requirement struct{ Number int } }
					Events         []struct {
						Event      struct{ Slug, StartsAt, Mode string }
						DistanceKm *float64
						Reasons    []struct{ Code, Text string }
					}
					Contacts []struct {
						Contact struct{ Slug string }
						Reasons []struct{ Code, Text string }
					}
					Offers []struct {
						Offer   struct{ Slug string }
						Reasons []struct{ Code, Text string }
					}
					Measures []struct{ Measure struct{ Code string } }
				}
			}
		}
	}
	decodeData(t, "next actions", gql(t, h, "", `query($token: String!) { selfCheck(token: $token) { nextActions(requirements: 2) {
		municipality { name } regions { slug } hint
		actions { recommendation { requirement { number } }
		  events { event { slug startsAt mode } distanceKm reasons { code text } }
		  contacts { contact { slug } reasons { code text } }
		  offers { offer { slug } reasons { code text } }
		  measures { measure { code } } } } } }`, vars), &next)
	na := next.SelfCheck.NextActions
	if na.Municipality.Name != "Kalletal" || na.Hint != nil || len(na.Actions) != 2 || na.Actions[0].Recommendation.Requirement.Number != 11 {
		t.Fatalf("next actions: %+v", na)
	}
	backup := na.Actions[0]
	t.Logf("Kalletal, no backups: events %+v; offers %+v; contacts %+v; measures %+v", backup.Events, backup.Offers, backup.Contacts, backup.Measures)
	events := map[string]int{}
	for i, e := range backup.Events {
		events[e.Event.Slug] = i
	}
	infoabend, okI := events["kalletal-infoabend-2027-03-18"]
	_, okL := events["lunchtalk-2027-03-10"]
	if !okI || !okL {
		t.Fatalf("backup events: %+v", backup.Events)
	}
	ev := backup.Events[infoabend]
	if ev.DistanceKm == nil || *ev.DistanceKm != 0 || ev.Event.StartsAt != "2027-03-18T18:00:00+01:00" || !hasCode(ev.Reasons, "TOPIC") {
		t.Errorf("the Kalletal evening: %+v", ev)
	}
	// The funding line for basic protection (MID-Digitale Sicherheit,
	// focus area C: backup software, patches, anti-ransomware) comes first,
	// for its topics and as funding; the programme itself and the focus
	// areas on analysis (A) and people (B) do not repeat it.
	var offers []string
	for _, o := range backup.Offers {
		offers = append(offers, o.Offer.Slug)
	}
	if len(backup.Offers) == 0 || offers[0] != "mid-digitale-sicherheit-c" ||
		!hasCode(backup.Offers[0].Reasons, "FUNDING") || !hasCode(backup.Offers[0].Reasons, "TOPIC") {
		t.Errorf("backup offers %v: want the basic-protection funding first, with its reasons: %+v", offers, backup.Offers)
	}
	for _, other := range []string{"mid-digitale-sicherheit", "mid-digitale-sicherheit-a", "mid-digitale-sicherheit-b"} {
		if slices.Contains(offers, other) {
			t.Errorf("backup offers %v include %s", offers, other)
		}
	}
	if len(backup.Contacts) == 0 || len(backup.Contacts[0].Reasons) == 0 {
		t.Errorf("backup contacts: %+v", backup.Contacts)
	}
	awareness := na.Actions[1]
	for _, e := range awareness.Events {
		if e.Event.Slug == "kalletal-infoabend-2027-03-18" || e.Event.Slug == "lunchtalk-2027-03-10" {
			t.Errorf("a backup event among the training gap's: %s", e.Event.Slug)
		}
	}
	var trainingOffers []string
	for _, o := range awareness.Offers {
		trainingOffers = append(trainingOffers, o.Offer.Slug)
	}
	if !slices.Contains(trainingOffers, "mid-digitale-sicherheit-b") || slices.Contains(trainingOffers, "mid-digitale-sicherheit-c") {
		t.Errorf("training offers %v: want focus area B (people), not C", trainingOffers)
	}

	// Share read-only: the share key reads, but opens nothing else; the
	// resume key is no share key.
	var shared struct {
		ShareSelfCheck struct{ ShareToken, ShareURL string }
	}
	decodeData(t, "share", gql(t, h, "", `mutation($token: String!) { shareSelfCheck(token: $token) { shareToken shareUrl } }`, vars), &shared)
	share := shared.ShareSelfCheck.ShareToken
	shareVars := map[string]any{"token": share}
	var view struct {
		SharedSelfCheck struct {
			Status string
			Result checkResultJSON
		}
	}
	decodeData(t, "shared view", gql(t, h, "", `query($token: String!) { sharedSelfCheck(token: $token) { `+checkFields+` } }`, shareVars), &view)
	if view.SharedSelfCheck.Status != "FINISHED" || view.SharedSelfCheck.Result.Points != 29 || share == token ||
		!strings.HasSuffix(shared.ShareSelfCheck.ShareURL, share) {
		t.Fatalf("shared view: %+v", view)
	}
	for _, q := range []string{
		`query($token: String!) { selfCheck(token: $token) { status } }`,
		`query($token: String!) { selfCheckExport(token: $token) }`,
		`mutation($token: String!) { answerSelfCheck(token: $token, input: {answers: [{number: 1, answer: NO}]}) { status } }`,
		`mutation($token: String!) { shareSelfCheck(token: $token) { shareToken } }`,
		`mutation($token: String!) { unshareSelfCheck(token: $token) { shared } }`,
		`mutation($token: String!) { deleteSelfCheck(token: $token) }`,
	} {
		if res := gql(t, h, "", q, shareVars); res.code() != "UNAUTHENTICATED" || string(res.Data) != "null" {
			t.Errorf("%s with the share key: %s %+v", q, res.Data, res.Errors)
		}
	}
	if res := gql(t, h, "", `query($token: String!) { sharedSelfCheck(token: $token) { status } }`, vars); res.code() != "UNAUTHENTICATED" {
		t.Errorf("the resume key opened the shared view: %s %+v", res.Data, res.Errors)
	}

	// Export: the answers in words and the result, no keys.
	var exp struct{ SelfCheckExport string }
	decodeData(t, "export", gql(t, h, "", `query($token: String!) { selfCheckExport(token: $token) }`, vars), &exp)
	var doc cyberlotse.CheckExport
	if err := json.Unmarshal([]byte(exp.SelfCheckExport), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Format != "cyberlotse-selbstcheck/1" || !doc.Catalogue.Sample || doc.Catalogue.ModelledOn != "DIN SPEC 27076 (CyberRisikoCheck)" ||
		doc.Company.Place == nil || *doc.Company.Place != "Kalletal" || *doc.Company.Employees != 8 || doc.Result.Points != 29 ||
		len(doc.Answers) != 23 || len(doc.StatusAnswers) != 5 || doc.Recommend[0].Number != 11 || doc.FinishedAt == nil {
		t.Errorf("export: %s", exp.SelfCheckExport)
	}
	if strings.Contains(exp.SelfCheckExport, token) || strings.Contains(exp.SelfCheckExport, share) {
		t.Error("the export holds a key")
	}

	// Delete: both keys open nothing any more.
	var del struct{ DeleteSelfCheck bool }
	decodeData(t, "delete", gql(t, h, "", `mutation($token: String!) { deleteSelfCheck(token: $token) }`, vars), &del)
	if !del.DeleteSelfCheck {
		t.Fatal("delete answered false")
	}
	for _, q := range []struct {
		query string
		vars  map[string]any
	}{{`query($token: String!) { selfCheck(token: $token) { status } }`, vars},
		{`query($token: String!) { sharedSelfCheck(token: $token) { status } }`, shareVars}} {
		if res := gql(t, h, "", q.query, q.vars); res.code() != "UNAUTHENTICATED" || !strings.Contains(res.Errors[0].Message, "keinen Selbstcheck") {
			t.Errorf("after delete: %s %+v", res.Data, res.Errors)
		}
	}
	if _, err := checks.CheckByToken(context.Background(), cyberlotse.CheckToken(token).Hash()); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("the check is still stored: %v", err)
	}

	// Nothing of it in the logs: no key, no answer.
	if l := logs.String(); strings.Contains(l, token) || strings.Contains(l, share) || strings.Contains(l, "43.21") {
		t.Errorf("the logs hold a key or the profile:\n%s", l)
	}
}

func hasCode(rs []struct{ Code, Text string }, code string) bool {
	for _, r := range rs {
		if r.Code == code && r.Text != "" {
			return true
		}
	}
	return false
}

// Bad input gets stable codes and German messages; starting checks is
// rate limited per client address like registering.
func TestSelfCheckBadInputAndRateLimit(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	checks := store.NewSelfCheckService(m.DB)

	for _, tc := range []struct{ query, code, reason string }{
		{`mutation { startSelfCheck(profile: {place: {town: "Atlantis"}}) { token } }`, "BAD_USER_INPUT", "UNKNOWN_PLACE"},
		{`mutation { startSelfCheck(profile: {employees: -1}) { token } }`, "BAD_USER_INPUT", ""},
		{`mutation { startSelfCheck(profile: {place: {companyId: "x"}}) { token } }`, "BAD_USER_INPUT", ""},
		{`query { selfCheck(token: "nicht-der-richtige") { status } }`, "UNAUTHENTICATED", ""},
	} {
		res := gql(t, h, "", tc.query, nil)
		if res.code() != tc.code || tc.reason != "" && res.Errors[0].Extensions["reason"] != tc.reason || res.Errors[0].Message == "" {
			t.Errorf("%s: %s %+v", tc.query, res.Data, res.Errors)
		}
	}
	_, token := neo4jtest.MustStartCheck(t, m.DB, "", nil)
	for _, input := range []string{`{}`, `{answers: [{number: 28, answer: YES}]}`, `{answers: [{number: 0, answer: NO}]}`} {
		res := gql(t, h, "", `mutation($token: String!) { answerSelfCheck(token: $token, input: `+input+`) { status } }`, map[string]any{"token": string(token)})
		if res.code() != "BAD_USER_INPUT" || !strings.Contains(res.Errors[0].Message, "Ungültige Eingabe") {
			t.Errorf("answer %s: %+v", input, res.Errors)
		}
	}
	// Without a place: no next actions, a hint instead.
	res := gql(t, h, "", `query($token: String!) { selfCheck(token: $token) { nextActions { hint actions { events { distanceKm } } } } }`,
		map[string]any{"token": string(token)})
	if len(res.Errors) > 0 || !strings.Contains(string(res.Data), `"hint":"Geben Sie den Ort`) || !strings.Contains(string(res.Data), `"actions":[]`) {
		t.Errorf("next actions without a place: %s %+v", res.Data, res.Errors)
	}

	// 20 starts an hour per address, the 21st is refused.
	for i := 1; i <= 21; i++ {
		var out struct{ StartSelfCheck struct{ Token string } }
		res := gql(t, h, "", `mutation { startSelfCheck { token } }`, nil)
		if i == 21 {
			if res.code() != "RATE_LIMITED" || !strings.Contains(res.Errors[0].Message, "Selbstchecks") {
				t.Errorf("start 21: %s %+v", res.Data, res.Errors)
			}
			break
		}
		decodeData(t, fmt.Sprint("start ", i), res, &out)
		if c, err := checks.CheckByToken(context.Background(), cyberlotse.CheckToken(out.StartSelfCheck.Token).Hash()); err != nil {
			t.Fatal(err)
		} else if err := checks.DeleteCheck(context.Background(), c.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// Regional managers see anonymised figures of their region and its
// satellites only from 5 finished checks; below, hidden and no numbers.
// The region is the test's own (a model region with Borchen as its
// satellite), so only this test's checks count.
func TestSelfCheckStatisticsForManagers(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	ctx := context.Background()
	const borchen = cyberlotse.AGS("05774012")
	model := neo4jtest.NewID()
	if err := store.CreateModelRegionForTest(ctx, m.DB, model, "Testregion "+model, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	sat, err := store.NewRolloutService(m.DB, berlin).AddSatellite(ctx, model, borchen, "test", c.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.DeleteRegionsForTest(ctx, m.DB, sat.ID, model); err != nil {
			t.Error(err)
		}
	})
	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	own := issue(cyberlotse.Identity{Subject: "sc-own", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{model}})
	other := issue(cyberlotse.Identity{Subject: "sc-other", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{"bergisches-staedtedreieck"}})
	type statsJSON struct {
		SelfCheckStatistics []struct {
			Region         struct{ Slug string }
			Hidden         bool
			FinishedChecks *int
			Percent        *float64
			Areas          []struct {
				Area    string
				Percent *float64
			}
		}
	}
	ask := func() statsJSON {
		t.Helper()
		var out statsJSON
		decodeData(t, "statistics", gql(t, h, own, `{ selfCheckStatistics { region { slug } hidden finishedChecks percent areas { area percent } } }`, nil), &out)
		return out
	}
	// 4 finished and 1 unfinished check: hidden, in the model region and in its satellite.
	neo4jtest.MustStartCheck(t, m.DB, borchen, nil)
	for i := 0; i < 4; i++ {
		ch, _ := neo4jtest.MustStartCheck(t, m.DB, borchen, ptrInt(5))
		neo4jtest.MustFinishCheck(t, m.DB, ch, cyberlotse.AnswerYes)
	}
	st := ask().SelfCheckStatistics
	if len(st) != 2 {
		t.Fatalf("statistics of the own regions: %+v", st)
	}
	for _, s := range st {
		if !s.Hidden || s.FinishedChecks != nil || s.Percent != nil || len(s.Areas) != 6 || s.Areas[0].Percent != nil {
			t.Errorf("4 finished in %s: %+v", s.Region.Slug, s)
		}
	}
	ch, _ := neo4jtest.MustStartCheck(t, m.DB, borchen, nil)
	neo4jtest.MustFinishCheck(t, m.DB, ch, cyberlotse.AnswerNo)
	for _, s := range ask().SelfCheckStatistics {
		// 4 × 100 % and 1 × 0 %.
		if s.Hidden || s.FinishedChecks == nil || *s.FinishedChecks != 5 || *s.Percent != 80 || *s.Areas[2].Percent != 80 {
			t.Errorf("5 finished in %s: %+v", s.Region.Slug, s)
		}
	}
	for tok, code := range map[string]string{other: "FORBIDDEN", "": "UNAUTHENTICATED"} {
		res := gql(t, h, tok, `query($ids: [ID!]) { selfCheckStatistics(regionIds: $ids) { hidden finishedChecks } }`, map[string]any{"ids": []string{model}})
		if res.code() != code || string(res.Data) != "null" {
			t.Errorf("another region's manager or nobody: %s %+v", res.Data, res.Errors)
		}
	}
}

func ptrInt(n int) *int { return &n }
