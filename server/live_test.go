package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	coderws "github.com/coder/websocket"
	dto "github.com/prometheus/client_model/go"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// liveEvent creates an online Lunchtalk of the Kalletal municipality and
// returns it with an organizer's token.
func liveEvent(t *testing.T, m *Main) (*cyberlotse.Event, string) {
	t.Helper()
	e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Lunchtalk live", StartsAt: neo4jtest.FarFuture,
		Format: cyberlotse.FormatLunchtalk, Mode: cyberlotse.ModeOnline, OnlineURL: "https://example.org/l",
		Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal", Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
	if err := store.NewRegistrationService(m.DB, neo4jtest.NewID, berlin).CreateEvent(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, m.DB, e.ID) })
	if err := m.Model.CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}
	tok, err := m.Auth.Issue(cyberlotse.Identity{Subject: "orga-kalletal", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer},
		OrganizationIDs: []string{"gemeinde-kalletal"}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return e, tok
}

func mustData(t *testing.T, res gqlResult, into any) {
	t.Helper()
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %+v", res.Errors)
	}
	if err := json.Unmarshal(res.Data, into); err != nil {
		t.Fatal(err)
	}
}

const liveFields = `eventId open mode version questions { id text votes state upvotedByMe mine }
	currentPoll { id kind question options open result { counts voters mean } myVote }`

// An organizer opens a session; a participant joins by code, asks and
// votes; a second participant follows over SSE and a third over
// graphql-ws and both see the question and the votes; bad input gets
// stable codes; the summary stays with the event.
func TestLiveSessionOverHTTP(t *testing.T) {
	c := &clock{t: time.Now()}
	m, h := newTestMain(t, c, smtptest.Start(t))
	e, orga := liveEvent(t, m)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close) // after the streams' cleanups: Close waits for open connections

	var opened struct{ OpenLiveSession struct{ Code string } }
	mustData(t, gql(t, h, orga, `mutation($e: ID!) { openLiveSession(eventId: $e) { code } }`, map[string]any{"e": e.ID}), &opened)
	if len(opened.OpenLiveSession.Code) != 6 {
		t.Fatalf("code %q", opened.OpenLiveSession.Code)
	}
	join := func() string {
		var j struct{ JoinLiveSession struct{ Token string } }
		mustData(t, gql(t, h, "", `mutation($c: String!) { joinLiveSession(eventIdOrCode: $c) { token session { open } } }`,
			map[string]any{"c": strings.ToLower(opened.OpenLiveSession.Code)}), &j)
		return j.JoinLiveSession.Token
	}
	asker, sseViewer, wsViewer := join(), join(), join()

	// Follow over SSE (graphql-sse, distinct connections) and graphql-ws.
	sub := `subscription($e: ID!, $t: String) { liveSession(eventId: $e, token: $t) { ` + liveFields + ` } }`
	sse := openSSE(t, srv.URL, sub, map[string]any{"e": e.ID, "t": sseViewer})
	ws := openWS(t, srv.URL, sub, map[string]any{"e": e.ID, "t": wsViewer})

	var asked struct {
		AskQuestion struct {
			Questions []struct {
				ID, Text string
				Mine     bool
			}
		}
	}
	mustData(t, gql(t, h, "", `mutation($e: ID!, $t: String!) { askQuestion(eventId: $e, token: $t, text: "Wer hilft nachts?") { questions { id text mine } } }`,
		map[string]any{"e": e.ID, "t": asker}), &asked)
	if q := asked.AskQuestion.Questions; len(q) != 1 || !q[0].Mine || q[0].Text != "Wer hilft nachts?" {
		t.Fatalf("asked: %+v", q)
	}
	qid := asked.AskQuestion.Questions[0].ID
	mustData(t, gql(t, h, "", `mutation($e: ID!, $t: String!, $q: ID!) { upvoteQuestion(eventId: $e, token: $t, questionId: $q) { version } }`,
		map[string]any{"e": e.ID, "t": sseViewer, "q": qid}), &struct{}{})

	for name, next := range map[string]func() liveView{"SSE": sse, "graphql-ws": ws} {
		waitForView(t, name, next, func(v liveView) bool {
			return len(v.Questions) == 1 && v.Questions[0].Votes == 1 && v.Questions[0].Text == "Wer hilft nachts?"
		})
	}

	// Bad input: stable codes, German messages.
	for _, tc := range []struct {
		name, query, code string
		vars              map[string]any
	}{
		{"empty question", `mutation($e: ID!, $t: String!) { askQuestion(eventId: $e, token: $t, text: "  ") { version } }`, "BAD_USER_INPUT",
			map[string]any{"e": e.ID, "t": asker}},
		{"second upvote", `mutation($e: ID!, $t: String!, $q: ID!) { upvoteQuestion(eventId: $e, token: $t, questionId: $q) { version } }`, "CONFLICT",
			map[string]any{"e": e.ID, "t": sseViewer, "q": qid}},
		{"forged token", `mutation($e: ID!, $t: String!) { askQuestion(eventId: $e, token: $t, text: "Gefälscht?") { version } }`, "UNAUTHENTICATED",
			map[string]any{"e": e.ID, "t": asker + "x"}},
		{"moderation without a token", `query($e: ID!) { liveSession(eventId: $e) { code } }`, "UNAUTHENTICATED",
			map[string]any{"e": e.ID}},
	} {
		res := gql(t, h, "", tc.query, tc.vars)
		if res.code() != tc.code || len(res.Errors) == 0 || res.Errors[0].Message == "" {
			t.Errorf("%s: %+v, want %s", tc.name, res.Errors, tc.code)
		}
	}

	// A poll, hidden questions and the summary.
	var started struct {
		StartPoll struct{ CurrentPoll struct{ ID string } }
	}
	mustData(t, gql(t, h, orga, `mutation($e: ID!) { startPoll(eventId: $e, poll: {kind: SINGLE_CHOICE, question: "Backup getestet?", options: ["Ja", "Nein"]}) { currentPoll { id } } }`,
		map[string]any{"e": e.ID}), &started)
	poll := started.StartPoll.CurrentPoll.ID
	for _, tok := range []string{asker, sseViewer, wsViewer} {
		mustData(t, gql(t, h, "", `mutation($e: ID!, $t: String!, $p: ID!) { votePoll(eventId: $e, token: $t, pollId: $p, choices: [0]) { version } }`,
			map[string]any{"e": e.ID, "t": tok, "p": poll}), &struct{}{})
	}
	waitForView(t, "graphql-ws poll", ws, func(v liveView) bool {
		return v.CurrentPoll != nil && len(v.CurrentPoll.Result.Counts) == 2 && v.CurrentPoll.Result.Counts[0] == 3 && len(v.CurrentPoll.MyVote) == 1
	})
	mustData(t, gql(t, h, orga, `mutation($e: ID!, $q: ID!) { moderateQuestion(eventId: $e, questionId: $q, action: HIDE) { version } }`,
		map[string]any{"e": e.ID, "q": qid}), &struct{}{})
	waitForView(t, "SSE after hiding", sse, func(v liveView) bool { return len(v.Questions) == 0 })
	// The organizer's export: the hidden question and the poll's result.
	csvOf := func(token string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/reports/live/"+e.ID+".csv", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.String()
	}
	if code, body := csvOf(orga); code != 200 ||
		!strings.Contains(body, "Wer hilft nachts?;1;ausgeblendet;nein;nein;") ||
		!strings.Contains(body, "Backup getestet?;Einfachauswahl;Ja;3;100;3;") ||
		!strings.Contains(body, "Backup getestet?;Einfachauswahl;Nein;0;0;3;") {
		t.Errorf("export: %d\n%s", code, body)
	}
	if code, _ := csvOf(""); code != http.StatusUnauthorized {
		t.Errorf("export without a token: %d, want 401", code)
	}
	var closed struct {
		CloseLiveSession struct {
			Questions int
			Polls     []struct{ Result struct{ Counts []int } }
		}
	}
	mustData(t, gql(t, h, orga, `mutation($e: ID!) { closeLiveSession(eventId: $e) { questions polls { result { counts } } } }`,
		map[string]any{"e": e.ID}), &closed)
	if cl := closed.CloseLiveSession; cl.Questions != 0 || len(cl.Polls) != 1 || cl.Polls[0].Result.Counts[0] != 3 {
		t.Errorf("summary %+v", cl)
	}
	var page struct {
		Event struct {
			LiveSummary struct{ Polls []struct{ Question string } }
		}
	}
	mustData(t, gql(t, h, "", `query($e: ID!) { event(id: $e) { liveSummary { polls { question } } } }`, map[string]any{"e": e.ID}), &page)
	if p := page.Event.LiveSummary.Polls; len(p) != 1 || p[0].Question != "Backup getestet?" {
		t.Errorf("the event's summary: %+v", p)
	}
}

// Subscribers who see the same version alike get one answer, executed
// once; a subscriber with its own upvote or question gets its own. Five
// watchers, an upvoter and the asker follow one session over SSE and
// graphql-ws; each sees its own marks, and most updates were shared.
func TestLiveUpdatesShared(t *testing.T) {
	c := &clock{t: time.Now()}
	m, h := newTestMain(t, c, smtptest.Start(t))
	e, orga := liveEvent(t, m)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	mustData(t, gql(t, h, orga, `mutation($e: ID!) { openLiveSession(eventId: $e) { version } }`, map[string]any{"e": e.ID}), &struct{}{})
	join := func() string {
		var j struct{ JoinLiveSession struct{ Token string } }
		mustData(t, gql(t, h, "", `mutation($c: String!) { joinLiveSession(eventIdOrCode: $c) { token } }`,
			map[string]any{"c": e.ID}), &j)
		return j.JoinLiveSession.Token
	}
	sub := `subscription($e: ID!, $t: String) { liveSession(eventId: $e, token: $t) { ` + liveFields + ` } }`
	shared := func() float64 {
		var d dto.Metric
		if err := m.Metrics.liveUpdates.WithLabelValues("shared").Write(&d); err != nil {
			t.Fatal(err)
		}
		return d.GetCounter().GetValue()
	}
	before := shared()

	var watchers []func() liveView
	for i := range 5 {
		open := openSSE
		if i%2 == 1 {
			open = openWS
		}
		watchers = append(watchers, open(t, srv.URL, sub, map[string]any{"e": e.ID, "t": join()}))
	}
	upvoter, asker := join(), join()
	upvoterView := openSSE(t, srv.URL, sub, map[string]any{"e": e.ID, "t": upvoter})
	askerView := openWS(t, srv.URL, sub, map[string]any{"e": e.ID, "t": asker})

	var asked struct {
		AskQuestion struct{ Questions []struct{ ID string } }
	}
	mustData(t, gql(t, h, "", `mutation($e: ID!, $t: String!) { askQuestion(eventId: $e, token: $t, text: "Wie oft sichern?") { questions { id } } }`,
		map[string]any{"e": e.ID, "t": asker}), &asked)
	mustData(t, gql(t, h, "", `mutation($e: ID!, $t: String!, $q: ID!) { upvoteQuestion(eventId: $e, token: $t, questionId: $q) { version } }`,
		map[string]any{"e": e.ID, "t": upvoter, "q": asked.AskQuestion.Questions[0].ID}), &struct{}{})

	voted := func(upvotedByMe, mine bool) func(liveView) bool {
		return func(v liveView) bool {
			return len(v.Questions) == 1 && v.Questions[0].Votes == 1 && v.Questions[0].Text == "Wie oft sichern?" &&
				v.Questions[0].UpvotedByMe == upvotedByMe && v.Questions[0].Mine == mine
		}
	}
	for i, next := range watchers {
		waitForView(t, fmt.Sprintf("watcher %d", i), next, voted(false, false))
	}
	waitForView(t, "upvoter", upvoterView, voted(true, false))
	waitForView(t, "asker", askerView, voted(false, true))
	// Each watcher got at least two updates (the empty room, the upvoted
	// question); of every version, one watcher's was executed at most.
	if got := shared() - before; got < 4 {
		t.Errorf("%v updates shared, want at least 4 (the watchers' of the last version)", got)
	}
}

type liveView struct {
	Version   int
	Questions []struct {
		ID, Text    string
		Votes       int
		UpvotedByMe bool
		Mine        bool
	}
	CurrentPoll *struct {
		Result struct{ Counts []int }
		MyVote []int
	}
}

// waitForView reads views until one satisfies ok, for at most 10 s.
func waitForView(t *testing.T, name string, next func() liveView, ok func(liveView) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if v := next(); ok(v) {
			return
		}
	}
	t.Fatalf("%s: no matching view within 10 s", name)
}

// openSSE subscribes with graphql-sse's distinct-connections mode: a POST
// with Accept: text/event-stream, "next" events with the payload.
func openSSE(t *testing.T, base, query string, vars map[string]any) func() liveView {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, base+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("SSE: %d %s", resp.StatusCode, ct)
	}
	views := make(chan liveView, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var msg struct {
				Data struct{ LiveSession liveView }
			}
			if json.Unmarshal([]byte(data), &msg) == nil {
				views <- msg.Data.LiveSession
			}
		}
		close(views)
	}()
	return next(t, views)
}

// openWS subscribes over graphql-ws (graphql-transport-ws).
func openWS(t *testing.T, base, query string, vars map[string]any) func() liveView {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	conn, _, err := coderws.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(coderws.StatusNormalClosure, "") })
	send := func(v any) {
		b, _ := json.Marshal(v)
		if err := conn.Write(ctx, coderws.MessageText, b); err != nil {
			t.Fatal(err)
		}
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]any{}})
	_, ack, err := conn.Read(ctx)
	if err != nil || !strings.Contains(string(ack), "connection_ack") {
		t.Fatalf("graphql-ws: %s %v", ack, err)
	}
	send(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": query, "variables": vars}})
	views := make(chan liveView, 100)
	go func() {
		defer close(views)
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var msg struct {
				Type    string
				Payload struct {
					Data struct{ LiveSession liveView }
				}
			}
			if json.Unmarshal(b, &msg) == nil && msg.Type == "next" {
				views <- msg.Payload.Data.LiveSession
			}
		}
	}()
	return next(t, views)
}

func next(t *testing.T, views <-chan liveView) func() liveView {
	return func() liveView {
		t.Helper()
		select {
		case v, ok := <-views:
			if !ok {
				t.Fatal("the stream ended")
			}
			return v
		case <-time.After(10 * time.Second):
			t.Fatal("no update within 10 s")
		}
		return liveView{}
	}
}
