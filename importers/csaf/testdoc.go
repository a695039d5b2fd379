package csaf

import (
	"encoding/json"
	"time"
)

// TestAdvisory describes a small CSAF 2.0 security advisory for tests of
// every layer (and the synthetic import benchmark): one vendor, one
// product with an affected version range, one CVE.
type TestAdvisory struct {
	Publisher  string // namespace URL; default https://example.test/csaf
	TrackingID string
	Version    string // default "1"
	Title      string
	Vendor     string // default "Apache Software Foundation"
	Product    string // default "HTTP Server"
	CPE        string // optional
	Range      string // default "vers:generic/<2.4.3"
	Score      float64
	Released   time.Time // initial release; default 2026-11-02 08:00 UTC
	Updated    time.Time // current release; default Released plus the version's hours
	Withdrawn  bool
	Exploit    string // the details of an exploit_status threat; empty: none
}

// JSON renders the advisory.
func (t TestAdvisory) JSON() []byte {
	if t.Publisher == "" {
		t.Publisher = "https://example.test/csaf"
	}
	if t.Version == "" {
		t.Version = "1"
	}
	if t.Title == "" {
		t.Title = "Apache HTTP Server: Schwachstelle ermöglicht Codeausführung"
	}
	if t.Vendor == "" {
		t.Vendor = "Apache Software Foundation"
	}
	if t.Product == "" {
		t.Product = "HTTP Server"
	}
	if t.Range == "" {
		t.Range = "vers:generic/<2.4.3"
	}
	if t.Score == 0 {
		t.Score = 9.8
	}
	if t.Released.IsZero() {
		t.Released = time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	}
	if t.Updated.IsZero() {
		t.Updated = t.Released.Add(time.Duration(len(t.Version)) * time.Hour)
	}
	summary := "Initiale Fassung"
	if t.Withdrawn {
		summary = "Hinweis zurückgezogen (withdrawn)"
	}
	var revs []any
	revs = append(revs, map[string]any{"date": t.Updated.Format(time.RFC3339), "number": t.Version, "summary": summary})
	product := map[string]any{"name": t.Vendor + " " + t.Product + " " + t.Range, "product_id": "CSAFPID-0001"}
	if t.CPE != "" {
		product["product_identification_helper"] = map[string]any{"cpe": t.CPE}
	}
	doc := map[string]any{
		"document": map[string]any{
			"category":     "csaf_security_advisory",
			"csaf_version": "2.0",
			"lang":         "de-DE",
			"publisher": map[string]any{"category": "coordinator", "name": "Test-CERT",
				"namespace": t.Publisher},
			"title": t.Title,
			"tracking": map[string]any{
				"id": t.TrackingID, "version": t.Version, "status": "final",
				"initial_release_date": t.Released.Format(time.RFC3339),
				"current_release_date": t.Updated.Format(time.RFC3339),
				"revision_history":     revs,
			},
		},
		"product_tree": map[string]any{"branches": []any{map[string]any{
			"category": "vendor", "name": t.Vendor, "branches": []any{map[string]any{
				"category": "product_name", "name": t.Product, "branches": []any{map[string]any{
					"category": "product_version_range", "name": t.Range, "product": product}}}}}}},
		"vulnerabilities": []any{map[string]any{
			"cve":            "CVE-2026-12345",
			"product_status": map[string]any{"known_affected": []string{"CSAFPID-0001"}},
			"scores": []any{map[string]any{"products": []string{"CSAFPID-0001"}, "cvss_v3": map[string]any{
				"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
				"baseScore": t.Score, "baseSeverity": severityName(t.Score)}}},
			"remediations": []any{map[string]any{"category": "vendor_fix",
				"details": "Update auf Version 2.4.3 oder neuer", "product_ids": []string{"CSAFPID-0001"}}},
		}},
	}
	if t.Exploit != "" {
		v := doc["vulnerabilities"].([]any)[0].(map[string]any)
		v["threats"] = []any{map[string]any{"category": "exploit_status", "details": t.Exploit, "product_ids": []string{"CSAFPID-0001"}}}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

func severityName(s float64) string {
	switch {
	case s >= 9:
		return "CRITICAL"
	case s >= 7:
		return "HIGH"
	case s >= 4:
		return "MEDIUM"
	case s > 0:
		return "LOW"
	}
	return "NONE"
}
