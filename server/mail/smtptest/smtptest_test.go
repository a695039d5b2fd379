package smtptest_test

import (
	"fmt"
	"net/smtp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

func send(addr, from, to, body string) error {
	msg := "From: " + from + "\r\nTo: " + to + "\r\nSubject: Test\r\n\r\n" + body + "\r\n"
	return smtp.SendMail(addr, nil, from, []string{to}, []byte(msg))
}

// Messages sent at once all arrive, and WaitFor returns when they have.
func TestRecordsConcurrentMessages(t *testing.T) {
	srv := smtptest.Start(t)
	if !strings.HasPrefix(srv.URL(), "smtp://127.0.0.1:") {
		t.Fatalf("URL %q", srv.URL())
	}
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- send(srv.Addr(), "noreply@cyberlotse.invalid", fmt.Sprintf("person%d@example.org", i), fmt.Sprintf("Nachricht %d", i))
		})
	}
	got := srv.WaitFor(n, 5*time.Second)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, m := range got {
		if m.From != "noreply@cyberlotse.invalid" || len(m.To) != 1 || !strings.Contains(string(m.Data), "Nachricht ") {
			t.Errorf("message %+v", m)
		}
		seen[m.To[0]] = true
	}
	if len(seen) != n || len(srv.Messages()) != n || srv.Attempts() != n {
		t.Errorf("%d recipients, %d messages, %d attempts; want %d", len(seen), len(srv.Messages()), srv.Attempts(), n)
	}
}

// RefuseNext refuses that many transactions, then accepts again.
func TestRefuseNext(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RefuseNext(2, 451)
	for i := range 2 {
		err := send(srv.Addr(), "a@example.org", "b@example.org", "x")
		if err == nil || !strings.HasPrefix(err.Error(), "451 ") {
			t.Fatalf("try %d: %v, want 451", i+1, err)
		}
	}
	if err := send(srv.Addr(), "a@example.org", "b@example.org", "x"); err != nil {
		t.Fatalf("third try: %v", err)
	}
	if got := srv.WaitFor(1, 5*time.Second); len(got) != 1 || srv.Attempts() != 3 {
		t.Errorf("%d messages, %d attempts; want 1 and 3", len(got), srv.Attempts())
	}
}

// With WithAuth, mail from a client that did not log in is refused.
func TestAuthRequired(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("user", "pass"))
	err := send(srv.Addr(), "a@example.org", "b@example.org", "x")
	if err == nil || !strings.HasPrefix(err.Error(), "502 ") {
		t.Fatalf("anonymous send = %v, want 502", err)
	}
	// net/smtp sends PLAIN without TLS to localhost only; the server is on 127.0.0.1
	auth := smtp.PlainAuth("", "user", "pass", "127.0.0.1")
	msg := "From: a@example.org\r\nTo: b@example.org\r\n\r\nx\r\n"
	if err := smtp.SendMail(srv.Addr(), auth, "a@example.org", []string{"b@example.org"}, []byte(msg)); err != nil {
		t.Fatalf("send with login: %v", err)
	}
	if got := srv.WaitFor(1, 5*time.Second)[0]; got.Username != "user" || got.TLS {
		t.Errorf("user %q, TLS %v", got.Username, got.TLS)
	}
}
