package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
	"regexp"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// IsTemporary reports whether sending again later may succeed: the server
// answered 4xx (greylisting, full mailbox, rate limit), the connection could
// not be made or broke off, or the context ended. It reports false for 5xx
// answers (unknown recipient, rejected content, failed authentication), for
// certificate errors, for invalid messages and for errors it does not know —
// retrying those would only repeat them.
//
// An error that joins several (one per message) is temporary only when none
// of them is permanent and at least one is temporary.
func IsTemporary(err error) bool {
	return classify(err) == temporary
}

type errClass int

const (
	unknown errClass = iota
	temporary
	permanent
)

// classify looks at the innermost errors first: a certificate error inside
// a net.OpError is permanent, a 451 inside a wrapping fmt error temporary.
func classify(err error) errClass {
	if err == nil {
		return unknown
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		class := unknown
		for _, e := range u.Unwrap() {
			switch classify(e) {
			case permanent:
				return permanent
			case temporary:
				class = temporary
			}
		}
		return class
	case interface{ Unwrap() error }:
		if c := classify(u.Unwrap()); c != unknown {
			return c
		}
	}
	return classifyOne(err)
}

// classifyOne classifies err by its own type, not by what it wraps.
func classifyOne(err error) errClass {
	switch e := err.(type) {
	case *textproto.Error:
		return byCode(e.Code)
	case *gomail.SendError:
		if code := e.ErrorCode(); code != 0 {
			return byCode(code)
		}
		switch e.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return permanent // the message itself is wrong
		}
		return temporary // the connection failed during the transaction
	case *tls.CertificateVerificationError, x509.UnknownAuthorityError, x509.HostnameError,
		x509.CertificateInvalidError, *x509.UnknownAuthorityError, *x509.HostnameError,
		*x509.CertificateInvalidError, tls.RecordHeaderError, *tls.RecordHeaderError:
		return permanent
	case syscall.Errno:
		switch e {
		case syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
			syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.ENETDOWN:
			return temporary
		}
		return unknown
	case *net.DNSError, *net.OpError:
		return temporary
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, gomail.ErrNoActiveConnection) {
		return temporary
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return temporary
	}
	return unknown
}

func byCode(code int) errClass {
	switch code / 100 {
	case 4:
		return temporary
	case 5:
		return permanent
	}
	return unknown
}

// ReplyCode is the SMTP reply code that made the delivery fail, such as
// 451 or 550; 0 when the server gave no answer to the failing step: the
// connection could not be made, broke off or timed out. The sender of many
// mails stops after such an error instead of waiting for the same silent
// server once per mail.
func ReplyCode(err error) int {
	code, _ := reply(err)
	return code
}

// reply finds the SMTP reply in err: its code and, when the server gave
// one, its enhanced status code (RFC 3463) such as "5.1.1".
func reply(err error) (int, string) {
	for err != nil {
		switch e := err.(type) {
		case *textproto.Error:
			return e.Code, enhancedCode.FindString(e.Msg)
		case *gomail.SendError:
			return e.ErrorCode(), e.EnhancedStatusCode()
		case interface{ Unwrap() []error }:
			for _, inner := range e.Unwrap() {
				if c, enh := reply(inner); c != 0 {
					return c, enh
				}
			}
			return 0, ""
		}
		err = errors.Unwrap(err)
	}
	return 0, ""
}

var enhancedCode = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}\b`)
