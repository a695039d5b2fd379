package mail

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// icsFilename is the name of the iCalendar attachment.
const icsFilename = "einladung.ics"

// Composer turns Messages into MIME mails. The zero value is ready to use;
// it is safe for concurrent use as long as its fields are not changed.
type Composer struct {
	// From is the sender; zero: DefaultFrom.
	From Address
	// Now is the clock for the Date header and DTSTAMP; nil: time.Now.
	Now func() time.Time
}

// Compose builds the mail for m: a German subject, a plain text body with an
// HTML alternative, both with the manage link, and — for every kind but
// KindWaitlisted — an iCalendar invitation, attached as einladung.ics and
// also given as a text/calendar alternative (iMIP, RFC 6047), which is what
// makes mail clients offer to add the event to the calendar. Replies go to
// the event's organizer when one is known.
//
// Compose fails when m is incomplete or inconsistent: unknown kind, missing
// event ID, registration ID, title, start or manage URL, an end before the
// start, an invalid address, or an invitation for a cancelled event.
func (c *Composer) Compose(m Message) (*gomail.Msg, error) {
	const op = "mail.Composer.Compose"
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("%s %s: %w", op, m.Kind, err)
	}
	from := c.From
	if from.Email == "" {
		from = DefaultFrom
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	m.Event.Title = oneLine(m.Event.Title)
	m.ReminderLabel = oneLine(m.ReminderLabel)

	organizer := Address{Name: m.Event.OrganizerName, Email: m.Event.OrganizerEmail}
	replyable := organizer.Email != ""
	method := m.Kind.method()
	subj := subject(m)

	data := bodyData{
		Subject:      subj,
		Salutation:   salutation(m.To),
		Intro:        intro(m),
		Title:        m.Event.Title,
		When:         FormatTimeRange(m.Event.StartsAt, m.Event.EndsAt),
		Where:        m.Event.Location(),
		OnlineURL:    m.Event.OnlineURL,
		Organizer:    strings.TrimSpace(organizer.Name),
		Description:  normalizeNewlines(strings.TrimSpace(m.Event.Description)),
		CalendarNote: calendarNote(method),
		ManageLabel:  manageLabel(m.Kind),
		ManageURL:    m.ManageURL,
		Footer:       footer(organizer, replyable),
	}
	if data.Where == textOnline {
		data.Where = "" // the online line says it
	}
	var plain, html bytes.Buffer
	if err := plainTemplate.Execute(&plain, data); err != nil {
		return nil, fmt.Errorf("%s: plain text: %w", op, err)
	}
	if err := htmlTemplate.Execute(&html, data); err != nil {
		return nil, fmt.Errorf("%s: html: %w", op, err)
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(from.Name, from.Email); err != nil {
		return nil, fmt.Errorf("%s: from: %w", op, err)
	}
	if err := msg.AddToFormat(m.To.Name, m.To.Email); err != nil {
		return nil, fmt.Errorf("%s: to: %w", op, err)
	}
	if replyable {
		if err := msg.ReplyToFormat(organizer.Name, organizer.Email); err != nil {
			return nil, fmt.Errorf("%s: reply-to: %w", op, err)
		}
	}
	msg.Subject(subj)
	msg.SetDateWithValue(now.In(berlin))
	msg.SetMessageIDWithValue(messageID(from.Email, m.ID))
	msg.SetGenHeader(gomail.HeaderContentLang, "de")
	msg.SetGenHeader("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	msg.SetGenHeader(HeaderKind, string(m.Kind))
	msg.SetBodyString(gomail.TypeTextPlain, plain.String())
	msg.AddAlternativeString(gomail.TypeTextHTML, html.String())

	if method != "" {
		organizerOrFrom := organizer
		if !replyable {
			organizerOrFrom = from
		}
		ics := invitation(m, method, organizerOrFrom, now, icsDescription(m, data.Description))
		msg.AddAlternativeString(gomail.ContentType("text/calendar; method="+method), string(ics))
		err := msg.AttachReader(icsFilename, bytes.NewReader(ics),
			gomail.WithFileContentType(gomail.ContentType("text/calendar; method="+method+"; charset=UTF-8")))
		if err != nil {
			return nil, fmt.Errorf("%s: attach %s: %w", op, icsFilename, err)
		}
	}
	return msg, nil
}

// HeaderKind names the header that carries the Message's Kind, for tests,
// the outbox and whoever reads the logs of a mail server.
const HeaderKind gomail.Header = "X-Cyberlotse-Kind"

// bodyData fills plainTemplate and htmlTemplate.
type bodyData struct {
	Subject      string
	Salutation   string
	Intro        []string
	Title        string
	When         string
	Where        string
	OnlineURL    string
	Organizer    string
	Description  string
	CalendarNote string
	ManageLabel  string
	ManageURL    string
	Footer       string
}

// DescriptionParagraphs splits the description at blank lines, and each
// paragraph into its lines, for the HTML body.
func (d bodyData) DescriptionParagraphs() [][]string {
	var paras [][]string
	for _, p := range strings.Split(d.Description, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, strings.Split(p, "\n"))
		}
	}
	return paras
}

// icsDescription is the invitation's DESCRIPTION: the event's description,
// the online link and the manage link.
func icsDescription(m Message, description string) string {
	parts := make([]string, 0, 3)
	if description != "" {
		parts = append(parts, description)
	}
	if m.Event.OnlineURL != "" {
		parts = append(parts, onlineLine(m.Event.OnlineURL))
	}
	parts = append(parts, manageLine(m.ManageURL))
	return strings.Join(parts, "\n\n")
}

// messageID makes the Message-ID in the domain of the sender: from id,
// when given, else random. The local part keeps letters, digits, '-' and
// '.' of id and writes every other byte as =XX, so that different ids
// give different Message-IDs.
func messageID(from, id string) string {
	domain := "cyberlotse.invalid"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = from[i+1:]
	}
	if id == "" {
		return rand.Text() + "@" + domain
	}
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-',
			c == '.' && i > 0 && i < len(id)-1 && id[i-1] != '.':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String() + "@" + domain
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// oneLine folds white space, line breaks included, to single spaces: a title
// goes into a header.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
