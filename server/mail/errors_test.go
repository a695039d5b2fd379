package mail_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"syscall"
	"testing"

	cmail "github.com/cyberlotse/cyberlotse/server/mail"
)

func TestIsTemporary(t *testing.T) {
	dialRefused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	badCert := &net.OpError{Op: "remote error", Net: "tcp", Err: x509.UnknownAuthorityError{}}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"451 greylisted", &textproto.Error{Code: 451, Msg: "4.7.1 greylisted"}, true},
		{"421 going down", fmt.Errorf("dial: %w", &textproto.Error{Code: 421, Msg: "closing"}), true},
		{"550 no such user", &textproto.Error{Code: 550, Msg: "5.1.1 unknown"}, false},
		{"535 authentication", fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "5.7.8"}), false},
		{"connection refused", fmt.Errorf("dial: %w", dialRefused), true},
		{"connection reset", syscall.ECONNRESET, true},
		{"unexpected EOF", fmt.Errorf("send: %w", io.ErrUnexpectedEOF), true},
		{"deadline", fmt.Errorf("dial: %w", context.DeadlineExceeded), true},
		{"unknown certificate authority inside a network error", badCert, false},
		{"unknown error", errors.New("STARTTLS mode set to: \"TLSMandatory\", but target host does not support STARTTLS"), false},
		{"joined temporary", errors.Join(&textproto.Error{Code: 451}, io.EOF), true},
		{"joined mixed", errors.Join(&textproto.Error{Code: 451}, &textproto.Error{Code: 550}), false},
		{"joined with unknown", errors.Join(errors.New("odd"), &textproto.Error{Code: 452}), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cmail.IsTemporary(tc.err); got != tc.want {
				t.Errorf("IsTemporary(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestReplyCode(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, 0},
		{"451 wrapped", fmt.Errorf("send: %w", &textproto.Error{Code: 451, Msg: "4.7.1 greylisted"}), 451},
		{"550 joined", errors.Join(io.EOF, &textproto.Error{Code: 550}), 550},
		{"connection reset", fmt.Errorf("send: %w", syscall.ECONNRESET), 0},
		{"deadline", fmt.Errorf("dial: %w", context.DeadlineExceeded), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cmail.ReplyCode(tc.err); got != tc.want {
				t.Errorf("ReplyCode(%v) = %d, want %d", tc.err, got, tc.want)
			}
		})
	}
}

func TestFailureReason(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"451", fmt.Errorf("send: %w", &textproto.Error{Code: 451, Msg: "4.7.1 greylisted, try later"}),
			"Der Mailserver hat die E-Mail vorübergehend abgelehnt (Antwort 451 4.7.1)."},
		{"550 unknown user", &textproto.Error{Code: 550, Msg: "5.1.1 <x@example.org>: user unknown"},
			"Die E-Mail-Adresse gibt es beim Empfänger nicht (Antwort des Mailservers: 550 5.1.1)."},
		{"554 without enhanced code", &textproto.Error{Code: 554, Msg: "rejected"},
			"Der Mailserver hat die E-Mail abgelehnt (Antwort 554)."},
		{"connection refused", fmt.Errorf("mail.SMTPSender.Send smtp://relay.internal:25: dial: %w", syscall.ECONNREFUSED),
			"Der Mailserver war nicht erreichbar oder hat nicht rechtzeitig geantwortet."},
		{"unknown", errors.New("mail.Composer.Compose: event title missing"),
			"Die E-Mail konnte nicht gesendet werden; Einzelheiten stehen im Protokoll des Servers."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cmail.FailureReason(tc.err); got != tc.want {
				t.Errorf("FailureReason(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}
