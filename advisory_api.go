package cyberlotse

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// What a municipality's information security officer does with the
// advisories that concern its products: marks each as handled or not
// affected, filters the list, subscribes to alerts; what an admin sees of
// all advisories; what a regional manager sees of a region (counts only).
// Pure Go; the store is AdvisoryDesk, implemented in graph/neo4j.

// AdvisoryMarkState is what the officer decided about an advisory.
type AdvisoryMarkState string

const (
	MarkHandled     AdvisoryMarkState = "HANDLED"      // the remedy is applied
	MarkNotAffected AdvisoryMarkState = "NOT_AFFECTED" // the municipality is not affected
)

// MaxMarkNote is the longest note of a mark, in characters.
const MaxMarkNote = 1000

// MunicipalityMark is the officer's decision about one advisory for one
// municipality: who decided when, and on which version of the advisory.
// A newer version of the advisory keeps the mark; Changed shows it.
type MunicipalityMark struct {
	AGS         AGS
	AdvisoryKey string
	State       AdvisoryMarkState
	Note        string
	By          string // the subject of the caller's token
	At          time.Time
	// Version is the advisory's version when it was marked.
	Version string
}

// Changed reports whether the advisory has changed since it was marked
// (its current version differs from the marked one).
func (m *MunicipalityMark) Changed(current string) bool {
	return m != nil && CompareVersions(current, m.Version) != 0
}

// NewAdvisoryMark validates a mark: a known state and a note of at most
// MaxMarkNote characters (trimmed). Codes: BAD_USER_INPUT.
func NewAdvisoryMark(ags AGS, key string, state AdvisoryMarkState, note, by string, at time.Time) (MunicipalityMark, error) {
	if state != MarkHandled && state != MarkNotAffected {
		return MunicipalityMark{}, Invalid("state", msgMarkState)
	}
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n > MaxMarkNote {
		e := Errorf(EINVALID, msgMarkNoteTooLong, n, MaxMarkNote)
		e.Details = map[string]any{"field": "note"}
		return MunicipalityMark{}, e
	}
	return MunicipalityMark{AGS: ags, AdvisoryKey: key, State: state, Note: note, By: by, At: at}, nil
}

// AdvisoryRef names an advisory by its key ("publisher#trackingId") or by
// publisher namespace and tracking ID.
type AdvisoryRef struct {
	Key, Publisher, TrackingID string
}

// Resolve returns the advisory's key. Codes: BAD_USER_INPUT (neither or
// both ways, or half of the second).
func (r AdvisoryRef) Resolve() (string, error) {
	key, pub, tid := strings.TrimSpace(r.Key), strings.TrimSpace(r.Publisher), strings.TrimSpace(r.TrackingID)
	switch {
	case key != "" && pub == "" && tid == "" && strings.Contains(key, "#"):
		return key, nil
	case key == "" && pub != "" && tid != "":
		return (&Advisory{Publisher: pub, TrackingID: tid}).Key(), nil
	}
	return "", Invalid("advisory", msgAdvisoryRef)
}

// AdvisoryHandling filters a municipality's advisories by their mark.
type AdvisoryHandling string

const (
	HandlingOpen        AdvisoryHandling = "OPEN" // not marked
	HandlingHandled     AdvisoryHandling = "HANDLED"
	HandlingNotAffected AdvisoryHandling = "NOT_AFFECTED"
	HandlingAll         AdvisoryHandling = "ALL"
)

// AdvisoryFilter selects advisories for admins. Empty fields select all.
type AdvisoryFilter struct {
	Severities []Severity
	// Product is a text found in an affected product's vendor, name, CPE
	// or PURL (case-insensitive).
	Product string
	// From and To bound the advisory's current release (updatedAt):
	// From ≤ updatedAt < To.
	From, To *time.Time
	// Withdrawn: true only withdrawn ones, false only current ones, nil both.
	Withdrawn *bool
}

// MaxProductFilter is the longest product text of AdvisoryFilter.
const MaxProductFilter = 200

// Validate checks the filter. Codes: BAD_USER_INPUT.
func (f *AdvisoryFilter) Validate() error {
	f.Product = strings.TrimSpace(f.Product)
	if utf8.RuneCountInString(f.Product) > MaxProductFilter {
		return Invalid("filter.product", fmt.Sprintf(msgProductText, MaxProductFilter))
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		return Invalid("filter.to", msgAdvisoryDateRange)
	}
	return nil
}

// AdvisoryCursor is the keyset position of an advisory in the admins'
// list (newest release first, then by key).
func AdvisoryCursor(a *Advisory) Cursor {
	return Cursor{Keys: []string{a.UpdatedAt.UTC().Format(time.RFC3339Nano), a.Key()}}
}

// MunicipalityAdvisoryFilter selects a municipality's advisories.
type MunicipalityAdvisoryFilter struct {
	Severities []Severity
	Handling   AdvisoryHandling // "" is OPEN
}

// MunicipalityAdvisory is a match of an open advisory with one of a
// municipality's products, with the officer's mark if any (the mark is
// per advisory: every product the advisory concerns shows it).
type MunicipalityAdvisory struct {
	ProductMatch
	Mark *MunicipalityMark
}

// Open reports whether nobody has marked the advisory for the municipality.
func (m MunicipalityAdvisory) Open() bool { return m.Mark == nil }

func (m MunicipalityAdvisory) handling() AdvisoryHandling {
	if m.Mark == nil {
		return HandlingOpen
	}
	return AdvisoryHandling(m.Mark.State)
}

// SeverityRank orders severities: NONE 0 … CRITICAL 4.
func SeverityRank(s Severity) int {
	switch s {
	case SeverityCritical:
		return 4
	case SeverityHigh:
		return 3
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 1
	}
	return 0
}

// ListMunicipalityAdvisories joins a municipality's matches with its
// marks (by advisory key), keeps those the filter selects and orders
// them: open ones first, then by severity, CVSS score, newest release,
// tracking ID and product.
func ListMunicipalityAdvisories(matches []ProductMatch, marks map[string]MunicipalityMark, f MunicipalityAdvisoryFilter) []MunicipalityAdvisory {
	handling := f.Handling
	if handling == "" {
		handling = HandlingOpen
	}
	out := []MunicipalityAdvisory{}
	for _, pm := range matches {
		ma := MunicipalityAdvisory{ProductMatch: pm}
		if mk, ok := marks[pm.Advisory.Key()]; ok {
			ma.Mark = &mk
		}
		if handling != HandlingAll && ma.handling() != handling {
			continue
		}
		if len(f.Severities) > 0 && !containsSeverity(f.Severities, pm.Advisory.Severity()) {
			continue
		}
		out = append(out, ma)
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Open() != y.Open() {
			return x.Open()
		}
		if rx, ry := SeverityRank(x.Advisory.Severity()), SeverityRank(y.Advisory.Severity()); rx != ry {
			return rx > ry
		}
		if x.Advisory.CVSSScore != y.Advisory.CVSSScore {
			return x.Advisory.CVSSScore > y.Advisory.CVSSScore
		}
		if !x.Advisory.UpdatedAt.Equal(y.Advisory.UpdatedAt) {
			return x.Advisory.UpdatedAt.After(y.Advisory.UpdatedAt)
		}
		if x.Advisory.Key() != y.Advisory.Key() {
			return x.Advisory.Key() < y.Advisory.Key()
		}
		return strings.ToLower(x.Product.Vendor+"\x00"+x.Product.Name+"\x00"+x.Product.Version) <
			strings.ToLower(y.Product.Vendor+"\x00"+y.Product.Name+"\x00"+y.Product.Version)
	})
	return out
}

func containsSeverity(xs []Severity, s Severity) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// RegionAdvisorySummary is what a regional manager sees of the advisories
// of the region's municipalities: counts, never a product list or a match.
type RegionAdvisorySummary struct {
	RegionID string
	// Municipalities is how many municipalities the region covers (with
	// those of its satellites); WithProducts how many of them keep a
	// product list.
	Municipalities, WithProducts int
	// OpenCritical and OpenHigh are how many municipalities have at least
	// one open (unmarked) advisory of that severity.
	OpenCritical, OpenHigh int
}

// SummarizeRegion counts, for a region's municipalities, those with a
// product list and those with open critical or high advisories.
func SummarizeRegion(regionID string, municipalities []AGS, withProducts map[AGS]bool, open map[AGS][]MunicipalityAdvisory) RegionAdvisorySummary {
	s := RegionAdvisorySummary{RegionID: regionID, Municipalities: len(municipalities)}
	for _, ags := range municipalities {
		if withProducts[ags] {
			s.WithProducts++
		}
		var critical, high bool
		for _, m := range open[ags] {
			if !m.Open() {
				continue
			}
			switch m.Advisory.Severity() {
			case SeverityCritical:
				critical = true
			case SeverityHigh:
				high = true
			}
		}
		if critical {
			s.OpenCritical++
		}
		if high {
			s.OpenHigh++
		}
	}
	return s
}

// AdvisoryAlertSettings is an officer's subscription to advisory alerts
// for a municipality, as the GraphQL API writes it (the alert sender reads
// the same node as AdvisoryAlertSubscription): advisories from MinCVSS on (0: all) are
// mailed to Email; with Immediate, those with CVSS ≥ 9.0 or a known
// exploit at once, the rest in the daily digest at 7:00 Berlin time.
type AdvisoryAlertSettings struct {
	ID        string
	AGS       AGS
	Email     Email
	MinCVSS   float64
	Immediate bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewAdvisoryAlertSettings validates a subscription: a plain e-mail
// address and a threshold between 0 and 10. Codes: BAD_USER_INPUT.
func NewAdvisoryAlertSettings(ags AGS, email string, minCVSS float64, immediate bool) (AdvisoryAlertSettings, error) {
	addr, err := ParseEmail(email)
	if err != nil {
		return AdvisoryAlertSettings{}, err
	}
	if math.IsNaN(minCVSS) || minCVSS < 0 || minCVSS > 10 {
		return AdvisoryAlertSettings{}, Invalid("minCvss", fmt.Sprintf(msgMinCVSS, minCVSS))
	}
	return AdvisoryAlertSettings{AGS: ags, Email: addr, MinCVSS: minCVSS, Immediate: immediate}, nil
}

// ProductSuggestion is a product seen in advisories, for the product list
// editor: vendor and name as the advisories spell them, and in how many.
type ProductSuggestion struct {
	Vendor, Name string
	Advisories   int
}

// Product suggestions: the shortest prefix and the page size.
const (
	MinSuggestPrefix      = 2
	DefaultProductSuggest = 10
	MaxProductSuggest     = 50
)

// MaxMunicipalityProducts bounds a municipality's product list.
const MaxMunicipalityProducts = 500

// ValidateProductSuggest checks the arguments of product suggestions and
// returns the page size. Codes: BAD_USER_INPUT.
func ValidateProductSuggest(prefix string, first *int) (string, int, error) {
	prefix = strings.TrimSpace(prefix)
	if utf8.RuneCountInString(prefix) < MinSuggestPrefix {
		return "", 0, Invalid("prefix", fmt.Sprintf(msgSuggestPrefix, MinSuggestPrefix))
	}
	if utf8.RuneCountInString(prefix) > MaxProductFilter {
		return "", 0, Invalid("prefix", fmt.Sprintf(msgProductText, MaxProductFilter))
	}
	n := DefaultProductSuggest
	if first != nil {
		if *first < 1 || *first > MaxProductSuggest {
			return "", 0, Invalid("first", fmt.Sprintf(msgSuggestFirst, MaxProductSuggest))
		}
		n = *first
	}
	return prefix, n, nil
}

// ValidateMunicipalityProducts checks a whole product list before it
// replaces the stored one. Codes: BAD_USER_INPUT.
func ValidateMunicipalityProducts(products []MunicipalityProduct) error {
	if len(products) > MaxMunicipalityProducts {
		return Invalid("products", fmt.Sprintf(msgProductsTooMany, len(products), MaxMunicipalityProducts))
	}
	for _, p := range products {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// AdvisoryDesk is the store behind the officers' and admins' work with
// advisories; AdvisoryService keeps the advisories and product lists.
type AdvisoryDesk interface {
	// FindAdvisories returns a page of advisories with their affected
	// products, newest release first, whether more follow, and the total
	// the filter selects. For admins. Codes: BAD_USER_INPUT (cursor).
	FindAdvisories(ctx context.Context, f AdvisoryFilter, page Page) ([]*Advisory, bool, int, error)

	// AffectedProducts returns the affected products of advisories by
	// key. For whoever may see the advisories.
	AffectedProducts(ctx context.Context, keys []string) (map[string][]AffectedProduct, error)

	// Marks returns the marks of municipalities, by AGS and advisory key.
	// For the municipalities' officers and admins, and (for counting) the
	// region summary.
	Marks(ctx context.Context, ags []AGS) (map[AGS]map[string]MunicipalityMark, error)

	// SetMark stores a mark (replacing the municipality's earlier mark of
	// the advisory) with the advisory's current version. For the
	// municipality's officer and admins. Codes: NOT_FOUND (advisory or
	// municipality).
	SetMark(ctx context.Context, m MunicipalityMark) (*MunicipalityMark, error)

	// ClearMark removes a mark; false if there was none. For the
	// municipality's officer and admins. Codes: NOT_FOUND (municipality).
	ClearMark(ctx context.Context, ags AGS, advisoryKey string) (bool, error)

	// ProductSuggestions returns products seen in advisories whose vendor
	// or product name starts with prefix (compared normalised, see
	// NormalizeVendor), the most frequent first. For officers and admins.
	ProductSuggestions(ctx context.Context, prefix string, first int) ([]ProductSuggestion, error)

	// AlertSubscriptions returns a municipality's alert subscriptions, by
	// e-mail address. For its officer and admins. Codes: NOT_FOUND.
	AlertSubscriptions(ctx context.Context, ags AGS) ([]AdvisoryAlertSettings, error)

	// SetAlertSubscription creates or changes the subscription of the
	// municipality and e-mail address. For its officer and admins.
	// Codes: NOT_FOUND (municipality).
	SetAlertSubscription(ctx context.Context, s AdvisoryAlertSettings, now time.Time) (*AdvisoryAlertSettings, error)

	// RemoveAlertSubscription deletes the subscription of the
	// municipality and e-mail address; false if there was none. For its
	// officer and admins. Codes: NOT_FOUND (municipality).
	RemoveAlertSubscription(ctx context.Context, ags AGS, email Email) (bool, error)

	// RegionMunicipalities returns the municipalities a region covers,
	// with those of its satellites, which model region it is a satellite
	// of (or ""), and which of the municipalities keep a product list.
	// Codes: NOT_FOUND.
	RegionMunicipalities(ctx context.Context, regionID string) (ags []AGS, satelliteOf string, withProducts map[AGS]bool, err error)
}

// OffsetCursor is the position after the n-th item of a list computed in
// Go (a municipality's advisories): it has no stored key to page on.
func OffsetCursor(n int) Cursor { return Cursor{Keys: []string{"offset", strconv.Itoa(n)}} }
