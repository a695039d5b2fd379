package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	coderws "github.com/coder/websocket"
	"github.com/nats-io/nats.go"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	"github.com/cyberlotse/cyberlotse/graph/live"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

// Rate limits of live sessions: a participant may ask, upvote or vote 60
// times a minute; one client address (a company behind one gateway may
// bring hundreds of people) 600 times.
const (
	liveActionsPerParticipant = 60
	liveActionsPerAddress     = 600
)

// OpenLive starts the live sessions: on the NATS server embedded in this
// process (JetStream files under VAR_DIR/nats) or on the cluster at
// NATS_URL, which several replicas share.
func (m *Main) OpenLive(ctx context.Context) error {
	var (
		conn *nats.Conn
		err  error
	)
	if m.Config.NATSURL != "" {
		conn, err = nats.Connect(m.Config.NATSURL, nats.Name("cyberlotse"), nats.MaxReconnects(-1))
		if err != nil {
			return fmt.Errorf("NATS_URL: %w", err)
		}
	} else {
		if m.nats, err = live.StartEmbedded(filepath.Join(m.Config.VarDir, "nats"), m.Config.NATSListen); err != nil {
			return err
		}
		if conn, err = m.nats.Connect(); err != nil {
			return err
		}
	}
	log, err := live.OpenNATSLog(ctx, conn, m.Config.LiveRetention)
	if err != nil {
		conn.Close()
		return err
	}
	key, err := secret("LIVE_TOKEN_SECRET", m.Config.VarDir, "live-token.secret")
	if err != nil {
		return err
	}
	var events cyberlotse.EventService = store.NewEventService(m.DB)
	if m.Model != nil {
		events = m.Model
	}
	m.liveLog = log
	hub := live.NewHub(log, m.Now, m.NewID, m.Logger)
	hub.UpdateInterval = m.Config.LiveUpdateEvery
	m.Live = &live.Service{Hub: hub, Events: events,
		Store: store.NewLiveService(m.DB), Tokens: cyberlotse.NewLiveTokens(key), CodeKey: key, Now: m.Now, NewID: m.NewID,
		PerParticipant: graph.NewRateLimiter(liveActionsPerParticipant, time.Minute, m.Now),
		PerAddress:     graph.NewRateLimiter(liveActionsPerAddress, time.Minute, m.Now)}
	return nil
}

// closeLive stops following the sessions and the embedded NATS server.
func (m *Main) closeLive() {
	if m.Live != nil {
		m.Live.Hub.Close()
		m.liveLog.Close()
		m.Live = nil
	}
	if m.nats != nil {
		m.nats.Shutdown()
		m.nats = nil
	}
}

// websocket is the graphql-ws transport: browsers cannot send headers on
// a WebSocket, so the bearer token may come in connection_init's payload
// ({"Authorization": "Bearer …"}); pages of CORS_ORIGINS may connect.
func (m *Main) websocket() graph.GraphQLWS {
	var origins []string
	for _, o := range m.Config.CORSOrigins {
		if o == "*" {
			origins = append(origins, "*")
		} else if u, err := url.Parse(o); err == nil {
			origins = append(origins, u.Host)
		}
	}
	return graph.GraphQLWS{
		Accept: coderws.AcceptOptions{OriginPatterns: origins},
		Init: func(ctx context.Context, p map[string]any) (context.Context, error) {
			auth, _ := p["Authorization"].(string)
			if auth == "" {
				auth, _ = p["authorization"].(string)
			}
			raw := strings.TrimSpace(strings.TrimPrefix(auth, "Bearer "))
			if raw == "" {
				return ctx, nil
			}
			id, err := m.Bearer.Authenticate(raw)
			if err != nil {
				return ctx, err
			}
			return cyberlotse.NewContextWithIdentity(ctx, id), nil
		},
	}
}

// isStream says whether a request to /graphql opens a stream: a WebSocket
// (graphql-ws) or Server-Sent Events (graphql-sse).
func isStream(r *http.Request) bool {
	if r.URL.Path != "/graphql" {
		return false
	}
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") ||
		(r.Method == http.MethodPost && strings.Contains(r.Header.Get("Accept"), "text/event-stream"))
}

// streams serves the streams of /graphql beside everything else: not
// compressed (each event must leave at once), without the server's
// write deadline, and at most perAddress open at once per client address.
func (m *Main) streams(stream, rest http.Handler, perAddress int) http.Handler {
	var mu sync.Mutex
	open := map[string]int{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isStream(r) {
			rest.ServeHTTP(w, r)
			return
		}
		ip := m.clientIP(r)
		mu.Lock()
		if open[ip] >= perAddress {
			mu.Unlock()
			w.Header().Set("Retry-After", "60")
			writeGraphQLError(w, http.StatusTooManyRequests, cyberlotse.ERATELIMITED, cyberlotse.MsgTooManyStreams)
			return
		}
		open[ip]++
		mu.Unlock()
		defer func() {
			mu.Lock()
			if open[ip]--; open[ip] == 0 {
				delete(open, ip)
			}
			mu.Unlock()
		}()
		rc := http.NewResponseController(w)
		_ = rc.SetWriteDeadline(time.Time{}) // a stream lasts a talk
		_ = rc.SetReadDeadline(time.Time{})
		w.Header().Set("X-Content-Type-Options", "nosniff")
		stream.ServeHTTP(w, r) // a WebSocket hijacks the connection and owns it

	})
}
