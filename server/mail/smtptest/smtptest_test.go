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

// HangNext at MAIL FROM leaves the client waiting without an answer until
// ReleaseHung; the transaction after it goes through.
func TestHangAtMail(t *testing.T) {
	srv := smtptest.Start(t)
	srv.HangNext(1, smtptest.AtMail)
	errs := make(chan error, 1)
	go func() { errs <- send(srv.Addr(), "a@example.org", "b@example.org", "x") }()
	deadline := time.Now().Add(5 * time.Second)
	for srv.Hung() != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // polls a condition, not the clock
	}
	select {
	case err := <-errs:
		t.Fatalf("hung send returned: %v", err)
	default:
	}
	srv.ReleaseHung()
	if err := <-errs; err == nil || !strings.HasPrefix(err.Error(), "421 ") {
		t.Fatalf("released send = %v, want 421", err)
	}
	if err := send(srv.Addr(), "a@example.org", "b@example.org", "x"); err != nil {
		t.Fatal(err)
	}
	if n, h := len(srv.Messages()), srv.Hung(); n != 1 || h != 1 {
		t.Errorf("%d messages, %d hung; want 1 and 1", n, h)
	}
}

// DropNext hangs up in the middle of the message: the client gets no
// answer, the server keeps nothing, and OnAccept sees only the next one.
func TestDropMidData(t *testing.T) {
	srv := smtptest.Start(t)
	var (
		mu       sync.Mutex
		accepted []string
	)
	srv.OnAccept(func(m smtptest.Message) { mu.Lock(); accepted = append(accepted, m.To[0]); mu.Unlock() })
	srv.DropNext(1)
	body := strings.Repeat("Zeile mit etwas Text, damit die Nachricht länger als ein KiB ist.\r\n", 100)
	if err := send(srv.Addr(), "a@example.org", "dropped@example.org", body); err == nil {
		t.Fatal("dropped send succeeded")
	}
	if err := send(srv.Addr(), "a@example.org", "kept@example.org", body); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n, d := len(srv.Messages()), srv.Dropped(); n != 1 || d != 1 || len(accepted) != 1 || accepted[0] != "kept@example.org" {
		t.Errorf("%d messages, %d dropped, accepted %v", n, d, accepted)
	}
}
