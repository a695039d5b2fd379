package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/textproto"
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
