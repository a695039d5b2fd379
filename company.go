package cyberlotse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Imports load real data — companies, contacts, event feeds and the
// measure catalogue — from the files people have. Every imported object
// has a natural key, so that importing the same file again changes
// nothing, and a content hash, so that the store can count exactly what
// was created, changed or left as it was.

// ImportCounts says what an import did (or, in a dry run, would do).
type ImportCounts struct {
	Created, Updated, Unchanged int
}

// Add adds o to c.
func (c *ImportCounts) Add(o ImportCounts) {
	c.Created += o.Created
	c.Updated += o.Updated
	c.Unchanged += o.Unchanged
}

// Total is the number of rows written or found unchanged.
func (c ImportCounts) Total() int { return c.Created + c.Updated + c.Unchanged }

// String is the German summary: "3 angelegt, 1 geändert, 96 unverändert".
func (c ImportCounts) String() string {
	return fmt.Sprintf("%d angelegt, %d geändert, %d unverändert", c.Created, c.Updated, c.Unchanged)
}

// CompanyRecord is an imported company, validated and placed in its
// municipality.
type CompanyRecord struct {
	// Key is the natural key (CompanyKey); ID names a new node, an
	// existing node keeps its id.
	Key, ID        string
	Name           string
	RegisterNumber string // normalized, e.g. "HRB 12345"
	RegisterCourt  string // e.g. "Wuppertal"; empty when the file does not say
	Sector         string // WZ 2008 code, e.g. "62.01"
	Employees      *int
	Postcode       Postcode
	AGS            AGS
	Provenance
}

// SizeClass is the EU size class by head count, nil when unknown.
func (c *CompanyRecord) SizeClass() *SizeClass {
	if c.Employees == nil {
		return nil
	}
	s := SizeClassOf(*c.Employees)
	return &s
}

// CompanyKey is the natural key of an imported company:
//
//	"reg:<court>|<register number>"  with a register number, e.g. "reg:wuppertal|HRB12345"
//	                                 (court empty when unknown: "reg:|HRB12345")
//	"name:<normalized name>|<postcode>" otherwise, e.g. "name:mueller werkzeugbau gmbh|42853"
//
// Companies recorded from event registrations use "lower(name)|ags"; the
// prefixes keep the schemes apart under the one unique constraint on key.
func CompanyKey(registerNumber, court, name string, pc Postcode) string {
	if registerNumber != "" {
		return "reg:" + FoldName(court) + "|" + strings.ReplaceAll(registerNumber, " ", "")
	}
	return "name:" + FoldName(name) + "|" + string(pc)
}

// FoldName lowers a name, spells out umlauts and ß, and reduces
// everything but letters and digits to single spaces, so that
// "Müller  Werkzeugbau GmbH & Co. KG" and "Mueller Werkzeugbau GmbH & Co KG"
// fold to the same text.
func FoldName(s string) string {
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e").Replace(strings.ToLower(s))
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
		} else {
			space = true
		}
	}
	return b.String()
}

var (
	registerPattern = regexp.MustCompile(`(?i)\b(HRA|HRB|GnR|PR|VR|GsR)\s*[-.:]?\s*(\d{1,6})\s*([A-Z]{0,2})\b`)
	courtPattern    = regexp.MustCompile(`(?i)\b(?:amtsgericht|ag|registergericht)\s+([\p{L}][\p{L} .()-]*?)\s*(?:[,;)]|$|\b(?:HRA|HRB|GnR|PR|VR|GsR)\b)`)
)

// ParseRegisterNumber reads a German register entry such as "HRB 12345",
// "Amtsgericht Wuppertal HRB 12345" or "HRB12345 (AG Köln)": the register
// type and number ("HRB 12345") and the court, if named.
func ParseRegisterNumber(s string) (number, court string, err error) {
	m := registerPattern.FindStringSubmatch(s)
	if m == nil {
		return "", "", Invalid("Handelsregister", "erwartet z. B. „HRB 12345“ oder „Amtsgericht Wuppertal HRB 12345“.")
	}
	typ := strings.ToUpper(m[1])
	switch typ {
	case "GNR":
		typ = "GnR"
	case "GSR":
		typ = "GsR"
	}
	number = typ + " " + m[2]
	if m[3] != "" {
		number += " " + strings.ToUpper(m[3])
	}
	if c := courtPattern.FindStringSubmatch(s); c != nil {
		court = strings.TrimSpace(c[1])
	}
	return number, court, nil
}

var wzPattern = regexp.MustCompile(`^(?:[A-U]\s*)?(\d{2})(?:\.?(\d)(?:(\d)(?:\.?(\d))?)?)?$`)

// ParseWZ normalizes a WZ 2008 code: "6201", "62.01", "J 62.01.0" → "62.01",
// "62.01.0"; a two-digit division ("62") stays as it is.
func ParseWZ(s string) (string, error) {
	m := wzPattern.FindStringSubmatch(strings.TrimSpace(strings.ToUpper(s)))
	if m == nil {
		return "", Invalid("WZ", "erwartet einen Code der Klassifikation der Wirtschaftszweige 2008, z. B. 62.01.")
	}
	code := m[1]
	if m[2] != "" {
		code += "." + m[2] + m[3]
	}
	if m[4] != "" {
		code += "." + m[4]
	}
	return code, nil
}

// StableID makes a readable, stable id from a prefix, a name and a key:
// "mueller-werkzeugbau-gmbh-3f2a9c1e". The same key always gives the same id.
func StableID(name, key string) string {
	sum := sha256.Sum256([]byte(key))
	slug := strings.ReplaceAll(FoldName(name), " ", "-")
	if len(slug) > 48 {
		slug = strings.TrimRight(slug[:48], "-")
	}
	return slug + "-" + hex.EncodeToString(sum[:4])
}

// ContactRecord is an imported functional contact of an organization.
type ContactRecord struct {
	// Key is "mail:<lower-case e-mail>" or, without e-mail,
	// "name:<folded name>|<organization id>" (ContactKey).
	Key, ID        string
	Name           string
	Role           string
	Email          string
	Phone          string
	Availability   string
	OrganizationID string
	// AGS is the municipality the contact is responsible for, if any.
	AGS       AGS
	Audiences []Audience
	TopicIDs  []string
	Provenance
}

// ContactKey is the natural key of an imported contact.
func ContactKey(email, name, organizationID string) string {
	if email != "" {
		return "mail:" + strings.ToLower(strings.TrimSpace(email))
	}
	return "name:" + FoldName(name) + "|" + organizationID
}

// FeedEvent is one event of an iCalendar feed: a single event or one
// instance of a recurring series.
type FeedEvent struct {
	// Key is the UID, or for an instance of a series the UID and the
	// instance's start ("uid|20970105T170000Z", all-day "uid|20970105").
	Key string
	UID string
	// Sequence is the feed's SEQUENCE: a lower one than stored is stale.
	Sequence int
	// Event holds the content; its ID is a proposal (EventSlug) that the
	// store makes unique for new events. Existing events keep their id.
	Event *Event
}

// FeedSeen is what one complete read of a feed contained, so that events
// missing from it can be told apart from events outside its window.
type FeedSeen struct {
	Keys []string // every key imported or found unchanged
	UIDs []string // every UID of the feed
	// Kept lists UIDs whose events must stay as they are although some of
	// their occurrences are missing: the feed has them, but they were
	// rejected in this read (e.g. an unsupported RRULE).
	Kept []string
	// HorizonEnd: instances of a series still in the feed are expected
	// only before it.
	HorizonEnd time.Time
}

// ImportResult is what one batch did.
type ImportResult struct {
	ImportCounts
	// Stale lists keys whose stored SEQUENCE is higher than the feed's
	// (events only); they were left as they are and count as unchanged.
	Stale []string
	// IDs maps the key of each created or updated object to its id.
	IDs map[string]string
}

// ImportService writes imported records. Only the import command and the
// scheduled feed import call it. Each call is one transaction: all of the
// batch or nothing. dryRun runs the same statements and rolls them back.
type ImportService interface {
	// ImportCompanies upserts companies by key with their LOCATED_IN
	// municipality.
	ImportCompanies(ctx context.Context, batch []*CompanyRecord, dryRun bool) (*ImportResult, error)
	// ImportContacts upserts contacts by key with WORKS_FOR, the optional
	// RESPONSIBLE_FOR municipality and EXPERT_IN topics, and refreshes
	// their search documents.
	ImportContacts(ctx context.Context, batch []*ContactRecord, dryRun bool) (*ImportResult, error)
	// ImportMeasures upserts measures by code with their topics.
	ImportMeasures(ctx context.Context, batch []*Measure, dryRun bool) (*ImportResult, error)
	// ImportFeedEvents upserts the events of feed by key. Registered people
	// of an event whose time or place changed get an update notice.
	ImportFeedEvents(ctx context.Context, feed string, batch []*FeedEvent, now time.Time, dryRun bool) (*ImportResult, error)
	// CancelMissingFeedEvents cancels the events of feed that start at or
	// after now and are no longer in it (never deletes them): their key is
	// not in seen.Keys and either their UID is gone or they start before
	// seen.HorizonEnd. People registered get the cancellation notice. It
	// returns the ids of the cancelled events.
	CancelMissingFeedEvents(ctx context.Context, feed string, seen FeedSeen, now time.Time, dryRun bool) ([]string, error)
}
