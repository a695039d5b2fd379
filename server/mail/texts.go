package mail

// Every German word the package writes is in this file: subjects, bodies,
// the names of weekdays and months. Bodies address the reader formally.

import (
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
)

var (
	weekdays = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}
	months   = [...]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
		"August", "September", "Oktober", "November", "Dezember"}
)

const (
	textClock  = "Uhr"
	textUntil  = "bis"
	textOnline = "Online"
	teamName   = "Ihr Cyberlotse-Team"
)

// subject is the subject line of m.
func subject(m Message) string {
	t := m.Event.Title
	switch m.Kind {
	case KindConfirmation:
		return "Anmeldung bestätigt: " + t
	case KindWaitlisted:
		return "Warteliste: " + t
	case KindPromoted:
		return "Platz frei – Ihre Anmeldung ist bestätigt: " + t
	case KindUpdated:
		return "Geänderte Veranstaltung: " + t
	case KindCancelledEvent:
		return "Abgesagt: " + t
	case KindReminder:
		if m.ReminderLabel != "" {
			return "Erinnerung: " + t + " (" + m.ReminderLabel + ")"
		}
		return "Erinnerung: " + t
	case KindCancelledRegistration:
		return "Anmeldung storniert: " + t
	}
	return t
}

// salutation opens every mail.
func salutation(to Address) string {
	if name := strings.TrimSpace(to.Name); name != "" {
		return "Guten Tag " + name + ","
	}
	return "Guten Tag,"
}

// intro is what happened, in paragraphs; the first continues the salutation
// and so begins in lower case.
func intro(m Message) []string {
	switch m.Kind {
	case KindConfirmation:
		return []string{"vielen Dank für Ihre Anmeldung. Ihr Platz bei der folgenden Veranstaltung ist bestätigt."}
	case KindWaitlisted:
		where := "Sie stehen auf der Warteliste."
		if m.WaitlistPosition > 0 {
			where = "Sie stehen auf Platz " + strconv.Itoa(m.WaitlistPosition) + " der Warteliste."
		}
		return []string{
			"vielen Dank für Ihr Interesse. Die folgende Veranstaltung ist zurzeit ausgebucht. " + where,
			"Wird ein Platz frei, rücken Sie automatisch nach und erhalten eine Bestätigung per E-Mail. " +
				"Bis dahin ist Ihnen kein Platz sicher.",
		}
	case KindPromoted:
		return []string{"gute Nachricht: Bei der folgenden Veranstaltung ist ein Platz frei geworden. " +
			"Sie sind von der Warteliste nachgerückt, Ihre Anmeldung ist jetzt bestätigt."}
	case KindUpdated:
		return []string{"die folgende Veranstaltung, zu der Sie angemeldet sind, wurde geändert. " +
			"Bitte beachten Sie die aktuellen Angaben."}
	case KindCancelledEvent:
		return []string{"leider muss die folgende Veranstaltung abgesagt werden. " +
			"Ihre Anmeldung entfällt damit, Sie müssen nichts weiter tun. Wir bitten um Ihr Verständnis."}
	case KindReminder:
		p := "wir erinnern Sie an die folgende Veranstaltung, zu der Sie angemeldet sind."
		if m.ReminderLabel != "" {
			p += " Sie findet " + m.ReminderLabel + " statt."
		}
		return []string{p}
	case KindCancelledRegistration:
		return []string{"Ihre Anmeldung zur folgenden Veranstaltung ist storniert. " +
			"Schade, dass Sie nicht dabei sein können."}
	}
	return nil
}

// calendarNote explains the attachment einladung.ics.
func calendarNote(method string) string {
	switch method {
	case "REQUEST":
		return "Mit dem Anhang „" + icsFilename + "“ übernehmen Sie den Termin in Ihren Kalender."
	case "CANCEL":
		return "Mit dem Anhang „" + icsFilename + "“ entfernen Sie den Termin aus Ihrem Kalender."
	}
	return ""
}

// manageLabel introduces the manage link.
func manageLabel(k Kind) string {
	switch k {
	case KindCancelledEvent, KindCancelledRegistration:
		return "Ihre Anmeldung ansehen"
	case KindWaitlisted:
		return "Wartelistenplatz ansehen oder absagen"
	}
	return "Anmeldung ansehen, ändern oder absagen"
}

// footer says why the mail came and where questions go.
func footer(organizer Address, replyable bool) string {
	p := "Diese E-Mail wurde automatisch von Cyberlotse versandt, weil Sie sich zu der Veranstaltung angemeldet haben."
	if !replyable {
		return p + " Antworten an diese Adresse werden nicht gelesen."
	}
	who := organizer.Name
	if who == "" {
		who = organizer.Email
	}
	return p + " Bei Fragen antworten Sie einfach auf diese E-Mail; Ihre Nachricht geht an " + who + "."
}

// manageLine is the manage link's line in the iCalendar DESCRIPTION.
func manageLine(url string) string {
	return "Anmeldung verwalten: " + url
}

// onlineLine is the online link's line in the iCalendar DESCRIPTION.
func onlineLine(url string) string {
	return "Online teilnehmen: " + url
}

var plainTemplate = texttemplate.Must(texttemplate.New("plain").Parse(
	`{{.Salutation}}
{{range .Intro}}
{{.}}
{{end}}
{{.Title}}
Wann: {{.When}}
{{- with .Where}}
Wo: {{.}}{{end}}
{{- with .OnlineURL}}
Online: {{.}}{{end}}
{{- with .Organizer}}
Veranstalter: {{.}}{{end}}
{{with .Description}}
{{.}}
{{end}}
{{- with .CalendarNote}}
{{.}}
{{end}}
{{.ManageLabel}}:
{{.ManageURL}}
` + textClosing))

var htmlTemplate = htmltemplate.Must(htmltemplate.New("html").Parse(htmlOpening + `
<h1 style="font-size:20px;line-height:1.3;margin:24px 0 8px;">{{.Title}}</h1>
<table role="presentation" style="border-collapse:collapse;">
<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;">Wann</th><td style="padding:2px 0;">{{.When}}</td></tr>
{{- with .Where}}
<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;">Wo</th><td style="padding:2px 0;">{{.}}</td></tr>
{{- end}}
{{- with .OnlineURL}}
<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;">Online</th><td style="padding:2px 0;"><a href="{{.}}">{{.}}</a></td></tr>
{{- end}}
{{- with .Organizer}}
<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;">Veranstalter</th><td style="padding:2px 0;">{{.}}</td></tr>
{{- end}}
</table>
{{- with .DescriptionParagraphs}}
{{range .}}<p>{{range $i, $l := .}}{{if $i}}<br>
{{end}}{{$l}}{{end}}</p>
{{end}}
{{- end}}
{{- with .CalendarNote}}
<p>{{.}}</p>
{{- end}}
<p style="margin:24px 0;"><a href="{{.ManageURL}}" style="display:inline-block;padding:10px 18px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;">{{.ManageLabel}}</a></p>
<p style="font-size:14px;">Falls der Knopf nicht funktioniert, öffnen Sie diesen Link:<br>
<a href="{{.ManageURL}}">{{.ManageURL}}</a></p>
` + htmlClosing))

// ReminderLabel says when an event starts, for reminder mails: "morgen",
// "in 7 Tagen", "in 2 Stunden", "in 30 Minuten".
func ReminderLabel(days int, d time.Duration) string {
	switch {
	case days == 1 && d == 0:
		return "morgen"
	case days > 1:
		return fmt.Sprintf("in %d Tagen", days)
	case days == 0 && d >= time.Hour && d%time.Hour == 0:
		if d == time.Hour {
			return "in einer Stunde"
		}
		return fmt.Sprintf("in %d Stunden", int(d/time.Hour))
	case days == 0:
		return fmt.Sprintf("in %d Minuten", int(d/time.Minute))
	}
	return fmt.Sprintf("in %d Tagen", days)
}

// FailureReason says in German why a delivery failed, for the organizer
// who sees it on the reminder (lastError): what the mail server answered,
// by its reply code, and nothing internal such as the relay's address —
// the whole error goes to the log.
func FailureReason(err error) string {
	code, enhanced := reply(err)
	answer := strconv.Itoa(code)
	if enhanced != "" {
		answer += " " + enhanced
	}
	switch {
	case code >= 500 && (strings.HasSuffix(enhanced, ".1.1") || strings.HasSuffix(enhanced, ".1.2")):
		return "Die E-Mail-Adresse gibt es beim Empfänger nicht (Antwort des Mailservers: " + answer + ")."
	case code >= 500:
		return "Der Mailserver hat die E-Mail abgelehnt (Antwort " + answer + ")."
	case code >= 400:
		return "Der Mailserver hat die E-Mail vorübergehend abgelehnt (Antwort " + answer + ")."
	case IsTemporary(err):
		return "Der Mailserver war nicht erreichbar oder hat nicht rechtzeitig geantwortet."
	}
	return "Die E-Mail konnte nicht gesendet werden; Einzelheiten stehen im Protokoll des Servers."
}

// The frame every mail shares: the text's closing, the HTML's opening
// (the subject as title, salutation, intro) and its closing (greeting,
// footer).
const (
	textClosing = `
Mit freundlichen Grüßen
` + teamName + `

-- 
{{.Footer}}
`
	htmlOpening = `<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f5f7;">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;">
<p>{{.Salutation}}</p>
{{range .Intro}}<p>{{.}}</p>
{{end}}`
	htmlClosing = `<p>Mit freundlichen Grüßen<br>
` + teamName + `</p>
<hr style="border:none;border-top:1px solid #dddddd;margin:24px 0 12px;">
<p style="font-size:13px;color:#555555;">{{.Footer}}</p>
</div>
</body>
</html>
`
)
