package mail_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	cmail "github.com/cyberlotse/cyberlotse/server/mail"
)

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// now is the fixed clock of the tests' Composer.
var now = time.Date(2025, 8, 1, 10, 0, 0, 0, time.UTC)

func newComposer() *cmail.Composer {
	return &cmail.Composer{Now: func() time.Time { return now }}
}

const (
	kalletalTitle = "Informationsveranstaltung: Kalletal wird Teil der Modellregion Cyber Security"
	kalletalVenue = "Bürgerbegegnungszentrum am Schulzentrum, Hohenhausen"
	manageURL     = "https://cyberlotse.example/anmeldungen/reg-4711?token=a1b2&lang=de"
)

// kalletal is the information evening in Kalletal, 4 September 2025,
// 18:00 to 20:00 in Hohenhausen.
func kalletal() cmail.EventInfo {
	start := time.Date(2025, 9, 4, 18, 0, 0, 0, berlin)
	end := time.Date(2025, 9, 4, 20, 0, 0, 0, berlin)
	return cmail.EventInfo{
		ID:             "kalletal-info-2025",
		Title:          kalletalTitle,
		Description:    "Die Gemeinde Kalletal stellt vor, was die Modellregion Cyber Security\nfür Betriebe vor Ort bietet.",
		StartsAt:       start,
		EndsAt:         &end,
		Venue:          kalletalVenue,
		Address:        "Rintelner Straße 3, 32689 Kalletal",
		OrganizerName:  "Gemeinde Kalletal",
		OrganizerEmail: "wirtschaft@kalletal.example",
	}
}

func confirmation() cmail.Message {
	return cmail.Message{
		Kind:           cmail.KindConfirmation,
		To:             cmail.Address{Name: "Jörg Österreicher", Email: "joerg@tischlerei-hohenhausen.example"},
		Event:          kalletal(),
		RegistrationID: "reg-4711",
		ManageURL:      manageURL,
	}
}

func mustCompose(t *testing.T, m cmail.Message) *gomail.Msg {
	t.Helper()
	msg, err := newComposer().Compose(m)
	if err != nil {
		t.Fatalf("Compose: %v", err)
	}
	return msg
}

func render(t *testing.T, msg *gomail.Msg) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := msg.WriteTo(&buf); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	return buf.Bytes()
}

// parsed is a received mail taken apart.
type parsed struct {
	Header      mail.Header
	Subject     string
	Plain, HTML string
	CalendarAlt string // the text/calendar alternative
	CalendarCT  string // its Content-Type
	Attachments []attachment
}

type attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// parse reads raw with net/mail and mime/multipart.
func parse(t *testing.T, raw []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("mail.ReadMessage: %v", err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("subject %q: %v", m.Header.Get("Subject"), err)
	}
	p := parsed{Header: m.Header, Subject: subject}
	walk(t, &p, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body)
	return p
}

func walk(t *testing.T, p *parsed, contentType, encoding, disposition string, body io.Reader) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			part, err := r.NextPart() // decodes quoted-printable itself
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("multipart: %v", err)
			}
			walk(t, p, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"),
				part.Header.Get("Content-Disposition"), part)
		}
	}
	if strings.EqualFold(encoding, "base64") {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("read %s: %v", mt, err)
	}
	if disposition != "" {
		if d, dparams, err := mime.ParseMediaType(disposition); err == nil && d == "attachment" {
			p.Attachments = append(p.Attachments, attachment{Filename: dparams["filename"], ContentType: contentType, Data: data})
			return
		}
	}
	switch mt {
	case "text/plain": // SMTP's CRLF line ends become \n to compare
		p.Plain = strings.ReplaceAll(string(data), "\r\n", "\n")
	case "text/html":
		p.HTML = strings.ReplaceAll(string(data), "\r\n", "\n")
	case "text/calendar":
		p.CalendarAlt, p.CalendarCT = string(data), contentType
	default:
		t.Fatalf("unexpected part %s", contentType)
	}
}

// ics returns the single einladung.ics attachment.
func (p parsed) ics(t *testing.T) attachment {
	t.Helper()
	if len(p.Attachments) != 1 {
		t.Fatalf("%d attachments, want 1", len(p.Attachments))
	}
	a := p.Attachments[0]
	if a.Filename != "einladung.ics" {
		t.Fatalf("attachment %q, want einladung.ics", a.Filename)
	}
	return a
}

// unfold undoes RFC 5545 line folding and splits into content lines.
func unfold(ics string) []string {
	ics = strings.ReplaceAll(ics, "\r\n ", "")
	return strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n")
}

// prop returns the value of the first content line that begins with name
// (e.g. "SEQUENCE:" or "DTSTART;").
func prop(t *testing.T, ics, name string) string {
	t.Helper()
	for _, l := range unfold(ics) {
		if strings.HasPrefix(l, name) {
			return strings.TrimPrefix(l, name)
		}
	}
	t.Fatalf("no %s in\n%s", name, ics)
	return ""
}

func hasLine(ics, line string) bool {
	for _, l := range unfold(ics) {
		if l == line {
			return true
		}
	}
	return false
}

func mustContain(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}
