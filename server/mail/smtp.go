package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPTimeouts bound a delivery, so that a server that hangs — at the
// greeting, at a command, in the middle of the message or before its final
// reply — costs one failed, retryable attempt instead of a stuck job.
type SMTPTimeouts struct {
	// Dial bounds connecting, the implicit TLS handshake included.
	Dial time.Duration
	// Command is the longest the server may stay silent while a reply is
	// awaited, or take to accept the bytes written: each command, each
	// chunk of the message and the reply after it.
	Command time.Duration
	// Send bounds one whole delivery, from dialling to the accepted
	// message: a server that trickles its replies byte by byte is cut off
	// too.
	Send time.Duration
}

// DefaultSMTPTimeouts suit a relay in the same network or a mail provider:
// RFC 5321's minutes-long waits are for servers that relay to each other,
// and a job that waits that long holds up every mail behind it.
var DefaultSMTPTimeouts = SMTPTimeouts{Dial: 10 * time.Second, Command: 30 * time.Second, Send: 2 * time.Minute}

// SMTPSender delivers over SMTP, one connection per Send.
type SMTPSender struct {
	host     string
	opts     []gomail.Option
	tls      *tls.Config // non-nil: implicit TLS (smtps)
	timeouts SMTPTimeouts
	redacted string // the URL without password, for errors and String
}

var _ Sender = (*SMTPSender)(nil)

// SMTPOption changes how NewSMTPSender connects.
type SMTPOption func(*smtpOptions)

type smtpOptions struct {
	timeouts SMTPTimeouts
	rootCAs  *x509.CertPool
}

// WithTimeout bounds connecting and each SMTP command (see SMTPTimeouts).
// The context given to Send bounds the whole delivery.
func WithTimeout(d time.Duration) SMTPOption {
	return func(o *smtpOptions) { o.timeouts.Dial, o.timeouts.Command = d, d }
}

// WithTimeouts sets the timeouts; a zero field keeps its default from
// DefaultSMTPTimeouts.
func WithTimeouts(t SMTPTimeouts) SMTPOption {
	return func(o *smtpOptions) {
		for _, f := range []struct {
			dst *time.Duration
			v   time.Duration
		}{
			{&o.timeouts.Dial, t.Dial}, {&o.timeouts.Command, t.Command}, {&o.timeouts.Send, t.Send},
		} {
			if f.v > 0 {
				*f.dst = f.v
			}
		}
	}
}

// WithRootCAs verifies the server's certificate against pool instead of the
// system's roots: for tests (smtptest.Server.RootCAs) or a relay with a
// private CA. Verification itself cannot be switched off.
func WithRootCAs(pool *x509.CertPool) SMTPOption {
	return func(o *smtpOptions) { o.rootCAs = pool }
}

// NewSMTPSender configures delivery to the server in rawURL:
//
//	smtp://host[:port]                  port 25; STARTTLS when offered, else plain text
//	smtp://user:pass@host[:port]        port 587; STARTTLS mandatory, then AUTH
//	smtps://[user:pass@]host[:port]     port 465; implicit TLS
//
// Percent-encode special characters in user and password. With credentials
// the best mechanism the server offers is used (SCRAM, CRAM-MD5, PLAIN,
// LOGIN), and PLAIN and LOGIN only over TLS. Certificates are verified.
// Nothing is dialled until Send. Errors never contain the password.
func NewSMTPSender(rawURL string, opts ...SMTPOption) (*SMTPSender, error) {
	const op = "mail.NewSMTPSender"
	o := smtpOptions{timeouts: DefaultSMTPTimeouts}
	for _, opt := range opts {
		opt(&o)
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Error quotes the whole URL, and its cause may quote a piece
		// of the password: say no more than necessary.
		if strings.Contains(rawURL, "@") {
			return nil, fmt.Errorf("%s: invalid URL (details withheld: it holds credentials)", op)
		}
		return nil, fmt.Errorf("%s: invalid URL: %w", op, err)
	}
	redacted := u.Redacted()
	fail := func(format string, args ...any) (*SMTPSender, error) {
		return nil, fmt.Errorf("%s %s: %s", op, redacted, fmt.Sprintf(format, args...))
	}
	if u.Host == "" || u.Hostname() == "" {
		return fail("no host")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return fail("path, query and fragment are not supported")
	}
	user := u.User.Username()
	pass, _ := u.User.Password()
	host := u.Hostname()
	tlsConfig := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12, RootCAs: o.rootCAs}
	snd := &SMTPSender{host: host, redacted: redacted, timeouts: o.timeouts}
	// go-mail's timeout is one deadline from dialling on (renewed per
	// message): the Send timeout. The Command timeout is the conn's own.
	snd.opts = []gomail.Option{gomail.WithTimeout(o.timeouts.Send), gomail.WithTLSConfig(tlsConfig)}
	port := 0
	switch u.Scheme {
	case "smtp":
		port = 25
		policy := gomail.TLSOpportunistic
		if user != "" {
			port = 587
			policy = gomail.TLSMandatory
		}
		snd.opts = append(snd.opts, gomail.WithTLSPolicy(policy))
	case "smtps":
		// The TLS handshake happens in dial, which go-mail's own implicit
		// TLS (WithSSL) would not let us watch. With the opportunistic
		// policy go-mail sees the *tls.Conn and counts the connection as
		// encrypted, which PLAIN and LOGIN require.
		port = 465
		snd.tls = tlsConfig
		snd.opts = append(snd.opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		return fail("scheme must be smtp or smtps")
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return fail("invalid port %q", p)
		}
	}
	snd.opts = append(snd.opts, gomail.WithPort(port))
	if user != "" {
		snd.opts = append(snd.opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(user),
			gomail.WithPassword(pass))
	}
	if _, err := gomail.NewClient(host, snd.opts...); err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, redacted, err)
	}
	return snd, nil
}

// String is the server's URL without the password.
func (s *SMTPSender) String() string { return s.redacted }

// Send connects, delivers msgs in order and quits. ctx and the Send timeout
// bound the whole delivery: when either ends the connection is closed,
// which ends a command waiting on the server at once; the Dial and Command
// timeouts bound each step. Errors name the step (dial or send) and the
// server; IsTemporary classifies them, ReplyCode gives the server's answer.
func (s *SMTPSender) Send(ctx context.Context, msgs ...*gomail.Msg) error {
	const op = "mail.SMTPSender.Send"
	if len(msgs) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s %s: %w", op, s.redacted, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeouts.Send)
	defer cancel()
	var (
		mu   sync.Mutex
		conn net.Conn
	)
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		dctx, cancel := context.WithTimeout(dctx, s.timeouts.Dial)
		defer cancel()
		raw, err := (&net.Dialer{}).DialContext(dctx, network, addr)
		if err != nil {
			return nil, err
		}
		var c net.Conn = &idleConn{Conn: raw, idle: s.timeouts.Command}
		if s.tls != nil {
			tc := tls.Client(c, s.tls)
			if err := tc.HandshakeContext(dctx); err != nil {
				_ = raw.Close()
				return nil, err
			}
			c = tc
		}
		mu.Lock()
		conn = c
		mu.Unlock()
		return c, nil
	}
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if conn != nil {
			_ = conn.Close()
		}
	})
	defer stop()

	client, err := gomail.NewClient(s.host, append(slices.Clip(s.opts), gomail.WithDialContextFunc(dial))...)
	if err != nil {
		return fmt.Errorf("%s %s: %w", op, s.redacted, err)
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("%s %s: dial: %w", op, s.redacted, withCtxErr(ctx, err))
	}
	if err := client.SendWithSMTPClient(sc, msgs...); err != nil {
		_ = sc.Close()
		return fmt.Errorf("%s %s: send: %w", op, s.redacted, withCtxErr(ctx, err))
	}
	// Every message was accepted: a failed QUIT loses nothing, and reporting
	// it would make the caller send them again.
	_ = client.CloseWithSMTPClient(sc)
	return nil
}

// withCtxErr adds ctx's error to err when ctx has ended: a connection closed
// by AfterFunc fails with a network error that does not say why.
func withCtxErr(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		return fmt.Errorf("%w (%w)", ctxErr, err)
	}
	return err
}

// idleConn fails a read or write that makes no progress for idle: each
// one gets a deadline of its own, no later than the one its user set
// (go-mail's, for the whole delivery).
type idleConn struct {
	net.Conn
	idle time.Duration

	mu    sync.Mutex
	outer time.Time
}

func (c *idleConn) Read(p []byte) (int, error) {
	if err := c.arm(); err != nil {
		return 0, err
	}
	return c.Conn.Read(p)
}

func (c *idleConn) Write(p []byte) (int, error) {
	if err := c.arm(); err != nil {
		return 0, err
	}
	return c.Conn.Write(p)
}

func (c *idleConn) arm() error {
	d := time.Now().Add(c.idle)
	c.mu.Lock()
	if !c.outer.IsZero() && c.outer.Before(d) {
		d = c.outer
	}
	c.mu.Unlock()
	return c.Conn.SetDeadline(d)
}

// SetDeadline, SetReadDeadline and SetWriteDeadline set the outer bound;
// the next read or write applies it.
func (c *idleConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.outer = t
	c.mu.Unlock()
	return nil
}

func (c *idleConn) SetReadDeadline(t time.Time) error  { return c.SetDeadline(t) }
func (c *idleConn) SetWriteDeadline(t time.Time) error { return c.SetDeadline(t) }
