package mail_test

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	cmail "github.com/cyberlotse/cyberlotse/server/mail"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// A server that refuses with 451 fails the send temporarily, and the next
// try goes through; 550 is permanent.
func TestSMTPRefusals(t *testing.T) {
	for _, tc := range []struct {
		code      int
		temporary bool
	}{
		{421, true},
		{451, true},
		{452, true},
		{550, false},
		{554, false},
	} {
		t.Run(strconv.Itoa(tc.code), func(t *testing.T) {
			srv := smtptest.Start(t)
			sender, err := cmail.NewSMTPSender(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			srv.RefuseNext(1, tc.code)

			err = sender.Send(context.Background(), mustCompose(t, confirmation()))
			if err == nil {
				t.Fatal("Send succeeded against a refusing server")
			}
			t.Logf("refused: %v", err)
			if got := cmail.IsTemporary(err); got != tc.temporary {
				t.Errorf("IsTemporary(%v) = %v, want %v", err, got, tc.temporary)
			}
			if !strings.HasPrefix(err.Error(), "mail.SMTPSender.Send smtp://127.0.0.1:") || !strings.Contains(err.Error(), strconv.Itoa(tc.code)) {
				t.Errorf("error %q names neither operation nor code", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("%d messages accepted", n)
			}

			// the server accepts again
			if err := sender.Send(context.Background(), mustCompose(t, confirmation())); err != nil {
				t.Fatalf("second Send: %v", err)
			}
			srv.WaitFor(1, 5*time.Second)
			if n := srv.Attempts(); n != 2 {
				t.Errorf("%d attempts, want 2", n)
			}
		})
	}
}

// Several messages go over one connection, in order.
func TestSMTPSendsSeveral(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := cmail.NewSMTPSender(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	first, second := confirmation(), confirmation()
	second.To = cmail.Address{Name: "Ayşe Demir", Email: "ayse@elektro-demir.example"}
	if err := sender.Send(context.Background(), mustCompose(t, first), mustCompose(t, second)); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(2, 5*time.Second)
	if got[0].To[0] != "joerg@tischlerei-hohenhausen.example" || got[1].To[0] != "ayse@elektro-demir.example" {
		t.Errorf("recipients %v, %v", got[0].To, got[1].To)
	}
	if got[0].TLS {
		t.Error("TLS without a certificate?")
	}
}

// With credentials STARTTLS is mandatory; then the login is used.
func TestSMTPAuthOverSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithSTARTTLS(), smtptest.WithAuth("kalletal", "p@ss:w0rd/ß"))
	// the password percent-encoded as a URL requires
	url := "smtp://kalletal:p%40ss%3Aw0rd%2F%C3%9F@" + srv.Addr()
	sender, err := cmail.NewSMTPSender(url, cmail.WithRootCAs(srv.RootCAs()))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sender.String(), "w0rd") {
		t.Errorf("String shows the password: %s", sender)
	}
	if err := sender.Send(context.Background(), mustCompose(t, confirmation())); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(1, 5*time.Second)[0]
	if !got.TLS || got.Username != "kalletal" {
		t.Errorf("TLS %v, user %q; want TLS and kalletal", got.TLS, got.Username)
	}
}

func TestSMTPWrongPasswordIsPermanent(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithSTARTTLS(), smtptest.WithAuth("kalletal", "richtig"))
	sender, err := cmail.NewSMTPSender("smtp://kalletal:falsch-und-geheim@"+srv.Addr(), cmail.WithRootCAs(srv.RootCAs()))
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), mustCompose(t, confirmation()))
	t.Logf("wrong password: %v", err)
	if err == nil || cmail.IsTemporary(err) {
		t.Fatalf("Send = %v, want a permanent error", err)
	}
	if strings.Contains(err.Error(), "falsch-und-geheim") {
		t.Errorf("error shows the password: %v", err)
	}
}

// Credentials never travel in plain text: a server without STARTTLS fails.
func TestSMTPCredentialsRequireTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("kalletal", "geheim"))
	sender, err := cmail.NewSMTPSender("smtp://kalletal:geheim@" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), mustCompose(t, confirmation()))
	t.Logf("no STARTTLS: %v", err)
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") || !strings.Contains(err.Error(), ": dial:") {
		t.Fatalf("Send = %v, want a STARTTLS error while dialling", err)
	}
	if strings.Contains(err.Error(), "geheim") {
		t.Errorf("error shows the password: %v", err)
	}
	if srv.Attempts() != 0 {
		t.Error("a transaction began")
	}
}

// Without credentials STARTTLS is used when offered, and the certificate is
// verified.
func TestSMTPOpportunisticSTARTTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithSTARTTLS())

	trusting, err := cmail.NewSMTPSender(srv.URL(), cmail.WithRootCAs(srv.RootCAs()))
	if err != nil {
		t.Fatal(err)
	}
	if err := trusting.Send(context.Background(), mustCompose(t, confirmation())); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := srv.WaitFor(1, 5*time.Second)[0]; !got.TLS {
		t.Error("STARTTLS offered but not used")
	}

	untrusting, err := cmail.NewSMTPSender(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	err = untrusting.Send(context.Background(), mustCompose(t, confirmation()))
	t.Logf("unknown certificate: %v", err)
	if err == nil || cmail.IsTemporary(err) {
		t.Fatalf("Send with an unknown certificate = %v, want a permanent error", err)
	}
}

func TestSMTPSImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithImplicitTLS(), smtptest.WithAuth("kalletal", "geheim"))
	if !strings.HasPrefix(srv.URL(), "smtps://") {
		t.Fatalf("URL %q", srv.URL())
	}
	sender, err := cmail.NewSMTPSender("smtps://kalletal:geheim@"+srv.Addr(), cmail.WithRootCAs(srv.RootCAs()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(context.Background(), mustCompose(t, confirmation())); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := srv.WaitFor(1, 5*time.Second)[0]; !got.TLS || got.Username != "kalletal" {
		t.Errorf("TLS %v, user %q", got.TLS, got.Username)
	}
}

// Nobody listening is temporary: the server may be back later.
func TestSMTPConnectionRefusedIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	sender, err := cmail.NewSMTPSender("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	err = sender.Send(context.Background(), mustCompose(t, confirmation()))
	t.Logf("connection refused: %v", err)
	if err == nil || !cmail.IsTemporary(err) || !strings.Contains(err.Error(), "dial") {
		t.Fatalf("Send = %v, want a temporary dial error", err)
	}
}

// A server that never answers does not hold Send past its context.
func TestSMTPContextEndsASilentServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			accepted <- c // hold it open, say nothing
		}
	}()
	t.Cleanup(func() {
		select {
		case c := <-accepted:
			c.Close()
		default:
		}
	})

	sender, err := cmail.NewSMTPSender("smtp://"+l.Addr().String(), cmail.WithTimeout(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	err = sender.Send(ctx, mustCompose(t, confirmation()))
	t.Logf("silent server: %v", err)
	if err == nil || !errors.Is(err, context.DeadlineExceeded) || !cmail.IsTemporary(err) {
		t.Fatalf("Send = %v, want a temporary deadline error", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("Send took %v", d)
	}
}

func TestNewSMTPSender(t *testing.T) {
	for _, tc := range []struct {
		url     string
		want    string // String(), or the error's text
		wantErr bool
	}{
		{"smtp://mail.example.org", "smtp://mail.example.org", false},
		{"smtp://user:secret@mail.example.org:2525", "smtp://user:xxxxx@mail.example.org:2525", false},
		{"smtps://user:secret@mail.example.org", "smtps://user:xxxxx@mail.example.org", false},
		{"http://mail.example.org", "scheme must be smtp or smtps", true},
		{"smtp://", "no host", true},
		{"smtp://mail.example.org:99999", "invalid port", true},
		{"smtp://user:secret@mail.example.org/inbox", "path, query and fragment are not supported", true},
		{"smtp://mail.example.org?starttls=no", "path, query and fragment are not supported", true},
		{"smtp://user:secret@mail.example.org:port", "invalid", true},
		{"smtp://user:sec ret%zz@mail.example.org", "invalid URL", true},
	} {
		t.Run(tc.url, func(t *testing.T) {
			s, err := cmail.NewSMTPSender(tc.url)
			if tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "sec ret") {
					t.Errorf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.String() != tc.want {
				t.Errorf("String() = %q, want %q", s, tc.want)
			}
		})
	}
}

// A server that hangs — at MAIL FROM or before its answer to the message —
// costs one Command timeout, reported as a temporary failure without a
// reply code; a drop in the middle of the message likewise. The next
// delivery goes through.
func TestSMTPHangsAndDrops(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault func(*smtptest.Server)
	}{
		{"hang at MAIL", func(s *smtptest.Server) { s.HangNext(1, smtptest.AtMail) }},
		{"hang after DATA", func(s *smtptest.Server) { s.HangNext(1, smtptest.AfterData) }},
		{"drop mid-DATA", func(s *smtptest.Server) { s.DropNext(1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t)
			sender, err := cmail.NewSMTPSender(srv.URL(), cmail.WithTimeouts(cmail.SMTPTimeouts{Command: 200 * time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			tc.fault(srv)
			began := time.Now()
			err = sender.Send(context.Background(), mustCompose(t, confirmation()))
			took := time.Since(began)
			t.Logf("%s: %v after %v", tc.name, err, took.Round(time.Millisecond))
			if err == nil || !cmail.IsTemporary(err) || cmail.ReplyCode(err) != 0 {
				t.Fatalf("Send = %v, want a temporary failure without reply code", err)
			}
			if took > 5*time.Second {
				t.Errorf("Send took %v with a 200ms command timeout", took)
			}
			if err := sender.Send(context.Background(), mustCompose(t, confirmation())); err != nil {
				t.Fatalf("next Send: %v", err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("%d messages kept, want 1", n)
			}
		})
	}
}

// The Send timeout bounds a whole delivery even when every single step is
// within the Command timeout.
func TestSMTPSendTimeout(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := cmail.NewSMTPSender(srv.URL(), cmail.WithTimeouts(cmail.SMTPTimeouts{Command: time.Minute, Send: 300 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	srv.HangNext(1, smtptest.AtMail)
	began := time.Now()
	err = sender.Send(context.Background(), mustCompose(t, confirmation()))
	if err == nil || !cmail.IsTemporary(err) || time.Since(began) > 5*time.Second {
		t.Fatalf("Send = %v after %v", err, time.Since(began))
	}
}
