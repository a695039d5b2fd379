package csaf_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

// benchProduct is one product of the benchmark's catalogue.
type benchProduct struct {
	Vendor, Name string // as an advisory names them
	CPE, PURL    string // without version; at most one of them
}

// benchCatalogue is 2,000 products of 400 vendors, a few with real names:
// every third with a CPE, every third with a package URL, the rest by
// name only. The first 100 are the common ones (operating systems,
// browsers, office, firewalls) that many advisories and most
// municipalities name.
func benchCatalogue() []benchProduct {
	real := []string{"Microsoft Corporation", "Google LLC", "Mozilla Foundation", "Adobe Inc.", "Cisco Systems, Inc.",
		"Fortinet, Inc.", "Apache Software Foundation", "Oracle Corporation", "VMware, Inc.", "Citrix Systems, Inc.",
		"SAP SE", "Red Hat, Inc.", "Canonical Ltd.", "Palo Alto Networks", "Atlassian Corporation", "Zoom Video Communications",
		"Ivanti", "Sophos Ltd.", "Veeam Software", "Open-Xchange AG"}
	var out []benchProduct
	for i := range 2000 {
		v := i % 400
		vendor := fmt.Sprintf("Anbieter %03d GmbH", v)
		if v < len(real) {
			vendor = real[v]
		}
		name := fmt.Sprintf("Produkt %d", i/400+1)
		vslug := strings.ToLower(strings.Fields(vendor)[0])
		if v >= len(real) {
			vslug = fmt.Sprintf("anbieter%03d", v)
		}
		vslug = strings.Trim(strings.NewReplacer(",", "", ".", "").Replace(vslug), "-")
		slug := fmt.Sprintf("produkt_%d", i/400+1)
		p := benchProduct{Vendor: vendor, Name: name}
		switch i % 3 {
		case 0:
			p.CPE = "cpe:2.3:a:" + vslug + ":" + slug
		case 1:
			p.PURL = "pkg:generic/" + vslug + "/" + slug
		}
		out = append(out, p)
	}
	return out
}

// benchVersion is a version like 3.7.12.
func benchVersion(r *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d", 1+r.IntN(6), r.IntN(10), r.IntN(20))
}

// benchAffected describes how an advisory names one affected product:
// a range (mostly), one version, or all versions.
func benchAffected(r *rand.Rand) (version, rng string) {
	switch x := r.IntN(10); {
	case x == 0:
		return "", ""
	case x == 1:
		return benchVersion(r), ""
	case x < 6:
		return "", "vers:generic/<" + benchVersion(r)
	default:
		lo := benchVersion(r)
		hi := fmt.Sprintf("%d.0.0", 2+r.IntN(6))
		if cyberlotse.CompareVersions(lo, hi) >= 0 {
			return "", "vers:generic/>=" + hi + "|<" + fmt.Sprintf("%d.0.0", 8+r.IntN(3))
		}
		return "", "vers:generic/>=" + lo + "|<" + hi
	}
}

// benchDoc renders one CSAF 2.0 advisory naming 1 to 3 products of the
// catalogue; version > 1 changes its ranges and score.
func benchDoc(pub string, i, version int, cat []benchProduct, r *rand.Rand) []byte {
	n := 1 + r.IntN(3)
	seen := map[int]bool{}
	var branches []any
	var ids []string
	for k := range n {
		var pi int
		if r.IntN(100) < 15 {
			pi = r.IntN(100)
		} else {
			pi = 100 + r.IntN(len(cat)-100)
		}
		if seen[pi] {
			continue
		}
		seen[pi] = true
		p := cat[pi]
		id := fmt.Sprintf("CSAFPID-%04d", k+1)
		ids = append(ids, id)
		ver, rng := benchAffected(r)
		full := map[string]any{"name": p.Vendor + " " + p.Name + " " + ver + rng, "product_id": id}
		switch {
		case p.CPE != "":
			cpe := p.CPE + ":*:*:*:*:*:*:*:*"
			if ver != "" {
				cpe = p.CPE + ":" + ver + ":*:*:*:*:*:*:*"
			}
			full["product_identification_helper"] = map[string]any{"cpe": cpe}
		case p.PURL != "":
			full["product_identification_helper"] = map[string]any{"purl": p.PURL}
		}
		leaf := map[string]any{"category": "product_version_range", "name": rng, "product": full}
		switch {
		case ver != "":
			leaf = map[string]any{"category": "product_version", "name": ver, "product": full}
		case rng == "":
			leaf = map[string]any{"category": "product_version_range", "name": "vers:generic/*", "product": full}
			full["name"] = p.Vendor + " " + p.Name
		}
		branches = append(branches, map[string]any{"category": "vendor", "name": p.Vendor, "branches": []any{
			map[string]any{"category": "product_name", "name": p.Name, "branches": []any{leaf}}}})
	}
	released := time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 2 * time.Hour)
	updated := released.Add(time.Duration(version-1) * 24 * time.Hour)
	score := float64(r.IntN(71)+30) / 10
	var revs []any
	for v := 1; v <= version; v++ {
		revs = append(revs, map[string]any{"date": released.Add(time.Duration(v-1) * 24 * time.Hour).Format(time.RFC3339),
			"number": fmt.Sprint(v), "summary": fmt.Sprintf("Fassung %d", v)})
	}
	doc := map[string]any{
		"document": map[string]any{
			"category": "csaf_security_advisory", "csaf_version": "2.0", "lang": "de-DE",
			"publisher": map[string]any{"category": "coordinator", "name": "Bench-CERT", "namespace": pub},
			"title":     fmt.Sprintf("Sicherheitshinweis %d: Schwachstelle ermöglicht Codeausführung", i),
			"tracking": map[string]any{
				"id": fmt.Sprintf("BENCH-%05d", i), "version": fmt.Sprint(version), "status": "final",
				"initial_release_date": released.Format(time.RFC3339), "current_release_date": updated.Format(time.RFC3339),
				"revision_history": revs,
			},
		},
		"product_tree": map[string]any{"branches": branches},
		"vulnerabilities": []any{map[string]any{
			"cve":            fmt.Sprintf("CVE-2024-%05d", i),
			"product_status": map[string]any{"known_affected": ids},
			"scores": []any{map[string]any{"products": ids, "cvss_v3": map[string]any{
				"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
				"baseScore": score, "baseSeverity": benchSeverity(score)}}},
			"remediations": []any{map[string]any{"category": "vendor_fix", "details": "Update auf die aktuelle Version",
				"product_ids": ids}},
		}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

func benchSeverity(s float64) string {
	switch {
	case s >= 9:
		return "CRITICAL"
	case s >= 7:
		return "HIGH"
	case s >= 4:
		return "MEDIUM"
	}
	return "LOW"
}

// benchProducts is a municipality's 50 products: 10 of the 100 common
// ones and 40 of the rest, a version for nine in ten, and for products
// with an identifier the identifier for every second (the others by
// vendor and name, the vendor spelt briefly).
func benchProducts(cat []benchProduct, r *rand.Rand) []cyberlotse.MunicipalityProduct {
	seen := map[int]bool{}
	var out []cyberlotse.MunicipalityProduct
	for len(out) < 50 {
		var pi int
		if len(out) < 10 {
			pi = r.IntN(100)
		} else {
			pi = 100 + r.IntN(len(cat)-100)
		}
		if seen[pi] {
			continue
		}
		seen[pi] = true
		p := cat[pi]
		// "Microsoft" for "Microsoft Corporation", "Anbieter 017" for
		// "Anbieter 017 GmbH"
		mp := cyberlotse.MunicipalityProduct{Vendor: strings.TrimSuffix(strings.Fields(p.Vendor)[0], ","), Name: p.Name}
		if strings.HasPrefix(p.Vendor, "Anbieter ") {
			mp.Vendor = strings.TrimSuffix(p.Vendor, " GmbH")
		}
		if r.IntN(10) > 0 {
			mp.Version = benchVersion(r)
		}
		if r.IntN(2) == 0 {
			mp.CPE, mp.PURL = p.CPE, p.PURL
			if mp.CPE != "" {
				mp.CPE += ":*:*:*:*:*:*:*:*"
			}
		}
		out = append(out, mp)
	}
	return out
}

type benchSource []csaf.Document

func (d benchSource) Len() int { return len(d) }
func (d benchSource) Documents(context.Context) iter.Seq2[csaf.Document, error] {
	return func(yield func(csaf.Document, error) bool) {
		for _, x := range d {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// BenchmarkAdvisoryMatching is the KWID benchmark of issue 16: 10,000
// generated CSAF documents (deterministic seed; each with its SHA-256 and
// a detached OpenPGP signature checked as in production with keys
// configured) imported with schema validation into the store and matched
// against the 396 municipalities with 50 products each; then 100 of them
// changed (version 2, other ranges) and imported again. It reports the
// import time (matching included where the store matches on write), the
// time to read every municipality's matches, the matches found, and the
// re-import of the 100; it checks every stored match against
// cyberlotse.MatchAdvisory. It replaces the product lists of all
// municipalities and restores them at the end. ADVISORIES=n imports n
// documents instead, ADVISORY_BATCH=n stores n per transaction.
func BenchmarkAdvisoryMatching(b *testing.B) {
	ctx := context.Background()
	db := neo4jtest.MustOpenDB(b)
	advs := store.NewAdvisoryService(db)
	// One publisher of its own, fixed, so that a run that was stopped
	// before its clean-up is cleaned up by the next.
	const pub = "https://advisory-benchmark.example/csaf"
	if err := store.DeleteAdvisoriesForTest(ctx, db, pub); err != nil {
		b.Fatal(err)
	}
	agss, err := db.AllMunicipalityAGSForTest(ctx)
	if err != nil || len(agss) != 396 {
		b.Fatalf("municipalities: %d %v", len(agss), err)
	}
	saved := map[cyberlotse.AGS][]cyberlotse.MunicipalityProduct{}
	for _, a := range agss {
		ps, err := advs.MunicipalityProducts(ctx, a)
		if err != nil {
			b.Fatal(err)
		}
		saved[a] = ps
	}
	b.Cleanup(func() {
		ctx := context.Background()
		if err := store.DeleteAdvisoriesForTest(ctx, db, pub); err != nil {
			b.Error(err)
		}
		for _, a := range agss {
			var err error
			if len(saved[a]) > 0 {
				err = advs.SetMunicipalityProducts(ctx, a, saved[a])
			} else {
				err = store.DeleteMunicipalityProductsForTest(ctx, db, a)
			}
			if err != nil {
				b.Error(err)
			}
		}
	})

	n, changed := 10_000, 100
	if s := os.Getenv("ADVISORIES"); s != "" { // a smaller run: ADVISORIES=1000
		n, _ = strconv.Atoi(s)
	}
	batch := 0 // csaf.DefaultBatchSize
	if s := os.Getenv("ADVISORY_BATCH"); s != "" {
		batch, _ = strconv.Atoi(s)
	}
	phase := func(format string, args ...any) {
		if testing.Verbose() {
			fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
		}
	}
	r := rand.New(rand.NewPCG(16, 2026))
	cat := benchCatalogue()
	key, err := csaf.NewTestKey()
	if err != nil {
		b.Fatal(err)
	}
	pubKey, err := key.Public()
	if err != nil {
		b.Fatal(err)
	}
	keys, err := csaf.LoadKeys(pubKey)
	if err != nil {
		b.Fatal(err)
	}
	sign := func(i, version int) csaf.Document {
		data := benchDoc(pub, i, version, cat, rand.New(rand.NewPCG(uint64(i), uint64(version))))
		sig, err := key.Sign(data)
		if err != nil {
			b.Fatal(err)
		}
		sum := sha256.Sum256(data)
		return csaf.Document{Source: fmt.Sprintf("bench/%05d-v%d.json", i, version), Data: data,
			Sums: map[string]string{"sha256": hex.EncodeToString(sum[:])}, Signature: []byte(sig)}
	}
	var first, second benchSource
	for i := range n {
		first = append(first, sign(i, 1))
	}
	for i := range changed {
		second = append(second, sign(i*(n/changed)+7, 2))
	}
	lists := map[cyberlotse.AGS][]cyberlotse.MunicipalityProduct{}
	for _, a := range agss {
		lists[a] = benchProducts(cat, r)
	}

	phase("%d documents generated and signed", n)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		for _, a := range agss {
			if err := advs.SetMunicipalityProducts(ctx, a, lists[a]); err != nil {
				b.Fatal(err)
			}
		}
		tLists := time.Since(start)
		phase("product lists stored in %s", tLists)

		start = time.Now()
		cpu := startCPU()
		sum, err := csaf.Import(ctx, advs, first, csaf.Options{Keys: keys, BatchSize: batch})
		if err != nil {
			b.Fatal(err)
		}
		tImport := time.Since(start)
		goCPU, dbCPU := cpu()
		phase("imported in %s (CPU: Go %.2f s, Neo4j %s)", tImport, goCPU, dbCPU)
		if sum.New != n || len(sum.Rejected) != 0 {
			b.Fatalf("first import: %+v", sum)
		}

		start = time.Now()
		got := readAllMatches(b, advs, agss, pub)
		tRead := time.Since(start)
		phase("matches read in %s", tRead)
		matched := len(got)

		start = time.Now()
		cpu = startCPU()
		sum, err = csaf.Import(ctx, advs, second, csaf.Options{Keys: keys, BatchSize: batch})
		if err != nil {
			b.Fatal(err)
		}
		tChanged := time.Since(start)
		goCPU2, dbCPU2 := cpu()
		phase("changed imported in %s (CPU: Go %.2f s, Neo4j %s)", tChanged, goCPU2, dbCPU2)
		if sum.Updated != changed {
			b.Fatalf("second import: %+v", sum)
		}
		start = time.Now()
		got = readAllMatches(b, advs, agss, pub)
		tRead2 := time.Since(start)

		// Every stored match is what MatchAdvisory says, and no match is
		// missing: the expectation over the final documents in Go.
		final := map[int]csaf.Document{}
		for i, d := range first {
			final[i] = d
		}
		for i := range changed {
			final[i*(n/changed)+7] = second[i]
		}
		type declared struct {
			ags cyberlotse.AGS
			i   int
		}
		byKey := map[string][]declared{}
		for _, ags := range agss {
			for i, mp := range lists[ags] {
				for _, k := range mp.MatchKeys() {
					byKey[k] = append(byKey[k], declared{ags, i})
				}
			}
		}
		want := map[string]bool{}
		for _, d := range final {
			a, err := csaf.Parse(d)
			if err != nil {
				b.Fatal(err)
			}
			cands := map[cyberlotse.AGS]map[int]bool{}
			for _, ap := range a.Products {
				for _, k := range ap.MatchKeys() {
					for _, c := range byKey[k] {
						if cands[c.ags] == nil {
							cands[c.ags] = map[int]bool{}
						}
						cands[c.ags][c.i] = true
					}
				}
			}
			for ags, is := range cands {
				var mine []cyberlotse.MunicipalityProduct
				for i := range is {
					mine = append(mine, lists[ags][i])
				}
				for _, m := range cyberlotse.MatchAdvisory(a, mine) {
					want[matchKey(ags, m)] = true
				}
			}
		}
		if len(want) != len(got) {
			b.Errorf("%d matches stored, MatchAdvisory finds %d", len(got), len(want))
		}
		for k := range want {
			if !got[k] {
				b.Errorf("missing match %s", k)
				break
			}
		}
		advisoriesMatched := map[string]bool{}
		for k := range got {
			advisoriesMatched[strings.Split(k, "|")[1]] = true
		}
		// The store matches on write: import-s is the import with its
		// matching, the figure of the 10 s target; read-all-s reads the
		// matches of every municipality afterwards.
		b.ReportMetric(tImport.Seconds(), "import-s")
		b.ReportMetric(goCPU, "import-go-cpu-s")
		b.ReportMetric(tRead.Seconds(), "read-all-s")
		b.ReportMetric(float64(matched), "matches")
		b.ReportMetric(tChanged.Seconds(), "changed100-s")
		b.Logf("product lists 396 × 50: %s; import of %d signed documents: %s (%.0f/s); matches of all 396 municipalities read: %s; "+
			"%d matches, %d of %d advisories match a municipality; 100 changed advisories imported: %s, all matches read again: %s (%d matches)",
			tLists.Round(time.Millisecond), n, tImport.Round(time.Millisecond), float64(n)/tImport.Seconds(), tRead.Round(time.Millisecond),
			matched, len(advisoriesMatched), n, tChanged.Round(time.Millisecond), tRead2.Round(time.Millisecond), len(got))
	}
}

// startCPU starts counting CPU time: the returned function reports the
// seconds this process used since, and those of the Neo4j process with
// the pid in NEO4J_PID if set ("?" otherwise), which runs on the same
// machine in a local benchmark.
func startCPU() func() (float64, string) {
	goCPU := func() float64 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			return 0
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	dbCPU := func() float64 {
		stat, err := os.ReadFile("/proc/" + os.Getenv("NEO4J_PID") + "/stat")
		if os.Getenv("NEO4J_PID") == "" || err != nil {
			return -1
		}
		// utime and stime are fields 14 and 15, counted after the
		// command name in parentheses; clock ticks are 100 a second on
		// Linux.
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
		ut, _ := strconv.ParseFloat(f[11], 64)
		st, _ := strconv.ParseFloat(f[12], 64)
		return (ut + st) / 100
	}
	g0, d0 := goCPU(), dbCPU()
	return func() (float64, string) {
		g1, d1 := goCPU(), dbCPU()
		if d0 < 0 || d1 < 0 {
			return g1 - g0, "?"
		}
		return g1 - g0, fmt.Sprintf("%.2f s", d1-d0)
	}
}

func matchKey(ags cyberlotse.AGS, m cyberlotse.ProductMatch) string {
	p := m.Product
	return strings.Join([]string{string(ags), m.Advisory.TrackingID, m.Advisory.Version, p.Vendor, p.Name, p.Version, p.CPE, p.PURL,
		m.Affected.ProductID, m.Reason}, "|")
}

// readAllMatches reads every municipality's matches (4 at a time) and
// returns those of the publisher.
func readAllMatches(b *testing.B, advs *store.AdvisoryService, agss []cyberlotse.AGS, pub string) map[string]bool {
	var mu sync.Mutex
	out := map[string]bool{}
	var wg sync.WaitGroup
	next := make(chan cyberlotse.AGS)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ags := range next {
				ms, err := advs.MunicipalityMatches(context.Background(), ags)
				if err != nil {
					b.Error(err)
					continue
				}
				mu.Lock()
				for _, m := range ms {
					if m.Advisory.Publisher == pub {
						out[matchKey(ags, m)] = true
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, a := range agss {
		next <- a
	}
	close(next)
	wg.Wait()
	return out
}
