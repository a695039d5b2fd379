package main

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// GraphiQL comes from the binary: its page at /graphiql, and every script,
// style, font and worker the page and its scripts load, from /assets/ of
// the same server; nothing from a CDN (gqlgen's playground loaded GraphiQL
// from cdn.jsdelivr.net). Needs the web build (make web), as the binary
// that serves it does.
func TestGraphiQLIsServedFromTheBinary(t *testing.T) {
	base := MustRunMain(t)
	client := waitServing(t, base)
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return res, string(b)
	}

	res, page := get("/graphiql")
	if !strings.Contains(page, `<div id="graphiql">`) {
		t.Fatalf("GET /graphiql: %d, not GraphiQL's page (is the web built? make web):\n%.300s", res.StatusCode, page)
	}
	h := res.Header
	if res.StatusCode != 200 || h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self';") ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
		!strings.Contains(page, "<title>GraphQL-Konsole – Cyberlotse</title>") {
		t.Errorf("GET /graphiql: %d %v", res.StatusCode, h)
	}
	if strings.Contains(page, "://") {
		t.Errorf("GraphiQL's page names another origin:\n%s", page)
	}

	// Follow what the page references, what its scripts import (static
	// imports, Vite's list of lazy chunks and their styles, the workers)
	// and what the styles load.
	pageRefs := regexp.MustCompile(`(?:src|href)="([^"]+)"`)
	scriptRefs := regexp.MustCompile(`["'\x60](?:\./|/?assets/)([\w.-]+\.(?:js|css|ttf|woff2?))["'\x60]`)
	styleRefs := regexp.MustCompile(`url\(\s*["']?([^"')]+)["']?\s*\)`)
	cdns := regexp.MustCompile(`cdn\.jsdelivr\.net|unpkg\.com|esm\.sh|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com`)
	var queue []string
	for _, m := range pageRefs.FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "/") || strings.HasPrefix(m[1], "//") {
			t.Errorf("GraphiQL's page loads %q, not a path on this server", m[1])
			continue
		}
		queue = append(queue, m[1])
	}
	seen := map[string]bool{}
	kinds := map[string]int{}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		res, body := get(path)
		if res.StatusCode != 200 {
			t.Errorf("GET %s: %d", path, res.StatusCode)
			continue
		}
		if cdn := cdns.FindString(body); cdn != "" {
			t.Errorf("%s names %s", path, cdn)
		}
		switch {
		case strings.HasSuffix(path, ".js"):
			kinds["script"]++
			if strings.Contains(path, ".worker-") {
				kinds["worker"]++
			}
			for _, m := range scriptRefs.FindAllStringSubmatch(body, -1) {
				queue = append(queue, "/assets/"+m[1])
			}
		case strings.HasSuffix(path, ".css"):
			kinds["style"]++
			for _, m := range styleRefs.FindAllStringSubmatch(body, -1) {
				switch ref := m[1]; {
				case strings.HasPrefix(ref, "data:"):
				case strings.Contains(ref, "://") || strings.HasPrefix(ref, "//"):
					t.Errorf("%s loads %s from another origin", path, ref)
				default:
					queue = append(queue, "/assets/"+strings.TrimPrefix(strings.TrimPrefix(ref, "./"), "/assets/"))
				}
			}
		}
	}
	// The entry and its chunks, GraphiQL's and Monaco's styles, and
	// Monaco's three workers (editor, JSON, GraphQL).
	t.Logf("GraphiQL: %d files from the binary: %v", len(seen), kinds)
	if kinds["script"] < 10 || kinds["style"] < 2 || kinds["worker"] != 3 {
		t.Errorf("GraphiQL's files: %v from %d paths: %v", kinds, len(seen), seen)
	}
}
