package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/cyberlotse/cyberlotse/server/mail"
)

// Config is read from the environment; every value has a default that
// works on a fresh machine.
type Config struct {
	Host     string // HOST, default 127.0.0.1
	Port     int    // PORT, default 8080
	LogLevel slog.Level
	LogJSON  bool // LOG_FORMAT=json

	// NEO4J_URI and friends point at an existing Neo4j 5 server, cluster or
	// Aura (neo4j://, neo4j+s://, bolt://). Empty: start the local one.
	Neo4jURI      string
	Neo4jUser     string
	Neo4jPassword string
	Neo4jDatabase string
	// The local server: NEO4J_LOCAL_HOME (var/neo4j), NEO4J_LOCAL_PORT (7687).
	LocalHome string
	LocalPort int
	// Memory of the local Neo4j in MiB (NEO4J_LOCAL_HEAP_MB, 512;
	// NEO4J_LOCAL_PAGECACHE_MB, 128); make bench raises both.
	LocalHeapMB, LocalPageCacheMB int

	MaxBodyBytes int64 // GRAPHQL_MAX_BODY_BYTES, default 1 MiB

	// BaseURL is the public address, for links in mails (BASE_URL;
	// default http://HOST:PORT).
	BaseURL string
	// VarDir holds local state: secrets, the mail outbox (VAR_DIR, var).
	VarDir string
	// SMTPURL sends mail over SMTP (smtp://user:pass@host:587 with STARTTLS,
	// smtps:// for implicit TLS); empty: .eml files in VarDir/outbox.
	SMTPURL  string
	MailFrom string // MAIL_FROM, e.g. "Cyberlotse <noreply@example.org>"
	// SMTPTimeouts bound each delivery: SMTP_DIAL_TIMEOUT (10s) connecting,
	// SMTP_COMMAND_TIMEOUT (30s) each wait for the server, SMTP_SEND_TIMEOUT
	// (2m) the whole mail.
	SMTPTimeouts mail.SMTPTimeouts
	// ReminderEvery is how often the reminder job runs on each replica
	// (REMINDER_INTERVAL, 15s); a registration runs it at once.
	ReminderEvery time.Duration
	// NATSURL points the live sessions at a NATS cluster with JetStream
	// (NATS_URL); empty: a NATS server embedded in this process.
	NATSURL string
	// NATSListen lets other replicas reach the embedded NATS server at
	// host:port (NATS_LISTEN; unset: this process only).
	NATSListen string
	// LiveRetention is how long the live data of a session (questions,
	// votes) is kept (LIVE_RETENTION, 7 days; at least 1h); the summary
	// stays with the event.
	LiveRetention time.Duration
	// LiveUpdateEvery is the least time between two updates sent to one
	// subscriber (LIVE_UPDATE_INTERVAL, 250ms; 50ms to 10s).
	LiveUpdateEvery time.Duration
	// LiveStreamsPerAddress bounds the open subscriptions of one client
	// address (LIVE_STREAMS_PER_ADDRESS, 500).
	LiveStreamsPerAddress int
	// AdvisoryAlertEvery is how often the urgent advisory alerts are
	// looked for besides after each advisory import
	// (ADVISORY_ALERT_INTERVAL, 15m; 0 in tests: no alert jobs, neither
	// these nor the daily digest).
	AdvisoryAlertEvery time.Duration
	// ReachEvery is how often the reach snapshots of the rollout matrix
	// are recomputed (REACH_INTERVAL, 10m).
	ReachEvery time.Duration
	// Retention is how long registrations are kept after their event
	// ended (REGISTRATION_RETENTION: 6mo months, 180d days or a Go
	// duration such as 4320h; default 6mo); RetentionEvery how often the
	// job runs (REGISTRATION_RETENTION_INTERVAL, 24h; 0 in tests: never).
	Retention      Retention
	RetentionEvery time.Duration
	// TrustProxy takes the client address from X-Forwarded-For (TRUST_PROXY=true).
	TrustProxy bool
	// CORSOrigins are the web origins whose pages may call the API from
	// the browser (CORS_ORIGINS, comma-separated, e.g.
	// https://app.example.org,http://localhost:5173), normalized to what
	// browsers send in Origin; ["*"] lets every origin. Empty (the
	// default): no cross-origin access.
	CORSOrigins []string
	// ReadModel answers lookups, event lists and matchmaking from memory
	// (READ_MODEL, on; off reads everything from Neo4j). FollowEvery is how
	// often it applies other replicas' changes (READ_MODEL_INTERVAL, 200ms),
	// and how often search adds the words of changed documents to its vocabulary.
	ReadModel   bool
	FollowEvery time.Duration

	// MeiliURL switches search to Meilisearch (MEILI_URL, MEILI_MASTER_KEY);
	// SearchFallback=neo4j answers from Neo4j full-text while it is down
	// (SEARCH_FALLBACK), otherwise search reports SEARCH_UNAVAILABLE.
	MeiliURL, MeiliKey string
	SearchFallback     bool
	// SearchConcurrency bounds the Neo4j full-text searches running at
	// once (SEARCH_CONCURRENCY, default half the CPUs and at least one; 0:
	// no bound): the other half stays free for the lookups from memory.
	SearchConcurrency int

	// OIDCIssuer and OIDCAudience accept RS256/ES256 bearer tokens of an
	// OpenID Connect issuer (OIDC_ISSUER, OIDC_AUDIENCE).
	OIDCIssuer, OIDCAudience string

	// PprofAddr serves Go's profiler on its own listener (PPROF_ADDR, e.g.
	// 127.0.0.1:6060); unset: not at all.
	PprofAddr string
}

// ConfigFromEnv reads the configuration; a malformed value is an error.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Host:          or(getenv("HOST"), "127.0.0.1"),
		Neo4jURI:      getenv("NEO4J_URI"),
		Neo4jUser:     getenv("NEO4J_USER"),
		Neo4jPassword: getenv("NEO4J_PASSWORD"),
		Neo4jDatabase: getenv("NEO4J_DATABASE"),
		LocalHome:     or(getenv("NEO4J_LOCAL_HOME"), "var/neo4j"),
		LogJSON:       strings.EqualFold(getenv("LOG_FORMAT"), "json"),
	}
	var err error
	if c.Port, err = intVar(getenv, "PORT", 8080); err != nil {
		return c, err
	}
	if c.LocalPort, err = intVar(getenv, "NEO4J_LOCAL_PORT", 7687); err != nil {
		return c, err
	}
	if c.LocalHeapMB, err = intVar(getenv, "NEO4J_LOCAL_HEAP_MB", 512); err != nil {
		return c, err
	}
	if c.LocalPageCacheMB, err = intVar(getenv, "NEO4J_LOCAL_PAGECACHE_MB", 128); err != nil {
		return c, err
	}
	body, err := intVar(getenv, "GRAPHQL_MAX_BODY_BYTES", 1<<20)
	if err != nil {
		return c, err
	}
	c.MaxBodyBytes = int64(body)
	c.BaseURL = strings.TrimSuffix(or(getenv("BASE_URL"), fmt.Sprintf("http://%s:%d", c.Host, c.Port)), "/")
	c.VarDir = or(getenv("VAR_DIR"), "var")
	c.SMTPURL, c.MailFrom = getenv("SMTP_URL"), getenv("MAIL_FROM")
	c.TrustProxy = getenv("TRUST_PROXY") == "true"
	if c.CORSOrigins, err = parseCORSOrigins(getenv("CORS_ORIGINS")); err != nil {
		return c, err
	}
	c.MeiliURL, c.MeiliKey = getenv("MEILI_URL"), getenv("MEILI_MASTER_KEY")
	c.OIDCIssuer, c.OIDCAudience = getenv("OIDC_ISSUER"), getenv("OIDC_AUDIENCE")
	c.PprofAddr = getenv("PPROF_ADDR")
	c.NATSURL, c.NATSListen = getenv("NATS_URL"), getenv("NATS_LISTEN")
	if c.LiveRetention, err = time.ParseDuration(or(getenv("LIVE_RETENTION"), "168h")); err != nil || c.LiveRetention < time.Hour {
		return c, fmt.Errorf("LIVE_RETENTION must be a duration of at least 1h such as 168h, not %q", getenv("LIVE_RETENTION"))
	}
	if c.LiveUpdateEvery, err = time.ParseDuration(or(getenv("LIVE_UPDATE_INTERVAL"), "250ms")); err != nil ||
		c.LiveUpdateEvery < 50*time.Millisecond || c.LiveUpdateEvery > 10*time.Second {
		return c, fmt.Errorf("LIVE_UPDATE_INTERVAL must be a duration between 50ms and 10s such as 250ms, not %q", getenv("LIVE_UPDATE_INTERVAL"))
	}
	if c.LiveStreamsPerAddress, err = strconv.Atoi(or(getenv("LIVE_STREAMS_PER_ADDRESS"), "500")); err != nil || c.LiveStreamsPerAddress < 1 {
		return c, fmt.Errorf("LIVE_STREAMS_PER_ADDRESS must be a whole number of at least 1, not %q", getenv("LIVE_STREAMS_PER_ADDRESS"))
	}
	if (c.OIDCIssuer == "") != (c.OIDCAudience == "") {
		return c, fmt.Errorf("set OIDC_ISSUER and OIDC_AUDIENCE together")
	}
	switch f := getenv("SEARCH_FALLBACK"); f {
	case "", "none":
	case "neo4j":
		c.SearchFallback = true
	default:
		return c, fmt.Errorf("SEARCH_FALLBACK must be neo4j or none, not %q", f)
	}
	if c.SearchConcurrency, err = intVar(getenv, "SEARCH_CONCURRENCY", defaultSearchConcurrency()); err != nil {
		return c, err
	}
	if c.ReminderEvery, err = time.ParseDuration(or(getenv("REMINDER_INTERVAL"), "15s")); err != nil || c.ReminderEvery < time.Second {
		return c, fmt.Errorf("REMINDER_INTERVAL must be a duration such as 1m or 15s, not %q", getenv("REMINDER_INTERVAL"))
	}
	if c.AdvisoryAlertEvery, err = time.ParseDuration(or(getenv("ADVISORY_ALERT_INTERVAL"), "15m")); err != nil || c.AdvisoryAlertEvery != 0 && c.AdvisoryAlertEvery < time.Minute {
		return c, fmt.Errorf("ADVISORY_ALERT_INTERVAL must be a duration of at least 1m such as 15m (0: no alerts), not %q", getenv("ADVISORY_ALERT_INTERVAL"))
	}
	c.SMTPTimeouts = mail.DefaultSMTPTimeouts
	for _, t := range []struct {
		name string
		dst  *time.Duration
	}{{"SMTP_DIAL_TIMEOUT", &c.SMTPTimeouts.Dial}, {"SMTP_COMMAND_TIMEOUT", &c.SMTPTimeouts.Command}, {"SMTP_SEND_TIMEOUT", &c.SMTPTimeouts.Send}} {
		v := getenv(t.name)
		if v == "" {
			continue
		}
		if d, err := time.ParseDuration(v); err == nil && d >= 100*time.Millisecond && d <= time.Hour {
			*t.dst = d
			continue
		}
		return c, fmt.Errorf("%s must be a duration between 100ms and 1h such as 30s, not %q", t.name, v)
	}
	if c.ReachEvery, err = time.ParseDuration(or(getenv("REACH_INTERVAL"), "10m")); err != nil || c.ReachEvery < time.Second {
		return c, fmt.Errorf("REACH_INTERVAL must be a duration such as 10m or 1h, not %q", getenv("REACH_INTERVAL"))
	}
	c.Retention = DefaultRetention
	if v := getenv("REGISTRATION_RETENTION"); v != "" {
		if c.Retention, err = ParseRetention(v); err != nil {
			return c, err
		}
	}
	if c.RetentionEvery, err = time.ParseDuration(or(getenv("REGISTRATION_RETENTION_INTERVAL"), "24h")); err != nil || c.RetentionEvery < time.Minute {
		return c, fmt.Errorf("REGISTRATION_RETENTION_INTERVAL must be a duration of at least 1m such as 24h or 6h, not %q", getenv("REGISTRATION_RETENTION_INTERVAL"))
	}
	switch v := getenv("READ_MODEL"); v {
	case "", "on":
		c.ReadModel = true
	case "off":
	default:
		return c, fmt.Errorf("READ_MODEL must be on or off, not %q", v)
	}
	if c.FollowEvery, err = time.ParseDuration(or(getenv("READ_MODEL_INTERVAL"), "200ms")); err != nil ||
		c.FollowEvery < 10*time.Millisecond || c.FollowEvery > time.Minute {
		return c, fmt.Errorf("READ_MODEL_INTERVAL must be a duration between 10ms and 1m such as 200ms, not %q", getenv("READ_MODEL_INTERVAL"))
	}
	if err := c.LogLevel.UnmarshalText([]byte(or(getenv("LOG_LEVEL"), "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, not %q", getenv("LOG_LEVEL"))
	}
	return c, nil
}

// parseCORSOrigins reads CORS_ORIGINS: origins as browsers send them in
// the Origin header (http or https, host, a port only if not the scheme's
// default; a trailing slash is forgiven), or "*" alone for every origin.
// Anything else, such as a path, a wildcard host or "null", is an error
// that names the entry, so a typo cannot silently lock a frontend out.
func parseCORSOrigins(v string) ([]string, error) {
	var origins []string
	seen := map[string]bool{}
	for _, entry := range strings.Split(v, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if entry == "*" {
			if strings.Trim(v, " ,") != "*" {
				return nil, fmt.Errorf("CORS_ORIGINS: * allows every origin and cannot be combined with other origins, in %q", v)
			}
			return []string{"*"}, nil
		}
		origin, err := parseOrigin(entry)
		if err != nil {
			return nil, fmt.Errorf("CORS_ORIGINS: %q is not an origin such as https://app.example.org "+
				"(http or https, host, optional port, no path): %v", entry, err)
		}
		if !seen[origin] {
			seen[origin] = true
			origins = append(origins, origin)
		}
	}
	return origins, nil
}

func parseOrigin(s string) (string, error) {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "", err
	case u.Scheme != "http" && u.Scheme != "https":
		return "", fmt.Errorf("the scheme must be http or https")
	case u.Opaque != "" || u.Hostname() == "":
		return "", fmt.Errorf("the host is missing")
	case u.User != nil:
		return "", fmt.Errorf("an origin has no user name or password")
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.ForceQuery, u.Fragment != "":
		return "", fmt.Errorf("an origin has no path, query or fragment")
	case strings.Contains(u.Host, "*"):
		return "", fmt.Errorf("wildcard hosts are not supported; list each origin")
	case strings.ContainsFunc(u.Host, func(r rune) bool { return r > 127 }):
		return "", fmt.Errorf("write an international domain name as browsers send it, in its xn-- form")
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("the port must be between 1 and 65535")
		}
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = "" // browsers leave the default port out of Origin
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return u.Scheme + "://" + host, nil
}

func (c Config) Logger() *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogJSON {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func intVar(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a whole number, not %q", name, v)
	}
	return n, nil
}

// defaultSearchConcurrency is half the CPUs, at least one: measured in
// the make bench mix on two cores, one search at a time kept matchmaking
// and events near a place at p95 ≤ 15 ms where two let them reach 35 ms
// for 8 % more requests in all.
func defaultSearchConcurrency() int { return max(1, runtime.GOMAXPROCS(0)/2) }
