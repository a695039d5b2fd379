package mail

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// AdvisoryMessage is a security warning mail to a municipality's
// information security officer: one urgent advisory at once, or the
// daily digest of the new ones.
type AdvisoryMessage struct {
	ID           string // stable: the Message-ID (see Message.ID)
	To           Address
	Digest       bool
	Municipality string // its name, e.g. "Remscheid"
	WarningsURL  string // the municipality's warnings page in Cyberlotse
	Advisories   []AdvisoryInfo
}

// AdvisoryInfo is what a mail says about one advisory.
type AdvisoryInfo struct {
	Title      string // in the advisory's own language, as published
	Language   string // BCP 47, e.g. "en"; the title's HTML lang
	Publisher  string
	TrackingID string
	Version    string
	CVSS       float64
	Exploit    string // what the advisory says of a known exploit; empty: none known
	CVEs       []string
	Products   []AdvisoryProduct
	// Remediations are the remedies named, each a line ("Update des
	// Herstellers: …").
	Remediations []AdvisoryRemediation
	URL          string // the advisory's document; empty: not published on the web
}

// AdvisoryProduct is a declared product the advisory concerns and the
// German reason of the match.
type AdvisoryProduct struct{ Name, Reason string }

// AdvisoryRemediation is one remedy: its CSAF category, details and link.
type AdvisoryRemediation struct{ Category, Details, URL string }

// KindAdvisoryAlert and KindAdvisoryDigest are the X-Cyberlotse-Kind of
// the warning mails.
const (
	KindAdvisoryAlert  Kind = "ADVISORY_ALERT"
	KindAdvisoryDigest Kind = "ADVISORY_DIGEST"
)

func (m AdvisoryMessage) validate() error {
	switch {
	case m.ID == "":
		return errors.New("ID missing")
	case len(m.Advisories) == 0:
		return errors.New("no advisories")
	case !m.Digest && len(m.Advisories) != 1:
		return fmt.Errorf("an immediate warning names one advisory, not %d", len(m.Advisories))
	}
	if _, err := mail.ParseAddress(m.To.Email); err != nil {
		return fmt.Errorf("recipient %q: %w", m.To.Email, err)
	}
	if err := checkWebURL(m.WarningsURL); err != nil {
		return fmt.Errorf("warnings URL: %w", err)
	}
	for _, a := range m.Advisories {
		if strings.TrimSpace(a.Title) == "" {
			return errors.New("advisory title missing")
		}
		if a.URL != "" {
			if err := checkWebURL(a.URL); err != nil {
				return fmt.Errorf("advisory URL: %w", err)
			}
		}
	}
	return nil
}

// ComposeAdvisory builds a warning mail: a German subject, a plain text
// body with an HTML alternative, each advisory with its CVSS score, the
// products it concerns and why, its remedies and links to the advisory
// and to the municipality's warnings page. Titles stay in their own
// language. It fails when m is incomplete.
func (c *Composer) ComposeAdvisory(m AdvisoryMessage) (*gomail.Msg, error) {
	const op = "mail.Composer.ComposeAdvisory"
	if err := m.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	from := c.From
	if from.Email == "" {
		from = DefaultFrom
	}
	now := time.Now()
	if c.Now != nil {
		now = c.Now()
	}
	data := advisoryBody(m)
	var plain, html bytes.Buffer
	if err := advisoryPlainTemplate.Execute(&plain, data); err != nil {
		return nil, fmt.Errorf("%s: plain text: %w", op, err)
	}
	if err := advisoryHTMLTemplate.Execute(&html, data); err != nil {
		return nil, fmt.Errorf("%s: html: %w", op, err)
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(from.Name, from.Email); err != nil {
		return nil, fmt.Errorf("%s: from: %w", op, err)
	}
	if err := msg.AddToFormat(m.To.Name, m.To.Email); err != nil {
		return nil, fmt.Errorf("%s: to: %w", op, err)
	}
	kind := KindAdvisoryAlert
	if m.Digest {
		kind = KindAdvisoryDigest
	}
	msg.Subject(data.Subject)
	msg.SetDateWithValue(now.In(berlin))
	msg.SetMessageIDWithValue(messageID(from.Email, m.ID))
	msg.SetGenHeader(gomail.HeaderContentLang, "de")
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(HeaderKind, string(kind))
	msg.SetBodyString(gomail.TypeTextPlain, plain.String())
	msg.AddAlternativeString(gomail.TypeTextHTML, html.String())
	return msg, nil
}
