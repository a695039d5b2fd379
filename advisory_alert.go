package cyberlotse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// Advisory alerts (KWID): a municipality's information security officer
// subscribes to mails about the open advisories that concern the
// municipality's products. An urgent one (CVSS ≥ 9.0 or a known exploit)
// is mailed at once to subscribers who want that; every other new match
// waits for the daily digest at 7:00 Berlin time. Each advisory version
// goes to a subscriber once: what was queued is recorded per
// (subscription, advisory key, version) in the transaction that queues
// the mail, and the mails go out through the reminders' exactly-once
// pipeline (claim with a lease, send, record).

// AdvisoryAlertSubscription is an officer's alert settings for one
// municipality, stored by the GraphQL API as (:AdvisoryAlertSubscription).
type AdvisoryAlertSubscription struct {
	ID    string
	AGS   AGS
	Email Email
	// MinCVSS is the lowest CVSS base score mailed; 0: everything.
	MinCVSS float64
	// Immediate: urgent matches are mailed at once, the rest in the
	// digest. Otherwise everything waits for the digest.
	Immediate bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// AdvisoryMark is a municipality's verdict on an advisory version
// ((:AdvisoryMark), written by the GraphQL API).
type AdvisoryMark struct {
	AGS         AGS
	AdvisoryKey string
	State       string // HANDLED, NOT_AFFECTED or OPEN
	Version     string // the advisory version the verdict was given for
}

// Advisory mark states that silence alerts.
const (
	AdvisoryMarkHandled     = "HANDLED"
	AdvisoryMarkNotAffected = "NOT_AFFECTED"
)

// Silences reports whether the mark settles advisory version: handled or
// not affected, given for that version or a newer one. A mark for an
// older version does not silence the new one.
func (m AdvisoryMark) Silences(version string) bool {
	return (m.State == AdvisoryMarkHandled || m.State == AdvisoryMarkNotAffected) &&
		CompareVersions(m.Version, version) >= 0
}

// CriticalCVSS is the CVSS base score from which an advisory is mailed at
// once (the CVSS v3 rating "critical").
const CriticalCVSS = 9.0

// noExploitPhrases are what an exploit_status threat says when nothing is
// known (CERT-Bund writes German, vendors English).
var noExploitPhrases = []string{"no known", "not known", "no public", "not aware", "none known", "no exploit",
	"keine bekannt", "nicht bekannt", "keine ausnutzung", "kein exploit", "keine hinweise", "keine öffentlich"}

// KnownExploit reports whether the advisory says an exploit is known: its
// exploit status (CSAF threats of category exploit_status) says anything
// but that none is known.
func KnownExploit(a *Advisory) bool {
	s := strings.ToLower(strings.TrimSpace(a.ExploitStatus))
	if s == "" {
		return false
	}
	for _, p := range noExploitPhrases {
		if strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// Urgent reports whether an advisory is mailed at once: CVSS ≥ 9.0 or a
// known exploit.
func Urgent(a *Advisory) bool { return a.CVSSScore >= CriticalCVSS || KnownExploit(a) }

// AtOnce reports whether the subscriber gets an advisory at once rather
// than in the digest: the subscriber wants urgent ones at once, it is
// urgent, and it was published or updated since the subscription began.
// Older urgent matches — the backlog of a new subscription, or of a
// product added to the list — go into the next digest instead of a flood
// of single mails.
func (s *AdvisoryAlertSubscription) AtOnce(a *Advisory) bool {
	return s.Immediate && Urgent(a) && !a.UpdatedAt.Before(s.CreatedAt)
}

// AlertItem is one advisory version in an alert mail, as it was when the
// alert was queued: the mail says what the subscriber was told then.
type AlertItem struct {
	AdvisoryKey  string         `json:"key"`
	Version      string         `json:"version"`
	TrackingID   string         `json:"trackingId"`
	Publisher    string         `json:"publisher"`
	Title        string         `json:"title"`
	Language     string         `json:"lang,omitempty"`
	CVSS         float64        `json:"cvss"`
	CVSSVector   string         `json:"cvssVector,omitempty"`
	Exploit      string         `json:"exploit,omitempty"` // the exploit status, if one is known
	CVEs         []string       `json:"cves,omitempty"`
	URL          string         `json:"url,omitempty"` // the advisory's document
	Products     []AlertProduct `json:"products"`
	Remediations []Remediation  `json:"remediations,omitempty"`
	Urgent       bool           `json:"urgent"`
}

// AlertProduct is a declared product an advisory concerns, and why.
type AlertProduct struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// SentKey names what was told to whom: subscription, advisory, version.
func (it AlertItem) SentKey(subscriptionID string) string {
	return subscriptionID + "|" + it.AdvisoryKey + "|" + it.Version
}

// AlertID is the stable id of the immediate alert of one item: writing
// it twice (a retried transaction, a second replica) creates it once, and
// its Message-ID stays the same.
func (it AlertItem) AlertID(subscriptionID string) string {
	h := sha256.Sum256([]byte(it.SentKey(subscriptionID)))
	return "advisory-alert-" + hex.EncodeToString(h[:16])
}

// DigestID is the id of a subscription's digest for the slot.
func DigestID(subscriptionID string, slot time.Time) string {
	return "advisory-digest-" + subscriptionID + "-" + slot.Format("2006-01-02")
}

// AlertItems picks what to tell a subscriber of a municipality's
// matches: open advisories with CVSS ≥ MinCVSS that no mark silences,
// one item per advisory with every product it concerns, most severe
// first. Only those for which want is true are kept (e.g. Urgent).
func AlertItems(sub *AdvisoryAlertSubscription, matches []ProductMatch, marks []AdvisoryMark, want func(*Advisory) bool) []AlertItem {
	markOf := make(map[string]AdvisoryMark, len(marks))
	for _, m := range marks {
		markOf[m.AdvisoryKey] = m
	}
	var out []AlertItem
	at := map[string]int{}
	for _, pm := range matches {
		a := pm.Advisory
		if !a.Open() || a.CVSSScore < sub.MinCVSS || (want != nil && !want(a)) {
			continue
		}
		if m, ok := markOf[a.Key()]; ok && m.Silences(a.Version) {
			continue
		}
		p := AlertProduct{Name: productName(pm.Product), Reason: pm.Reason}
		if i, ok := at[a.Key()]; ok {
			out[i].Products = append(out[i].Products, p)
			continue
		}
		at[a.Key()] = len(out)
		it := AlertItem{AdvisoryKey: a.Key(), Version: a.Version, TrackingID: a.TrackingID,
			Publisher: firstNonEmpty(a.PublisherName, a.Publisher), Title: a.Title, Language: a.Language,
			CVSS: a.CVSSScore, CVSSVector: a.CVSSVector, CVEs: a.CVEs, Products: []AlertProduct{p},
			Remediations: a.Remediations, Urgent: Urgent(a)}
		if KnownExploit(a) {
			it.Exploit = a.ExploitStatus
		}
		if strings.HasPrefix(a.SourceURL, "https://") || strings.HasPrefix(a.SourceURL, "http://") {
			it.URL = a.SourceURL
		}
		out = append(out, it)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].CVSS != out[j].CVSS {
			return out[i].CVSS > out[j].CVSS
		}
		return out[i].AdvisoryKey < out[j].AdvisoryKey
	})
	return out
}

func productName(p MunicipalityProduct) string {
	s := strings.TrimSpace(strings.TrimSpace(p.Vendor) + " " + strings.TrimSpace(p.Name))
	if s == "" {
		s = firstNonEmpty(p.CPE, p.PURL)
	}
	if p.Version != "" {
		s += " " + p.Version
	}
	return s
}

// DigestHour is the local hour of the daily digest (Europe/Berlin).
const DigestHour = 7

// DigestSlot is the digest time due at now: the last 7:00 in loc at or
// before now. Daylight saving time moves it in UTC, not in loc.
func DigestSlot(now time.Time, loc *time.Location) time.Time {
	l := now.In(loc)
	slot := time.Date(l.Year(), l.Month(), l.Day(), DigestHour, 0, 0, 0, loc)
	if slot.After(now) {
		slot = time.Date(l.Year(), l.Month(), l.Day()-1, DigestHour, 0, 0, 0, loc)
	}
	return slot
}

// Alert kinds: the Reminder.Kind of a queued alert mail.
const (
	AlertImmediate = "ADVISORY_IMMEDIATE"
	AlertDigest    = "ADVISORY_DIGEST"
)

// AdvisoryAlertMail is a queued alert with what its mail needs.
type AdvisoryAlertMail struct {
	ID               string
	Kind             string // AlertImmediate or AlertDigest
	SubscriptionID   string
	AGS              AGS
	MunicipalityName string
	To               Email // the subscription's address now
	Items            []AlertItem
	CreatedAt        time.Time
}

// AdvisoryAlertService records and queues alert mails. Only the alert
// jobs call it. Its queue methods (ClaimDue … MarkFailed) behave as the
// ReminderService's, for the alert mails.
type AdvisoryAlertService interface {
	// Subscriptions lists every subscription. Codes: UNAVAILABLE.
	Subscriptions(ctx context.Context) ([]*AdvisoryAlertSubscription, error)
	// Marks lists a municipality's advisory marks. Codes: UNAVAILABLE.
	Marks(ctx context.Context, ags AGS) ([]AdvisoryMark, error)
	// QueueImmediate queues one mail per item not yet recorded for the
	// subscription (by advisory key and version) and records it, in one
	// transaction; it returns how many it queued. Safe to run at once on
	// several replicas: each item is queued once.
	QueueImmediate(ctx context.Context, sub *AdvisoryAlertSubscription, items []AlertItem, now time.Time) (int, error)
	// DigestsDone returns the subscriptions whose digest for slot is done.
	DigestsDone(ctx context.Context, slot time.Time) (map[string]bool, error)
	// QueueDigest does the subscription's digest for slot once: it
	// records the slot as done and, when items has any not yet recorded,
	// queues one mail with those and records them, in one transaction.
	// It returns how many items the mail has (0: no mail, or done before).
	QueueDigest(ctx context.Context, sub *AdvisoryAlertSubscription, slot time.Time, items []AlertItem, now time.Time) (int, error)
	// AlertMail returns a queued alert with the recipient's current
	// address. Codes: NOT_FOUND.
	AlertMail(ctx context.Context, id string) (*AdvisoryAlertMail, error)

	ClaimDue(ctx context.Context, owner string, now time.Time, p ReminderPolicy) ([]*DueReminder, error)
	RenewLeases(ctx context.Context, owner string, ids []string, until time.Time) ([]string, error)
	ReleaseLeases(ctx context.Context, owner string, ids []string) error
	MarkSent(ctx context.Context, id, owner string, now time.Time) error
	MarkFailed(ctx context.Context, id, owner string, now time.Time, retryAt *time.Time, reason string) error
}
