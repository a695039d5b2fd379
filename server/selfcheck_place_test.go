package main

import (
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// A check finished without a place takes one afterwards: the hint gives
// way to the next actions, answers and result stay, and new answers are
// still refused.
func TestSelfCheckPlaceAfterFinish(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	ch, token := neo4jtest.MustStartCheck(t, m.DB, "", nil)
	neo4jtest.MustFinishCheck(t, m.DB, ch, cyberlotse.AnswerNo)
	vars := map[string]any{"token": string(token)}
	type checkJSON struct {
		Status       string
		Municipality *struct{ Name string }
		SizeClass    *string
		Result       struct{ Points, Percent int }
		NextActions  struct {
			Municipality *struct{ Name string }
			Hint         *string
			Actions      []struct {
				Recommendation struct{ Requirement struct{ Number int } }
				Events         []struct{ Event struct{ Slug string } }
			}
		}
	}
	const fields = `status municipality { name } sizeClass result { points percent }
		nextActions(requirements: 1) { municipality { name } hint actions { recommendation { requirement { number } } events { event { slug } } } }`

	var before struct{ SelfCheck checkJSON }
	decodeData(t, "before", gql(t, h, "", `query($token: String!) { selfCheck(token: $token) { `+fields+` } }`, vars), &before)
	// Every answer no: the 7 TOP requirements count -3 each, the others 0.
	if b := before.SelfCheck; b.Status != "FINISHED" || b.Municipality != nil || b.Result.Points != -21 || b.Result.Percent != 0 ||
		b.NextActions.Hint == nil || *b.NextActions.Hint != cyberlotse.MsgCheckNoPlace || len(b.NextActions.Actions) != 0 {
		t.Fatalf("finished without a place: %+v", b)
	}

	var after struct{ UpdateSelfCheckProfile checkJSON }
	decodeData(t, "place", gql(t, h, "", `mutation($token: String!) { updateSelfCheckProfile(token: $token,
		profile: {employees: 8, place: {postcode: "32689"}}) { `+fields+` } }`, vars), &after)
	a := after.UpdateSelfCheckProfile
	if a.Status != "FINISHED" || a.Municipality == nil || a.Municipality.Name != "Kalletal" || a.SizeClass == nil || *a.SizeClass != "MICRO" ||
		a.Result.Points != -21 || a.NextActions.Hint != nil || a.NextActions.Municipality == nil || a.NextActions.Municipality.Name != "Kalletal" ||
		len(a.NextActions.Actions) != 1 || a.NextActions.Actions[0].Recommendation.Requirement.Number != 1 {
		t.Fatalf("finished, then the place: %+v", a)
	}

	res := gql(t, h, "", `mutation($token: String!) { answerSelfCheck(token: $token, input: {answers: [{number: 1, answer: YES}]}) { status } }`, vars)
	if res.code() != "CONFLICT" || res.Errors[0].Extensions["reason"] != "CHECK_FINISHED" {
		t.Errorf("an answer after finishing: %s %+v", res.Data, res.Errors)
	}
}
