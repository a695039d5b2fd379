package cyberlotse_test

import (
	"testing"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

func TestMatchProduct(t *testing.T) {
	type mp = cyberlotse.MunicipalityProduct
	type ap = cyberlotse.AffectedProduct
	cases := []struct {
		name   string
		mine   mp
		aff    ap
		ok     bool
		reason string
	}{
		{"CPE exact with its version",
			mp{CPE: "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"},
			ap{CPE: "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"},
			true, "CPE cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:* stimmt überein, Version 2.4.57 ist betroffen"},
		{"CPE other version",
			mp{CPE: "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*"},
			ap{CPE: "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"},
			false, ""},
		{"CPE with version range",
			mp{CPE: "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", Version: "2.4.1"},
			ap{CPE: "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", Range: "vers:generic/<2.4.3"},
			true, "CPE cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:* stimmt überein, Version 2.4.1 im betroffenen Bereich vers:generic/<2.4.3"},
		{"CPE decides over equal names",
			mp{Vendor: "Apache", Name: "HTTP Server", CPE: "cpe:2.3:a:apache:tomcat:*:*:*:*:*:*:*:*"},
			ap{Vendor: "Apache", Name: "HTTP Server", CPE: "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*"},
			false, ""},
		{"PURL",
			mp{PURL: "pkg:npm/lodash@4.17.20"},
			ap{PURL: "pkg:npm/lodash", Range: "vers:npm/<4.17.21"},
			true, "Paket pkg:npm/lodash stimmt überein, Version 4.17.20 im betroffenen Bereich vers:npm/<4.17.21"},
		{"PURL fixed version",
			mp{PURL: "pkg:npm/lodash@4.17.21"},
			ap{PURL: "pkg:npm/lodash", Range: "vers:npm/<4.17.21"},
			false, ""},
		{"names normalised",
			mp{Vendor: "microsoft", Name: "Exchange Server", Version: "2019 CU13"},
			ap{Vendor: "Microsoft Corporation", Name: "Microsoft Exchange Server"},
			true, "Hersteller und Produkt stimmen überein, alle Versionen betroffen"},
		{"names with range (the issue's example)",
			mp{Vendor: "Apache", Name: "HTTP Server", Version: "2.4.1"},
			ap{Vendor: "Apache Software Foundation", Name: "HTTP Server", Range: "<2.4.3"},
			true, "Hersteller und Produkt stimmen überein, Version 2.4.1 im betroffenen Bereich <2.4.3"},
		{"version outside range",
			mp{Vendor: "Apache", Name: "HTTP Server", Version: "2.4.10"},
			ap{Vendor: "Apache", Name: "HTTP Server", Range: "<2.4.3"},
			false, ""},
		{"version range with lower and upper bound",
			mp{Vendor: "Fortinet", Name: "FortiOS", Version: "7.2.5"},
			ap{Vendor: "Fortinet", Name: "FortiOS", Range: "vers:generic/>=7.0.0|<7.0.13|>=7.2.0|<7.2.6"},
			true, "Hersteller und Produkt stimmen überein, Version 7.2.5 im betroffenen Bereich vers:generic/>=7.0.0|<7.0.13|>=7.2.0|<7.2.6"},
		{"version between two ranges",
			mp{Vendor: "Fortinet", Name: "FortiOS", Version: "7.1.0"},
			ap{Vendor: "Fortinet", Name: "FortiOS", Range: "vers:generic/>=7.0.0|<7.0.13|>=7.2.0|<7.2.6"},
			false, ""},
		{"exact version from the product tree",
			mp{Vendor: "Fortinet", Name: "FortiOS", Version: "7.2.5"},
			ap{Vendor: "Fortinet", Name: "FortiOS", Version: "7.2.4"},
			false, ""},
		{"unknown own version still warns",
			mp{Vendor: "Fortinet", Name: "FortiOS"},
			ap{Vendor: "Fortinet", Name: "FortiOS", Range: "<7.2.6"},
			true, "Hersteller und Produkt stimmen überein; betroffen ist <7.2.6, Ihre Version ist nicht angegeben oder nicht vergleichbar – bitte prüfen"},
		{"other vendor",
			mp{Vendor: "Citrix", Name: "NetScaler"},
			ap{Vendor: "Fortinet", Name: "NetScaler"},
			false, ""},
		{"names against a CPE-only affected product",
			mp{Vendor: "Apache", Name: "http_server", Version: "2.4.1"},
			ap{CPE: "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", Range: "<2.4.3"},
			true, "Hersteller und Produkt stimmen überein, Version 2.4.1 im betroffenen Bereich <2.4.3"},
	}
	// One ProductMatcher for all cases, twice over: what it remembers
	// from one case does not change the decision of another.
	var pm cyberlotse.ProductMatcher
	for _, c := range append(cases, cases...) {
		t.Run(c.name, func(t *testing.T) {
			reason, ok := cyberlotse.MatchProduct(c.mine, c.aff)
			if ok != c.ok || reason != c.reason {
				t.Errorf("MatchProduct = %q, %v; want %q, %v", reason, ok, c.reason, c.ok)
			}
			reason, ok = pm.Match(c.mine, c.aff)
			if ok != c.ok || reason != c.reason {
				t.Errorf("ProductMatcher.Match = %q, %v; want %q, %v", reason, ok, c.reason, c.ok)
			}
		})
	}
}

func TestMatchAdvisoryWithdrawn(t *testing.T) {
	a := &cyberlotse.Advisory{TrackingID: "WID-SEC-2026-0001", Version: "2",
		Products: []cyberlotse.AffectedProduct{{Vendor: "Fortinet", Name: "FortiOS"}}}
	mine := []cyberlotse.MunicipalityProduct{{Vendor: "Fortinet Inc.", Name: "FortiOS", Version: "7.2.5"}}
	if got := cyberlotse.MatchAdvisory(a, mine); len(got) != 1 || got[0].Reason != "Hersteller und Produkt stimmen überein, alle Versionen betroffen" {
		t.Fatalf("open advisory: %+v", got)
	}
	a.Withdrawn = true
	if got := cyberlotse.MatchAdvisory(a, mine); len(got) != 0 {
		t.Fatalf("withdrawn advisory matched: %+v", got)
	}
}

func TestCompareVersions(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"1", "2", -1}, {"10", "9", 1}, {"1.0.0", "1.0.0", 0}, {"2.4.10", "2.4.3", 1},
		{"1.0.0-beta", "1.0.0", -1}, {"1.0", "1.0.1", -1}, {"v2.0", "2.0", 0}, {"7.0.13", "7.2.0", -1},
	}
	for _, c := range cases {
		if got := cyberlotse.CompareVersions(c.a, c.b); got != c.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestSeverityAndKeys(t *testing.T) {
	if s := cyberlotse.SeverityOf(9.8); s != cyberlotse.SeverityCritical {
		t.Errorf("9.8: %s", s)
	}
	if s := cyberlotse.SeverityOf(6.5); s != cyberlotse.SeverityMedium {
		t.Errorf("6.5: %s", s)
	}
	a := cyberlotse.AffectedProduct{Vendor: "Microsoft Corporation", Name: "Microsoft Exchange Server"}
	m := cyberlotse.MunicipalityProduct{Vendor: "microsoft", Name: "Exchange Server"}
	if a.MatchKeys()[0] != "name:microsoft/exchangeserver" || m.MatchKeys()[0] != a.MatchKeys()[0] {
		t.Errorf("keys %v %v", a.MatchKeys(), m.MatchKeys())
	}
	c := cyberlotse.AffectedProduct{CPE: "cpe:2.3:a:apache:http_server:2.4.1:*:*:*:*:*:*:*"}
	if got := c.MatchKeys(); len(got) != 2 || got[0] != "cpe:a:apache:http_server" || got[1] != "name:apache/httpserver" {
		t.Errorf("CPE keys %v", got)
	}
}
