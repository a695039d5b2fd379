package mail_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	cmail "github.com/cyberlotse/cyberlotse/server/mail"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// The confirmation for the Kalletal information evening travels over SMTP
// and arrives as a German mail with plain text, HTML and an invitation.
func TestConfirmationOverSMTP(t *testing.T) {
	srv := smtptest.Start(t)
	sender, err := cmail.NewSMTPSender(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(context.Background(), mustCompose(t, confirmation())); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(1, 5*time.Second)[0]

	if got.From != "noreply@cyberlotse.invalid" {
		t.Errorf("MAIL FROM %q", got.From)
	}
	if len(got.To) != 1 || got.To[0] != "joerg@tischlerei-hohenhausen.example" {
		t.Errorf("RCPT TO %q", got.To)
	}
	m := parse(t, got.Data)
	if want := "Anmeldung bestätigt: " + kalletalTitle; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	for header, want := range map[string]string{
		"From":              `"Cyberlotse" <noreply@cyberlotse.invalid>`,
		"Reply-To":          `"Gemeinde Kalletal" <wirtschaft@kalletal.example>`,
		"Date":              "Fri, 01 Aug 2025 12:00:00 +0200",
		"Content-Language":  "de",
		"Auto-Submitted":    "auto-generated",
		"X-Cyberlotse-Kind": "CONFIRMATION",
	} {
		if got := m.Header.Get(header); got != want {
			t.Errorf("%s: %q, want %q", header, got, want)
		}
	}
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Name != "Jörg Österreicher" {
		t.Errorf("To: %v, %v", to, err)
	}
	if id := m.Header.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@cyberlotse.invalid>") {
		t.Errorf("Message-ID %q", id)
	}

	mustContain(t, "plain text", m.Plain,
		"Guten Tag Jörg Österreicher,",
		"vielen Dank für Ihre Anmeldung. Ihr Platz bei der folgenden Veranstaltung ist bestätigt.",
		kalletalTitle,
		"Wann: Donnerstag, 4. September 2025, 18:00 bis 20:00 Uhr",
		"Wo: "+kalletalVenue+", Rintelner Straße 3, 32689 Kalletal",
		"Veranstalter: Gemeinde Kalletal",
		"Anmeldung ansehen, ändern oder absagen:\n"+manageURL,
		"Mit dem Anhang „einladung.ics“ übernehmen Sie den Termin in Ihren Kalender.",
	)
	mustContain(t, "HTML", m.HTML,
		`<html lang="de">`,
		"<p>Guten Tag Jörg Österreicher,</p>",
		">"+kalletalTitle+"</h1>",
		"Donnerstag, 4. September 2025, 18:00 bis 20:00 Uhr",
		kalletalVenue,
		`<a href="https://cyberlotse.example/anmeldungen/reg-4711?token=a1b2&amp;lang=de"`,
		"Die Gemeinde Kalletal stellt vor, was die Modellregion Cyber Security<br>\nfür Betriebe vor Ort bietet.",
	)

	a := m.ics(t)
	if a.ContentType != `text/calendar; method=REQUEST; charset=UTF-8; name="einladung.ics"` {
		t.Errorf("attachment content type %q", a.ContentType)
	}
	ics := string(a.Data)
	if m.CalendarAlt != ics {
		t.Errorf("text/calendar alternative differs from the attachment:\n%s", m.CalendarAlt)
	}
	if m.CalendarCT != "text/calendar; method=REQUEST; charset=UTF-8" {
		t.Errorf("alternative content type %q", m.CalendarCT)
	}
	for _, line := range []string{
		"BEGIN:VCALENDAR",
		"METHOD:REQUEST",
		"BEGIN:VTIMEZONE",
		"TZID:Europe/Berlin",
		"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
		"END:VTIMEZONE",
		"UID:kalletal-info-2025-reg-4711@cyberlotse",
		"SEQUENCE:0",
		"DTSTAMP:20250801T100000Z",
		"DTSTART;TZID=Europe/Berlin:20250904T180000",
		"DTEND;TZID=Europe/Berlin:20250904T200000",
		"SUMMARY:Informationsveranstaltung: Kalletal wird Teil der Modellregion Cyber Security",
		`LOCATION:Bürgerbegegnungszentrum am Schulzentrum\, Hohenhausen\, Rintelner Straße 3\, 32689 Kalletal`,
		`ORGANIZER;CN="Gemeinde Kalletal":mailto:wirtschaft@kalletal.example`,
		`ATTENDEE;CN="Jörg Österreicher";ROLE=REQ-PARTICIPANT;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:joerg@tischlerei-hohenhausen.example`,
		"STATUS:CONFIRMED",
		"END:VCALENDAR",
	} {
		if !hasLine(ics, line) {
			t.Errorf("invitation lacks %q:\n%s", line, ics)
		}
	}
	if d := prop(t, ics, "DESCRIPTION:"); !strings.HasSuffix(d, `\n\nAnmeldung verwalten: `+manageURL) {
		t.Errorf("DESCRIPTION lacks the manage link: %s", d)
	}
	if strings.Index(ics, "END:VTIMEZONE") > strings.Index(ics, "BEGIN:VEVENT") {
		t.Error("VTIMEZONE must come before the VEVENT that uses it")
	}
}

// A cancellation replaces the confirmation in the calendar: same UID, method
// CANCEL, status CANCELLED and a higher SEQUENCE.
func TestCancellationSupersedesConfirmation(t *testing.T) {
	confirmed := parse(t, render(t, mustCompose(t, confirmation()))).ics(t)
	confSeq := seq(t, string(confirmed.Data))

	cancelledEvent := confirmation()
	cancelledEvent.Kind = cmail.KindCancelledEvent
	cancelledEvent.Event.Cancelled = true
	cancelledEvent.Event.Sequence = 1 // the store bumps it on cancelling

	cancelledReg := confirmation()
	cancelledReg.Kind = cmail.KindCancelledRegistration

	for _, tc := range []struct {
		name    string
		msg     cmail.Message
		subject string
		seq     int
	}{
		{"event cancelled", cancelledEvent, "Abgesagt: " + kalletalTitle, 2},
		{"registration cancelled", cancelledReg, "Anmeldung storniert: " + kalletalTitle, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := parse(t, render(t, mustCompose(t, tc.msg)))
			if m.Subject != tc.subject {
				t.Errorf("subject %q, want %q", m.Subject, tc.subject)
			}
			a := m.ics(t)
			if a.ContentType != `text/calendar; method=CANCEL; charset=UTF-8; name="einladung.ics"` {
				t.Errorf("content type %q", a.ContentType)
			}
			ics := string(a.Data)
			for _, line := range []string{"METHOD:CANCEL", "STATUS:CANCELLED", "UID:kalletal-info-2025-reg-4711@cyberlotse"} {
				if !hasLine(ics, line) {
					t.Errorf("lacks %q:\n%s", line, ics)
				}
			}
			if s := seq(t, ics); s != tc.seq || s <= confSeq {
				t.Errorf("SEQUENCE %d, want %d (> confirmation's %d)", s, tc.seq, confSeq)
			}
			mustContain(t, "plain text", m.Plain, manageURL, "Mit dem Anhang „einladung.ics“ entfernen Sie den Termin aus Ihrem Kalender.")
		})
	}
}

func seq(t *testing.T, ics string) int {
	t.Helper()
	n, err := strconv.Atoi(prop(t, ics, "SEQUENCE:"))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Every kind has its subject and text, the manage link in both bodies, and
// an invitation with the right method — none for the waitlist.
func TestKinds(t *testing.T) {
	for _, tc := range []struct {
		kind    cmail.Kind
		edit    func(*cmail.Message)
		subject string
		text    string
		method  string
	}{
		{cmail.KindConfirmation, nil, "Anmeldung bestätigt: " + kalletalTitle,
			"Ihr Platz bei der folgenden Veranstaltung ist bestätigt.", "REQUEST"},
		{cmail.KindWaitlisted, func(m *cmail.Message) { m.WaitlistPosition = 3 }, "Warteliste: " + kalletalTitle,
			"Sie stehen auf Platz 3 der Warteliste.", ""},
		{cmail.KindPromoted, nil, "Platz frei – Ihre Anmeldung ist bestätigt: " + kalletalTitle,
			"Sie sind von der Warteliste nachgerückt, Ihre Anmeldung ist jetzt bestätigt.", "REQUEST"},
		{cmail.KindUpdated, func(m *cmail.Message) { m.Event.Sequence = 2 }, "Geänderte Veranstaltung: " + kalletalTitle,
			"zu der Sie angemeldet sind, wurde geändert.", "REQUEST"},
		{cmail.KindCancelledEvent, func(m *cmail.Message) { m.Event.Cancelled = true }, "Abgesagt: " + kalletalTitle,
			"leider muss die folgende Veranstaltung abgesagt werden.", "CANCEL"},
		{cmail.KindReminder, func(m *cmail.Message) { m.ReminderLabel = "in 7 Tagen" }, "Erinnerung: " + kalletalTitle + " (in 7 Tagen)",
			"Sie findet in 7 Tagen statt.", "REQUEST"},
		{cmail.KindCancelledRegistration, nil, "Anmeldung storniert: " + kalletalTitle,
			"Ihre Anmeldung zur folgenden Veranstaltung ist storniert.", "CANCEL"},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			msg := confirmation()
			msg.Kind = tc.kind
			if tc.edit != nil {
				tc.edit(&msg)
			}
			m := parse(t, render(t, mustCompose(t, msg)))
			if m.Subject != tc.subject {
				t.Errorf("subject %q, want %q", m.Subject, tc.subject)
			}
			if got := m.Header.Get("X-Cyberlotse-Kind"); got != string(tc.kind) {
				t.Errorf("X-Cyberlotse-Kind %q", got)
			}
			mustContain(t, "plain text", m.Plain, tc.text, manageURL)
			mustContain(t, "HTML", m.HTML, tc.text, `href="https://cyberlotse.example/anmeldungen/reg-4711?token=a1b2&amp;lang=de"`)
			if tc.method == "" {
				if len(m.Attachments) != 0 || m.CalendarAlt != "" {
					t.Errorf("%s has an invitation", tc.kind)
				}
				return
			}
			if !hasLine(string(m.ics(t).Data), "METHOD:"+tc.method) {
				t.Errorf("invitation's method is not %s", tc.method)
			}
		})
	}
}

// Whatever the event's texts contain, the HTML shows them as text.
func TestHTMLEscapes(t *testing.T) {
	msg := confirmation()
	msg.Event.Title = `Phishing erkennen <script>alert("x")</script> & mehr`
	msg.Event.Description = "Bitte <b>nicht</b> vergessen: Laptop & Ladekabel."
	msg.To.Name = `Eve <img src=x onerror=alert(1)>`
	m := parse(t, render(t, mustCompose(t, msg)))

	mustContain(t, "HTML", m.HTML,
		"Phishing erkennen &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; mehr",
		"Bitte &lt;b&gt;nicht&lt;/b&gt; vergessen: Laptop &amp; Ladekabel.",
		"Guten Tag Eve &lt;img src=x onerror=alert(1)&gt;,",
	)
	for _, bad := range []string{"<script>", "<b>nicht", "<img"} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("HTML contains %q unescaped", bad)
		}
	}
	mustContain(t, "plain text", m.Plain, `Phishing erkennen <script>alert("x")</script> & mehr`, "Bitte <b>nicht</b> vergessen")
}

// Without an organizer the sender is the organizer and nobody is promised
// an answer; a configured From is used everywhere.
func TestComposeFromWithoutOrganizer(t *testing.T) {
	from, err := cmail.ParseAddress("Cyberlotse NRW <anmeldung@cyberlotse.example>")
	if err != nil {
		t.Fatal(err)
	}
	msg := confirmation()
	msg.Event.OrganizerName, msg.Event.OrganizerEmail = "", ""
	c := &cmail.Composer{From: from, Now: func() time.Time { return now }}
	gm, err := c.Compose(msg)
	if err != nil {
		t.Fatal(err)
	}
	m := parse(t, render(t, gm))
	if got := m.Header.Get("From"); got != `"Cyberlotse NRW" <anmeldung@cyberlotse.example>` {
		t.Errorf("From %q", got)
	}
	if got := m.Header.Get("Reply-To"); got != "" {
		t.Errorf("Reply-To %q, want none", got)
	}
	if id := m.Header.Get("Message-ID"); !strings.HasSuffix(id, "@cyberlotse.example>") {
		t.Errorf("Message-ID %q", id)
	}
	mustContain(t, "plain text", m.Plain, "Antworten an diese Adresse werden nicht gelesen.")
	if !hasLine(string(m.ics(t).Data), `ORGANIZER;CN="Cyberlotse NRW":mailto:anmeldung@cyberlotse.example`) {
		t.Errorf("ORGANIZER is not the sender:\n%s", m.ics(t).Data)
	}
}

// An online event shows its link instead of a place.
func TestComposeOnlineEvent(t *testing.T) {
	msg := confirmation()
	msg.Event.Venue, msg.Event.Address = "", ""
	msg.Event.OnlineURL = "https://meet.example/cyber-sprechstunde"
	m := parse(t, render(t, mustCompose(t, msg)))

	mustContain(t, "plain text", m.Plain, "Online: https://meet.example/cyber-sprechstunde")
	if strings.Contains(m.Plain, "Wo:") {
		t.Errorf("plain text names a place:\n%s", m.Plain)
	}
	mustContain(t, "HTML", m.HTML, `<a href="https://meet.example/cyber-sprechstunde">`)
	ics := string(m.ics(t).Data)
	for _, line := range []string{"URL:https://meet.example/cyber-sprechstunde", "LOCATION:Online"} {
		if !hasLine(ics, line) {
			t.Errorf("lacks %q:\n%s", line, ics)
		}
	}
	mustContain(t, "DESCRIPTION", prop(t, ics, "DESCRIPTION:"), `Online teilnehmen: https://meet.example/cyber-sprechstunde`)
}

func TestComposeRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*cmail.Message)
		want string
	}{
		{"unknown kind", func(m *cmail.Message) { m.Kind = "WELCOME" }, `unknown kind "WELCOME"`},
		{"no recipient", func(m *cmail.Message) { m.To.Email = "" }, "recipient"},
		{"bad recipient", func(m *cmail.Message) { m.To.Email = "joerg at example" }, "recipient"},
		{"no event ID", func(m *cmail.Message) { m.Event.ID = "" }, "event ID missing"},
		{"no registration", func(m *cmail.Message) { m.RegistrationID = "" }, "registration ID missing"},
		{"no title", func(m *cmail.Message) { m.Event.Title = " " }, "event title missing"},
		{"no start", func(m *cmail.Message) { m.Event.StartsAt = time.Time{} }, "event start missing"},
		{"end before start", func(m *cmail.Message) { e := m.Event.StartsAt.Add(-time.Hour); m.Event.EndsAt = &e }, "ends before it starts"},
		{"no manage URL", func(m *cmail.Message) { m.ManageURL = "" }, "manage URL"},
		{"relative manage URL", func(m *cmail.Message) { m.ManageURL = "/anmeldungen/1" }, "manage URL"},
		{"javascript manage URL", func(m *cmail.Message) { m.ManageURL = "javascript:alert(1)" }, "manage URL"},
		{"bad online URL", func(m *cmail.Message) { m.Event.OnlineURL = "meet example" }, "online URL"},
		{"invitation to a cancelled event", func(m *cmail.Message) { m.Event.Cancelled = true }, "CONFIRMATION for a cancelled event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := confirmation()
			tc.edit(&msg)
			_, err := newComposer().Compose(msg)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "mail.Composer.Compose") {
				t.Errorf("error %v, want one with %q", err, tc.want)
			}
		})
	}
}

// A title with line breaks cannot break the header.
func TestComposeTitleIsOneLine(t *testing.T) {
	msg := confirmation()
	msg.Event.Title = "Cyber-Frühstück\r\nBcc: everyone@example.org"
	m := parse(t, render(t, mustCompose(t, msg)))
	if m.Subject != "Anmeldung bestätigt: Cyber-Frühstück Bcc: everyone@example.org" {
		t.Errorf("subject %q", m.Subject)
	}
	if got := m.Header.Get("Bcc"); got != "" {
		t.Errorf("Bcc header %q", got)
	}
}

// A message with an ID gets the same Message-ID every time it is composed,
// so that a copy sent again is recognisable; others get random ones.
func TestComposeStableMessageID(t *testing.T) {
	header := func(m cmail.Message) string {
		t.Helper()
		return parse(t, render(t, mustCompose(t, m))).Header.Get("Message-ID")
	}
	m := confirmation()
	m.ID = "reg-4711-CONFIRMATION-0"
	first, again := header(m), header(m)
	if first != "<reg-4711-CONFIRMATION-0@cyberlotse.invalid>" || again != first {
		t.Errorf("Message-IDs %q and %q, want <reg-4711-CONFIRMATION-0@cyberlotse.invalid> twice", first, again)
	}
	m.ID = "Reg 4711/P7D=x..y."
	if got := header(m); got != "<Reg=204711=2FP7D=3Dx.=2Ey=2E@cyberlotse.invalid>" {
		t.Errorf("escaped Message-ID %q", got)
	}
	m.ID = ""
	if a, b := header(m), header(m); a == b {
		t.Errorf("two random Message-IDs are both %q", a)
	}
}
