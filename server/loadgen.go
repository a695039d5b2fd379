package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	searchpkg "github.com/cyberlotse/cyberlotse/graph/search"
	"github.com/cyberlotse/cyberlotse/seeds"
)

// The load generator of `make bench`: a fixed GraphQL query mix over HTTP
// from a fixed number of concurrent clients for a bounded time, then the
// same queries once more one at a time beside the store calls behind them
// (straight through the driver), so the GraphQL overhead shows as a ratio.

type loadQuery struct {
	Name  string
	Admin bool
	Build func(r *rand.Rand) (string, map[string]any)
	// Direct runs the store work behind the query, for the overhead ratio.
	Direct func(ctx context.Context, r *rand.Rand) error
}

type benchStats struct {
	Name       string  `json:"name"`
	Requests   int     `json:"requests"`
	Errors     int     `json:"errors"`
	PerSecond  float64 `json:"perSecond"`
	P50        float64 `json:"p50Ms"`
	P95        float64 `json:"p95Ms"`
	P99        float64 `json:"p99Ms"`
	ServerMean float64 `json:"serverMeanMs"`
	SerialP50  float64 `json:"serialP50Ms"`
	DirectP50  float64 `json:"directP50Ms"`
	Overhead   float64 `json:"overheadRatio"`
	latencies  []time.Duration
}

func loadgenCommand(ctx context.Context, m *Main, args []string) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080", "server to drive")
	clients := fs.Int("clients", 16, "concurrent clients")
	duration := fs.Duration("duration", 30*time.Second, "how long to drive load")
	warmup := fs.Duration("warmup", 40*time.Second, "load before the measured run, not recorded")
	serial := fs.Int("serial", 100, "requests per query one at a time, for the overhead table")
	out := fs.String("json", "", "write the results as JSON to this file")
	only := fs.String("only", "", "comma-separated query names to run (default: the whole mix)")
	growth := fs.Bool("growth", false, "print how latency grows over the result files given as arguments, and stop")
	scale := fs.Int("scale", 0, "the number of scale companies loaded, recorded in the JSON for -growth")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *growth {
		return growthReport(os.Stdout, fs.Args())
	}
	if err := m.OpenDB(ctx); err != nil {
		return err
	}
	if err := m.OpenServices(); err != nil {
		return err
	}
	admin, err := m.Auth.Issue(cyberlotse.Identity{Subject: "loadgen", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}, 2*time.Hour)
	if err != nil {
		return err
	}
	queries, err := benchQueries(ctx, m)
	if err != nil {
		return err
	}
	if queries, err = pickQueries(queries, *only); err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: *clients * 2}}
	post := func(ctx context.Context, q loadQuery, r *rand.Rand) (time.Duration, error) {
		text, vars := q.Build(r)
		body, _ := json.Marshal(map[string]any{"query": text, "variables": vars})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, *url+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", r.IntN(255), r.IntN(255), r.IntN(255)))
		if q.Admin {
			req.Header.Set("Authorization", "Bearer "+admin)
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		if resp.StatusCode != 200 || bytes.Contains(b, []byte(`"errors"`)) {
			return took, fmt.Errorf("%s: %d %.200s", q.Name, resp.StatusCode, b)
		}
		return took, nil
	}

	stopSampling := samplePeakRSS(*url)

	stats := make([]*benchStats, len(queries))
	for i, q := range queries {
		stats[i] = &benchStats{Name: q.Name}
	}
	if *warmup > 0 {
		// The JVM compiles Neo4j's hot paths and the page cache fills in
		// the first seconds; measured from a cold start, the first run's
		// p95 was ten times the steady state's.
		fmt.Fprintf(os.Stderr, "warm-up: %d clients for %v …\n", *clients, *warmup)
		drive(ctx, *warmup, *clients, queries, post, nil)
	}
	fmt.Fprintf(os.Stderr, "load: %d clients for %v …\n", *clients, *duration)
	before, _ := scrapeOps(*url)
	start := time.Now()
	firstErr := drive(ctx, *duration, *clients, queries, post, stats)
	elapsed := time.Since(start)
	peakRSS := stopSampling()
	after, _ := scrapeOps(*url)
	for i, q := range queries {
		s := stats[i]
		s.PerSecond = float64(s.Requests) / elapsed.Seconds()
		s.P50, s.P95, s.P99 = percentile(s.latencies, .5), percentile(s.latencies, .95), percentile(s.latencies, .99)
		if d := after[q.Name].count - before[q.Name].count; d > 0 {
			s.ServerMean = (after[q.Name].sum - before[q.Name].sum) / d * 1000
		}
	}

	// One at a time: GraphQL beside the store calls behind it.
	fmt.Fprintf(os.Stderr, "one at a time: %d requests per query …\n", *serial)
	r := rand.New(rand.NewPCG(7, 7))
	for i, q := range queries {
		var gqlLat, directLat []time.Duration
		for range *serial {
			if took, err := post(ctx, q, r); err == nil {
				gqlLat = append(gqlLat, took)
			}
			if q.Direct != nil {
				t0 := time.Now()
				if err := q.Direct(ctx, r); err == nil {
					directLat = append(directLat, time.Since(t0))
				}
			}
		}
		stats[i].SerialP50 = percentile(gqlLat, .5)
		if len(directLat) > 0 {
			stats[i].DirectP50 = percentile(directLat, .5)
			stats[i].Overhead = stats[i].SerialP50 / stats[i].DirectP50
		}
	}
	report(os.Stdout, stats, *clients, elapsed, peakRSS)
	if firstErr != nil {
		fmt.Fprintf(os.Stderr, "first error: %v\n", firstErr)
	}
	if *out != "" {
		if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
			return err
		}
		b, _ := json.MarshalIndent(map[string]any{"at": time.Now().Format(time.RFC3339), "clients": *clients, "scale": *scale,
			"durationSeconds": elapsed.Seconds(), "peakServerRSSBytes": peakRSS, "queries": stats}, "", "  ")
		return os.WriteFile(*out, b, 0o644)
	}
	return nil
}

// drive runs clients that send the queries in turn for d, and records
// each request in stats (nil: not recorded). It returns the first error.
func drive(ctx context.Context, d time.Duration, clients int, queries []loadQuery,
	post func(context.Context, loadQuery, *rand.Rand) (time.Duration, error), stats []*benchStats) error {
	var mu sync.Mutex
	loadCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	var firstErr error
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(c), 42))
			for i := c; loadCtx.Err() == nil; i++ {
				k := i % len(queries)
				took, err := post(loadCtx, queries[k], r)
				if loadCtx.Err() != nil || stats == nil {
					continue
				}
				mu.Lock()
				stats[k].Requests++
				stats[k].latencies = append(stats[k].latencies, took)
				if err != nil {
					stats[k].Errors++
					if firstErr == nil {
						firstErr = err
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return firstErr
}

func report(w io.Writer, stats []*benchStats, clients int, elapsed time.Duration, peakRSS float64) {
	fmt.Fprintf(w, "\n%d clients, %v, peak server memory %.0f MiB\n\n", clients, elapsed.Round(time.Second), peakRSS/(1<<20))
	fmt.Fprintf(w, "%-16s %8s %7s %8s %8s %8s %8s %10s\n", "query", "req/s", "errors", "p50 ms", "p95 ms", "p99 ms", "server", "(mean ms)")
	for _, s := range stats {
		fmt.Fprintf(w, "%-16s %8.1f %7d %8.2f %8.2f %8.2f %8.2f\n", s.Name, s.PerSecond, s.Errors, s.P50, s.P95, s.P99, s.ServerMean)
	}
	// With the read model the GraphQL answer needs no round trip to Neo4j;
	// the direct column is what the same reads cost through the driver.
	fmt.Fprintf(w, "\none at a time: GraphQL over HTTP vs. the same reads straight from Neo4j (direct driver)\n")
	fmt.Fprintf(w, "%-16s %12s %12s %8s\n", "query", "GraphQL p50", "direct p50", "ratio")
	for _, s := range stats {
		if s.DirectP50 > 0 {
			fmt.Fprintf(w, "%-16s %12.2f %12.2f %8.2f\n", s.Name, s.SerialP50, s.DirectP50, s.Overhead)
		}
	}
}

func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000
}

type opStat struct{ sum, count float64 }

// scrapeOps reads the server's GraphQL operation histograms (sum, count).
func scrapeOps(url string) (map[string]opStat, error) {
	out := map[string]opStat{}
	lines, err := scrape(url)
	for _, l := range lines {
		for _, suffix := range []string{"_sum", "_count"} {
			prefix := "cyberlotse_graphql_operation_seconds" + suffix + `{operation="`
			if rest, ok := strings.CutPrefix(l, prefix); ok {
				name, val, _ := strings.Cut(rest, `"} `)
				v, _ := strconv.ParseFloat(strings.TrimSpace(val), 64)
				st := out[name]
				if suffix == "_sum" {
					st.sum = v
				} else {
					st.count = v
				}
				out[name] = st
			}
		}
	}
	return out, err
}

// samplePeakRSS samples the server's resident memory every 500 ms until
// the returned stop, which returns the peak.
func samplePeakRSS(url string) (stop func() float64) {
	var peak float64
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			if rss := scrapeValue(url, "process_resident_memory_bytes"); rss > peak {
				peak = rss
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-sampled
		return peak
	}
}

func scrapeValue(url, metric string) float64 {
	lines, _ := scrape(url)
	for _, l := range lines {
		if rest, ok := strings.CutPrefix(l, metric+" "); ok {
			v, _ := strconv.ParseFloat(rest, 64)
			return v
		}
	}
	return 0
}

func scrape(url string) ([]string, error) {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var lines []string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// benchQueries is the fixed mix, over the data in the database (seeded,
// plus scale data when loaded).
func benchQueries(ctx context.Context, m *Main) ([]loadQuery, error) {
	n, err := seeds.Load()
	if err != nil {
		return nil, err
	}
	munis := n.Municipalities
	events := store.NewEventService(m.DB)
	// Events a day ahead at least: one that begins during the run refuses
	// registrations, which would count as errors of the server.
	from := time.Now().Add(24 * time.Hour)
	upcoming, _, err := events.FindEvents(ctx, cyberlotse.EventFilter{From: &from}, cyberlotse.Page{First: cyberlotse.MaxPageSize})
	if err != nil || len(upcoming) == 0 {
		return nil, fmt.Errorf("no upcoming events to drive the benchmark (%v)", err)
	}
	match := store.NewMatchStore(m.DB)
	search := store.NewSearchBackend(m.DB)
	rollouts := store.NewRolloutService(m.DB, berlin)
	typos := []string{"Kaletal Infoabend", "Planspiel Ransomware Wuperthal", "Polizei Cybercrime Lipe", "Notfal Backup", "Lunchtalk Phising"}
	randomAGS := func(r *rand.Rand) cyberlotse.AGS { return munis[r.IntN(len(munis))].AGS }
	randomEvent := func(r *rand.Rand) *cyberlotse.Event { return upcoming[r.IntN(len(upcoming))] }
	return []loadQuery{
		{Name: "Matchmaking", Build: func(r *rand.Rand) (string, map[string]any) {
			return `query Matchmaking($ags: String!) { matchmaking(input: {place: {ags: $ags}, topics: ["phishing"], employees: 20}) {
				contacts { contact { name phone } score reasons { text } } events { event { title startsAt } distanceKm reasons { text } }
				measures { measure { code title } rolloutStatus } offers { offer { name } } } }`, map[string]any{"ags": string(randomAGS(r))}
		}, Direct: func(ctx context.Context, r *rand.Rand) error {
			_, err := match.Candidates(ctx, cyberlotse.CandidateQuery{AGS: randomAGS(r), RadiusKm: 50, From: time.Now(), To: time.Now().AddDate(1, 0, 0)})
			return err
		}},
		{Name: "EmergencyHelp", Build: func(r *rand.Rand) (string, map[string]any) {
			return `query EmergencyHelp($ags: String!) { emergencyHelp(place: {ags: $ags}, kind: COMPANY) {
				steps contacts { name phone website availability reason { text } } } }`, map[string]any{"ags": string(randomAGS(r))}
		}, Direct: func(ctx context.Context, r *rand.Rand) error {
			_, err := match.Candidates(ctx, cyberlotse.CandidateQuery{AGS: randomAGS(r), SkipEvents: true})
			return err
		}},
		{Name: "EventsNear", Build: func(r *rand.Rand) (string, map[string]any) {
			return `query EventsNear($from: DateTime!, $ags: String!) {
				events(filter: {from: $from, near: {place: {ags: $ags}, radiusKm: 25}}, first: 20) {
				pageInfo { hasNextPage endCursor } edges { distanceKm node { slug title startsAt mode municipality { name } } } } }`,
				map[string]any{"from": time.Now().Format(time.RFC3339), "ags": string(randomAGS(r))}
		}, Direct: func(ctx context.Context, r *rand.Rand) error {
			return eventsNearDirect(ctx, m, randomAGS(r))
		}},
		{Name: "EventDetail", Build: func(r *rand.Rand) (string, map[string]any) {
			return `query EventDetail($id: ID!) { event(id: $id) { title startsAt freePlaces organizer { name contacts { name } }
				measures { code title } regions { name } municipality { name district { name govRegion { name } } } } }`,
				map[string]any{"id": randomEvent(r).ID}
		}, Direct: func(ctx context.Context, r *rand.Rand) error {
			return eventDetailDirect(ctx, m, randomEvent(r).ID)
		}},
		{Name: "SearchTypo", Build: func(r *rand.Rand) (string, map[string]any) {
			return `query SearchTypo($q: String!) { search(query: $q, first: 10) { estimatedTotal
				edges { node { type score highlights { snippet } } } facets { types { value count } } } }`,
				map[string]any{"q": typos[r.IntN(len(typos))]}
		}, Direct: func(ctx context.Context, r *rand.Rand) error {
			_, err := search.Search(ctx, searchpkg.Query{Text: typos[r.IntN(len(typos))], First: 10})
			return err
		}},
		{Name: "RolloutMatrix", Admin: true, Build: func(r *rand.Rand) (string, map[string]any) {
			return `query RolloutMatrix { rolloutMatrix { region { name } cells { measure { code } status progress
				reach { events registrations companies satellites } } } }`, nil
		}, Direct: func(ctx context.Context, r *rand.Rand) error {
			return matrixDirect(ctx, m, rollouts)
		}},
		{Name: "RegisterForEvent", Build: func(r *rand.Rand) (string, map[string]any) {
			return `mutation RegisterForEvent($event: ID!, $email: String!) { registerForEvent(eventId: $event,
				attendee: {name: "Lasttest", email: $email}, consent: true) { registration { status position } } }`,
				map[string]any{"event": randomEvent(r).ID, "email": fmt.Sprintf("bench-%d-%d@example.org", time.Now().UnixNano(), r.Int())}
		}},
	}, nil
}

// eventDetailDirect runs the store calls behind the EventDetail query the
// way a hand-written client would: level by level, the calls of one level
// at once. Against it the overhead ratio shows what GraphQL itself costs
// (parsing, validation, dataloader waits, JSON), not the number of levels.
func eventDetailDirect(ctx context.Context, m *Main, id string) error {
	geo, network, measures := store.NewGeoService(m.DB), store.NewNetworkService(m.DB), store.NewMeasureService(m.DB)
	found, err := store.NewEventService(m.DB).EventsByIDs(ctx, []string{id})
	if err != nil || len(found) == 0 {
		return fmt.Errorf("event %s: %v", id, err)
	}
	e := found[0]
	g, gctx := errgroup.WithContext(ctx)
	var munis []*cyberlotse.Municipality
	g.Go(func() error { _, err := network.OrganizationsByIDs(gctx, []string{e.OrganizerID}); return err })
	g.Go(func() error { _, err := measures.MeasuresByCodes(gctx, e.MeasureCodes); return err })
	g.Go(func() error { _, err := network.RegionsByIDs(gctx, e.RegionIDs); return err })
	g.Go(func() (err error) { munis, err = geo.MunicipalitiesByAGS(gctx, []cyberlotse.AGS{e.AGS}); return err })
	if err := g.Wait(); err != nil {
		return err
	}
	g, gctx = errgroup.WithContext(ctx)
	var districts []*cyberlotse.District
	g.Go(func() error { _, err := network.ContactsOfOrganizations(gctx, []string{e.OrganizerID}); return err })
	if len(munis) > 0 {
		g.Go(func() (err error) {
			districts, err = geo.DistrictsByKeys(gctx, []cyberlotse.DistrictKey{munis[0].DistrictKey})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if len(districts) > 0 {
		_, err = geo.GovRegionsByKeys(ctx, []string{districts[0].GovRegionKey})
	}
	return err
}

// eventsNearDirect runs the store calls behind EventsNear: the place, the
// page of events near it, their municipalities.
func eventsNearDirect(ctx context.Context, m *Main, ags cyberlotse.AGS) error {
	geo := store.NewGeoService(m.DB)
	places, err := geo.MunicipalitiesByAGS(ctx, []cyberlotse.AGS{ags})
	if err != nil || len(places) == 0 {
		return fmt.Errorf("place %s: %v", ags, err)
	}
	from := time.Now()
	page, _, err := store.NewEventService(m.DB).FindEvents(ctx, cyberlotse.EventFilter{From: &from,
		Near: &cyberlotse.Near{Place: places[0], RadiusKm: 25}}, cyberlotse.Page{First: 20})
	if err != nil {
		return err
	}
	var at []cyberlotse.AGS
	for _, e := range page {
		at = append(at, e.AGS)
	}
	_, err = geo.MunicipalitiesByAGS(ctx, at)
	return err
}

// matrixDirect runs the store calls behind RolloutMatrix: the regions the
// caller may see, their matrix, then the measures of the cells.
func matrixDirect(ctx context.Context, m *Main, rollouts *store.RolloutService) error {
	regions, err := store.NewNetworkService(m.DB).Regions(ctx, nil)
	if err != nil {
		return err
	}
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.ID
	}
	cells, err := rollouts.Matrix(ctx, ids)
	if err != nil {
		return err
	}
	codes := map[string]bool{}
	for _, c := range cells {
		codes[c.MeasureCode] = true
	}
	_, err = store.NewMeasureService(m.DB).MeasuresByCodes(ctx, slices.Collect(maps.Keys(codes)))
	return err
}

// pickQueries keeps the queries named in only (comma-separated), in the
// mix's order; all of them when only is empty.
func pickQueries(all []loadQuery, only string) ([]loadQuery, error) {
	if only == "" {
		return all, nil
	}
	var out []loadQuery
	names := strings.Split(only, ",")
	for _, q := range all {
		if slices.Contains(names, q.Name) {
			out = append(out, q)
		}
	}
	slices.Sort(names)
	if len(out) != len(slices.Compact(names)) {
		var known []string
		for _, q := range all {
			known = append(known, q.Name)
		}
		return nil, fmt.Errorf("-only %q: unknown query name; known are %s", only, strings.Join(known, ", "))
	}
	return out, nil
}

// growthReport prints, per query, the latencies of result files of runs
// at different scales side by side, smallest scale first.
func growthReport(w io.Writer, files []string) error {
	type run struct {
		Scale   int           `json:"scale"`
		Clients int           `json:"clients"`
		Queries []*benchStats `json:"queries"`
	}
	var runs []run
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r run
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		runs = append(runs, r)
	}
	if len(runs) == 0 {
		return fmt.Errorf("-growth needs result files (bench/results/growth-*.json)")
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Scale < runs[j].Scale })
	fmt.Fprintf(w, "\nlatency by scale (companies; events, contacts and registrations grow with them)\n")
	fmt.Fprintf(w, "%-16s %-24s", "query", "ms \\ companies")
	for _, r := range runs {
		fmt.Fprintf(w, " %10d", r.Scale)
	}
	fmt.Fprintln(w)
	for _, q := range runs[0].Queries {
		rows := []struct {
			label string
			get   func(*benchStats) float64
		}{
			{"direct p50 (1 client)", func(s *benchStats) float64 { return s.DirectP50 }},
			{"GraphQL p50 (1 client)", func(s *benchStats) float64 { return s.SerialP50 }},
			{fmt.Sprintf("GraphQL p95 (%d clients)", runs[0].Clients), func(s *benchStats) float64 { return s.P95 }},
		}
		for k, row := range rows {
			name := ""
			if k == 0 {
				name = q.Name
			}
			fmt.Fprintf(w, "%-16s %-24s", name, row.label)
			for _, r := range runs {
				if k := slices.IndexFunc(r.Queries, func(s *benchStats) bool { return s.Name == q.Name }); k >= 0 {
					fmt.Fprintf(w, " %10.1f", row.get(r.Queries[k]))
				} else {
					fmt.Fprintf(w, " %10s", "–")
				}
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}
