// Package web serves the web frontend: the Vite build in dist/ (made by
// `npm run build`, which `make run` runs), embedded into the binary. Without
// a build the handler serves a German page that says how to make one, so
// `go build ./...` works on a fresh clone without Node.
package web

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// Dist holds the build output under dist/ and the page dist-missing.html.
// The pattern "dist*" also matches dist-missing.html, which is committed, so
// it never comes up empty: go:embed fails on a pattern without matches, and
// dist/ itself is build output that git ignores.
//
//go:embed all:dist*
var Dist embed.FS

const missingPage = "dist-missing.html"

// graphiqlPage is GraphiQL's page in dist/, a second entry of the Vite
// build (graphiql.html, src/graphiql.ts) served at /graphiql only.
const graphiqlPage = "graphiql.html"

// contentSecurityPolicy allows only the page's own origin: the bundle loads
// nothing from elsewhere, and the browser enforces that it stays so.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// graphiqlSecurityPolicy is the app's policy with what GraphiQL needs, on
// its page only, found by running it in Chromium under stricter policies:
// Monaco, its editor, adds <style> elements and style attributes at run
// time (style-src 'unsafe-inline') and underlines errors with data: SVG
// images (img-src data:), and GraphiQL's stylesheet carries its fonts as
// data: URLs (font-src data:). Scripts stay 'self' only, without
// 'unsafe-eval'; Monaco's workers are files of the bundle, which
// script-src 'self' covers.
const graphiqlSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"font-src 'self' data:; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
	"form-action 'self'; frame-ancestors 'none'"

// Handler serves the frontend at /: files of dist/ as they are, index.html
// for every other path (the client routes such as /veranstaltungen/…), and
// 404 for missing files with an extension. Vite's hashed assets/ are cached
// for a year, everything else is revalidated. Without a build it serves the
// "how to build" page for every path.
func Handler() http.Handler {
	site, err := built("index.html")
	if err != nil {
		return missing()
	}
	return siteHandler(site)
}

// GraphiQL serves GraphiQL's page, for /graphiql; its scripts, styles and
// workers are files in dist/assets/ that Handler serves. Nothing comes
// from a CDN, so it works offline. Without a build it serves the "how to
// build" page.
func GraphiQL() http.Handler {
	site, err := built(graphiqlPage)
	if err != nil {
		return missing()
	}
	return graphiqlHandler(site)
}

func graphiqlHandler(site fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		setSecurityHeaders(w, graphiqlSecurityPolicy)
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeFileFS(w, r, site, graphiqlPage)
	})
}

// built returns dist/ if the build is there, with page in it.
func built(page string) (fs.FS, error) {
	site, err := fs.Sub(Dist, "dist")
	if err == nil {
		_, err = fs.Stat(site, page)
	}
	return site, err
}

func missing() http.Handler {
	page, _ := Dist.ReadFile(missingPage)
	return staticPage(page)
}

func siteHandler(site fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		setSecurityHeaders(w, contentSecurityPolicy)
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if info, err := fs.Stat(site, name); err == nil && !info.IsDir() && name != "index.html" && name != graphiqlPage {
			if strings.HasPrefix(name, "assets/") {
				w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				w.Header().Set("Cache-Control", "no-cache")
			}
			http.ServeFileFS(w, r, site, name)
			return
		}
		if strings.HasPrefix(name, "assets/") || path.Ext(name) != "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		secretPage(w, r)
		http.ServeFileFS(w, r, site, "index.html")
	})
}

// HandoverPath is the page a Digi-SOS handover link opens. Its secret is
// in the fragment (#…), which browsers never send to a server, so no log
// sees it; the page also sends no referrer and is never stored by caches.
const HandoverPath = "/uebergabe"

func secretPage(w http.ResponseWriter, r *http.Request) {
	if path.Clean("/"+r.URL.Path) == HandoverPath {
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-store")
	}
}

func staticPage(page []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		setSecurityHeaders(w, contentSecurityPolicy)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		secretPage(w, r)
		w.Write(page)
	})
}

func readOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
	return false
}

func setSecurityHeaders(w http.ResponseWriter, policy string) {
	h := w.Header()
	h.Set("Content-Security-Policy", policy)
	h.Set("X-Content-Type-Options", "nosniff")
	// Manage links carry their token in the URL: never pass it on to other sites.
	h.Set("Referrer-Policy", "same-origin")
}
