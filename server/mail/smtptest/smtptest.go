// Package smtptest runs an SMTP server on 127.0.0.1 for tests: it records
// every message it accepts and can refuse messages on request, to test how
// a sender handles temporary and permanent failures.
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
	closed   bool          // no more logging to tb
}

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

func (s *Server) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
}

// begin counts a transaction and returns the refusal due for it, if any.
func (s *Server) begin() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.refuse <= 0 {
		return nil
	}
	s.refuse--
	msg := "Requested action aborted: try again later (smtptest)"
	if s.code >= 500 {
		msg = "Requested action not taken: refused (smtptest)"
	}
	return &smtp.SMTPError{Code: s.code, EnhancedCode: smtp.EnhancedCode{s.code / 100, 0, 0}, Message: msg}
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
	if err := ss.s.begin(); err != nil {
		return err
	}
	ss.from, ss.to = from, nil
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.add(Message{From: ss.from, To: slices.Clone(ss.to), Data: data, Username: ss.username, TLS: isTLS})
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
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
