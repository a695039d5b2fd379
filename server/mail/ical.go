package mail

// The iCalendar objects (RFC 5545) are written here by hand rather than with
// github.com/arran4/golang-ical: that library does not derive a VTIMEZONE
// from a time.Location, so its STANDARD/DAYLIGHT blocks would be written by
// hand anyway, and what we need beyond them is small — one VEVENT shape,
// TEXT escaping and folding at 75 octets on UTF-8 boundaries — and is easier
// to keep exact (and test) than a general object model. Nothing is parsed.

import (
	"bytes"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	tzid      = "Europe/Berlin"
	uidDomain = "cyberlotse"
	prodID    = "-//Cyberlotse//Veranstaltungen//DE"

	maxLineOctets = 75 // RFC 5545 §3.1, without the CRLF

	localFormat = "20060102T150405"
	utcFormat   = "20060102T150405Z"
)

// vtimezone describes Europe/Berlin by the EU rules in force since 1996:
// summer time (CEST, UTC+2) from the last Sunday of March 02:00 CET, winter
// time (CET, UTC+1) from the last Sunday of October 03:00 CEST. Its DTSTARTs
// are local times, as RFC 5545 §3.6.5 requires. TestVTimezoneMatchesTZData
// checks it against Go's tzdata.
var vtimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:" + tzid,
	"X-LIC-LOCATION:" + tzid,
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19700329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19701025T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// Calendar renders events as a subscribable iCalendar feed (METHOD:PUBLISH)
// named name, one VEVENT per event with the UID "<eventID>@cyberlotse" —
// distinct from the UIDs of the invitations, which belong to a registration.
// Cancelled events stay in the feed with STATUS:CANCELLED so that subscribers
// see the cancellation; events without a start are left out.
func Calendar(events []EventInfo, name string) []byte {
	now := time.Now()
	var w icalWriter
	w.begin("PUBLISH")
	if name != "" {
		w.text("NAME", name) // RFC 7986
		w.text("X-WR-CALNAME", name)
	}
	w.line("X-WR-TIMEZONE:" + tzid)
	w.lines(vtimezone)
	for _, e := range events {
		if e.StartsAt.IsZero() {
			continue
		}
		stamp := e.UpdatedAt
		if stamp.IsZero() {
			stamp = now
		}
		w.event(vevent{
			EventInfo:   e,
			uid:         e.ID + "@" + uidDomain,
			sequence:    e.Sequence,
			cancelled:   e.Cancelled,
			stamp:       stamp,
			description: e.Description,
			organizer:   Address{Name: e.OrganizerName, Email: e.OrganizerEmail},
		})
	}
	w.line("END:VCALENDAR")
	return w.buf.Bytes()
}

// invitation renders the iTIP object (RFC 5546) sent with m: method REQUEST
// or CANCEL, one VEVENT whose UID belongs to the event and the registration,
// with the recipient as the only ATTENDEE.
func invitation(m Message, method string, organizer Address, stamp time.Time, description string) []byte {
	var w icalWriter
	w.begin(method)
	w.lines(vtimezone)
	seq := m.Event.Sequence
	if method == "CANCEL" {
		seq++
	}
	w.event(vevent{
		EventInfo:   m.Event,
		uid:         InvitationUID(m.Event.ID, m.RegistrationID),
		sequence:    seq,
		cancelled:   method == "CANCEL",
		stamp:       stamp,
		description: description,
		organizer:   organizer,
		attendee:    &m.To,
		accepted:    method == "REQUEST",
	})
	w.line("END:VCALENDAR")
	return w.buf.Bytes()
}

// InvitationUID is the iCalendar UID of the invitations for one
// registration: "<eventID>-<registrationID>@cyberlotse". It stays the same
// through confirmation, updates, reminders and cancellation, so calendars
// update one entry.
func InvitationUID(eventID, registrationID string) string {
	return eventID + "-" + registrationID + "@" + uidDomain
}

type vevent struct {
	EventInfo
	uid         string
	sequence    int
	cancelled   bool
	stamp       time.Time
	description string
	organizer   Address  // ORGANIZER; none when Email is empty
	attendee    *Address // ATTENDEE; nil in feeds
	accepted    bool     // the attendee holds a seat
}

// icalWriter writes content lines, folded and CRLF-terminated.
type icalWriter struct {
	buf bytes.Buffer
}

func (w *icalWriter) begin(method string) {
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:" + prodID)
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:" + method)
}

func (w *icalWriter) event(e vevent) {
	w.line("BEGIN:VEVENT")
	w.text("UID", e.uid)
	w.line("SEQUENCE:" + strconv.Itoa(e.sequence))
	w.line("DTSTAMP:" + e.stamp.UTC().Format(utcFormat))
	if !e.UpdatedAt.IsZero() {
		w.line("LAST-MODIFIED:" + e.UpdatedAt.UTC().Format(utcFormat))
	}
	w.dateTime("DTSTART", e.StartsAt)
	if e.EndsAt != nil {
		w.dateTime("DTEND", *e.EndsAt)
	}
	w.text("SUMMARY", e.Title)
	if e.description != "" {
		w.text("DESCRIPTION", e.description)
	}
	if loc := e.Location(); loc != "" {
		w.text("LOCATION", loc)
	}
	if e.OnlineURL != "" && checkWebURL(e.OnlineURL) == nil {
		w.line("URL:" + e.OnlineURL) // a URI, not TEXT: no escaping
	}
	if mailto := mailtoURI(e.organizer.Email); mailto != "" {
		w.line("ORGANIZER" + cnParam(e.organizer.Name) + ":" + mailto)
	}
	if a := e.attendee; a != nil && mailtoURI(a.Email) != "" {
		params := cnParam(a.Name) + ";ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL"
		if e.accepted {
			params += ";PARTSTAT=ACCEPTED"
		}
		w.line("ATTENDEE" + params + ";RSVP=FALSE:" + mailtoURI(a.Email))
	}
	if e.cancelled {
		w.line("STATUS:CANCELLED")
	} else {
		w.line("STATUS:CONFIRMED")
	}
	w.line("TRANSP:OPAQUE")
	w.line("END:VEVENT")
}

// dateTime writes t as a local time with TZID=Europe/Berlin. A local time
// that occurs twice (the night summer time ends) means its first occurrence
// (RFC 5545 §3.3.5); an instant in the second one is written in UTC instead.
func (w *icalWriter) dateTime(name string, t time.Time) {
	t = t.Truncate(time.Second)
	local := t.In(berlin)
	if firstOccurrence(local).Equal(t) {
		w.line(name + ";TZID=" + tzid + ":" + local.Format(localFormat))
		return
	}
	w.line(name + ":" + t.UTC().Format(utcFormat))
}

// firstOccurrence is the earliest instant whose wall clock in t's location
// reads as t's does.
func firstOccurrence(t time.Time) time.Time {
	loc := t.Location()
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	first := t
	for _, probe := range []time.Time{t.Add(-24 * time.Hour), t, t.Add(24 * time.Hour)} {
		_, off := probe.Zone()
		u := wall.Add(-time.Duration(off) * time.Second).In(loc)
		if u.Before(first) && sameWallClock(u, t) {
			first = u
		}
	}
	return first
}

func sameWallClock(a, b time.Time) bool {
	return a.Format(localFormat) == b.Format(localFormat) && a.Nanosecond() == b.Nanosecond()
}

// text writes a property of type TEXT, escaped.
func (w *icalWriter) text(name, value string) {
	w.line(name + ":" + escapeText(value))
}

func (w *icalWriter) lines(ls []string) {
	for _, l := range ls {
		w.line(l)
	}
}

// line writes one content line, folded so that no physical line exceeds 75
// octets: a fold never splits a UTF-8 sequence, and each continuation line
// begins with a space that counts towards its 75.
func (w *icalWriter) line(l string) {
	limit := maxLineOctets
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		w.buf.WriteString(l[:cut])
		w.buf.WriteString("\r\n ")
		l = l[cut:]
		limit = maxLineOctets - 1
	}
	w.buf.WriteString(l)
	w.buf.WriteString("\r\n")
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon,
// comma and line breaks; other control characters but tab are dropped.
func escapeText(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteRune(r)
		case r < ' ' || r == 0x7f:
		default: // an invalid byte arrives as U+FFFD and is written as such
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mailtoURI is "mailto:" and the bare address in email, or "" when email is
// not one address.
func mailtoURI(email string) string {
	a, err := mail.ParseAddress(email)
	if err != nil || strings.ContainsFunc(a.Address, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return ""
	}
	return "mailto:" + a.Address
}

// cnParam is the ";CN=…" parameter for name, quoted; DQUOTE and control
// characters cannot appear in a parameter value and are dropped.
func cnParam(name string) string {
	name = strings.Map(func(r rune) rune {
		if r == '"' || r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		return ""
	}
	return `;CN="` + name + `"`
}
