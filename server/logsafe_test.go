package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// An SMTP server that refuses the recipient as Postfix does, quoting the
// address: the notifier's warning names the reminder, and the address in
// the server's answer reads [address]. The test lives in 1960, where no
// other test has reminders due.
func TestRefusedRecipientIsNotLogged(t *testing.T) {
	neo4jtest.MustOpenDB(t)
	addr := startRefusingSMTP(t)
	c := &clock{t: time.Date(1960, 1, 4, 9, 0, 0, 0, berlin)}
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.VarDir, cfg.SMTPURL, cfg.BaseURL = t.TempDir(), "smtp://"+addr, "http://cyberlotse.test"
	m := NewMain(cfg)
	var logs lockedBuffer
	m.Logger = slog.New(slog.NewMultiHandler(quiet.Handler(), slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	m.Now = c.Now
	if err := m.OpenDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.OpenServices(); err != nil {
		t.Fatal(err)
	}
	e := neo4jtest.MustCreateEvent(t, m.DB, time.Date(1960, 3, 1, 18, 0, 0, 0, berlin), nil)
	email := "ines-" + neo4jtest.NewID() + "@example.org"
	regs := store.NewRegistrationService(m.DB, neo4jtest.NewID, berlin)
	reg, err := regs.Register(context.Background(), cyberlotse.RegisterInput{EventID: e.ID, Consent: true,
		Attendee: cyberlotse.Attendee{Name: "Ines Irrtum", Email: cyberlotse.Email(email)}}, c.Now())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := m.Notifier.RunOnce(context.Background())
	if err != nil || rep.Failed != 1 || rep.Sent != 0 {
		t.Fatalf("run = %+v, %v", rep, err)
	}
	out := logs.String()
	if !strings.Contains(out, `msg="reminder not delivered" reminder=`+reg.Registration.ID+`-CONFIRMATION-0`) ||
		!strings.Contains(out, `[address]>: Recipient address rejected`) || strings.Contains(out, email) {
		t.Errorf("log = %s", out)
	}
}

// startRefusingSMTP serves SMTP on a free port and refuses every
// recipient with the answer Postfix gives for an unknown user.
func startRefusingSMTP(t *testing.T) string {
	t.Helper()
	srv := smtp.NewServer(refusingBackend{})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close(); <-done })
	return l.Addr().String()
}

type refusingBackend struct{}

func (refusingBackend) NewSession(*smtp.Conn) (smtp.Session, error) { return refusingSession{}, nil }

type refusingSession struct{}

func (refusingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (refusingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "<" + to + ">: Recipient address rejected: User unknown in local recipient table"}
}
func (refusingSession) Data(r io.Reader) error { _, err := io.Copy(io.Discard, r); return err }
func (refusingSession) Reset()                 {}
func (refusingSession) Logout() error          { return nil }
