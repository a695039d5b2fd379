// Package smtptest runs an SMTP server on 127.0.0.1 for tests: it records
// every message it accepts and, on request, refuses messages, hangs or
// drops the connection in the middle of a message, to test how a sender
// handles temporary and permanent failures.
//
//	srv := smtptest.Start(t)
//	sender, _ := mail.NewSMTPSender(srv.URL())
//	… send …
//	msgs := srv.WaitFor(1, 5*time.Second)
//
// Options add STARTTLS, implicit TLS or a required AUTH PLAIN login. The
// server stops when the test ends.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From     string   // MAIL FROM
	To       []string // RCPT TO, in order
	Data     []byte   // the message as received (RFC 5322, CRLF line ends)
	Username string   // the AUTH login, "" when anonymous
	TLS      bool     // the message came over TLS (STARTTLS or implicit)
}

// Server is a running test server. Its methods are safe for concurrent use.
type Server struct {
	tb       testing.TB
	srv      *smtp.Server
	addr     string
	scheme   string
	username string
	password string
	rootCAs  *x509.CertPool

	mu       sync.Mutex
	messages []Message
	changed  chan struct{} // closed and replaced whenever messages grows
	attempts int           // MAIL FROM commands seen
	refuse   int           // how many more transactions to refuse
	code     int           // with this reply code
	hang     int           // how many more transactions to hang
	hangAt   Stage         // at this stage
	drop     int           // how many more transactions to drop mid-DATA
	hung     int           // transactions hung so far
	dropped  int           // transactions dropped so far
	release  chan struct{} // closed by ReleaseHung
	onAccept func(Message)
	closed   bool          // no more logging to tb
	quit     chan struct{} // closed when the test ends: hung sessions return
}

// Stage is where HangNext makes a transaction hang.
type Stage int

const (
	// AtMail: the server never answers MAIL FROM.
	AtMail Stage = iota + 1
	// AfterData: the server reads the whole message but never sends the
	// final reply, and does not keep the message.
	AfterData
)

// Option configures Start.
type Option func(*config)

type config struct {
	startTLS, implicitTLS bool
	username, password    string
}

// WithSTARTTLS offers STARTTLS with a certificate for 127.0.0.1 that
// RootCAs trusts.
func WithSTARTTLS() Option { return func(c *config) { c.startTLS = true } }

// WithImplicitTLS speaks TLS from the first byte, like port 465; URL then
// begins with smtps://.
func WithImplicitTLS() Option { return func(c *config) { c.implicitTLS = true } }

// WithAuth offers AUTH PLAIN, also without TLS, and refuses mail from
// clients that did not log in as username with password.
func WithAuth(username, password string) Option {
	return func(c *config) { c.username, c.password = username, password }
}

// Start runs a server on 127.0.0.1 on a free port until the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		tb:       tb,
		scheme:   "smtp",
		username: cfg.username,
		password: cfg.password,
		changed:  make(chan struct{}),
		release:  make(chan struct{}),
		quit:     make(chan struct{}),
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ErrorLog = logger{s}
	s.srv = srv

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("smtptest: listen: %v", err)
	}
	if cfg.startTLS || cfg.implicitTLS {
		cert, pool, err := selfSigned()
		if err != nil {
			tb.Fatalf("smtptest: certificate: %v", err)
		}
		s.rootCAs = pool
		tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if cfg.startTLS {
			srv.TLSConfig = tlsConfig
		}
		if cfg.implicitTLS {
			l = tls.NewListener(l, tlsConfig)
			s.scheme = "smtps"
		}
	}
	s.addr = l.Addr().String()

	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	tb.Cleanup(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.quit)
		_ = srv.Close()
		<-done
	})
	return s
}

// Addr is "127.0.0.1:PORT".
func (s *Server) Addr() string { return s.addr }

// URL is "smtp://127.0.0.1:PORT" ("smtps://…" with WithImplicitTLS), without
// credentials.
func (s *Server) URL() string { return s.scheme + "://" + s.addr }

// RootCAs trusts the server's certificate; nil without TLS.
func (s *Server) RootCAs() *x509.CertPool { return s.rootCAs }

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Attempts is the number of transactions (MAIL FROM commands) begun,
// refused ones included.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// WaitFor waits until at least n messages have arrived and returns them;
// it fails the test after timeout. Call it from the test's goroutine.
func (s *Server) WaitFor(n int, timeout time.Duration) []Message {
	s.tb.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		if len(s.messages) >= n {
			msgs := slices.Clone(s.messages)
			s.mu.Unlock()
			return msgs
		}
		changed, have := s.changed, len(s.messages)
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timer.C:
			s.tb.Fatalf("smtptest: %d of %d messages arrived within %v", have, n, timeout)
			return nil
		}
	}
}

// RefuseNext makes the server refuse the next n transactions at MAIL FROM
// with code: 4xx (e.g. 451) for a temporary, 5xx (e.g. 550) for a permanent
// failure. Later transactions are accepted again. n == 0 stops refusing.
func (s *Server) RefuseNext(n, code int) {
	if code < 400 || code > 599 {
		panic(fmt.Sprintf("smtptest: RefuseNext with code %d, want 4xx or 5xx", code))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse, s.code = n, code
}

// HangNext makes the next n transactions (after those RefuseNext refuses)
// hang at stage: the server keeps the connection open and says nothing
// until ReleaseHung or the end of the test. n == 0 stops hanging.
func (s *Server) HangNext(n int, at Stage) {
	if at != AtMail && at != AfterData {
		panic(fmt.Sprintf("smtptest: HangNext at stage %d", at))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang, s.hangAt = n, at
}

// ReleaseHung ends the transactions hanging now with 421; the client has
// usually given up on them long before.
func (s *Server) ReleaseHung() {
	s.mu.Lock()
	defer s.mu.Unlock()
	close(s.release)
	s.release = make(chan struct{})
}

// DropNext makes the server close the connection in the middle of the
// next n messages (after those refused or hung): it reads the first KiB
// of the message, then hangs up without a reply and without keeping it.
// n == 0 stops dropping.
func (s *Server) DropNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop = n
}

// OnAccept calls f with every message the server accepts, before it
// answers the client with 250: a test can act in the moment between a
// server's acceptance and the client's hearing of it. nil: none.
func (s *Server) OnAccept(f func(Message)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onAccept = f
}

// Hung and Dropped count the transactions hung and dropped so far.
func (s *Server) Hung() int    { s.mu.Lock(); defer s.mu.Unlock(); return s.hung }
func (s *Server) Dropped() int { s.mu.Lock(); defer s.mu.Unlock(); return s.dropped }

func (s *Server) add(m Message) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
	f := s.onAccept
	s.mu.Unlock()
	if f != nil {
		f(m)
	}
}

// fault is what the server does to one transaction.
type fault int

const (
	noFault fault = iota
	hangAtMail
	hangAfterData
	dropData
)

// begin counts a transaction and returns the refusal due for it, if any,
// or the fault to apply.
func (s *Server) begin() (fault, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	switch {
	case s.refuse > 0:
		s.refuse--
		msg := "Requested action aborted: try again later (smtptest)"
		if s.code >= 500 {
			msg = "Requested action not taken: refused (smtptest)"
		}
		return noFault, &smtp.SMTPError{Code: s.code, EnhancedCode: smtp.EnhancedCode{s.code / 100, 0, 0}, Message: msg}
	case s.hang > 0:
		s.hang--
		if s.hangAt == AtMail {
			return hangAtMail, nil
		}
		return hangAfterData, nil
	case s.drop > 0:
		s.drop--
		return dropData, nil
	}
	return noFault, nil
}

// wait blocks a hung transaction until ReleaseHung or the end of the test.
func (s *Server) wait() error {
	s.mu.Lock()
	s.hung++
	release := s.release
	s.mu.Unlock()
	select {
	case <-release:
	case <-s.quit:
	}
	return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 0, 0}, Message: "Hung transaction released (smtptest)"}
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

// session is one connection's transaction state.
type session struct {
	s        *Server
	conn     *smtp.Conn
	username string
	from     string
	to       []string
	fault    fault
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.s.username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if ss.s.username == "" || mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if (identity != "" && identity != username) || username != ss.s.username || password != ss.s.password {
			return smtp.ErrAuthFailed
		}
		ss.username = username
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.username != "" && ss.username == "" {
		return smtp.ErrAuthRequired
	}
	f, err := ss.s.begin()
	if err != nil {
		return err
	}
	if f == hangAtMail {
		return ss.s.wait()
	}
	ss.from, ss.to, ss.fault = from, nil, f
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	switch ss.fault {
	case dropData:
		_, _ = io.CopyN(io.Discard, r, 1024)
		ss.s.mu.Lock()
		ss.s.dropped++
		ss.s.mu.Unlock()
		_ = ss.conn.Conn().Close()
		return errors.New("smtptest: connection dropped mid-DATA")
	case hangAfterData:
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
		return ss.s.wait()
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.add(Message{From: ss.from, To: slices.Clone(ss.to), Data: data, Username: ss.username, TLS: isTLS})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to, ss.fault = "", nil, noFault }
func (ss *session) Logout() error { return nil }

// logger sends go-smtp's error log to the test's log while the test runs.
type logger struct{ s *Server }

func (l logger) Printf(format string, v ...any) { l.log(fmt.Sprintf(format, v...)) }
func (l logger) Println(v ...any)               { l.log(fmt.Sprintln(v...)) }

func (l logger) log(msg string) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.s.tb.Logf("smtptest: %s", bytes.TrimSpace([]byte(msg)))
	}
}

// selfSigned makes a certificate for 127.0.0.1 and localhost and a pool
// that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
