package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	cmail "github.com/cyberlotse/cyberlotse/server/mail"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// clock is a settable test clock; tests move it instead of sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// quiet is the tests' logger: nothing on the console, everything at debug
// level in the test log that `make test` scans for attendee data.
var quiet = neo4jtest.Logger()

func newNotifier(t *testing.T, db *store.DB, srv *smtptest.Server, owner string, c *clock) *Notifier {
	t.Helper()
	sender, err := cmail.NewSMTPSender(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	return &Notifier{Reminders: store.NewReminderService(db), Composer: &cmail.Composer{From: cmail.DefaultFrom, Now: c.Now},
		Sender: sender, Tokens: cyberlotse.NewManageTokens([]byte(strings.Repeat("k", 32))), BaseURL: "http://cyberlotse.test",
		Owner: owner, Policy: cyberlotse.DefaultReminderPolicy, Now: c.Now, Logger: quiet}
}

func register(t *testing.T, regs *store.RegistrationService, eventID string, n int, now time.Time) []*cyberlotse.Registration {
	t.Helper()
	var out []*cyberlotse.Registration
	for i := range n {
		c, err := regs.Register(context.Background(), cyberlotse.RegisterInput{EventID: eventID, Consent: true,
			Attendee: cyberlotse.Attendee{Name: fmt.Sprintf("Teilnehmerin %d", i),
				Email: cyberlotse.Email(fmt.Sprintf("t%d-%s@example.org", i, neo4jtest.NewID()))}}, now)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c.Registration)
	}
	return out
}

// mailsFor counts the received mails per recipient of regs.
func mailsFor(srv *smtptest.Server, regs []*cyberlotse.Registration) map[string]int {
	want := map[string]bool{}
	for _, r := range regs {
		want[string(r.Attendee.Email)] = true
	}
	got := map[string]int{}
	for _, m := range srv.Messages() {
		for _, to := range m.To {
			if want[to] {
				got[to]++
			}
		}
	}
	return got
}

// Two scheduler instances against one Neo4j send each of 500 due
// notifications exactly once.
func TestTwoNotifiersSendEachOnce(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	regs := store.NewRegistrationService(db, neo4jtest.NewID, berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, nil)
	people := register(t, regs, e.ID, 500, c.Now())

	a, b := newNotifier(t, db, srv, "replica-a", c), newNotifier(t, db, srv, "replica-b", c)
	start := time.Now()
	var wg sync.WaitGroup
	reports := make([]RunReport, 2)
	for i, n := range []*Notifier{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if reports[i], err = n.RunOnce(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	got := mailsFor(srv, people)
	if len(got) != 500 {
		t.Fatalf("%d of 500 people got mail", len(got))
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("%s got %d mails", to, n)
		}
	}
	if reports[0].Sent == 0 || reports[1].Sent == 0 {
		t.Logf("one replica did all the work: %+v", reports)
	}
	t.Logf("500 confirmations in %v (%.0f mails/s) by two replicas: %+v", elapsed.Round(time.Millisecond),
		500/elapsed.Seconds(), reports)
	rems, _ := store.NewReminderService(db).RemindersOfEvent(context.Background(), e.ID)
	sent := 0
	for _, r := range rems {
		if r.Kind == cyberlotse.NoticeConfirmation && r.State == cyberlotse.ReminderSent {
			sent++
		}
	}
	if sent != 500 {
		t.Errorf("%d confirmations marked SENT", sent)
	}
}

// A server that refuses for a while, then accepts, loses nothing; a
// permanent refusal ends in FAILED after the first attempt.
func TestRefusingServerLosesNothing(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	regs := store.NewRegistrationService(db, neo4jtest.NewID, berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, nil)
	people := register(t, regs, e.ID, 5, c.Now())
	n := newNotifier(t, db, srv, "replica-a", c)

	srv.RefuseNext(3, 451)
	rep, err := n.RunOnce(context.Background())
	if err != nil || rep.Sent != 2 || rep.Retried != 3 {
		t.Fatalf("first run: %+v, %v", rep, err)
	}
	// Nothing is retried before its back-off has passed …
	if rep, _ := n.RunOnce(context.Background()); rep != (RunReport{}) {
		t.Errorf("retried too early: %+v", rep)
	}
	// … and everything after it.
	c.Add(time.Minute)
	if rep, err := n.RunOnce(context.Background()); err != nil || rep.Sent != 3 {
		t.Fatalf("second run: %+v, %v", rep, err)
	}
	for to, k := range mailsFor(srv, people) {
		if k != 1 {
			t.Errorf("%s got %d mails", to, k)
		}
	}
	if len(mailsFor(srv, people)) != 5 {
		t.Errorf("mails reached %d of 5 people", len(mailsFor(srv, people)))
	}

	more := register(t, regs, e.ID, 1, c.Now())
	srv.RefuseNext(1, 550)
	if rep, _ := n.RunOnce(context.Background()); rep.Failed != 1 {
		t.Errorf("permanent refusal: %+v", rep)
	}
	rems, _ := store.NewReminderService(db).RemindersOfRegistrations(context.Background(), []string{more[0].ID})
	for _, r := range rems[more[0].ID] {
		if r.Kind == cyberlotse.NoticeConfirmation && (r.State != cyberlotse.ReminderFailed || !strings.Contains(r.LastError, "550")) {
			t.Errorf("confirmation after 550: %+v", r)
		}
	}
}

// Reminders go out at their instants, once; one whose time passed long ago
// (the server was down for days) is skipped, not sent late.
func TestRemindersAtTheirTimeAndStaleOnesSkipped(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	srv := smtptest.Start(t)
	start := time.Date(2099, 10, 25, 10, 0, 0, 0, berlin) // a Sunday of a clock change, like 2026-10-25
	c := &clock{t: start.AddDate(0, 0, -10)}
	regs := store.NewRegistrationService(db, neo4jtest.NewID, berlin)
	e := neo4jtest.MustCreateEvent(t, db, start, nil)
	people := register(t, regs, e.ID, 1, c.Now())
	n := newNotifier(t, db, srv, "replica-a", c)
	// Counts only this test's mails: the notifier serves the whole shared
	// test database, where other tests' notices may be due too.
	mails := func() int { return mailsFor(srv, people)[string(people[0].Attendee.Email)] }
	run := func() {
		t.Helper()
		if _, err := n.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	run()
	if mails() != 1 {
		t.Fatalf("confirmation: %d mails", mails())
	}
	rems, _ := store.NewReminderService(db).RemindersOfEvent(context.Background(), e.ID)
	due := map[string]time.Time{}
	for _, r := range rems {
		due[r.Kind] = r.DueAt
	}
	want := map[string]time.Time{
		"P7D": time.Date(2099, 10, 18, 10, 0, 0, 0, berlin), "P1D": time.Date(2099, 10, 24, 10, 0, 0, 0, berlin),
		"PT2H": start.Add(-2 * time.Hour),
	}
	for k, w := range want {
		if !due[k].Equal(w) {
			t.Errorf("%s due %v, want %v", k, due[k], w)
		}
	}

	c.Set(want["P7D"].Add(-time.Second))
	run()
	if mails() != 1 {
		t.Errorf("sent before due: %d mails", mails())
	}
	c.Set(want["P7D"].Add(time.Minute))
	run()
	if mails() != 2 {
		t.Errorf("7-day reminder: %d mails", mails())
	}
	// Down from before the 1-day reminder until an hour before the start:
	// the 1-day reminder is stale and skipped, the 2-hour one goes out.
	c.Set(start.Add(-time.Hour))
	run()
	rems, _ = store.NewReminderService(db).RemindersOfEvent(context.Background(), e.ID)
	states := map[string]cyberlotse.ReminderState{}
	for _, r := range rems {
		states[r.Kind] = r.State
	}
	if states["P7D"] != cyberlotse.ReminderSent || states["P1D"] != cyberlotse.ReminderSkipped || states["PT2H"] != cyberlotse.ReminderSent {
		t.Errorf("states = %v", states)
	}
	if mails() != 3 {
		t.Errorf("%d mails, want 3 (confirmation, 7 days, 2 hours)", mails())
	}
}

// icsOf returns the text/calendar part of a received mail.
func icsOf(t *testing.T, raw []byte) (subject, ics string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
	var walk func(ct string, body io.Reader)
	walk = func(ct string, body io.Reader) {
		mt, params, _ := mime.ParseMediaType(ct)
		if strings.HasPrefix(mt, "multipart/") {
			mr := multipart.NewReader(body, params["boundary"])
			for {
				p, err := mr.NextPart()
				if err != nil {
					return
				}
				walk(p.Header.Get("Content-Type"), p)
			}
		}
		if mt == "text/calendar" && ics == "" {
			b, _ := io.ReadAll(body)
			ics = string(b)
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body)
	return subject, ics
}
