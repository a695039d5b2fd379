package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var site = fstest.MapFS{
	"index.html":            {Data: []byte(`<!doctype html><html lang="de"><div id="app"></div></html>`)},
	"graphiql.html":         {Data: []byte(`<!doctype html><html lang="de"><div id="graphiql"></div></html>`)},
	"favicon.svg":           {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)},
	"assets/index-abc1.js":  {Data: []byte(`console.log(1)`)},
	"assets/index-abc1.css": {Data: []byte(`body{}`)},
}

func get(t *testing.T, h http.Handler, method, target string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSiteServesFilesAndFallsBackToIndex(t *testing.T) {
	h := siteHandler(site)
	for _, tc := range []struct {
		target, wantBody, wantCache, wantType string
		wantStatus                            int
	}{
		{"/", `<div id="app">`, "no-cache", "text/html; charset=utf-8", 200},
		{"/veranstaltungen/kalletal-infoabend-2025-09-04", `<div id="app">`, "no-cache", "text/html; charset=utf-8", 200},
		{"/anmeldung?token=abc.def", `<div id="app">`, "no-cache", "text/html; charset=utf-8", 200},
		{"/assets/index-abc1.js", "console.log(1)", "public, max-age=31536000, immutable", "text/javascript; charset=utf-8", 200},
		{"/assets/index-abc1.css", "body{}", "public, max-age=31536000, immutable", "text/css; charset=utf-8", 200},
		{"/favicon.svg", "<svg", "no-cache", "image/svg+xml", 200},
		{"/assets/index-gone.js", "404", "", "", 404},
		{"/robots.txt", "404", "", "", 404},
		{"/graphiql.html", "404", "", "", 404}, // only at /graphiql, with its policy
		{"/../../etc/passwd", "", "", "", 400},
	} {
		res := get(t, h, http.MethodGet, tc.target)
		got := body(t, res)
		if res.StatusCode != tc.wantStatus || !strings.Contains(got, tc.wantBody) {
			t.Errorf("GET %s: %d %q, want %d containing %q", tc.target, res.StatusCode, got, tc.wantStatus, tc.wantBody)
		}
		if tc.wantCache != "" && res.Header.Get("Cache-Control") != tc.wantCache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tc.target, res.Header.Get("Cache-Control"), tc.wantCache)
		}
		if tc.wantType != "" && res.Header.Get("Content-Type") != tc.wantType {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.target, res.Header.Get("Content-Type"), tc.wantType)
		}
		if csp := res.Header.Get("Content-Security-Policy"); csp != contentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q", tc.target, csp)
		}
	}
}

func TestSiteIsReadOnly(t *testing.T) {
	res := get(t, siteHandler(site), http.MethodPost, "/")
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /: %d Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestMissingBuildExplainsHowToBuild(t *testing.T) {
	page, err := Dist.ReadFile(missingPage)
	if err != nil {
		t.Fatal(err)
	}
	h := staticPage(page)
	for _, target := range []string{"/", "/veranstaltungen"} {
		res := get(t, h, http.MethodGet, target)
		got := body(t, res)
		if res.StatusCode != 200 || !strings.Contains(got, `lang="de"`) || !strings.Contains(got, "make run") {
			t.Errorf("GET %s: %d %q", target, res.StatusCode, got)
		}
	}
}

func TestHandlerServesTheBuildOrTheMissingPage(t *testing.T) {
	res := get(t, Handler(), http.MethodGet, "/veranstaltungen")
	got := body(t, res)
	if res.StatusCode != 200 || !strings.Contains(got, `lang="de"`) {
		t.Errorf("GET /veranstaltungen: %d %q", res.StatusCode, got)
	}
}

// GraphiQL's page gets its own policy: the app's, plus inline styles and
// data: fonts and images, and nothing else.
func TestGraphiQLPageHasItsOwnPolicy(t *testing.T) {
	res := get(t, graphiqlHandler(site), http.MethodGet, "/graphiql")
	got := body(t, res)
	h := res.Header
	if res.StatusCode != 200 || !strings.Contains(got, `<div id="graphiql">`) || h.Get("Content-Type") != "text/html; charset=utf-8" ||
		h.Get("Cache-Control") != "no-cache" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
		t.Errorf("GET /graphiql: %d %v %q", res.StatusCode, h, got)
	}
	want := "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; " +
		"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
	if csp := h.Get("Content-Security-Policy"); csp != want {
		t.Errorf("Content-Security-Policy\n got %s\nwant %s", csp, want)
	}
	if res := get(t, graphiqlHandler(site), http.MethodPost, "/graphiql"); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /graphiql: %d", res.StatusCode)
	}
}
