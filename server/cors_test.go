package main

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigCORSOrigins(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want []string
	}{
		{"", nil},
		{" , ", nil},
		{"https://app.example.org", []string{"https://app.example.org"}},
		// As browsers send Origin: lower case, no default port, no slash.
		{"HTTPS://App.Example.org/, http://localhost:5173,https://app.example.org:443", []string{"https://app.example.org", "http://localhost:5173"}},
		{"http://intranet.example:80,https://a.example:8443", []string{"http://intranet.example", "https://a.example:8443"}},
		{"http://127.0.0.1:8081,http://[::1]:8081", []string{"http://127.0.0.1:8081", "http://[::1]:8081"}},
		{"*", []string{"*"}},
		{" * ,", []string{"*"}},
	} {
		c, err := ConfigFromEnv(func(k string) string {
			if k == "CORS_ORIGINS" {
				return tc.env
			}
			return ""
		})
		if err != nil || !reflect.DeepEqual(c.CORSOrigins, tc.want) {
			t.Errorf("CORS_ORIGINS=%q: %q, %v; want %q", tc.env, c.CORSOrigins, err, tc.want)
		}
	}
	for _, tc := range []struct{ env, want string }{
		{"app.example.org", `"app.example.org" is not an origin such as https://app.example.org`},
		{"https://app.example.org/graphql", "no path"},
		{"https://app.example.org?x=1", "no path, query or fragment"},
		{"https://app.example.org#top", "no path, query or fragment"},
		{"ftp://app.example.org", "http or https"},
		{"null", "http or https"},
		{"https://", "host is missing"},
		{"https://user:pw@app.example.org", "no user name"},
		{"https://*.example.org", "wildcard hosts are not supported"},
		{"https://bücher.example", "xn-- form"},
		{"https://app.example.org:0", "port must be between 1 and 65535"},
		{"https://app.example.org:70000", "port must be between 1 and 65535"},
		{"https://app.example.org:https", "invalid port"},
		{"https://app.example.org,*", "cannot be combined"},
		{"*,https://app.example.org", "cannot be combined"},
	} {
		_, err := ConfigFromEnv(func(k string) string {
			if k == "CORS_ORIGINS" {
				return tc.env
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), "CORS_ORIGINS: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CORS_ORIGINS=%q: %v, want an error with %q", tc.env, err, tc.want)
		}
	}
}

// corsRequest sends method path with Origin origin (none if empty), for a
// preflight with the method and headers the browser asks for.
func corsRequest(t *testing.T, client *http.Client, method, url, origin, preflightMethod string) *http.Response {
	t.Helper()
	var body *strings.Reader
	if method == http.MethodPost {
		body = strings.NewReader(`{"query":"{ __typename }"}`)
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if preflightMethod != "" {
		req.Header.Set("Access-Control-Request-Method", preflightMethod)
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// waitServing polls /healthz until the server answers (it serves once the
// read model is loaded, which takes long on a busy machine) and returns a
// client for the test.
func waitServing(t *testing.T, base string) *http.Client {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return client
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz: %v", base, err)
		}
	}
}

func hasVaryOrigin(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Origin") {
				return true
			}
		}
	}
	return false
}

var corsHeaders = []string{"Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
	"Access-Control-Max-Age", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers"}

// The whole service with CORS_ORIGINS: the listed origin may call /graphql
// and the other API routes; another origin, and every other route, gets no
// CORS headers.
func TestCORSOnTheAPIRoutes(t *testing.T) {
	const app, evil = "https://app.example.org", "https://evil.example"
	t.Setenv("CORS_ORIGINS", app+",http://localhost:5173")
	base := MustRunMain(t)
	client := waitServing(t, base)

	// Preflights of the listed origin: 204 with everything a page needs.
	for _, path := range []string{"/graphql", "/reports/rollout.csv", "/calendar.ics", "/calendar/x.ics"} {
		res := corsRequest(t, client, http.MethodOptions, base+path, app, http.MethodPost)
		h := res.Header
		if res.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != app ||
			h.Get("Access-Control-Allow-Methods") != "GET, POST, OPTIONS" ||
			h.Get("Access-Control-Allow-Headers") != "Content-Type, Authorization" ||
			h.Get("Access-Control-Max-Age") != "7200" || h.Get("Access-Control-Allow-Credentials") != "" || !hasVaryOrigin(h) {
			t.Errorf("preflight %s from %s: %d %v", path, app, res.StatusCode, h)
		}
	}
	// The request itself: the answer names the origin, varies by it, and
	// is not to be sniffed.
	res := corsRequest(t, client, http.MethodPost, base+"/graphql", app, "")
	h := res.Header
	if res.StatusCode != 200 || h.Get("Access-Control-Allow-Origin") != app || !hasVaryOrigin(h) ||
		h.Get("Access-Control-Expose-Headers") != "Content-Disposition, Retry-After" ||
		h.Get("Access-Control-Allow-Credentials") != "" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("POST /graphql from %s: %d %v", app, res.StatusCode, h)
	}
	if res := corsRequest(t, client, http.MethodGet, base+"/calendar.ics", app, ""); res.StatusCode != 200 ||
		res.Header.Get("Access-Control-Allow-Origin") != app || !hasVaryOrigin(res.Header) {
		t.Errorf("GET /calendar.ics from %s: %d %v", app, res.StatusCode, res.Header)
	}
	// Without a token the report is refused, readably for the listed page.
	if res := corsRequest(t, client, http.MethodGet, base+"/reports/rollout.csv?region=kalletal", app, ""); res.StatusCode != http.StatusUnauthorized ||
		res.Header.Get("Access-Control-Allow-Origin") != app {
		t.Errorf("GET /reports/rollout.csv from %s: %d %v", app, res.StatusCode, res.Header)
	}

	// Another origin, and requests without Origin (not from a browser
	// page of another origin), get no CORS headers, but still Vary.
	for _, tc := range []struct{ method, path, origin, preflight string }{
		{http.MethodOptions, "/graphql", evil, http.MethodPost},
		{http.MethodPost, "/graphql", evil, ""},
		{http.MethodOptions, "/reports/rollout.csv", evil, http.MethodGet},
		{http.MethodGet, "/calendar.ics", evil, ""},
		{http.MethodOptions, "/graphql", "https://app.example.org.evil.example", http.MethodPost},
		{http.MethodOptions, "/graphql", "http://app.example.org", http.MethodPost},
		{http.MethodOptions, "/graphql", "null", http.MethodPost},
		{http.MethodPost, "/graphql", "", ""},
	} {
		res := corsRequest(t, client, tc.method, base+tc.path, tc.origin, tc.preflight)
		for _, name := range corsHeaders {
			if v := res.Header.Get(name); v != "" {
				t.Errorf("%s %s from %q: %s: %s", tc.method, tc.path, tc.origin, name, v)
			}
		}
		if !hasVaryOrigin(res.Header) || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s from %q: %v", tc.method, tc.path, tc.origin, res.Header)
		}
		if tc.method == http.MethodOptions && tc.path != "/graphql" && (res.StatusCode != http.StatusNoContent || res.Header.Get("Allow") != "GET, HEAD, OPTIONS") {
			t.Errorf("%s %s from %q: %d Allow %q", tc.method, tc.path, tc.origin, res.StatusCode, res.Header.Get("Allow"))
		}
	}
	// Routes that are not the API stay same-origin.
	for _, path := range []string{"/", "/graphiql", "/healthz", "/metrics"} {
		res := corsRequest(t, client, http.MethodGet, base+path, app, "")
		if v := res.Header.Get("Access-Control-Allow-Origin"); v != "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s from %s: %d Allow-Origin %q, nosniff %q", path, app, res.StatusCode, v, res.Header.Get("X-Content-Type-Options"))
		}
	}
}

// CORS_ORIGINS=* answers every origin with *, never with credentials;
// without CORS_ORIGINS no origin gets anything, and nothing varies.
func TestCORSAnyOriginAndNone(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	serve := func(h http.Handler, method, origin string) *http.Response {
		req := httptest.NewRequest(method, "/graphql", nil)
		req.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", http.MethodPost)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Result()
	}
	anyOrigin := newCORS([]string{"*"}).allow(api)
	for _, origin := range []string{"https://app.example.org", "http://localhost:5173"} {
		pre := serve(anyOrigin, http.MethodOptions, origin)
		res := serve(anyOrigin, http.MethodPost, origin)
		if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != "*" ||
			pre.Header.Get("Access-Control-Allow-Headers") != "Content-Type, Authorization" || pre.Header.Get("Access-Control-Allow-Credentials") != "" ||
			res.StatusCode != http.StatusTeapot || res.Header.Get("Access-Control-Allow-Origin") != "*" || res.Header.Get("Access-Control-Allow-Credentials") != "" {
			t.Errorf("* from %s: preflight %d %v, request %d %v", origin, pre.StatusCode, pre.Header, res.StatusCode, res.Header)
		}
	}
	none := newCORS(nil).allow(api)
	for _, method := range []string{http.MethodOptions, http.MethodPost} {
		res := serve(none, method, "https://app.example.org")
		if res.StatusCode != http.StatusTeapot || len(res.Header) != 0 {
			t.Errorf("no CORS_ORIGINS, %s: %d %v", method, res.StatusCode, res.Header)
		}
	}
}
