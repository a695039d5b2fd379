// Package live runs the live part of events (anonymous questions and
// polls for Lunchtalks with thousands of participants) across replicas.
//
// Each session's events go through one shared, ordered log: NATS
// JetStream, embedded in the server by default (one node, files under
// VAR_DIR) or a NATS cluster (NATS_URL). Every replica follows the log of
// each session in use and folds it into the same cyberlotse.Room, so a
// participant connected to one replica sees what was asked or voted
// through another. Neo4j is not in this path: at 500 votes a second a
// write transaction per vote would load it more than everything else
// together; the results go to Neo4j when the session ends.
package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Log is the shared log of live sessions, one stream per event.
type Log interface {
	// Append adds ev to the log of eventID and returns its position. id
	// makes a retried append a no-op: the log keeps the first.
	Append(ctx context.Context, eventID, id string, ev cyberlotse.LiveEvent) (uint64, error)
	// Follow calls apply for every event of eventID's log, from the first,
	// in order, until ctx ends; then it returns.
	Follow(ctx context.Context, eventID string, apply func(cyberlotse.LiveEvent)) error
	// Delete removes eventID's log (the live data after retention).
	Delete(ctx context.Context, eventID string) error
	// SetCode records that a session's short code leads to eventID;
	// EventOfCode looks it up ("" when unknown).
	SetCode(ctx context.Context, code, eventID string) error
	EventOfCode(ctx context.Context, code string) (string, error)
}

// streamName is the one JetStream stream of every session's subject.
const streamName = "LIVE"

// subjects are live.<event id>; event ids are slugs.
var slug = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,199}$`)

func subject(eventID string) (string, error) {
	if !slug.MatchString(eventID) {
		return "", cyberlotse.InvalidLiveEventID()
	}
	return "live." + eventID, nil
}

// NATSLog is the Log on NATS JetStream.
type NATSLog struct {
	conn  *nats.Conn
	js    jetstream.JetStream
	codes jetstream.KeyValue
}

// OpenNATSLog connects to NATS (an embedded server's connection or a
// cluster's URL) and makes sure the stream exists. maxAge bounds how long
// live data is kept.
func OpenNATSLog(ctx context.Context, conn *nats.Conn, maxAge time.Duration) (*NATSLog, error) {
	js, err := jetstream.New(conn)
	if err != nil {
		return nil, err
	}
	_, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: streamName, Subjects: []string{"live.>"}, Storage: jetstream.FileStorage,
		MaxAge: maxAge, Duplicates: 2 * time.Minute, Discard: jetstream.DiscardOld,
	})
	if err != nil {
		return nil, fmt.Errorf("live: the NATS stream: %w", err)
	}
	codes, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "LIVE_CODES", TTL: maxAge,
		Storage: jetstream.FileStorage})
	if err != nil {
		return nil, fmt.Errorf("live: the NATS bucket of session codes: %w", err)
	}
	return &NATSLog{conn: conn, js: js, codes: codes}, nil
}

func (l *NATSLog) SetCode(ctx context.Context, code, eventID string) error {
	if _, err := l.codes.PutString(ctx, code, eventID); err != nil {
		return unavailable(err)
	}
	return nil
}

func (l *NATSLog) EventOfCode(ctx context.Context, code string) (string, error) {
	e, err := l.codes.Get(ctx, code)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrInvalidKey):
		return "", nil
	case err != nil:
		return "", unavailable(err)
	}
	return string(e.Value()), nil
}

func (l *NATSLog) Append(ctx context.Context, eventID, id string, ev cyberlotse.LiveEvent) (uint64, error) {
	subj, err := subject(eventID)
	if err != nil {
		return 0, err
	}
	ev.Seq = 0
	data, err := json.Marshal(ev)
	if err != nil {
		return 0, err
	}
	ack, err := l.js.Publish(ctx, subj, data, jetstream.WithMsgID(id))
	if err != nil {
		return 0, unavailable(err)
	}
	return ack.Sequence, nil
}

func (l *NATSLog) Follow(ctx context.Context, eventID string, apply func(cyberlotse.LiveEvent)) error {
	subj, err := subject(eventID)
	if err != nil {
		return err
	}
	cons, err := l.js.OrderedConsumer(ctx, streamName, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subj}, DeliverPolicy: jetstream.DeliverAllPolicy})
	if err != nil {
		return unavailable(err)
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		var ev cyberlotse.LiveEvent
		meta, err := msg.Metadata()
		if err != nil || json.Unmarshal(msg.Data(), &ev) != nil {
			return // not ours to read; the ordered consumer needs no ack
		}
		ev.Seq = meta.Sequence.Stream
		apply(ev)
	})
	if err != nil {
		return unavailable(err)
	}
	<-ctx.Done()
	cc.Stop()
	return nil
}

func (l *NATSLog) Delete(ctx context.Context, eventID string) error {
	subj, err := subject(eventID)
	if err != nil {
		return err
	}
	s, err := l.js.Stream(ctx, streamName)
	if err != nil {
		return unavailable(err)
	}
	return s.Purge(ctx, jetstream.WithPurgeSubject(subj))
}

// Close closes the connection.
func (l *NATSLog) Close() { l.conn.Close() }

func unavailable(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return cyberlotse.LiveUnavailable()
}

// Embedded is a NATS server inside this process: the single-node default.
type Embedded struct{ srv *server.Server }

// StartEmbedded starts a NATS server with JetStream storing under dir.
// listen empty: reachable only from this process; "host:port": other
// replicas may use it too (NATS_URL=nats://host:port) — a second replica
// without a cluster, for tests and benchmarks; production runs a NATS
// cluster instead, which has no single process to lose.
func StartEmbedded(dir, listen string) (*Embedded, error) {
	opts := &server.Options{JetStream: true, StoreDir: dir, DontListen: true, NoSigs: true, ServerName: "cyberlotse-embedded"}
	if listen != "" {
		host, port, err := net.SplitHostPort(listen)
		n, perr := strconv.Atoi(port)
		if err != nil || perr != nil {
			return nil, fmt.Errorf("NATS_LISTEN must be host:port such as 127.0.0.1:4222, not %q", listen)
		}
		opts.DontListen, opts.Host, opts.Port = false, host, n
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("live: embedded NATS: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("live: the embedded NATS server did not start within 10 s")
	}
	return &Embedded{srv: srv}, nil
}

// ClientURL is where other processes reach the server (StartEmbedded
// with listen), or "" when it is reachable from this process only.
func (e *Embedded) ClientURL() string {
	if e.srv.Addr() == nil {
		return ""
	}
	return e.srv.ClientURL()
}

// Connect returns an in-process connection to the embedded server.
func (e *Embedded) Connect() (*nats.Conn, error) {
	return nats.Connect("", nats.InProcessServer(e.srv), nats.Name("cyberlotse"))
}

// Shutdown stops the server.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
}
