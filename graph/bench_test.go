package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/seeds"
)

// BenchmarkMatchmaking runs matchmaking for random NRW municipalities
// through the GraphQL handler and reports latency percentiles.
func BenchmarkMatchmaking(b *testing.B) {
	n, err := seeds.Load()
	if err != nil {
		b.Fatal(err)
	}
	h := newHandler(neo4jtest.MustOpenDB(b))
	rng := rand.New(rand.NewPCG(1, 2))
	query := `query($ags: String!) { matchmaking(input: {place: {ags: $ags}, topics: ["phishing", "ransomware"], employees: 20}) {
		contacts { contact { name } score reasons { text } } events { event { title startsAt } score reasons { text } }
		measures { measure { code } score } offers { offer { name } score } } }`
	benchmarkQuery(b, h, query, func() map[string]any {
		return map[string]any{"ags": string(n.Municipalities[rng.IntN(len(n.Municipalities))].AGS)}
	})
}

// BenchmarkEmergencyHelp measures the one-screen emergency answer.
func BenchmarkEmergencyHelp(b *testing.B) {
	h := newHandler(neo4jtest.MustOpenDB(b))
	benchmarkQuery(b, h, `{ emergencyHelp(place: {postcode: "32689"}) { steps contacts { name phone reason { text } } } }`,
		func() map[string]any { return nil })
}

// BenchmarkSearch measures typo-tolerant search with facets, and suggest.
func BenchmarkSearch(b *testing.B) {
	h := newHandler(neo4jtest.MustOpenDB(b))
	texts := []string{"Kaletal Infoabend", "Planspiel Ransomware Wuperthal", "Polizei Cybercrime Lippe", "32689", "Notfall Backup"}
	i := 0
	benchmarkQuery(b, h, `query($q: String!) { search(query: $q, first: 10) { estimatedTotal
		edges { node { type score highlights { field snippet } } } facets { types { value count } districts { value label count } } } }`,
		func() map[string]any { i++; return map[string]any{"q": texts[i%len(texts)]} })
}

func BenchmarkSuggest(b *testing.B) {
	h := newHandler(neo4jtest.MustOpenDB(b))
	prefixes := []string{"Kal", "Wup", "326", "Sol", "Satellit"}
	i := 0
	benchmarkQuery(b, h, `query($p: String!) { suggest(prefix: $p) { kind text value } }`,
		func() map[string]any { i++; return map[string]any{"p": prefixes[i%len(prefixes)]} })
}

// BenchmarkRolloutMatrix measures the matrix of all regions, as an admin.
func BenchmarkRolloutMatrix(b *testing.B) {
	h := newHandler(neo4jtest.MustOpenDB(b))
	admin := &cyberlotse.Identity{Subject: "bench", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}
	asAdmin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(cyberlotse.NewContextWithIdentity(r.Context(), admin)))
	})
	benchmarkQuery(b, asAdmin, `{ rolloutMatrix { region { name } cells { measure { code title } status progress
		reach { events registrations companies satellites } } } }`, func() map[string]any { return nil })
}

func benchmarkQuery(b *testing.B, h http.Handler, query string, vars func() map[string]any) {
	b.Helper()
	var latencies []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(map[string]any{"query": query, "variables": vars()})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		latencies = append(latencies, time.Since(start))
		if rec.Code != 200 || bytes.Contains(rec.Body.Bytes(), []byte(`"errors"`)) {
			b.Fatalf("response %d: %s", rec.Code, rec.Body.String())
		}
	}
	b.StopTimer()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	if testing.Verbose() {
		fmt.Printf("%s: n=%d p50=%.2fms p95=%.2fms\n", b.Name(), len(latencies), pct(0.5), pct(0.95))
	}
}
