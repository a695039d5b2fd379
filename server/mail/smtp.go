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

// DefaultSMTPTimeout bounds connecting and each SMTP command.
const DefaultSMTPTimeout = 30 * time.Second

// SMTPSender delivers over SMTP, one connection per Send.
type SMTPSender struct {
	host     string
	opts     []gomail.Option
	tls      *tls.Config // non-nil: implicit TLS (smtps)
	redacted string      // the URL without password, for errors and String
}

var _ Sender = (*SMTPSender)(nil)

// SMTPOption changes how NewSMTPSender connects.
type SMTPOption func(*smtpOptions)

type smtpOptions struct {
	timeout time.Duration
	rootCAs *x509.CertPool
}

// WithTimeout bounds connecting and each SMTP command (default
// DefaultSMTPTimeout). The context given to Send bounds the whole delivery.
func WithTimeout(d time.Duration) SMTPOption {
	return func(o *smtpOptions) { o.timeout = d }
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
	o := smtpOptions{timeout: DefaultSMTPTimeout}
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
	snd := &SMTPSender{host: host, redacted: redacted}
	snd.opts = []gomail.Option{gomail.WithTimeout(o.timeout), gomail.WithTLSConfig(tlsConfig)}
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

// Send connects, delivers msgs in order and quits. ctx bounds the whole
// delivery: when it ends the connection is closed, which ends a command
// waiting on the server at once. Errors name the step (dial or send) and the
// server; IsTemporary classifies them.
func (s *SMTPSender) Send(ctx context.Context, msgs ...*gomail.Msg) error {
	const op = "mail.SMTPSender.Send"
	if len(msgs) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s %s: %w", op, s.redacted, err)
	}
	var (
		mu   sync.Mutex
		conn net.Conn
	)
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{}
		var c net.Conn
		var err error
		if s.tls != nil {
			c, err = (&tls.Dialer{NetDialer: d, Config: s.tls}).DialContext(dctx, network, addr)
		} else {
			c, err = d.DialContext(dctx, network, addr)
		}
		if err == nil {
			mu.Lock()
			conn = c
			mu.Unlock()
		}
		return c, err
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
