package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

// writeAdvisory writes NAME.json and, unless sum is "none", NAME.json.sha256
// (its true hash, or sum if given).
func writeAdvisory(t testing.TB, dir, name string, data []byte, sum string) {
	t.Helper()
	p := filepath.Join(dir, name+".json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if sum == "none" {
		return
	}
	if sum == "" {
		s := sha256.Sum256(data)
		sum = hex.EncodeToString(s[:])
	}
	if err := os.WriteFile(p+".sha256", []byte(sum+"  "+name+".json\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The import command end to end on two directories: valid, invalid by
// schema, a wrong hash, then an update, an older version after a newer
// one, an unchanged document and a withdrawal; then signed documents.
func TestImportCommandAdvisories(t *testing.T) {
	m := importMain(t)
	ctx := context.Background()
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	t.Cleanup(func() {
		if err := store.DeleteAdvisoriesForTest(context.Background(), m.DB, pub); err != nil {
			t.Error(err)
		}
	})
	adv := func(id, version string, withdrawn bool) []byte {
		return csaf.TestAdvisory{Publisher: pub, TrackingID: id, Version: version, Withdrawn: withdrawn}.JSON()
	}

	first := t.TempDir()
	writeAdvisory(t, first, "a-v2", adv("TEST-A", "2", false), "")
	writeAdvisory(t, first, "b-v1", adv("TEST-B", "1", false), "none")
	writeAdvisory(t, first, "c-v1", adv("TEST-C", "1", false), "")
	writeAdvisory(t, first, "d-v1", adv("TEST-D", "1", false), "")
	writeAdvisory(t, first, "e-schema", bytes.Replace(adv("TEST-E", "1", false), []byte(`"csaf_version": "2.0"`), []byte(`"csaf_version": "1.0"`), 1), "")
	writeAdvisory(t, first, "f-hash", adv("TEST-F", "1", false), strings.Repeat("0", 64))
	if err := os.WriteFile(filepath.Join(first, "provider-metadata.json"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := importCommand(ctx, m, []string{"advisories", first}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	f := filepath.Join(first, "f-hash.json")
	wantLines(t, out.String(),
		`^Sicherheitshinweise: 6 gelesen, 4 neu, 0 aktualisiert, 0 unverändert, 0 ältere Fassungen ignoriert, 2 abgelehnt – in \S+ \(\d+ Dokumente/s\)$`,
		`^  OpenPGP-Signaturen nicht geprüft \(keine Schlüssel angegeben\)\.$`,
		`^  abgelehnt: `+regexp.QuoteMeta(filepath.Join(first, "e-schema.json"))+`: verletzt das CSAF-2.0-Schema: /document/csaf_version: value must be '2.0'`,
		`^  abgelehnt: `+regexp.QuoteMeta(f)+`: SHA-256-Prüfsumme stimmt nicht \(erwartet 0000000000000000…, berechnet [0-9a-f]{16}…\)$`)
	advs := store.NewAdvisoryService(m.DB)
	for _, id := range []string{"TEST-E", "TEST-F"} {
		if _, err := advs.FindAdvisory(ctx, pub, id); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
			t.Errorf("rejected %s was stored: %v", id, err)
		}
	}

	second := t.TempDir()
	writeAdvisory(t, second, "a-v1", adv("TEST-A", "1", false), "")
	writeAdvisory(t, second, "b-v2", adv("TEST-B", "2", false), "")
	writeAdvisory(t, second, "c-v1", adv("TEST-C", "1", false), "")
	writeAdvisory(t, second, "d-v2", adv("TEST-D", "2", true), "")
	out.Reset()
	if err := importCommand(ctx, m, []string{"advisories", second}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	wantLines(t, out.String(),
		`^Sicherheitshinweise: 4 gelesen, 0 neu, 2 aktualisiert, 1 unverändert, 1 ältere Fassungen ignoriert, 0 abgelehnt`,
		`^  ältere Fassung: `+regexp.QuoteMeta(filepath.Join(second, "a-v1.json"))+`: ältere Version 1 ignoriert, gespeichert ist Version 2$`)
	for id, want := range map[string]struct {
		version   string
		withdrawn bool
	}{"TEST-A": {"2", false}, "TEST-B": {"2", false}, "TEST-C": {"1", false}, "TEST-D": {"2", true}} {
		a, err := advs.FindAdvisory(ctx, pub, id)
		if err != nil || a.Version != want.version || a.Withdrawn != want.withdrawn {
			t.Errorf("%s: %+v %v; want version %s withdrawn %v", id, a, err, want.version, want.withdrawn)
		}
	}

	// Signed: with --keys, a signed document is stored, a tampered and an
	// unsigned one are rejected.
	key, err := csaf.NewTestKey()
	if err != nil {
		t.Fatal(err)
	}
	third := t.TempDir()
	pubKey, err := key.Public()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(third, "key.asc.txt")
	if err := os.WriteFile(keyFile, []byte(pubKey), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []struct {
		name, id string
		signed   bool
		tamper   bool
	}{{"g-signed", "TEST-G", true, false}, {"h-tampered", "TEST-H", true, true}, {"i-unsigned", "TEST-I", false, false}} {
		data := adv(d.id, "1", false)
		sig, err := key.Sign(data)
		if err != nil {
			t.Fatal(err)
		}
		if d.tamper {
			data = bytes.Replace(data, []byte("Codeausführung"), []byte("Kaffeekochen"), 1)
		}
		writeAdvisory(t, third, d.name, data, "")
		if d.signed {
			if err := os.WriteFile(filepath.Join(third, d.name+".json.asc"), []byte(sig), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	out.Reset()
	if err := importCommand(ctx, m, []string{"advisories", third, "--keys", keyFile}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	wantLines(t, out.String(),
		`^Sicherheitshinweise: 3 gelesen, 1 neu, 0 aktualisiert, 0 unverändert, 0 ältere Fassungen ignoriert, 2 abgelehnt`,
		`^  OpenPGP-Signaturen geprüft\.$`,
		`^  abgelehnt: `+regexp.QuoteMeta(filepath.Join(third, "h-tampered.json"))+`: OpenPGP-Signatur ungültig: `,
		`^  abgelehnt: `+regexp.QuoteMeta(filepath.Join(third, "i-unsigned.json"))+`: OpenPGP-Signatur fehlt`)
	if _, err := advs.FindAdvisory(ctx, pub, "TEST-G"); err != nil {
		t.Errorf("signed advisory: %v", err)
	}
	for _, id := range []string{"TEST-H", "TEST-I"} {
		if _, err := advs.FindAdvisory(ctx, pub, id); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
			t.Errorf("rejected %s was stored: %v", id, err)
		}
	}

	if err := importCommand(ctx, m, []string{"advisories", filepath.Join(first, "nicht-da")}, &out); err == nil ||
		!strings.Contains(err.Error(), "ist kein lesbares Verzeichnis") {
		t.Errorf("missing directory: %v", err)
	}
}

// wantLines checks that every pattern matches one line of out.
func wantLines(t *testing.T, out string, patterns ...string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	for _, p := range patterns {
		re := regexp.MustCompile(p)
		found := false
		for _, l := range lines {
			found = found || re.MatchString(l)
		}
		if !found {
			t.Errorf("no line matches %s in:\n%s", p, out)
		}
	}
}

// BenchmarkImportAdvisories imports a synthetic batch of advisories
// (b.N documents per run, each a new publisher so all are new).
func BenchmarkImportAdvisories(b *testing.B) {
	m := importMain(b)
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	b.Cleanup(func() { store.DeleteAdvisoriesForTest(context.Background(), m.DB, pub) })
	dir := b.TempDir()
	for i := range b.N {
		writeAdvisory(b, dir, fmt.Sprintf("adv-%06d", i), csaf.TestAdvisory{Publisher: pub, TrackingID: fmt.Sprintf("BENCH-%06d", i),
			Product: fmt.Sprintf("Produkt %d", i%500), Released: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}.JSON(), "")
	}
	b.ResetTimer()
	var out bytes.Buffer
	if err := importCommand(context.Background(), m, []string{"advisories", dir}, &out); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if !strings.Contains(out.String(), fmt.Sprintf("%d neu", b.N)) {
		b.Fatalf("output: %s", out.String())
	}
}

// localProvider is a CSAF provider over TLS for the tests: provider
// metadata naming its key, a directory with changes.csv; publish adds a
// signed document (tampered after signing if asked).
type localProvider struct {
	srv     *httptest.Server
	base    string
	key     *csaf.TestKey
	files   map[string][]byte
	changes []string
}

func newLocalProvider(t *testing.T, pub string) *localProvider {
	t.Helper()
	key, err := csaf.NewTestKey()
	if err != nil {
		t.Fatal(err)
	}
	p := &localProvider{key: key, files: map[string][]byte{}}
	p.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/.well-known/csaf/changes.csv" {
			w.Write([]byte(strings.Join(p.changes, "\n") + "\n"))
			return
		}
		b, ok := p.files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(p.srv.Close)
	prev := advisoryHTTPClient
	advisoryHTTPClient = p.srv.Client()
	t.Cleanup(func() { advisoryHTTPClient = prev })
	pubKey, err := key.Public()
	if err != nil {
		t.Fatal(err)
	}
	p.base = p.srv.URL + "/.well-known/csaf/"
	p.files["/.well-known/csaf/key.asc"] = []byte(pubKey)
	p.files["/.well-known/csaf/provider-metadata.json"] = []byte(fmt.Sprintf(`{
		"canonical_url": %q, "distributions": [{"directory_url": %q}], "last_updated": "2026-11-30T10:00:00Z",
		"list_on_CSAF_aggregators": true, "mirror_on_CSAF_aggregators": true, "metadata_version": "2.0",
		"public_openpgp_keys": [{"url": %q}],
		"publisher": {"category": "coordinator", "name": "Test-CERT", "namespace": %q}, "role": "csaf_trusted_provider"}`,
		p.base+"provider-metadata.json", p.base, p.base+"key.asc", pub))
	return p
}

func (p *localProvider) publish(t *testing.T, path string, data []byte, changed time.Time, tamper bool) {
	t.Helper()
	sig, err := p.key.Sign(data)
	if err != nil {
		t.Fatal(err)
	}
	if tamper {
		data = bytes.Replace(data, []byte("Codeausführung"), []byte("Kaffeekochen"), 1)
	}
	p.files["/.well-known/csaf/"+path] = data
	p.files["/.well-known/csaf/"+path+".asc"] = []byte(sig)
	p.changes = append(p.changes, fmt.Sprintf("%q,%q", path, changed.UTC().Format(time.RFC3339)))
}

// The import command against a local CSAF provider over TLS: provider
// metadata with its key, changes.csv, a signed document and a tampered one.
func TestImportCommandAdvisoryProvider(t *testing.T) {
	m := importMain(t)
	ctx := context.Background()
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	t.Cleanup(func() {
		if err := store.DeleteAdvisoriesForTest(context.Background(), m.DB, pub); err != nil {
			t.Error(err)
		}
	})
	p := newLocalProvider(t, pub)
	t1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p.publish(t, "2026/test-p1.json", csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-P1"}.JSON(), t1, false)
	p.publish(t, "2026/test-p2.json", csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-P2"}.JSON(), t1, true)
	base := p.base

	var out bytes.Buffer
	if err := importCommand(ctx, m, []string{"advisories", base + "provider-metadata.json"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	wantLines(t, out.String(),
		`^Sicherheitshinweise: 2 gelesen, 1 neu, 0 aktualisiert, 0 unverändert, 0 ältere Fassungen ignoriert, 1 abgelehnt`,
		`^  OpenPGP-Signaturen geprüft\.$`,
		`^  abgelehnt: `+regexp.QuoteMeta(base+"2026/test-p2.json")+`: OpenPGP-Signatur ungültig: `)
	a, err := store.NewAdvisoryService(m.DB).FindAdvisory(ctx, pub, "TEST-P1")
	if err != nil || a.SourceURL != base+"2026/test-p1.json" {
		t.Errorf("fetched advisory: %+v %v", a, err)
	}
	if err := importCommand(ctx, m, []string{"advisories", "http://example.test/provider-metadata.json"}, &out); err == nil ||
		!strings.Contains(err.Error(), "nur über HTTPS") {
		t.Errorf("plain HTTP: %v", err)
	}
}

// The scheduled fetch: the first run takes everything, the next only what
// changed since (with an hour's overlap), and remembers from when on.
func TestRunAdvisoryProvider(t *testing.T) {
	m := importMain(t)
	ctx := context.Background()
	pub := "https://" + neo4jtest.NewID() + ".example/csaf"
	p := newLocalProvider(t, pub)
	url := p.base + "provider-metadata.json"
	advs := store.NewAdvisoryService(m.DB)
	t.Cleanup(func() {
		if err := store.DeleteAdvisoriesForTest(context.Background(), m.DB, pub); err != nil {
			t.Error(err)
		}
		if err := store.DeleteAdvisoryProviderForTest(context.Background(), m.DB, url); err != nil {
			t.Error(err)
		}
	})
	// The clock starts an hour from now: signatures are checked at the
	// injected time, which must not lie before the test key was made.
	now := time.Now().UTC().Truncate(time.Second).Add(time.Hour)
	m.Now = func() time.Time { return now }
	p.publish(t, "2026/a.json", csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-A"}.JSON(), now.Add(-15*time.Hour), false)
	p.publish(t, "2026/b.json", csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-B"}.JSON(), now.Add(-30*time.Minute), false)
	sum, err := m.RunAdvisoryProvider(ctx, url)
	if err != nil || sum.Read != 2 || sum.New != 2 {
		t.Fatalf("first run: %+v %v", sum, err)
	}
	if since, err := advs.ProviderSince(ctx, url); err != nil || !since.Equal(now.Add(-time.Hour)) {
		t.Fatalf("since after the first run: %v %v", since, err)
	}
	// Next run: b (inside the hour's overlap) again, and the new version of a.
	now = now.Add(15 * time.Minute)
	p.publish(t, "2026/a-2.json", csaf.TestAdvisory{Publisher: pub, TrackingID: "TEST-A", Version: "2"}.JSON(), now.Add(-5*time.Minute), false)
	sum, err = m.RunAdvisoryProvider(ctx, url)
	if err != nil || sum.Read != 2 || sum.Updated != 1 || sum.Unchanged != 1 || sum.New != 0 {
		t.Fatalf("second run: %+v %v", sum, err)
	}
	if a, err := advs.FindAdvisory(ctx, pub, "TEST-A"); err != nil || a.Version != "2" {
		t.Fatalf("updated advisory: %+v %v", a, err)
	}
	if _, err := AdvisoryProviders("https://a.example/provider-metadata.json, http://b.example/provider-metadata.json"); err == nil ||
		!strings.Contains(err.Error(), "keine HTTPS-Adresse") {
		t.Errorf("ADVISORY_PROVIDERS with plain HTTP: %v", err)
	}
	if l, err := AdvisoryProviders("https://a.example/p.json https://b.example/p.json"); err != nil || len(l) != 2 {
		t.Errorf("ADVISORY_PROVIDERS: %v %v", l, err)
	}
}
