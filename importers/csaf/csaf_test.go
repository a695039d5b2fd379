package csaf_test

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

func TestParseValid(t *testing.T) {
	data := csaf.TestAdvisory{TrackingID: "TEST-2026-0001", Version: "2",
		CPE: "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", Exploit: "Ausnutzung beobachtet"}.JSON()
	s256 := sha256.Sum256(data)
	s512 := sha512.Sum512(data)
	a, err := csaf.Parse(csaf.Document{Source: "t.json", Data: data,
		Sums: map[string]string{"sha256": hex.EncodeToString(s256[:]), "sha512": hex.EncodeToString(s512[:])}})
	if err != nil {
		t.Fatal(err)
	}
	if a.TrackingID != "TEST-2026-0001" || a.Version != "2" || a.Publisher != "https://example.test/csaf" ||
		a.PublisherName != "Test-CERT" || a.Language != "de-DE" || a.Status != "final" || a.Withdrawn {
		t.Errorf("header: %+v", a)
	}
	if a.CVSSScore != 9.8 || a.CVSSVector != "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" || a.Severity() != cyberlotse.SeverityCritical {
		t.Errorf("cvss: %v %q", a.CVSSScore, a.CVSSVector)
	}
	if !a.PublishedAt.Equal(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)) || !a.UpdatedAt.Equal(time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("times %v %v", a.PublishedAt, a.UpdatedAt)
	}
	if a.ExploitStatus != "Ausnutzung beobachtet" {
		t.Errorf("exploit status %q", a.ExploitStatus)
	}
	if len(a.CVEs) != 1 || a.CVEs[0] != "CVE-2026-12345" {
		t.Errorf("cves %v", a.CVEs)
	}
	if len(a.Remediations) != 1 || a.Remediations[0].Category != "vendor_fix" || a.Remediations[0].Details != "Update auf Version 2.4.3 oder neuer" {
		t.Errorf("remediations %+v", a.Remediations)
	}
	want := cyberlotse.AffectedProduct{ProductID: "CSAFPID-0001", Vendor: "Apache Software Foundation", Name: "HTTP Server",
		CPE: "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", Range: "vers:generic/<2.4.3"}
	if len(a.Products) != 1 || a.Products[0] != want {
		t.Errorf("products %+v", a.Products)
	}
	if a.SHA256 != hex.EncodeToString(s256[:]) {
		t.Errorf("sha256 %s", a.SHA256)
	}
	m := cyberlotse.MatchAdvisory(a, []cyberlotse.MunicipalityProduct{{Vendor: "Apache", Name: "HTTP Server", Version: "2.4.1"}})
	if len(m) != 1 || m[0].Reason != "Hersteller und Produkt stimmen überein, Version 2.4.1 im betroffenen Bereich vers:generic/<2.4.3" {
		t.Errorf("match %+v", m)
	}
}

func TestParseRejects(t *testing.T) {
	good := csaf.TestAdvisory{TrackingID: "TEST-2026-0002"}.JSON()
	noTitle := strings.Replace(string(good), `"title": "Apache HTTP Server: Schwachstelle ermöglicht Codeausführung",`, "", 1)
	badDate := strings.Replace(string(good), `"initial_release_date": "2026-11-02T08:00:00Z"`, `"initial_release_date": "gestern"`, 1)
	cases := []struct {
		name   string
		doc    csaf.Document
		reason string
	}{
		{"not JSON", csaf.Document{Data: []byte("{kein json")}, "kein gültiges JSON: "},
		{"schema: title missing", csaf.Document{Data: []byte(noTitle)}, "verletzt das CSAF-2.0-Schema: /document: missing property 'title'"},
		{"schema: date", csaf.Document{Data: []byte(badDate)}, "verletzt das CSAF-2.0-Schema: /document/tracking/initial_release_date: 'gestern' is not valid date-time"},
		{"wrong sha256", csaf.Document{Data: good, Sums: map[string]string{"sha256": strings.Repeat("ab", 32)}},
			"SHA-256-Prüfsumme stimmt nicht (erwartet abababababababab…, berechnet "},
		{"unreadable hash file", csaf.Document{Data: good, SumErrors: []string{"x.json.sha512-Datei nicht lesbar: keine Prüfsumme gefunden"}},
			"x.json.sha512-Datei nicht lesbar: keine Prüfsumme gefunden"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.doc.Source = "doc.json"
			a, err := csaf.Parse(c.doc)
			var rej *csaf.Rejection
			if a != nil || !errors.As(err, &rej) {
				t.Fatalf("Parse = %v, %v; want a rejection", a, err)
			}
			if rej.Source != "doc.json" || !strings.HasPrefix(rej.Reason, c.reason) {
				t.Errorf("reason %q, want prefix %q", rej.Reason, c.reason)
			}
		})
	}
}

func TestParseWithdrawn(t *testing.T) {
	a, err := csaf.Parse(csaf.Document{Source: "w.json", Data: csaf.TestAdvisory{TrackingID: "TEST-2026-0003", Version: "3", Withdrawn: true}.JSON()})
	if err != nil {
		t.Fatal(err)
	}
	if !a.Withdrawn || a.Open() {
		t.Errorf("withdrawn not recognised: %+v", a)
	}
}

func TestReadDir(t *testing.T) {
	dir := t.TempDir()
	data := csaf.TestAdvisory{TrackingID: "TEST-2026-0004"}.JSON()
	sum := sha256.Sum256(data)
	must(t, os.MkdirAll(filepath.Join(dir, "2026"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "2026", "test-2026-0004.json"), data, 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "2026", "test-2026-0004.json.sha256"), []byte(hex.EncodeToString(sum[:])+"  test-2026-0004.json\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "2026", "test-2026-0004.json.sha512"), []byte("\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "provider-metadata.json"), []byte("{}"), 0o644))
	docs, err := csaf.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || docs[0].Sums["sha256"] != hex.EncodeToString(sum[:]) || len(docs[0].SumErrors) != 1 ||
		docs[0].SumErrors[0] != "test-2026-0004.json.sha512-Datei nicht lesbar: keine Prüfsumme gefunden" {
		t.Fatalf("docs %+v", docs)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkParse(b *testing.B) {
	data := csaf.TestAdvisory{TrackingID: "BENCH-1"}.JSON()
	for b.Loop() {
		if _, err := csaf.Parse(csaf.Document{Source: "b.json", Data: data}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSignatures(t *testing.T) {
	key, err := csaf.NewTestKey()
	must(t, err)
	pub, err := key.Public()
	must(t, err)
	keys, err := csaf.LoadKeys(pub)
	must(t, err)
	other, err := csaf.NewTestKey()
	must(t, err)
	data := csaf.TestAdvisory{TrackingID: "TEST-2026-0005"}.JSON()
	sig, err := key.Sign(data)
	must(t, err)
	wrongSig, err := other.Sign(data)
	must(t, err)
	at := time.Now()
	if err := keys.Check(csaf.Document{Source: "s.json", Data: data, Signature: []byte(sig)}, at); err != nil {
		t.Fatalf("valid signature: %v", err)
	}
	tampered := []byte(strings.Replace(string(data), "Codeausführung", "Kaffeekochen", 1))
	for name, c := range map[string]struct {
		doc    csaf.Document
		reason string
	}{
		"tampered":  {csaf.Document{Data: tampered, Signature: []byte(sig)}, "OpenPGP-Signatur ungültig: "},
		"other key": {csaf.Document{Data: data, Signature: []byte(wrongSig)}, "OpenPGP-Signatur ungültig: "},
		"garbage":   {csaf.Document{Data: data, Signature: []byte("keine Signatur")}, "OpenPGP-Signatur ungültig: "},
		"missing":   {csaf.Document{Data: data}, "OpenPGP-Signatur fehlt (NAME.json.asc), obwohl Schlüssel angegeben sind"},
	} {
		c.doc.Source = "s.json"
		err := keys.Check(c.doc, at)
		var rej *csaf.Rejection
		if !errors.As(err, &rej) || !strings.HasPrefix(rej.Reason, c.reason) {
			t.Errorf("%s: %v, want a rejection %q", name, err, c.reason)
		}
	}
	if _, err := csaf.LoadKeys("kein Schlüssel"); err == nil {
		t.Error("LoadKeys accepted garbage")
	}
}
