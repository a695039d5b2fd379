// Package csaf reads CSAF 2.0 security advisories (OASIS) into the domain's
// Advisory: JSON-schema validation, the library's own checks, hash checks
// and the product tree, all through github.com/gocsaf/csaf/v3.
//
// A Document is what a source hands over: the bytes of one advisory and
// the hashes published beside it. ReadDir is the source for a directory;
// a provider source (provider-metadata.json, ROLIE feeds, changes.csv)
// yields the same Documents.
package csaf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
	"github.com/gocsaf/csaf/v3/util"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Document is one advisory as received, before validation.
type Document struct {
	// Source names where it came from: a URL or a file path.
	Source string
	Data   []byte
	// Sums maps "sha256" and "sha512" to the published hex digests
	// (absent: none published).
	Sums map[string]string
	// SumErrors holds why a published hash file could not be read; such a
	// document is rejected.
	SumErrors []string
	// Signature is the ASCII-armored detached OpenPGP signature
	// (NAME.json.asc), if published; Keys.Check verifies it.
	Signature []byte
}

// Rejection says why a document was refused (German, for the report).
type Rejection struct {
	Source string
	Reason string
}

func (r *Rejection) Error() string { return r.Source + ": " + r.Reason }

func reject(src, format string, args ...any) *Rejection {
	return &Rejection{Source: src, Reason: fmt.Sprintf(format, args...)}
}

// Parse validates one document and converts it. A document that fails
// the JSON schema, the library's checks or a published hash is refused
// with a *Rejection; nothing of it is kept.
func Parse(d Document) (*cyberlotse.Advisory, error) {
	if len(d.SumErrors) > 0 {
		return nil, reject(d.Source, "%s", strings.Join(d.SumErrors, "; "))
	}
	sum := sha256.Sum256(d.Data)
	sum256 := hex.EncodeToString(sum[:])
	for _, alg := range []string{"sha256", "sha512"} {
		want, ok := d.Sums[alg]
		if !ok {
			continue
		}
		var got string
		if alg == "sha256" {
			got = sum256
		} else {
			s := sha512.Sum512(d.Data)
			got = hex.EncodeToString(s[:])
		}
		if !strings.EqualFold(want, got) {
			return nil, reject(d.Source, cyberlotse.TextAdvisoryHash, strings.ToUpper(alg[:3])+"-"+alg[3:], short(want), short(got))
		}
	}
	var raw any
	if err := json.Unmarshal(d.Data, &raw); err != nil {
		return nil, reject(d.Source, cyberlotse.TextAdvisoryNotJSON, err)
	}
	problems, err := gocsaf.ValidateCSAF(raw)
	if err != nil {
		return nil, fmt.Errorf("csaf: schema validation of %s: %w", d.Source, err)
	}
	if len(problems) > 0 {
		if len(problems) > 3 {
			problems = append(problems[:3], fmt.Sprintf("… und %d weitere", len(problems)-3))
		}
		return nil, reject(d.Source, cyberlotse.TextAdvisorySchema, strings.Join(problems, "; "))
	}
	var adv gocsaf.Advisory
	dec := json.NewDecoder(bytes.NewReader(d.Data))
	if err := dec.Decode(&adv); err != nil {
		return nil, reject(d.Source, cyberlotse.TextAdvisoryInvalid, err)
	}
	if err := adv.Validate(); err != nil {
		return nil, reject(d.Source, cyberlotse.TextAdvisoryInvalid, err)
	}
	a, rerr := convert(&adv, d.Source)
	if rerr != nil {
		return nil, rerr
	}
	a.SHA256 = sum256
	return a, nil
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

func convert(adv *gocsaf.Advisory, src string) (*cyberlotse.Advisory, error) {
	doc := adv.Document
	tr := doc.Tracking
	a := &cyberlotse.Advisory{
		Publisher:     str(doc.Publisher.Namespace),
		PublisherName: str(doc.Publisher.Name),
		TrackingID:    str(tr.ID),
		Version:       str(tr.Version),
		Title:         str(doc.Title),
		Language:      str(doc.Lang),
		Status:        str(tr.Status),
		SourceURL:     src,
	}
	if a.TrackingID == "" || a.Version == "" {
		return nil, reject(src, cyberlotse.TextAdvisoryNoTracking)
	}
	for _, f := range []struct {
		s  *string
		at *time.Time
	}{{tr.InitialReleaseDate, &a.PublishedAt}, {tr.CurrentReleaseDate, &a.UpdatedAt}} {
		t, err := time.Parse(time.RFC3339, str(f.s))
		if err != nil {
			return nil, reject(src, cyberlotse.TextAdvisoryBadDate, str(f.s))
		}
		*f.at = t.UTC()
	}
	a.Withdrawn = withdrawn(doc)

	products := productsOf(adv.ProductTree)
	affected := map[string]bool{}
	seenRem := map[string]bool{}
	for _, v := range adv.Vulnerabilities {
		if v == nil {
			continue
		}
		if c := str(v.CVE); c != "" && !contains(a.CVEs, c) {
			a.CVEs = append(a.CVEs, c)
		}
		for _, s := range v.Scores {
			if s == nil || s.CVSS3 == nil || s.CVSS3.BaseScore == nil {
				continue
			}
			if *s.CVSS3.BaseScore > a.CVSSScore {
				a.CVSSScore, a.CVSSVector = *s.CVSS3.BaseScore, str(s.CVSS3.VectorString)
			}
		}
		for _, th := range v.Threats {
			if th != nil && str(th.Category) == string(gocsaf.CSAFThreatCategoryExploitStatus) && str(th.Details) != "" &&
				!strings.Contains(a.ExploitStatus, str(th.Details)) {
				if a.ExploitStatus != "" {
					a.ExploitStatus += "; "
				}
				a.ExploitStatus += str(th.Details)
			}
		}
		for _, r := range v.Remediations {
			if r == nil {
				continue
			}
			rem := cyberlotse.Remediation{Category: str(r.Category), Details: str(r.Details), URL: str(r.URL)}
			if k := rem.Category + "\x00" + rem.Details + "\x00" + rem.URL; !seenRem[k] {
				seenRem[k] = true
				a.Remediations = append(a.Remediations, rem)
			}
		}
		if ps := v.ProductStatus; ps != nil {
			for _, list := range []*gocsaf.Products{ps.KnownAffected, ps.FirstAffected, ps.LastAffected} {
				if list == nil {
					continue
				}
				for _, id := range *list {
					affected[str(id)] = true
				}
			}
		}
	}
	ids := make([]string, 0, len(affected))
	for id := range affected {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if p, ok := products[id]; ok {
			a.Products = append(a.Products, p)
		}
	}
	return a, nil
}

// withdrawn recognises a withdrawn advisory: CSAF 2.1's category
// csaf_withdrawn, or (CSAF 2.0 has no such marker) a latest revision whose
// summary says so.
func withdrawn(doc *gocsaf.Document) bool {
	if str(doc.Category) == "csaf_withdrawn" {
		return true
	}
	var latest *gocsaf.Revision
	for _, r := range doc.Tracking.RevisionHistory {
		if r != nil && (latest == nil || cyberlotse.CompareVersions(str(r.Number), str(latest.Number)) > 0) {
			latest = r
		}
	}
	if latest == nil {
		return false
	}
	s := strings.ToLower(str(latest.Summary))
	return strings.Contains(s, "withdrawn") || strings.Contains(s, "zurückgezogen") || strings.Contains(s, "zurueckgezogen")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// productsOf walks the product tree: branches carry vendor, product name
// and version (or version range) down to their products; full product
// names stand alone; a relationship's product is the product it refers
// to (the affected component), named as the combination.
func productsOf(pt *gocsaf.ProductTree) map[string]cyberlotse.AffectedProduct {
	out := map[string]cyberlotse.AffectedProduct{}
	if pt == nil {
		return out
	}
	add := func(fpn *gocsaf.FullProductName, ctx cyberlotse.AffectedProduct) {
		if fpn == nil || fpn.ProductID == nil {
			return
		}
		p := ctx
		p.ProductID = str(fpn.ProductID)
		if p.Name == "" {
			p.Name = str(fpn.Name)
		}
		if h := fpn.ProductIdentificationHelper; h != nil {
			p.CPE, p.PURL = str(h.CPE), str(h.PURL)
		}
		out[p.ProductID] = p
	}
	var walk func(bs gocsaf.Branches, ctx cyberlotse.AffectedProduct)
	walk = func(bs gocsaf.Branches, ctx cyberlotse.AffectedProduct) {
		for _, b := range bs {
			if b == nil {
				continue
			}
			c := ctx
			name := str(b.Name)
			switch str(b.Category) {
			case "vendor":
				c.Vendor = name
			case "product_name":
				c.Name = name
			case "product_version":
				c.Version = name
			case "product_version_range":
				c.Range = name
			}
			add(b.Product, c)
			walk(b.Branches, c)
		}
	}
	walk(pt.Branches, cyberlotse.AffectedProduct{})
	if pt.FullProductNames != nil {
		for _, f := range *pt.FullProductNames {
			add(f, cyberlotse.AffectedProduct{})
		}
	}
	if pt.RelationShips != nil {
		for _, r := range *pt.RelationShips {
			if r == nil || r.FullProductName == nil || r.FullProductName.ProductID == nil {
				continue
			}
			if ref, ok := out[str(r.ProductReference)]; ok {
				ref.ProductID = str(r.FullProductName.ProductID)
				out[ref.ProductID] = ref
			}
		}
	}
	return out
}

// ReadDir reads every document of a directory (see Dir).
func ReadDir(root string) ([]Document, error) {
	d, err := OpenDir(root)
	if err != nil {
		return nil, err
	}
	var docs []Document
	for doc, err := range d.Documents(context.Background()) {
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// hashFromFile reads a hex digest as published in a .sha256/.sha512 file
// ("HEX  NAME").
func hashFromFile(path string) (string, error) {
	sum, err := util.HashFromFile(path)
	if err != nil {
		return "", err
	}
	if len(sum) == 0 {
		return "", errors.New("keine Prüfsumme gefunden")
	}
	return hex.EncodeToString(sum), nil
}

// hashFrom reads a hex digest from the bytes of a published hash file.
func hashFrom(b []byte) (string, error) {
	sum, err := util.HashFromReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	if len(sum) == 0 {
		return "", errors.New("keine Prüfsumme gefunden")
	}
	return hex.EncodeToString(sum), nil
}
