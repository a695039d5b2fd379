package main

import (
	"net/http"
	"strconv"
)

// corsMaxAge is how long a browser may reuse a preflight answer: two hours,
// the most Chromium keeps one, so a changed CORS_ORIGINS takes effect
// within that time.
const corsMaxAge = 2 * 60 * 60

// cors lets pages of the configured origins (CORS_ORIGINS) call the API
// routes from the browser. The API authenticates with bearer tokens in
// Authorization and sets no cookies, so it never sends
// Access-Control-Allow-Credentials: a page of another origin can only send
// a token it holds itself. That is also why "*" may stand for every origin.
type cors struct {
	any     bool            // CORS_ORIGINS=*
	origins map[string]bool // exact Origin values
}

func newCORS(origins []string) *cors {
	c := &cors{origins: map[string]bool{}}
	for _, o := range origins {
		if o == "*" {
			c.any = true
		}
		c.origins[o] = true
	}
	return c
}

func (c *cors) enabled() bool { return c.any || len(c.origins) > 0 }

// allow wraps an API route. A request from a listed origin gets
// Access-Control-Allow-Origin; its preflight (OPTIONS with
// Access-Control-Request-Method) is answered here with 204, the methods GET,
// POST and OPTIONS, the headers Content-Type and Authorization and the max
// age. Requests from other origins pass on unchanged and get no CORS
// headers, so the browser keeps their pages from reading the answer. Every
// answer carries Vary: Origin, so caches keep them apart. Without
// CORS_ORIGINS the route is returned as it is.
func (c *cors) allow(next http.Handler) http.Handler {
	if !c.enabled() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		if origin == "" || !(c.any || c.origins[origin]) {
			next.ServeHTTP(w, r)
			return
		}
		if c.any {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization")
			h.Set("Access-Control-Max-Age", strconv.Itoa(corsMaxAge))
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// The CSV report's file name, and when to retry after a 503.
		h.Set("Access-Control-Expose-Headers", "Content-Disposition, Retry-After")
		next.ServeHTTP(w, r)
	})
}

// options answers OPTIONS on a GET route (the mux would say 405): with
// CORS_ORIGINS, allow answers the preflights of listed origins before it;
// others learn the methods.
func options(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

// noSniff keeps browsers from reading any answer as another type than its
// Content-Type says (a JSON error as HTML, say); the web's pages set it
// too, together with their Content-Security-Policy.
func noSniff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}
