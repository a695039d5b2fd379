package csaf_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

// testProvider is a local CSAF provider over TLS: provider metadata with
// a directory distribution, changes.csv, documents, hashes, signatures
// made with a test key, and the public key.
type testProvider struct {
	*httptest.Server
	mu      sync.Mutex
	files   map[string][]byte
	changes []string
	fetched []string
}

func newTestProvider(t *testing.T, rolie bool) (*testProvider, *csaf.TestKey) {
	t.Helper()
	key, err := csaf.NewTestKey()
	must(t, err)
	p := &testProvider{files: map[string][]byte{}}
	p.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		b, ok := p.files[r.URL.Path]
		if r.URL.Path == "/.well-known/csaf/changes.csv" {
			b, ok = []byte(strings.Join(p.changes, "\n")+"\n"), true
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		p.fetched = append(p.fetched, r.URL.Path)
		w.Write(b)
	}))
	t.Cleanup(p.Close)
	pub, err := key.Public()
	must(t, err)
	p.files["/.well-known/csaf/openpgp/key.asc"] = []byte(pub)
	dist := map[string]any{"directory_url": p.URL + "/.well-known/csaf/"}
	if rolie {
		dist = map[string]any{"rolie": map[string]any{"feeds": []any{map[string]any{
			"summary": "Alle Hinweise", "tlp_label": "WHITE", "url": p.URL + "/.well-known/csaf/white/feed.json"}}}}
	}
	meta := map[string]any{
		"canonical_url":              p.URL + "/.well-known/csaf/provider-metadata.json",
		"distributions":              []any{dist},
		"last_updated":               "2026-11-30T10:00:00Z",
		"list_on_CSAF_aggregators":   true,
		"mirror_on_CSAF_aggregators": true,
		"metadata_version":           "2.0",
		"public_openpgp_keys":        []any{map[string]any{"url": p.URL + "/.well-known/csaf/openpgp/key.asc", "fingerprint": key.Fingerprint()}},
		"publisher":                  map[string]any{"category": "coordinator", "name": "Test-CERT", "namespace": "https://example.test/csaf"},
		"role":                       "csaf_trusted_provider",
	}
	b, err := json.Marshal(meta)
	must(t, err)
	p.files["/.well-known/csaf/provider-metadata.json"] = b
	return p, key
}

// publish adds a document (signed unless sig is "none"; "bad" signs other
// bytes) with its SHA-256 (hash "" = true one, "none" = none).
func (p *testProvider) publish(t *testing.T, key *csaf.TestKey, path string, data []byte, changed time.Time, hash, sig string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	full := "/.well-known/csaf/" + path
	p.files[full] = data
	switch hash {
	case "":
		s := sha256.Sum256(data)
		p.files[full+".sha256"] = []byte(hex.EncodeToString(s[:]) + "  " + path + "\n")
	case "none":
	default:
		p.files[full+".sha256"] = []byte(hash + "  " + path + "\n")
	}
	switch sig {
	case "none":
	case "bad":
		s, err := key.Sign([]byte("andere Bytes"))
		must(t, err)
		p.files[full+".asc"] = []byte(s)
	default:
		s, err := key.Sign(data)
		must(t, err)
		p.files[full+".asc"] = []byte(s)
	}
	p.changes = append(p.changes, fmt.Sprintf("%q,%q", path, changed.UTC().Format(time.RFC3339)))
}

func TestProviderDirectory(t *testing.T) {
	p, key := newTestProvider(t, false)
	t1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	p.publish(t, key, "2026/a.json", csaf.TestAdvisory{TrackingID: "A"}.JSON(), t1, "", "")
	p.publish(t, key, "2026/b.json", csaf.TestAdvisory{TrackingID: "B"}.JSON(), t1, strings.Repeat("1", 64), "")
	p.publish(t, key, "2026/c.json", csaf.TestAdvisory{TrackingID: "C"}.JSON(), t1, "", "bad")
	data := csaf.TestAdvisory{TrackingID: "D"}.JSON()
	p.publish(t, key, "2026/d.json", data, t1, "", "")
	p.files["/.well-known/csaf/2026/d.json"] = []byte(strings.Replace(string(data), "Codeausführung", "Kaffeekochen", 1)) // tampered after signing

	st := &memStore{store: func(a *cyberlotse.Advisory) (cyberlotse.AdvisoryOutcome, string, error) {
		return cyberlotse.AdvisoryNew, "", nil
	}}
	prov, err := csaf.OpenProvider(p.Client(), p.URL+"/.well-known/csaf/provider-metadata.json", time.Time{})
	must(t, err)
	if prov.Len() != 4 || prov.Keys == nil {
		t.Fatalf("provider lists %d documents, keys %v", prov.Len(), prov.Keys)
	}
	s, err := csaf.Import(context.Background(), st, prov, csaf.Options{Keys: prov.Keys})
	must(t, err)
	var reasons []string
	for _, r := range s.Rejected {
		reasons = append(reasons, r.Source[strings.LastIndex(r.Source, "/")+1:]+": "+r.Reason)
	}
	sort.Strings(reasons)
	want := []string{
		"b.json: SHA-256-Prüfsumme stimmt nicht (erwartet 1111111111111111…, berechnet ",
		"c.json: OpenPGP-Signatur ungültig: Signature Verification Error: Invalid signature",
		"d.json: OpenPGP-Signatur ungültig: Signature Verification Error: Invalid signature",
	}
	ok := s.New == 1 && len(reasons) == len(want)
	for i := range want {
		ok = ok && strings.HasPrefix(reasons[i], want[i])
	}
	if !ok {
		t.Fatalf("summary %+v\nreasons %q", s, reasons)
	}

	// Incremental: only what changed after the last fetch.
	t2 := t1.Add(24 * time.Hour)
	p.publish(t, key, "2026/a-2.json", csaf.TestAdvisory{TrackingID: "A", Version: "2"}.JSON(), t2, "", "")
	p.mu.Lock()
	p.fetched = nil
	p.mu.Unlock()
	prov, err = csaf.OpenProvider(p.Client(), p.URL+"/.well-known/csaf/provider-metadata.json", t1)
	must(t, err)
	if prov.Len() != 1 {
		t.Fatalf("incremental: %d documents", prov.Len())
	}
	s, err = csaf.Import(context.Background(), st, prov, csaf.Options{Keys: prov.Keys})
	must(t, err)
	if s.Read != 1 || s.New != 1 || len(s.Rejected) != 0 {
		t.Fatalf("incremental summary %+v", s)
	}
	for _, f := range p.fetched {
		if strings.HasPrefix(f, "/.well-known/csaf/2026/") && !strings.HasPrefix(f, "/.well-known/csaf/2026/a-2.json") {
			t.Errorf("fetched unchanged %s", f)
		}
	}
}

func TestProviderRejectsBadMetadata(t *testing.T) {
	p, _ := newTestProvider(t, false)
	p.files["/.well-known/csaf/provider-metadata.json"] = []byte(`{"canonical_url": "x"}`)
	if _, err := csaf.OpenProvider(p.Client(), p.URL+"/.well-known/csaf/provider-metadata.json", time.Time{}); err == nil ||
		!strings.Contains(err.Error(), "Anbieter-Metadaten") {
		t.Fatalf("bad metadata: %v", err)
	}
}

// feed writes the ROLIE feed of the published documents.
func (p *testProvider) feed(t *testing.T, updated map[string]time.Time) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	f := gocsaf.ROLIEFeed{Feed: gocsaf.FeedData{ID: "test-white", Title: "Test-CERT WHITE",
		Updated: gocsaf.TimeStamp(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))}}
	var paths []string
	for path := range updated {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		u := p.URL + "/.well-known/csaf/" + path
		f.Feed.Entry = append(f.Feed.Entry, &gocsaf.Entry{ID: path, Titel: path,
			Link:      []gocsaf.Link{{Rel: "self", HRef: u}, {Rel: "hash", HRef: u + ".sha256"}, {Rel: "signature", HRef: u + ".asc"}},
			Published: gocsaf.TimeStamp(updated[path]), Updated: gocsaf.TimeStamp(updated[path]),
			Content: gocsaf.Content{Type: "application/json", Src: u},
			Format:  gocsaf.Format{Schema: "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", Version: "2.0"}})
	}
	b, err := json.Marshal(f)
	must(t, err)
	p.files["/.well-known/csaf/white/feed.json"] = b
}

func TestProviderROLIE(t *testing.T) {
	p, key := newTestProvider(t, true)
	t1 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	t2 := t1.Add(48 * time.Hour)
	p.publish(t, key, "white/2026/a.json", csaf.TestAdvisory{TrackingID: "A"}.JSON(), t1, "", "")
	p.publish(t, key, "white/2026/b.json", csaf.TestAdvisory{TrackingID: "B", Withdrawn: true, Version: "2"}.JSON(), t2, "", "")
	p.feed(t, map[string]time.Time{"white/2026/a.json": t1, "white/2026/b.json": t2})
	var stored []string
	st := &memStore{store: func(a *cyberlotse.Advisory) (cyberlotse.AdvisoryOutcome, string, error) {
		stored = append(stored, fmt.Sprintf("%s v%s withdrawn=%v", a.TrackingID, a.Version, a.Withdrawn))
		return cyberlotse.AdvisoryNew, "", nil
	}}
	prov, err := csaf.OpenProvider(p.Client(), p.URL+"/.well-known/csaf/provider-metadata.json", t1.Add(time.Hour))
	must(t, err)
	s, err := csaf.Import(context.Background(), st, prov, csaf.Options{Keys: prov.Keys})
	must(t, err)
	if s.Read != 1 || s.New != 1 || fmt.Sprint(stored) != "[B v2 withdrawn=true]" {
		t.Fatalf("summary %+v stored %v", s, stored)
	}
}

func TestProviderKeyFingerprint(t *testing.T) {
	p, key := newTestProvider(t, false)
	wrong := strings.Repeat("AB", 20)
	p.files["/.well-known/csaf/provider-metadata.json"] = []byte(strings.Replace(string(p.files["/.well-known/csaf/provider-metadata.json"]),
		key.Fingerprint(), wrong, 1))
	if _, err := csaf.OpenProvider(p.Client(), p.URL+"/.well-known/csaf/provider-metadata.json", time.Time{}); err == nil ||
		!strings.Contains(err.Error(), "passt nicht zum angegebenen "+wrong) {
		t.Fatalf("wrong fingerprint: %v", err)
	}
}
