package mail_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	cmail "github.com/cyberlotse/cyberlotse/server/mail"
)

// Times around the changes of the clocks are written as the wall clock in
// Berlin shows them. A local time that occurs twice means its first
// occurrence (RFC 5545 §3.3.5), so an instant in the second one is written
// in UTC.
func TestDaylightSavingNights(t *testing.T) {
	for _, tc := range []struct {
		name       string
		start, end time.Time // UTC instants
		dtstart    string
		dtend      string
		when       string
	}{
		{
			name:    "autumn: 01:30 CEST to 03:30 CET, three hours",
			start:   time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC),
			end:     time.Date(2026, 10, 25, 2, 30, 0, 0, time.UTC),
			dtstart: "DTSTART;TZID=Europe/Berlin:20261025T013000",
			dtend:   "DTEND;TZID=Europe/Berlin:20261025T033000",
			when:    "Sonntag, 25. Oktober 2026, 01:30 bis 03:30 Uhr",
		},
		{
			name:    "spring: 01:30 CET to 03:30 CEST, one hour",
			start:   time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC),
			end:     time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC),
			dtstart: "DTSTART;TZID=Europe/Berlin:20260329T013000",
			dtend:   "DTEND;TZID=Europe/Berlin:20260329T033000",
			when:    "Sonntag, 29. März 2026, 01:30 bis 03:30 Uhr",
		},
		{
			name:    "the first 02:30 (CEST) is local, the second (CET) UTC",
			start:   time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC),
			end:     time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
			dtstart: "DTSTART;TZID=Europe/Berlin:20261025T023000",
			dtend:   "DTEND:20261025T013000Z",
			when:    "Sonntag, 25. Oktober 2026, 02:30 bis 02:30 Uhr",
		},
		{
			name:    "winter time",
			start:   time.Date(2025, 12, 4, 17, 0, 0, 0, time.UTC),
			end:     time.Date(2025, 12, 5, 11, 0, 0, 0, time.UTC),
			dtstart: "DTSTART;TZID=Europe/Berlin:20251204T180000",
			dtend:   "DTEND;TZID=Europe/Berlin:20251205T120000",
			when:    "Donnerstag, 4. Dezember 2025, 18:00 Uhr bis Freitag, 5. Dezember 2025, 12:00 Uhr",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := confirmation()
			msg.Event.StartsAt, msg.Event.EndsAt = tc.start, &tc.end
			m := parse(t, render(t, mustCompose(t, msg)))
			ics := string(m.ics(t).Data)
			for _, line := range []string{tc.dtstart, tc.dtend} {
				if !hasLine(ics, line) {
					t.Errorf("lacks %q:\n%s", line, ics)
				}
			}
			mustContain(t, "plain text", m.Plain, "Wann: "+tc.when)
			mustContain(t, "HTML", m.HTML, tc.when)

			// What a calendar reads back is the instant we meant.
			for _, c := range []struct {
				line string
				want time.Time
			}{{tc.dtstart, tc.start}, {tc.dtend, tc.end}} {
				if got := readDateTime(t, c.line); !got.Equal(c.want) {
					t.Errorf("%s reads as %v, want %v", c.line, got, c.want)
				}
			}
		})
	}
}

// readDateTime reads a DTSTART or DTEND line the way RFC 5545 says: UTC, or
// local in Europe/Berlin, an ambiguous local time being its first occurrence.
func readDateTime(t *testing.T, line string) time.Time {
	t.Helper()
	_, value, _ := strings.Cut(line, ":")
	if strings.HasSuffix(value, "Z") {
		u, err := time.Parse("20060102T150405Z", value)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	wall, err := time.Parse("20060102T150405", value)
	if err != nil {
		t.Fatal(err)
	}
	for _, off := range []time.Duration{2 * time.Hour, time.Hour} { // CEST first: the earlier instant
		u := wall.Add(-off)
		if u.In(berlin).Format("20060102T150405") == value {
			return u
		}
	}
	t.Fatalf("%s does not exist in Berlin", value)
	return time.Time{}
}

// Every physical line is at most 75 octets and valid UTF-8, also when a
// long German text puts umlauts at the fold; unfolding gives back the text.
func TestFoldingKeepsLinesShortAndUTF8Whole(t *testing.T) {
	description := strings.Repeat("Größere Übungen für Bürgerinnen und Bürger: Phishing-Mails erkennen, "+
		"Passwörter schützen, Datensicherungen prüfen – äußerst nützlich für Gewerbetreibende in Ostwestfalen-Lippe; "+
		"außerdem „Digitale Tatorte“ im Überblick.\n", 4)
	for shift := 0; shift < 4; shift++ { // move the umlauts across the fold
		e := kalletal()
		e.Title = strings.Repeat("Ä", shift) + kalletalTitle + " – Übersicht für Kleinstunternehmen, Handwerksbetriebe und Freiberufler"
		e.Description = description
		msg := confirmation()
		msg.Event = e
		m := parse(t, render(t, mustCompose(t, msg)))

		for name, ics := range map[string]string{
			"invitation": string(m.ics(t).Data),
			"feed":       string(cmail.Calendar([]cmail.EventInfo{e}, "Veranstaltungen")),
		} {
			if !strings.HasSuffix(ics, "\r\n") || strings.Contains(strings.ReplaceAll(ics, "\r\n", ""), "\n") {
				t.Fatalf("%s: lines do not all end in CRLF", name)
			}
			folded := 0
			for _, l := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
				if len(l) > 75 {
					t.Errorf("%s: %d octets: %q", name, len(l), l)
				}
				if !utf8.ValidString(l) {
					t.Errorf("%s: fold splits a character: %q", name, l)
				}
				if strings.HasPrefix(l, " ") {
					folded++
				}
			}
			if folded < 10 {
				t.Errorf("%s: only %d continuation lines", name, folded)
			}
			if got := prop(t, ics, "SUMMARY:"); got != strings.ReplaceAll(e.Title, ",", `\,`) {
				t.Errorf("%s: SUMMARY unfolds to %q", name, got)
			}
			wantDesc := strings.NewReplacer(",", `\,`, ";", `\;`, "\n", `\n`).Replace(strings.TrimSpace(description))
			if got := prop(t, ics, "DESCRIPTION:"); !strings.HasPrefix(got, wantDesc) {
				t.Errorf("%s: DESCRIPTION unfolds to\n%q\nwant prefix\n%q", name, got, wantDesc)
			}
		}
	}
}

func TestTextEscaping(t *testing.T) {
	e := kalletal()
	e.Title = `IT-Sicherheit; Recht, Technik \ Praxis`
	e.Description = "Zeile 1\r\nZeile 2\rZeile 3\nTab\tbleibt, Steuerzeichen\x07 nicht"
	e.Venue = "Rathaus, Saal 1"
	e.Address = ""
	ics := string(cmail.Calendar([]cmail.EventInfo{e}, ""))
	for _, line := range []string{
		`SUMMARY:IT-Sicherheit\; Recht\, Technik \\ Praxis`,
		`DESCRIPTION:Zeile 1\nZeile 2\nZeile 3\nTab` + "\t" + `bleibt\, Steuerzeichen nicht`,
		`LOCATION:Rathaus\, Saal 1`,
	} {
		if !hasLine(ics, line) {
			t.Errorf("lacks %q:\n%s", line, ics)
		}
	}
}

// The feed lists every event once with the event's own UID and revision.
func TestCalendarFeed(t *testing.T) {
	updated := time.Date(2025, 8, 20, 9, 15, 0, 0, time.UTC)
	info := kalletal()
	info.UpdatedAt = updated
	info.Sequence = 3

	start := time.Date(2025, 11, 12, 9, 0, 0, 0, berlin)
	cancelled := cmail.EventInfo{
		ID:        "cyber-fruehstueck-remscheid",
		Title:     "Cyber-Frühstück Remscheid",
		StartsAt:  start,
		OnlineURL: "https://meet.example/fruehstueck",
		Cancelled: true,
		Sequence:  1,
		UpdatedAt: updated,
	}
	noStart := cmail.EventInfo{ID: "ohne-termin", Title: "Termin folgt"}

	ics := string(cmail.Calendar([]cmail.EventInfo{info, cancelled, noStart}, "Cyberlotse – Veranstaltungen in NRW"))

	for _, line := range []string{
		"METHOD:PUBLISH",
		"NAME:Cyberlotse – Veranstaltungen in NRW",
		"X-WR-CALNAME:Cyberlotse – Veranstaltungen in NRW",
		"X-WR-TIMEZONE:Europe/Berlin",
		"UID:kalletal-info-2025@cyberlotse",
		"SEQUENCE:3",
		"DTSTAMP:20250820T091500Z",
		"LAST-MODIFIED:20250820T091500Z",
		"DTSTART;TZID=Europe/Berlin:20250904T180000",
		`ORGANIZER;CN="Gemeinde Kalletal":mailto:wirtschaft@kalletal.example`,
		"UID:cyber-fruehstueck-remscheid@cyberlotse",
		"SEQUENCE:1",
		"DTSTART;TZID=Europe/Berlin:20251112T090000",
		"URL:https://meet.example/fruehstueck",
		"LOCATION:Online",
		"STATUS:CANCELLED",
		"STATUS:CONFIRMED",
	} {
		if !hasLine(ics, line) {
			t.Errorf("feed lacks %q:\n%s", line, ics)
		}
	}
	for what, want := range map[string]int{"BEGIN:VEVENT": 2, "BEGIN:VTIMEZONE": 1, "ATTENDEE": 0, "ohne-termin": 0, "METHOD:": 1} {
		if got := strings.Count(ics, what); got != want {
			t.Errorf("%d × %q, want %d", got, what, want)
		}
	}
	if !strings.HasPrefix(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(ics, "END:VCALENDAR\r\n") {
		t.Errorf("not one VCALENDAR:\n%s", ics)
	}
}

func TestFormatTime(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 9, 4, 18, 0, 0, 0, berlin), "Donnerstag, 4. September 2025, 18:00 Uhr"},
		{time.Date(2025, 9, 4, 16, 0, 0, 0, time.UTC), "Donnerstag, 4. September 2025, 18:00 Uhr"},
		{time.Date(2026, 3, 1, 23, 5, 0, 0, time.UTC), "Montag, 2. März 2026, 00:05 Uhr"},
		{time.Date(2025, 12, 31, 9, 30, 0, 0, berlin), "Mittwoch, 31. Dezember 2025, 09:30 Uhr"},
		{time.Date(2026, 5, 16, 10, 0, 0, 0, berlin), "Samstag, 16. Mai 2026, 10:00 Uhr"},
		{time.Date(2026, 1, 18, 10, 0, 0, 0, berlin), "Sonntag, 18. Januar 2026, 10:00 Uhr"},
	} {
		if got := cmail.FormatTime(tc.t); got != tc.want {
			t.Errorf("FormatTime(%v) = %q, want %q", tc.t, got, tc.want)
		}
	}
	if got := cmail.FormatTimeRange(time.Date(2025, 9, 4, 18, 0, 0, 0, berlin), nil); got != "Donnerstag, 4. September 2025, 18:00 Uhr" {
		t.Errorf("FormatTimeRange without end = %q", got)
	}
}

func TestInvitationUID(t *testing.T) {
	if got := cmail.InvitationUID("kalletal-info-2025", "reg-4711"); got != "kalletal-info-2025-reg-4711@cyberlotse" {
		t.Errorf("InvitationUID = %q", got)
	}
}
