package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/importers"
)

// importMain connects a Main to the test Neo4j, as the import command does.
func importMain(tb testing.TB) *Main {
	tb.Helper()
	neo4jtest.MustOpenDB(tb)
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.VarDir = tb.TempDir()
	m := NewMain(cfg)
	m.Logger = quiet
	if err := m.OpenDB(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { m.Close() })
	return m
}

// uniquePrefix starts the names of generated companies, so that their
// keys ("name:<prefix> …") belong to this run only.
func uniquePrefix() string {
	return "Testfirma " + strings.ReplaceAll(uuid.NewString()[:13], "-", "")
}

func generated(tb testing.TB, m *Main, n int, prefix string) []byte {
	tb.Helper()
	im, err := m.Importer(context.Background(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	if err := importers.GenerateCompanies(&buf, n, 42, im.Places.Municipalities(), prefix); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportCommandCompanies(t *testing.T) {
	m := importMain(t)
	ctx := context.Background()
	prefix := uniquePrefix()
	t.Cleanup(func() {
		if err := store.DeleteCompaniesForTest(ctx, m.DB, "name:"+cyberlotse.FoldName(prefix)+" "); err != nil {
			t.Error(err)
		}
	})
	data := generated(t, m, 2500, prefix)
	// A row as people leave them: no postcode. It is line 2502.
	data = append(data, []byte(prefix+" Ohne PLZ GmbH;62.01;3;;Köln\n")...)
	dir := t.TempDir()
	path := filepath.Join(dir, "firmen.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	importOnce := func(args ...string) string {
		var out bytes.Buffer
		if err := importCommand(ctx, m, append([]string{"companies"}, args...), &out); err != nil {
			t.Fatalf("import %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	out := importOnce("--dry-run", path)
	if !strings.Contains(out, "Probelauf") || !strings.Contains(out, "2500 angelegt, 0 geändert, 0 unverändert, 1 abgelehnt") {
		t.Fatalf("dry run:\n%s", out)
	}
	out = importOnce(path, "--batch", "1000")
	if !strings.Contains(out, "2500 angelegt, 0 geändert, 0 unverändert, 1 abgelehnt") {
		t.Fatalf("first run:\n%s", out)
	}
	report, err := os.ReadFile(filepath.Join(dir, "firmen.rejected.csv"))
	if err != nil {
		t.Fatalf("the report next to the input: %v", err)
	}
	if !strings.Contains(string(report), "2502;;PLZ;;PLZ fehlt;abgelehnt") {
		t.Fatalf("report:\n%s", report)
	}
	own := filepath.Join(dir, "bericht.csv")
	out = importOnce(path, "--report", own)
	if !strings.Contains(out, "0 angelegt, 0 geändert, 2500 unverändert") || !strings.Contains(out, "Bericht: "+own) {
		t.Fatalf("second run:\n%s", out)
	}
}

func TestImportCommandUsage(t *testing.T) {
	m := NewMain(Config{})
	for _, args := range [][]string{{}, {"firmen"}, {"companies"}, {"companies", "a.csv", "b.csv"},
		{"events", "feed.ics"}, {"events", "feed.ics", "--organizer", "x", "--horizon", "ewig"}} {
		if err := importCommand(context.Background(), m, args, io.Discard); err == nil {
			t.Errorf("import %v: want an error", args)
		}
	}
}

func TestFeedJobs(t *testing.T) {
	feeds, err := FeedJobs(" https://www.kalletal.de/kalender.ics|gemeinde-kalletal ;\nhttps://asw.example/termine.ics|asw-west;")
	if err != nil || len(feeds) != 2 || feeds[0] != (Feed{URL: "https://www.kalletal.de/kalender.ics", OrganizerID: "gemeinde-kalletal"}) ||
		feeds[1].OrganizerID != "asw-west" {
		t.Fatalf("feeds %+v, %v", feeds, err)
	}
	if feeds, err := FeedJobs(""); err != nil || len(feeds) != 0 {
		t.Fatalf("empty: %v %v", feeds, err)
	}
	for _, bad := range []string{"https://x.example/a.ics", "ftp://x/a.ics|org", "https://x.example/a.ics|a;https://x.example/a.ics|b", "|org"} {
		if _, err := FeedJobs(bad); err == nil {
			t.Errorf("FeedJobs(%q): want an error", bad)
		}
	}
	for in, want := range map[string]time.Duration{"365d": 365 * 24 * time.Hour, "90": 90 * 24 * time.Hour, "2160h": 2160 * time.Hour} {
		if got, err := parseHorizon(in); err != nil || got != want {
			t.Errorf("parseHorizon(%q) = %v, %v", in, got, err)
		}
	}
}

// TestImportCommandEventsFromURL imports a feed over HTTP with the
// command, then again as the scheduled job does (RunFeed).
func TestImportCommandEventsFromURL(t *testing.T) {
	m := importMain(t)
	m.Now = func() time.Time { return time.Date(2097, 1, 10, 12, 0, 0, 0, berlin) }
	ctx := context.Background()
	run := neo4jtest.NewID()
	ics, err := os.ReadFile("../importers/testdata/kalletal-v1.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics = bytes.ReplaceAll(ics, []byte(".example"), []byte("."+run+".example"))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
		w.Write(ics)
	}))
	defer srv.Close()
	url := srv.URL + "/veranstaltungen.ics?run=" + run
	t.Cleanup(func() {
		if err := store.DeleteFeedEventsForTest(ctx, m.DB, url); err != nil {
			t.Error(err)
		}
	})
	var out bytes.Buffer
	if err := importCommand(ctx, m, []string{"events", url, "--organizer", "gemeinde-kalletal", "--horizon", "365d"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "Veranstaltungen: 11 angelegt, 0 geändert, 0 unverändert, 1 abgelehnt") ||
		!strings.Contains(out.String(), "FREQ=YEARLY") {
		t.Fatalf("output:\n%s", out.String())
	}
	res, err := m.RunFeed(ctx, Feed{URL: url, OrganizerID: "gemeinde-kalletal"})
	if err != nil {
		t.Fatal(err)
	}
	if res.ImportCounts != (cyberlotse.ImportCounts{Unchanged: 11}) || len(res.Cancelled) != 0 {
		t.Fatalf("scheduled run: %s", res.Summary())
	}
}

// BenchmarkImportCompanies imports 100,000 generated companies at real
// NRW postcodes (one parsing goroutine, batches of 1,000 rows per UNWIND
// transaction) and then imports them again (all unchanged); it reports
// rows per second of both. Run it with
//
//	NEO4J_URI=… go test ./server -run '^$' -bench ImportCompanies -benchtime 1x
func BenchmarkImportCompanies(b *testing.B) {
	const n = 100_000
	m := importMain(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		prefix := uniquePrefix()
		data := generated(b, m, n, prefix)
		im, err := m.Importer(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := im.ImportCompanies(ctx, data, importers.Options{Source: "benchmark.csv"})
		if err != nil {
			b.Fatal(err)
		}
		first := time.Since(start)
		start = time.Now()
		again, err := im.ImportCompanies(ctx, data, importers.Options{Source: "benchmark.csv"})
		if err != nil {
			b.Fatal(err)
		}
		second := time.Since(start)
		b.StopTimer()
		if res.Created != n || again.Unchanged != n {
			b.Fatalf("first %s, second %s", res.Summary(), again.Summary())
		}
		b.ReportMetric(float64(n)/first.Seconds(), "rows/s")
		b.ReportMetric(float64(n)/second.Seconds(), "rerun-rows/s")
		b.Logf("first: %s\nsecond: %s", res.Summary(), again.Summary())
		if err := store.DeleteCompaniesForTest(ctx, m.DB, "name:"+cyberlotse.FoldName(prefix)+" "); err != nil {
			b.Fatal(err)
		}
	}
}
