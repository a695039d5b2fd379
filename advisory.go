package cyberlotse

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Advisories for municipalities (KWID): security advisories published as
// CSAF 2.0 documents, the products they affect, the products a
// municipality declares, and the rule that matches the two. Pure Go: the
// CSAF parsing lives in importers/csaf, the storage in graph/neo4j.

// Advisory is one version of a CSAF security advisory.
type Advisory struct {
	// Publisher is the publisher's namespace (a URL); together with
	// TrackingID it names the advisory (tracking IDs are unique per
	// publisher only).
	Publisher     string
	PublisherName string
	TrackingID    string
	// Version is the document's tracking version ("1", "2" or "1.0.0");
	// CompareVersions orders them.
	Version  string
	Title    string
	Language string // BCP 47, e.g. "de-DE"; empty if the document names none
	// Status is the tracking status: final, interim or draft.
	Status string
	// Withdrawn advisories stay stored, marked; they produce no open matches.
	Withdrawn bool
	// CVSSScore is the highest CVSS v3 base score of the advisory's
	// vulnerabilities (0 without any), CVSSVector its vector.
	CVSSScore    float64
	CVSSVector   string
	PublishedAt  time.Time
	UpdatedAt    time.Time
	CVEs         []string
	Remediations []Remediation
	// ExploitStatus is what the advisory says about exploits (the details
	// of its threats of category exploit_status, joined); empty: nothing.
	ExploitStatus string
	// SourceURL is where the document came from (a URL or a file path).
	SourceURL string
	// SHA256 is the hash of the document's bytes as received.
	SHA256   string
	Products []AffectedProduct
}

// Key names the advisory across versions: publisher namespace and
// tracking ID.
func (a *Advisory) Key() string { return a.Publisher + "#" + a.TrackingID }

// Severity is the CVSS v3 qualitative rating of the highest base score.
func (a *Advisory) Severity() Severity { return SeverityOf(a.CVSSScore) }

// Open reports whether the advisory still warns (it is not withdrawn).
func (a *Advisory) Open() bool { return !a.Withdrawn }

// NewerThan reports whether a replaces a stored version b of the same
// advisory: a higher tracking version, or the same version released later.
func (a *Advisory) NewerThan(version string, updatedAt time.Time) bool {
	switch c := CompareVersions(a.Version, version); {
	case c > 0:
		return true
	case c < 0:
		return false
	}
	return a.UpdatedAt.After(updatedAt)
}

// Remediation is one remedy an advisory names.
type Remediation struct {
	Category string // vendor_fix, workaround, mitigation, no_fix_planned, none_available
	Details  string
	URL      string
}

// Severity is a CVSS v3 qualitative severity rating.
type Severity string

const (
	SeverityNone     Severity = "NONE"
	SeverityLow      Severity = "LOW"
	SeverityMedium   Severity = "MEDIUM"
	SeverityHigh     Severity = "HIGH"
	SeverityCritical Severity = "CRITICAL"
)

// SeverityOf maps a CVSS v3 base score to its rating (CVSS v3.1
// specification, section 5).
func SeverityOf(score float64) Severity {
	switch {
	case score >= 9.0:
		return SeverityCritical
	case score >= 7.0:
		return SeverityHigh
	case score >= 4.0:
		return SeverityMedium
	case score > 0:
		return SeverityLow
	}
	return SeverityNone
}

// AffectedProduct is a product an advisory names as affected (known
// affected, first or last affected), from the CSAF product tree.
type AffectedProduct struct {
	ProductID string // the CSAF product_id, unique within its document
	Vendor    string
	Name      string
	CPE       string
	PURL      string
	// Version is one affected version; Range a range of them ("<2.4.3",
	// "vers:generic/>=2.0|<2.4.3"). Both empty: every version.
	Version string
	Range   string
}

// MunicipalityProduct is a product a municipality declares that it uses.
type MunicipalityProduct struct {
	ID      string
	Vendor  string
	Name    string
	Version string
	CPE     string
	PURL    string
}

// ProductMatch is an open advisory that concerns a municipality's product,
// with the reason in German.
type ProductMatch struct {
	Advisory *Advisory
	Product  MunicipalityProduct
	Affected AffectedProduct
	Reason   string
}

// MatchAdvisory returns the matches of one advisory with a municipality's
// products: at most one per declared product (the first affected product
// that matches). Withdrawn advisories match nothing.
func MatchAdvisory(a *Advisory, products []MunicipalityProduct) []ProductMatch {
	if !a.Open() {
		return nil
	}
	var out []ProductMatch
	for _, mp := range products {
		for _, ap := range a.Products {
			if reason, ok := MatchProduct(mp, ap); ok {
				out = append(out, ProductMatch{Advisory: a, Product: mp, Affected: ap, Reason: reason})
				break
			}
		}
	}
	return out
}

// MatchProduct decides whether a declared product is an affected one and
// says why. CPE decides where both sides have one, then PURL, otherwise
// the normalised vendor and product names; the version must fall into the
// affected version or range where both are known.
func MatchProduct(mp MunicipalityProduct, ap AffectedProduct) (string, bool) {
	return matchProduct(nil, mp, ap)
}

// ProductMatcher decides as MatchProduct does, for a caller that matches
// many products against many (an import's batch): it remembers the parsed
// CPEs and the normalised names it computed. The zero value is ready; it
// is not safe for concurrent use.
type ProductMatcher struct {
	cpes     map[string]CPE
	vendors  map[string]string
	products map[[2]string]string
}

// Match is MatchProduct.
func (pm *ProductMatcher) Match(mp MunicipalityProduct, ap AffectedProduct) (string, bool) {
	return matchProduct(pm, mp, ap)
}

func (pm *ProductMatcher) cpe(s string) CPE {
	if pm == nil {
		return ParseCPE(s)
	}
	return remember(&pm.cpes, s, ParseCPE)
}

func (pm *ProductMatcher) vendor(s string) string {
	if pm == nil {
		return NormalizeVendor(s)
	}
	return remember(&pm.vendors, s, NormalizeVendor)
}

func (pm *ProductMatcher) product(name, vendor string) string {
	if pm == nil {
		return NormalizeProduct(name, vendor)
	}
	return remember(&pm.products, [2]string{name, vendor}, func(k [2]string) string { return NormalizeProduct(k[0], k[1]) })
}

// remember returns compute(k), computed once per key of *m (made on first use).
func remember[K comparable, V any](m *map[K]V, k K, compute func(K) V) V {
	if v, ok := (*m)[k]; ok {
		return v
	}
	if *m == nil {
		*m = map[K]V{}
	}
	v := compute(k)
	(*m)[k] = v
	return v
}

func matchProduct(pm *ProductMatcher, mp MunicipalityProduct, ap AffectedProduct) (string, bool) {
	var what, version string
	switch {
	case mp.CPE != "" && ap.CPE != "":
		m, a := pm.cpe(mp.CPE), pm.cpe(ap.CPE)
		if m.Part != a.Part || m.Vendor != a.Vendor || m.Product != a.Product {
			return "", false
		}
		what = TextMatchCPE(ap.CPE)
		version = firstNonEmpty(mp.Version, specific(m.Version))
		if ap.Version == "" && ap.Range == "" && specific(a.Version) != "" {
			ap.Version = a.Version
		}
	case mp.PURL != "" && ap.PURL != "":
		m, a := ParsePURL(mp.PURL), ParsePURL(ap.PURL)
		if m.Base() != a.Base() {
			return "", false
		}
		what = TextMatchPURL(a.Base())
		version = firstNonEmpty(mp.Version, m.Version)
		if ap.Version == "" && ap.Range == "" {
			ap.Version = a.Version
		}
	default:
		vendor, name := ap.Vendor, ap.Name
		if vendor == "" || name == "" { // names from the identifiers
			if ap.CPE != "" {
				c := pm.cpe(ap.CPE)
				vendor, name = firstNonEmpty(vendor, c.Vendor), firstNonEmpty(name, c.Product)
			} else if ap.PURL != "" {
				p := ParsePURL(ap.PURL)
				vendor, name = firstNonEmpty(vendor, p.Namespace), firstNonEmpty(name, p.Name)
			}
		}
		if mv := pm.vendor(mp.Vendor); mv == "" || mv != pm.vendor(vendor) ||
			pm.product(mp.Name, mp.Vendor) != pm.product(name, vendor) {
			return "", false
		}
		what = TextMatchNames
		version = mp.Version
	}
	switch {
	case ap.Range != "":
		if version == "" {
			return TextMatchVersionUnknown(what, ap.Range), true
		}
		in, ok := InVersionRange(version, ap.Range)
		if !ok {
			return TextMatchVersionUnknown(what, ap.Range), true
		}
		if !in {
			return "", false
		}
		return TextMatchInRange(what, version, ap.Range), true
	case ap.Version != "":
		if version == "" {
			return TextMatchVersionUnknown(what, ap.Version), true
		}
		if CompareVersions(version, ap.Version) != 0 {
			return "", false
		}
		return TextMatchVersion(what, version), true
	}
	return TextMatchAllVersions(what), true
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// specific returns a CPE version unless it is a wildcard.
func specific(v string) string {
	if v == "*" || v == "-" {
		return ""
	}
	return v
}

// CPE is the part of a CPE 2.3 (or 2.2 URI) name that matching uses.
type CPE struct{ Part, Vendor, Product, Version string }

// ParseCPE reads "cpe:2.3:a:vendor:product:version:…" or
// "cpe:/a:vendor:product:version"; components are lower-cased.
func ParseCPE(s string) CPE {
	s = strings.ToLower(strings.TrimSpace(s))
	var f []string
	switch {
	case strings.HasPrefix(s, "cpe:2.3:"):
		f = splitCPE(strings.TrimPrefix(s, "cpe:2.3:"))
	case strings.HasPrefix(s, "cpe:/"):
		f = strings.Split(strings.TrimPrefix(s, "cpe:/"), ":")
	default:
		return CPE{}
	}
	for len(f) < 4 {
		f = append(f, "*")
	}
	return CPE{Part: f[0], Vendor: f[1], Product: f[2], Version: f[3]}
}

// splitCPE splits at colons that are not escaped with a backslash.
func splitCPE(s string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteByte(s[i+1])
			i++
		case s[i] == ':':
			out = append(out, b.String())
			b.Reset()
		default:
			b.WriteByte(s[i])
		}
	}
	return append(out, b.String())
}

// PURL is the part of a package URL that matching uses.
type PURL struct{ Type, Namespace, Name, Version string }

// ParsePURL reads "pkg:type/namespace/name@version?qualifiers#subpath".
func ParsePURL(s string) PURL {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(strings.ToLower(s), "pkg:") {
		return PURL{}
	}
	s = s[4:]
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	var p PURL
	if i := strings.LastIndex(s, "@"); i >= 0 {
		p.Version, s = s[i+1:], s[:i]
	}
	parts := strings.Split(strings.Trim(s, "/"), "/")
	p.Type = strings.ToLower(parts[0])
	if len(parts) > 1 {
		p.Name = parts[len(parts)-1]
		p.Namespace = strings.Join(parts[1:len(parts)-1], "/")
	}
	return p
}

// Base is the package without its version: "pkg:type/namespace/name".
func (p PURL) Base() string {
	if p.Type == "" {
		return ""
	}
	s := "pkg:" + p.Type + "/"
	if p.Namespace != "" {
		s += p.Namespace + "/"
	}
	return s + p.Name
}

var legalForms = map[string]bool{"inc": true, "incorporated": true, "corp": true, "corporation": true,
	"co": true, "company": true, "ltd": true, "limited": true, "llc": true, "gmbh": true, "ag": true,
	"se": true, "kg": true, "ohg": true, "mbh": true, "plc": true, "sa": true, "bv": true, "nv": true,
	"ab": true, "oy": true, "srl": true, "spa": true, "the": true, "und": true, "and": true,
	// generic words after the name: "Apache Software Foundation" is Apache
	"software": true, "foundation": true, "systems": true, "technologies": true, "technology": true,
	"group": true, "international": true, "holding": true, "holdings": true}

// NormalizeVendor reduces a vendor name to what identifies it:
// lower case, letters and digits only, legal forms and generic words
// after the first word dropped ("Microsoft Corporation" and "microsoft"
// are the same, so are "Apache Software Foundation" and "Apache").
func NormalizeVendor(s string) string {
	words := nameWords(s)
	var kept []string
	for i, w := range words {
		if i > 0 && legalForms[w] {
			continue
		}
		kept = append(kept, w)
	}
	return strings.Join(kept, "")
}

// NormalizeProduct reduces a product name to what identifies it: lower
// case, letters and digits only, the vendor's name in front dropped
// ("Microsoft Exchange Server" of Microsoft is "exchangeserver").
func NormalizeProduct(name, vendor string) string {
	words := nameWords(name)
	if v := nameWords(vendor); len(v) > 0 && len(words) > 1 && words[0] == v[0] {
		words = words[1:]
	}
	return strings.Join(words, "")
}

func nameWords(s string) []string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			})
		}
	}
	// ASCII (most names; matching calls this often): the letters and
	// digits are a-z and 0-9 after lower-casing.
	s = strings.ToLower(s)
	words := make([]string, 0, 4)
	start := -1
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			if start < 0 {
				start = i
			}
		} else if start >= 0 {
			words, start = append(words, s[start:i]), -1
		}
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

// MatchKeys are the keys under which a product is found as a candidate for
// matching (stored with the products, indexed): "name:" plus the
// normalised vendor and product, and "cpe:…" or "purl:…" for the
// identifier without version. MatchProduct decides on the candidates.
func (ap AffectedProduct) MatchKeys() []string {
	vendor, name := ap.Vendor, ap.Name
	var keys []string
	if ap.CPE != "" {
		c := ParseCPE(ap.CPE)
		keys = append(keys, "cpe:"+c.Part+":"+c.Vendor+":"+c.Product)
		vendor, name = firstNonEmpty(vendor, c.Vendor), firstNonEmpty(name, c.Product)
	}
	if ap.PURL != "" {
		p := ParsePURL(ap.PURL)
		keys = append(keys, "purl:"+p.Base())
		vendor, name = firstNonEmpty(vendor, p.Namespace), firstNonEmpty(name, p.Name)
	}
	return append(keys, "name:"+NormalizeVendor(vendor)+"/"+NormalizeProduct(name, vendor))
}

// MatchKeys are the declared product's candidate keys (see
// AffectedProduct.MatchKeys).
func (mp MunicipalityProduct) MatchKeys() []string {
	var keys []string
	if mp.CPE != "" {
		c := ParseCPE(mp.CPE)
		keys = append(keys, "cpe:"+c.Part+":"+c.Vendor+":"+c.Product)
	}
	if mp.PURL != "" {
		keys = append(keys, "purl:"+ParsePURL(mp.PURL).Base())
	}
	return append(keys, "name:"+NormalizeVendor(mp.Vendor)+"/"+NormalizeProduct(mp.Name, mp.Vendor))
}

// Validate checks a declared product: vendor and product name, or a CPE
// or PURL, are required.
func (mp MunicipalityProduct) Validate() error {
	if mp.CPE != "" && ParseCPE(mp.CPE).Product == "" {
		return Errorf(EINVALID, TextBadCPE, mp.CPE)
	}
	if mp.PURL != "" && ParsePURL(mp.PURL).Name == "" {
		return Errorf(EINVALID, TextBadPURL, mp.PURL)
	}
	if mp.CPE == "" && mp.PURL == "" && (strings.TrimSpace(mp.Vendor) == "" || strings.TrimSpace(mp.Name) == "") {
		return Errorf(EINVALID, TextProductNeedsName)
	}
	return nil
}

// CompareVersions orders version strings segment by segment (split at
// ".", "-", "_", "+" and between digits and letters): numbers numerically,
// other text lexically, a missing segment before a present one, except
// that a pre-release text ("1.0.0-beta") comes before the release. It
// returns -1, 0 or +1.
func CompareVersions(a, b string) int {
	as, bs := versionSegments(a), versionSegments(b)
	for i := 0; i < len(as) || i < len(bs); i++ {
		switch {
		case i >= len(as):
			if isNumber(bs[i]) {
				return -1
			}
			return 1 // 1.0 > 1.0-beta
		case i >= len(bs):
			if isNumber(as[i]) {
				return 1
			}
			return -1
		}
		x, y := as[i], bs[i]
		xn, xerr := strconv.ParseUint(x, 10, 64)
		yn, yerr := strconv.ParseUint(y, 10, 64)
		switch {
		case xerr == nil && yerr == nil:
			if xn != yn {
				if xn < yn {
					return -1
				}
				return 1
			}
		case xerr == nil: // number after text: 1.0.1 > 1.0.beta
			return 1
		case yerr == nil:
			return -1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	return 0
}

func isNumber(s string) bool {
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

func versionSegments(v string) []string {
	v = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(v), "v"))
	out := make([]string, 0, 4)
	start := -1 // of the current segment
	prevDigit := false
	for i, r := range v {
		switch {
		case r == '.' || r == '-' || r == '_' || r == '+' || r == ' ':
			if start >= 0 {
				out, start = append(out, v[start:i]), -1
			}
			continue
		case i > 0 && unicode.IsDigit(r) != prevDigit && start >= 0:
			out, start = append(out, v[start:i]), -1
		}
		if start < 0 {
			start = i
		}
		prevDigit = unicode.IsDigit(r)
	}
	if start >= 0 {
		out = append(out, v[start:])
	}
	return out
}

// InVersionRange reports whether version lies in a range. It reads the
// vers syntax ("vers:generic/>=2.0|<2.4.3", "vers:npm/1.2.3"), and
// free-form constraints joined by "|", "," or spaces ("<2.4.3",
// ">= 2.0, < 2.4.3", "2.0 - 2.4.2"). The second result is false if the
// range cannot be read; callers then treat the version as unknown.
func InVersionRange(version, rng string) (in, ok bool) {
	r := strings.TrimSpace(rng)
	if strings.HasPrefix(strings.ToLower(r), "vers:") {
		if i := strings.Index(r, "/"); i >= 0 {
			r = r[i+1:]
		} else {
			return false, false
		}
	}
	if r == "*" || r == "" {
		return true, true
	}
	if a, b, found := strings.Cut(r, " - "); found { // "2.0 - 2.4.2"
		return CompareVersions(version, strings.TrimSpace(a)) >= 0 && CompareVersions(version, strings.TrimSpace(b)) <= 0, true
	}
	// vers: constraints are sorted; "|" joins them; a lower bound pairs
	// with the next upper bound. Free text: all constraints must hold.
	sep := "|"
	if !strings.Contains(r, "|") {
		sep = ","
	}
	var cons []string
	for _, c := range strings.Split(r, sep) {
		if c = strings.TrimSpace(c); c != "" {
			cons = append(cons, c)
		}
	}
	if len(cons) == 0 {
		return false, false
	}
	type bound struct {
		op, v string
	}
	var bs []bound
	for _, c := range cons {
		op := ""
		for _, o := range []string{">=", "<=", "!=", ">", "<", "="} {
			if strings.HasPrefix(c, o) {
				op, c = o, strings.TrimSpace(c[len(o):])
				break
			}
		}
		if c == "" || strings.ContainsAny(c, "<>= ") {
			return false, false
		}
		bs = append(bs, bound{op, c})
	}
	holds := func(b bound) bool {
		c := CompareVersions(version, b.v)
		switch b.op {
		case ">=":
			return c >= 0
		case ">":
			return c > 0
		case "<=":
			return c <= 0
		case "<":
			return c < 0
		case "!=":
			return c != 0
		}
		return c == 0
	}
	if sep == "," {
		for _, b := range bs {
			if !holds(b) {
				return false, true
			}
		}
		return true, true
	}
	// vers: walk the sorted constraints: equalities match alone, "!="
	// excludes, a lower bound opens an interval the next upper bound
	// closes, an upper bound alone closes everything below it.
	for _, b := range bs {
		if b.op == "!=" && !holds(b) {
			return false, true
		}
	}
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		switch b.op {
		case "", "=":
			if holds(b) {
				return true, true
			}
		case ">=", ">":
			if !holds(b) {
				continue
			}
			if i+1 < len(bs) && (bs[i+1].op == "<" || bs[i+1].op == "<=") {
				if holds(bs[i+1]) {
					return true, true
				}
				i++
				continue
			}
			return true, true
		case "<", "<=":
			if holds(b) && (i == 0 || bs[i-1].op == "" || bs[i-1].op == "=" || bs[i-1].op == "!=") {
				return true, true
			}
		}
	}
	return false, true
}

// AdvisoryOutcome says what storing one advisory did.
type AdvisoryOutcome string

const (
	AdvisoryNew       AdvisoryOutcome = "NEW"       // first version stored
	AdvisoryUpdated   AdvisoryOutcome = "UPDATED"   // a newer version replaced the stored one
	AdvisoryUnchanged AdvisoryOutcome = "UNCHANGED" // the same document is stored already
	AdvisoryOlder     AdvisoryOutcome = "OLDER"     // an older version; the stored newer one stays
)

// AdvisoryStored is what storing one advisory of a batch did: the outcome
// and the version stored before (empty for a new advisory).
type AdvisoryStored struct {
	Outcome       AdvisoryOutcome
	StoredVersion string
}

// AdvisoryService keeps advisories and the products municipalities
// declare, and their matches: MatchProduct on the candidates that share a
// match key, decided when an advisory is stored and when a product list
// changes, so that reading a municipality's matches decides nothing.
type AdvisoryService interface {
	// StoreAdvisory stores one validated advisory in one transaction,
	// keyed by publisher and tracking ID: new, or replacing an older
	// version with its affected products; an older version than the
	// stored one changes nothing (AdvisoryOlder, with the stored version).
	// Withdrawn advisories are stored marked. For importers (data
	// stewards). Codes: INTERNAL, UNAVAILABLE.
	StoreAdvisory(ctx context.Context, a *Advisory, now time.Time) (AdvisoryOutcome, string, error)

	// StoreAdvisories stores a batch of validated advisories as
	// StoreAdvisory does each, in one transaction (two versions of one
	// advisory in the batch: one after the other), and their matches.
	// The results are in the order of the batch. On an error nothing of
	// the batch is stored, except (when it names an advisory twice) the
	// rounds before, each advisory whole. For importers. Codes: INTERNAL, UNAVAILABLE.
	StoreAdvisories(ctx context.Context, as []*Advisory, now time.Time) ([]AdvisoryStored, error)

	// FindAdvisory returns the stored version of an advisory with its
	// affected products. Codes: NOT_FOUND.
	FindAdvisory(ctx context.Context, publisher, trackingID string) (*Advisory, error)

	// SetMunicipalityProducts replaces a municipality's product list.
	// For the municipality's information security officer and admins.
	// Codes: BAD_USER_INPUT (a product without name or identifier),
	// NOT_FOUND (no such municipality).
	SetMunicipalityProducts(ctx context.Context, ags AGS, products []MunicipalityProduct) error

	// MunicipalityProducts returns a municipality's product list, by
	// vendor and name. Codes: NOT_FOUND.
	MunicipalityProducts(ctx context.Context, ags AGS) ([]MunicipalityProduct, error)

	// ProviderSince returns from when on a CSAF provider's documents are
	// to be fetched (the zero time: all; never fetched). For the import job.
	ProviderSince(ctx context.Context, url string) (time.Time, error)

	// SetProviderSince records it after a successful fetch. For the import
	// job. Codes: INTERNAL, UNAVAILABLE.
	SetProviderSince(ctx context.Context, url string, since, fetchedAt time.Time) error

	// MunicipalityMatches returns the open advisories that concern a
	// municipality's products, one match per product and advisory, the
	// most severe and newest first. Codes: NOT_FOUND.
	MunicipalityMatches(ctx context.Context, ags AGS) ([]ProductMatch, error)
}
