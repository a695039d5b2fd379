// Package mail sends the e-mails of event registration: it composes German
// messages with an iCalendar invitation (Composer), renders calendar feeds
// (Calendar) and delivers messages through a Sender, over SMTP (SMTPSender)
// or into a directory of .eml files (FileSender).
//
// The package knows nothing of the database: callers fill a Message from the
// domain's Event and Registration. Times are shown and written in
// Europe/Berlin whatever the location of the time.Time given.
//
// Package smtptest holds an SMTP server for the tests of this and other
// packages.
package mail

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers composed messages.
//
// Send delivers msgs in order and returns nil when all were accepted. On
// failure the error names the operation; IsTemporary tells whether trying
// again later may succeed. With several msgs some may have been delivered
// before the error: callers that retry should send one message per call (or
// look at each gomail.Msg's IsDelivered). Safe for concurrent use.
type Sender interface {
	Send(ctx context.Context, msgs ...*gomail.Msg) error
}

// Kind is the occasion of a message; it selects subject, text and the
// iCalendar method.
type Kind string

// The kinds of registration mail.
const (
	KindConfirmation          Kind = "CONFIRMATION"           // registered with a seat
	KindWaitlisted            Kind = "WAITLISTED"             // registered on the waitlist: no invitation
	KindPromoted              Kind = "PROMOTED"               // moved from the waitlist to a seat
	KindUpdated               Kind = "UPDATED"                // time, place or title of the event changed
	KindCancelledEvent        Kind = "CANCELLED_EVENT"        // the organizer cancelled the event
	KindReminder              Kind = "REMINDER"               // the event is near
	KindCancelledRegistration Kind = "CANCELLED_REGISTRATION" // the registration was cancelled
)

// Kinds lists every Kind, in the order above.
var Kinds = []Kind{
	KindConfirmation, KindWaitlisted, KindPromoted, KindUpdated,
	KindCancelledEvent, KindReminder, KindCancelledRegistration,
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// method is the iTIP method of the invitation sent with k; "" for none.
func (k Kind) method() string {
	switch k {
	case KindConfirmation, KindPromoted, KindUpdated, KindReminder:
		return "REQUEST"
	case KindCancelledEvent, KindCancelledRegistration:
		return "CANCEL"
	}
	return ""
}

// Address is a mailbox: a display name (may be empty) and an address.
type Address struct {
	Name  string
	Email string
}

// String formats a as an RFC 5322 address, quoting and encoding the name as
// needed.
func (a Address) String() string {
	return (&mail.Address{Name: a.Name, Address: a.Email}).String()
}

// ParseAddress reads "Name <addr@example.org>" or "addr@example.org", as in
// a MAIL_FROM setting.
func ParseAddress(s string) (Address, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return Address{}, fmt.Errorf("mail.ParseAddress %q: %w", s, err)
	}
	return Address{Name: a.Name, Email: a.Address}, nil
}

// DefaultFrom is the sender when Composer.From is empty.
var DefaultFrom = Address{Name: "Cyberlotse", Email: "noreply@cyberlotse.invalid"}

// EventInfo is what a message says about an event.
type EventInfo struct {
	ID          string // stable; the base of the iCalendar UID
	Title       string
	Description string // plain text, may span lines
	StartsAt    time.Time
	EndsAt      *time.Time // nil: no end given (no DTEND)
	Venue       string     // e.g. "Bürgerbegegnungszentrum am Schulzentrum, Hohenhausen"
	Address     string     // street and town, if not part of Venue
	OnlineURL   string     // link to join online; empty for events on site only

	OrganizerName  string
	OrganizerEmail string // Reply-To and iCalendar ORGANIZER; empty: the From address

	// Sequence is the event's revision: the store increments it whenever
	// something a calendar shows changes (time, place, title, description,
	// cancellation). Invitations carry it as SEQUENCE; cancellations carry
	// Sequence+1 so that they always supersede the last invitation.
	Sequence  int
	Cancelled bool

	// UpdatedAt is the last change; the feed's DTSTAMP and LAST-MODIFIED.
	// Zero: the time the feed is made.
	UpdatedAt time.Time
}

// Location is the place as one line: venue and address, or "Online".
func (e EventInfo) Location() string {
	var parts []string
	for _, p := range []string{e.Venue, e.Address} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 && e.OnlineURL != "" {
		return textOnline
	}
	return strings.Join(parts, ", ")
}

// Message is one mail to one person about one registration.
type Message struct {
	Kind             Kind
	To               Address
	Event            EventInfo
	RegistrationID   string // stable; with Event.ID it makes the invitation's UID
	WaitlistPosition int    // KindWaitlisted: 1 for the first place; 0: not shown
	ManageURL        string // where the person sees, changes or cancels the registration
	ReminderLabel    string // KindReminder: when, e.g. "in 7 Tagen" or "morgen"
	// ID names this message for good, e.g. the id of the reminder it
	// carries: every composition of it gets the same Message-ID, so that a
	// copy sent again (after a crash between the server's acceptance and
	// recording it) is recognisable as the same mail. Empty: a random one.
	ID string
}

// validate reports the first thing that makes m unsendable.
func (m Message) validate() error {
	switch {
	case !m.Kind.Valid():
		return fmt.Errorf("unknown kind %q", m.Kind)
	case m.Event.ID == "":
		return errors.New("event ID missing")
	case m.RegistrationID == "":
		return errors.New("registration ID missing")
	case strings.TrimSpace(m.Event.Title) == "":
		return errors.New("event title missing")
	case m.Event.StartsAt.IsZero():
		return errors.New("event start missing")
	case m.Event.EndsAt != nil && m.Event.EndsAt.Before(m.Event.StartsAt):
		return errors.New("event ends before it starts")
	case m.Event.Cancelled && m.Kind.method() == "REQUEST":
		return fmt.Errorf("%s for a cancelled event", m.Kind)
	case m.Event.Sequence < 0:
		return errors.New("negative sequence")
	}
	if _, err := mail.ParseAddress(m.To.Email); err != nil {
		return fmt.Errorf("recipient %q: %w", m.To.Email, err)
	}
	if err := checkWebURL(m.ManageURL); err != nil {
		return fmt.Errorf("manage URL: %w", err)
	}
	if m.Event.OnlineURL != "" {
		if err := checkWebURL(m.Event.OnlineURL); err != nil {
			return fmt.Errorf("online URL: %w", err)
		}
	}
	if m.Event.OrganizerEmail != "" {
		if _, err := mail.ParseAddress(m.Event.OrganizerEmail); err != nil {
			return fmt.Errorf("organizer %q: %w", m.Event.OrganizerEmail, err)
		}
	}
	return nil
}

// checkWebURL accepts absolute http and https URLs without whitespace.
func checkWebURL(s string) error {
	if s == "" {
		return errors.New("missing")
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("%q contains white space or control characters", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return nil
}
