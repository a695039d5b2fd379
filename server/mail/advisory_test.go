package mail

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func advisoryMessage() AdvisoryMessage {
	return AdvisoryMessage{ID: "advisory-alert-1", To: Address{Email: "it@teststadt.example"}, Municipality: "Teststadt",
		WarningsURL: "https://cyberlotse.example/kommune/05999999/warnungen",
		Advisories: []AdvisoryInfo{{Title: "Schwachstelle in\nGateway", Language: "de", TrackingID: "WID-SEC-1", Version: "2",
			CVSS: 9.8, Products: []AdvisoryProduct{{Name: "Acme Gateway 2.1", Reason: "Hersteller und Produkt stimmen überein"}}}}}
}

func TestComposeAdvisory(t *testing.T) {
	c := &Composer{Now: func() time.Time { return time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC) }}
	msg, err := c.ComposeAdvisory(advisoryMessage())
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := msg.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	raw := b.String()
	for _, want := range []string{"Message-ID: <advisory-alert-1@cyberlotse.invalid>", "X-Cyberlotse-Kind: ADVISORY_ALERT",
		"Content-Language: de", "text/plain", "text/html"} {
		if !strings.Contains(raw, want) {
			t.Errorf("mail lacks %q", want)
		}
	}
	d := advisoryBody(advisoryMessage())
	if want := "Dringende Sicherheitswarnung für Teststadt: Schwachstelle in Gateway (CVSS 9,8)"; d.Subject != want {
		t.Errorf("subject %q, want %q", d.Subject, want)
	}
	if got := d.Advisories[0].Remediations; len(got) != 1 || !strings.HasPrefix(got[0], "Der Hinweis nennt keine Abhilfe") {
		t.Errorf("remediations without any: %q", got)
	}
}

func TestComposeAdvisoryRejectsIncomplete(t *testing.T) {
	c := &Composer{}
	for name, change := range map[string]func(*AdvisoryMessage){
		"no id":            func(m *AdvisoryMessage) { m.ID = "" },
		"no advisories":    func(m *AdvisoryMessage) { m.Advisories = nil },
		"two at once":      func(m *AdvisoryMessage) { m.Advisories = append(m.Advisories, m.Advisories[0]) },
		"bad recipient":    func(m *AdvisoryMessage) { m.To.Email = "kein-mail" },
		"no warnings page": func(m *AdvisoryMessage) { m.WarningsURL = "/kommune/x" },
		"no title":         func(m *AdvisoryMessage) { m.Advisories[0].Title = " " },
		"file link":        func(m *AdvisoryMessage) { m.Advisories[0].URL = "file:///etc/passwd" },
	} {
		m := advisoryMessage()
		change(&m)
		if _, err := c.ComposeAdvisory(m); err == nil {
			t.Errorf("%s: composed", name)
		}
	}
	m := advisoryMessage()
	m.Digest = true
	m.Advisories = append(m.Advisories, m.Advisories[0])
	if _, err := c.ComposeAdvisory(m); err != nil {
		t.Errorf("a digest of two: %v", err)
	}
}
