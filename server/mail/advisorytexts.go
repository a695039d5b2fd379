package mail

// The German words of the security warning mails (KWID). Advisory titles
// stay in the language they were published in.

import (
	htmltemplate "html/template"
	"strconv"
	"strings"
	texttemplate "text/template"
)

// advisoryData fills advisoryPlainTemplate and advisoryHTMLTemplate.
type advisoryData struct {
	Subject       string
	Salutation    string
	Intro         []string
	Advisories    []advisoryItem
	WarningsLabel string
	WarningsURL   string
	Footer        string
}

type advisoryItem struct {
	Title        string
	Lang         string // HTML lang of the title; "" when unknown
	Facts        [][2]string
	Products     []AdvisoryProduct
	Remediations []string
	URL          string
}

func advisoryBody(m AdvisoryMessage) advisoryData {
	where := strings.TrimSpace(m.Municipality)
	if where == "" {
		where = "Ihre Kommune"
	}
	d := advisoryData{Salutation: salutation(m.To), WarningsLabel: "Alle offenen Warnungen für " + where,
		WarningsURL: m.WarningsURL,
		Footer: "Diese E-Mail wurde automatisch von Cyberlotse versandt, weil Sie die Sicherheitswarnungen für " + where +
			" abonniert haben. Schwellenwert und Zustellung ändern Sie auf der Warnungsseite; " +
			"dort markieren Sie Hinweise auch als erledigt oder nicht betroffen. Antworten an diese Adresse werden nicht gelesen."}
	for _, a := range m.Advisories {
		d.Advisories = append(d.Advisories, advisoryItemOf(a))
	}
	if m.Digest {
		n := len(m.Advisories)
		if n == 1 {
			d.Subject = "Sicherheitswarnungen für " + where + ": 1 neuer Hinweis"
			d.Intro = []string{"seit der letzten Übersicht ist ein Sicherheitshinweis hinzugekommen, der ein Produkt betrifft, " +
				"das " + where + " nach Ihren Angaben einsetzt."}
		} else {
			d.Subject = "Sicherheitswarnungen für " + where + ": " + strconv.Itoa(n) + " neue Hinweise"
			d.Intro = []string{"seit der letzten Übersicht sind " + strconv.Itoa(n) + " Sicherheitshinweise hinzugekommen, " +
				"die Produkte betreffen, die " + where + " nach Ihren Angaben einsetzt. Die schwersten stehen oben."}
		}
		d.Intro = append(d.Intro, "Bitte prüfen Sie, ob die genannten Versionen bei Ihnen im Einsatz sind, und setzen Sie die Abhilfen um.")
		return d
	}
	a := m.Advisories[0]
	d.Subject = "Dringende Sicherheitswarnung für " + where + ": " + oneLine(a.Title) + " (CVSS " + formatScore(a.CVSS) + ")"
	var why []string
	if a.CVSS >= 9.0 {
		why = append(why, "sein CVSS-Basiswert ist kritisch")
	}
	if a.Exploit != "" {
		why = append(why, "eine Ausnutzung der Schwachstelle ist bekannt")
	}
	p := "ein neuer Sicherheitshinweis betrifft ein Produkt, das " + where + " nach Ihren Angaben einsetzt."
	if len(why) > 0 {
		p += " Wir melden ihn sofort, denn " + strings.Join(why, " und ") + "."
	}
	d.Intro = []string{p, "Bitte prüfen Sie umgehend, ob die genannte Version bei Ihnen im Einsatz ist, und setzen Sie die Abhilfe um."}
	return d
}

func advisoryItemOf(a AdvisoryInfo) advisoryItem {
	it := advisoryItem{Title: oneLine(a.Title), Lang: a.Language, Products: a.Products, URL: a.URL}
	it.Facts = append(it.Facts, [2]string{"CVSS-Basiswert", formatScore(a.CVSS) + " (" + severityWord(a.CVSS) + ")"})
	if a.Exploit != "" {
		it.Facts = append(it.Facts, [2]string{"Ausnutzung", oneLine(a.Exploit)})
	}
	if len(a.CVEs) > 0 {
		it.Facts = append(it.Facts, [2]string{"CVE", strings.Join(a.CVEs, ", ")})
	}
	id := a.TrackingID
	if a.Version != "" {
		id += ", Version " + a.Version
	}
	if a.Publisher != "" {
		id = a.Publisher + ", " + id
	}
	it.Facts = append(it.Facts, [2]string{"Herausgeber", id})
	for _, r := range a.Remediations {
		line := remediationWord(r.Category)
		if d := oneLine(r.Details); d != "" {
			line += ": " + d
		}
		if r.URL != "" {
			line += " (" + r.URL + ")"
		}
		it.Remediations = append(it.Remediations, line)
	}
	if len(it.Remediations) == 0 {
		it.Remediations = []string{"Der Hinweis nennt keine Abhilfe. Bitte wenden Sie sich an den Hersteller."}
	}
	return it
}

// formatScore writes a CVSS score the German way: "9,8".
func formatScore(s float64) string {
	return strings.Replace(strconv.FormatFloat(s, 'f', 1, 64), ".", ",", 1)
}

// severityWord is the CVSS v3 rating in German.
func severityWord(s float64) string {
	switch {
	case s >= 9.0:
		return "kritisch"
	case s >= 7.0:
		return "hoch"
	case s >= 4.0:
		return "mittel"
	case s > 0:
		return "niedrig"
	}
	return "ohne Bewertung"
}

// remediationWord names a CSAF remediation category.
func remediationWord(category string) string {
	switch category {
	case "vendor_fix":
		return "Update des Herstellers"
	case "workaround":
		return "Umgehung"
	case "mitigation":
		return "Schutzmaßnahme"
	case "no_fix_planned":
		return "Keine Behebung geplant"
	case "none_available":
		return "Noch keine Behebung verfügbar"
	case "optional_patch":
		return "Optionaler Patch"
	}
	return "Abhilfe"
}

var advisoryPlainTemplate = texttemplate.Must(texttemplate.New("advisory-plain").Parse(
	`{{.Salutation}}
{{range .Intro}}
{{.}}
{{end}}
{{- range .Advisories}}
== {{.Title}} ==
{{range .Facts}}{{index . 0}}: {{index . 1}}
{{end}}
Betroffene Produkte:
{{range .Products}}- {{.Name}}: {{.Reason}}
{{end}}
Abhilfe:
{{range .Remediations}}- {{.}}
{{end}}
{{- with .URL}}
Hinweis im Original: {{.}}
{{end}}{{end}}
{{.WarningsLabel}}:
{{.WarningsURL}}
` + textClosing))

var advisoryHTMLTemplate = htmltemplate.Must(htmltemplate.New("advisory-html").Parse(htmlOpening + `
{{- range .Advisories}}
<h1 style="font-size:20px;line-height:1.3;margin:24px 0 8px;"{{with .Lang}} lang="{{.}}"{{end}}>{{.Title}}</h1>
<table role="presentation" style="border-collapse:collapse;">
{{- range .Facts}}
<tr><th scope="row" style="text-align:left;vertical-align:top;padding:2px 12px 2px 0;">{{index . 0}}</th><td style="padding:2px 0;">{{index . 1}}</td></tr>
{{- end}}
</table>
<h2 style="font-size:16px;margin:16px 0 4px;">Betroffene Produkte</h2>
<ul>
{{- range .Products}}
<li><strong>{{.Name}}</strong>: {{.Reason}}</li>
{{- end}}
</ul>
<h2 style="font-size:16px;margin:16px 0 4px;">Abhilfe</h2>
<ul>
{{- range .Remediations}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- with .URL}}
<p><a href="{{.}}">Hinweis im Original</a></p>
{{- end}}
{{- end}}
<p style="margin:24px 0;"><a href="{{.WarningsURL}}" style="display:inline-block;padding:10px 18px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;">{{.WarningsLabel}}</a></p>
<p style="font-size:14px;">Falls der Knopf nicht funktioniert, öffnen Sie diesen Link:<br>
<a href="{{.WarningsURL}}">{{.WarningsURL}}</a></p>
` + htmlClosing))
