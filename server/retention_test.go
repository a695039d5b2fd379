package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

func TestRetentionConfig(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	c, err := ConfigFromEnv(get)
	if err != nil || c.Retention != (Retention{Months: 6}) || c.RetentionEvery != 24*time.Hour {
		t.Fatalf("defaults: %+v every %v, %v", c.Retention, c.RetentionEvery, err)
	}
	// Calendar months and days keep the wall-clock time in Berlin across
	// the change to summer time; hours are hours.
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, berlin)
	for in, want := range map[string]time.Time{
		"6mo":   time.Date(2026, 5, 23, 10, 0, 0, 0, berlin),
		"180d":  time.Date(2026, 5, 27, 10, 0, 0, 0, berlin),
		"4320h": time.Date(2026, 5, 27, 11, 0, 0, 0, berlin),
		"1d":    time.Date(2026, 11, 22, 10, 0, 0, 0, berlin),
	} {
		env["REGISTRATION_RETENTION"] = in
		c, err := ConfigFromEnv(get)
		if err != nil || !c.Retention.Cutoff(now).Equal(want) || c.Retention.String() != in && c.Retention.String() != "4320h0m0s" {
			t.Errorf("%s: cutoff %v (%s), want %v; %v", in, c.Retention.Cutoff(now), c.Retention, want, err)
		}
	}
	// "6m" is six minutes in Go: refused, like anything under a day.
	for _, bad := range []string{"6m", "12h", "0d", "0mo", "-5d", "sechs Monate", "6 mo", "1.5mo", "99999d"} {
		env["REGISTRATION_RETENTION"] = bad
		if _, err := ConfigFromEnv(get); err == nil || !strings.Contains(err.Error(), "REGISTRATION_RETENTION must be a number of months (6mo), days (180d) or hours (4320h)") {
			t.Errorf("REGISTRATION_RETENTION=%q: %v", bad, err)
		}
	}
	env["REGISTRATION_RETENTION"], env["REGISTRATION_RETENTION_INTERVAL"] = "180d", "30s"
	if _, err := ConfigFromEnv(get); err == nil || !strings.Contains(err.Error(), "REGISTRATION_RETENTION_INTERVAL") {
		t.Errorf("REGISTRATION_RETENTION_INTERVAL=30s: %v", err)
	}
	env["REGISTRATION_RETENTION_INTERVAL"] = "6h"
	if c, err := ConfigFromEnv(get); err != nil || c.RetentionEvery != 6*time.Hour || c.Retention != (Retention{Days: 180}) {
		t.Errorf("180d every 6h: %+v %v, %v", c.Retention, c.RetentionEvery, err)
	}
}

// The job in the scheduler, as `server serve` runs it: right at start it
// makes the registrations of an event that ended seven months ago
// anonymous (their manage links find nothing any more) and keeps those of
// an event five months ago; it logs how many, not whom. The test's events
// are in 1975 (see neo4jtest.RetentionLock).
func TestRetentionJobInTheScheduler(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(1975, 1, 10, 9, 0, 0, 0, berlin)}
	m, h := newTestMain(t, c, srv)
	neo4jtest.MustHoldLock(t, m.DB, neo4jtest.RetentionLock)
	var logs lockedBuffer
	m.Logger = slog.New(slog.NewMultiHandler(quiet.Handler(), slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))

	today := time.Date(1975, 8, 15, 10, 0, 0, 0, berlin)
	old := neo4jtest.MustCreateEvent(t, m.DB, today.AddDate(0, -7, 0), nil)
	recent := neo4jtest.MustCreateEvent(t, m.DB, today.AddDate(0, -5, 0), nil)
	register := func(event, email string) string {
		res := gql(t, h, "", registerMutation, map[string]any{"event": event, "email": email})
		var out struct{ RegisterForEvent struct{ ManageToken string } }
		if len(res.Errors) > 0 || json.Unmarshal(res.Data, &out) != nil || out.RegisterForEvent.ManageToken == "" {
			t.Fatalf("register: %s %+v", res.Data, res.Errors)
		}
		return out.RegisterForEvent.ManageToken
	}
	erika, hans := "erika-"+neo4jtest.NewID()+"@example.org", "hans-"+neo4jtest.NewID()+"@example.org"
	oldTokens := []string{register(old.ID, erika), register(old.ID, hans)}
	keptToken := register(recent.ID, erika)
	regs := store.NewRegistrationService(m.DB, neo4jtest.NewID, berlin)
	oldRegs, err := regs.RegistrationsOfEvent(context.Background(), old.ID)
	if err != nil || len(oldRegs) != 2 {
		t.Fatalf("registrations of the old event: %d, %v", len(oldRegs), err)
	}

	c.Set(today)
	sched, err := StartScheduler(m.Notifier, m.DB, time.Hour, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.ScheduleRetention(sched, m.Config.Retention, 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(logs.String(), `msg="registration retention"`) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if err := sched.Stop(); err != nil {
		t.Fatal(err)
	}

	line := logs.String()
	if !strings.Contains(line, `msg="registration retention" retention=6mo ended_before=1975-02-15T10:00:00+01:00 anonymized=2 people_deleted=1`) {
		t.Errorf("log = %s", line)
	}
	for _, who := range []string{erika, hans, "Erika Mustermann", "Muster GmbH"} {
		if strings.Contains(line, who) {
			t.Errorf("the log names %s: %s", who, line)
		}
	}
	myRegistrations := `query($t: String!) { myRegistrations(token: $t) { status attendee { name } } }`
	for _, tok := range oldTokens {
		if res := gql(t, h, "", myRegistrations, map[string]any{"t": tok}); res.code() != "NOT_FOUND" ||
			res.Errors[0].Message != "Zu diesem Link sind keine Daten (mehr) gespeichert." {
			t.Errorf("manage link of an anonymized registration: %s %+v", res.Data, res.Errors)
		}
	}
	if res := gql(t, h, "", myRegistrations, map[string]any{"t": keptToken}); len(res.Errors) > 0 ||
		string(res.Data) != `{"myRegistrations":[{"status":"CONFIRMED","attendee":{"name":"Erika Mustermann"}}]}` {
		t.Errorf("manage link of the kept registration: %s %+v", res.Data, res.Errors)
	}
	events, err := store.NewEventService(m.DB).EventsByIDs(context.Background(), []string{old.ID})
	if err != nil || len(events) != 1 || events[0].Confirmed != 2 {
		t.Errorf("the old event's count: %+v, %v", events, err)
	}
	if got, err := regs.RegistrationsByIDs(context.Background(), []string{oldRegs[0].ID, oldRegs[1].ID}); err != nil || len(got) != 0 {
		t.Errorf("anonymized registrations still shown: %d, %v", len(got), err)
	}
}

// lockedBuffer is a bytes.Buffer for a logger on other goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
