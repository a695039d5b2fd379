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

// contentSecurityPolicy allows only the page's own origin: the bundle loads
// nothing from elsewhere, and the browser enforces that it stays so.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// Handler serves the frontend at /: files of dist/ as they are, index.html
// for every other path (the client routes such as /veranstaltungen/…), and
// 404 for missing files with an extension. Vite's hashed assets/ are cached
// for a year, everything else is revalidated. Without a build it serves the
// "how to build" page for every path.
func Handler() http.Handler {
	site, err := fs.Sub(Dist, "dist")
	if err == nil {
		_, err = fs.Stat(site, "index.html")
	}
	if err != nil {
		page, _ := Dist.ReadFile(missingPage)
		return staticPage(page)
	}
	return siteHandler(site)
}

func siteHandler(site fs.FS) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		setSecurityHeaders(w)
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if info, err := fs.Stat(site, name); err == nil && !info.IsDir() && name != "index.html" {
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
		http.ServeFileFS(w, r, site, "index.html")
	})
}

func staticPage(page []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readOnly(w, r) {
			return
		}
		setSecurityHeaders(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
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

func setSecurityHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	// Manage links carry their token in the URL: never pass it on to other sites.
	h.Set("Referrer-Policy", "same-origin")
}
