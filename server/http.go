package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	"github.com/cyberlotse/cyberlotse/schema"
	"github.com/cyberlotse/cyberlotse/web"
)

// Handler returns the HTTP routes of the service.
func (m *Main) Handler() http.Handler {
	resolver := m.Resolver()
	gql := graph.NewHandler(resolver, graph.DefaultLimits, m.Logger)
	mux := http.NewServeMux()
	// The API: pages of the origins in CORS_ORIGINS may call these routes
	// from the browser (cors.go); the GET routes answer their preflights.
	cors := newCORS(m.Config.CORSOrigins)
	mux.Handle("/graphql", cors.allow(limitBody(m.Config.MaxBodyBytes,
		authenticate(m.Bearer, m.withClientIP(resolver.Middleware(graph.OverHTTP(gql)))))))
	mux.Handle("GET /reports/rollout.csv", cors.allow(authenticate(m.Bearer, m.rolloutCSV(resolver))))
	mux.Handle("GET /reports/live/{file}", cors.allow(authenticate(m.Bearer, http.HandlerFunc(m.liveCSV))))
	mux.Handle("GET /calendar.ics", cors.allow(m.calendarFeed(resolver)))
	mux.Handle("GET /calendar/{file}", cors.allow(m.eventCalendar(resolver)))
	for _, path := range []string{"/reports/rollout.csv", "/reports/live/{file}", "/calendar.ics", "/calendar/{file}"} {
		mux.Handle("OPTIONS "+path, cors.allow(http.HandlerFunc(options)))
	}
	// GraphiQL, built into the binary with the web (web/graphiql.html).
	mux.Handle("GET /graphiql", web.GraphiQL())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", m.ready)
	mux.Handle("GET /metrics", m.Metrics.Handler())
	mux.Handle("/", web.Handler())
	stream := cors.allow(authenticate(m.Bearer, m.withClientIP(resolver.Middleware(
		graph.NewStreamHandler(resolver, graph.DefaultLimits, m.Logger, m.websocket())))))
	return m.streams(stream, compress(noSniff(mux)), m.Config.LiveStreamsPerAddress)
}

// ready reports whether Neo4j answers and every migration is applied.
func (m *Main) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	migrations, err := schema.Migrations()
	if err == nil {
		err = m.DB.Ping(ctx)
	}
	if err == nil {
		err = m.DB.CheckMigrated(ctx, migrations)
	}
	if err != nil {
		m.Logger.Warn("not ready", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": "Neo4j is not reachable or not migrated"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// failed answers a request that a plain HTTP route could not serve: 503
// with Retry-After while Neo4j cannot be reached, otherwise a logged
// internal error.
func (m *Main) failed(w http.ResponseWriter, what string, err error) {
	if cyberlotse.ErrorCode(err) == cyberlotse.EUNAVAILABLE {
		w.Header().Set("Retry-After", strconv.Itoa(int(cyberlotse.RetryAfter.Seconds())))
		http.Error(w, cyberlotse.ErrorMessage(err), http.StatusServiceUnavailable)
		return
	}
	m.Logger.Error(what, "err", err)
	http.Error(w, cyberlotse.MsgInternal, http.StatusInternalServerError)
}

// withClientIP records the caller's address for rate limits.
func (m *Main) withClientIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(graph.WithClientIP(r.Context(), m.clientIP(r))))
	})
}

// clientIP is the caller's address: the peer's, or with TRUST_PROXY the
// first of X-Forwarded-For.
func (m *Main) clientIP(r *http.Request) string {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	if fwd := r.Header.Get("X-Forwarded-For"); m.Config.TrustProxy && fwd != "" {
		ip = strings.TrimSpace(strings.Split(fwd, ",")[0])
	}
	return ip
}

// limitBody caps request bodies; a larger one fails to read, and gqlgen
// answers it as a bad request.
func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > n {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"errors": []map[string]any{{
				"message":    "Die Anfrage ist zu groß (höchstens 1 MiB).",
				"extensions": map[string]string{"code": "BAD_USER_INPUT"},
			}}})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, n)
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// servePprof serves Go's profiler on addr, apart from the public routes:
// `go tool pprof http://ADDR/debug/pprof/profile?seconds=20` during a bench.
func servePprof(addr string, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("profiler listening", "addr", addr)
	if err := srv.ListenAndServe(); err != nil {
		logger.Warn("profiler stopped", "err", err)
	}
}
