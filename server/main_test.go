package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// MustRunMain starts the whole service over HTTP on a free port against
// the test Neo4j, as `server serve` does, and stops it at the end.
func MustRunMain(t *testing.T) string {
	t.Helper()
	neo4jtest.MustOpenDB(t) // fails clearly when the test database is missing
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.VarDir = t.TempDir()
	// The retention job would anonymize, at the real time, the
	// registrations other tests make for long past events; its tests run
	// it with their own clocks (retention_test.go).
	cfg.RetentionEvery = 0
	// The advisory alert jobs would mail, at the real time, the alert
	// subscriptions other tests make; their tests run them with their own
	// clocks and municipalities (advisoryalerts_test.go).
	cfg.AdvisoryAlertEvery = 0
	m := NewMain(cfg)
	m.Logger = quiet
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.OpenDB(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.OpenServices(); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		m.Close()
	})
	return "http://" + ln.Addr().String()
}

func TestServeEndToEnd(t *testing.T) {
	base := MustRunMain(t)
	client := &http.Client{Timeout: 10 * time.Second}

	get := func(path string) (int, string) {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Errorf("/healthz = %d %s", code, body)
	}
	if code, body := get("/readyz"); code != 200 || !strings.Contains(body, `"ready"`) {
		t.Errorf("/readyz = %d %s", code, body)
	}
	if code, body := get("/graphiql"); code != 200 || !strings.Contains(body, "graphiql") {
		t.Errorf("/graphiql = %d", code)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, `lang="de"`) {
		t.Errorf("/ = %d", code)
	}

	// GET per GraphQL-over-HTTP.
	code, body := get("/graphql?query=" + url.QueryEscape(`{ municipalities { totalCount } }`))
	if code != 200 || body != `{"data":{"municipalities":{"totalCount":396}}}` {
		t.Errorf("GET /graphql = %d %s", code, body)
	}

	// POST.
	resp, err := client.Post(base+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ measure(code: \"M01\") { code isSample } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Data struct {
			Measure struct {
				Code     string
				IsSample bool
			}
		}
	}
	json.NewDecoder(resp.Body).Decode(&out)
	resp.Body.Close()
	if out.Data.Measure.Code != "M01" {
		t.Errorf("POST /graphql measure = %+v", out.Data.Measure)
	}

	// The query above shows in the metrics, by operation name, and so does
	// the read model's load from Neo4j at start.
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, `cyberlotse_graphql_operation_seconds_count{operation="anonymous"}`) ||
		!strings.Contains(body, `cyberlotse_neo4j_query_seconds_count{op="Reference"}`) || !strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics = %d, %.300s", code, body)
	}

	// An oversized body is refused before any parsing, with a code.
	big := `{"query":"{ measures { code } }","variables":{"pad":"` + strings.Repeat("x", 2<<20) + `"}}`
	resp, err = client.Post(base+"/graphql", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "BAD_USER_INPUT") {
		t.Errorf("oversized body = %d %s", resp.StatusCode, b)
	}
}

func TestConfigDefaultsAndErrors(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	c, err := ConfigFromEnv(get)
	if err != nil || c.Port != 8080 || c.Host != "127.0.0.1" || c.LocalHome != "var/neo4j" || c.LocalPort != 7687 || c.MaxBodyBytes != 1<<20 ||
		c.SearchConcurrency != max(1, runtime.GOMAXPROCS(0)/2) {
		t.Errorf("defaults = %+v, %v", c, err)
	}
	env["SEARCH_CONCURRENCY"] = "-1"
	if _, err := ConfigFromEnv(get); err == nil || !strings.Contains(err.Error(), "SEARCH_CONCURRENCY") {
		t.Errorf("bad SEARCH_CONCURRENCY: %v", err)
	}
	env["SEARCH_CONCURRENCY"] = "0"
	env["PORT"] = "achtzig"
	if _, err := ConfigFromEnv(get); err == nil || !strings.Contains(err.Error(), "PORT") {
		t.Errorf("bad PORT: %v", err)
	}
	env["PORT"], env["LOG_LEVEL"] = "9000", "laut"
	if _, err := ConfigFromEnv(get); err == nil || !strings.Contains(err.Error(), "LOG_LEVEL") {
		t.Errorf("bad LOG_LEVEL: %v", err)
	}
}
