package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	coderws "github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/gqlerror"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// The two stream transports of /graphql: GraphQL over Server-Sent Events
// (the graphql-sse protocol, distinct connections mode) and graphql-ws
// (the graphql-transport-ws subprotocol). gqlgen brings both, but a
// Lunchtalk's 5,000 subscribers showed their cost: each response is
// encoded with encoding/json, which checks and copies the executed data
// once more for every subscriber (twice over WebSocket, payload and
// message), and each stream keeps goroutines of its own for pings. Ours
// write the data gqlgen executed as it is, in one frame, and ping from a
// timer that runs only when a stream has been quiet.

// maxStreamRequest bounds an operation sent to a stream (the query text
// with its variables).
const maxStreamRequest = 1 << 20

// appendResponse appends resp as JSON. The executor's data is compact
// JSON already; only responses with more than data go through
// encoding/json.
func appendResponse(b []byte, resp *graphql.Response) ([]byte, error) {
	if len(resp.Errors) > 0 || len(resp.Extensions) > 0 || resp.Label != "" || resp.Path != nil || resp.HasNext != nil ||
		bytes.IndexByte(resp.Data, '\n') >= 0 {
		j, err := json.Marshal(resp)
		return append(b, j...), err
	}
	b = append(b, `{"data":`...)
	if len(resp.Data) == 0 {
		b = append(b, "null"...)
	} else {
		b = append(b, resp.Data...)
	}
	return append(b, '}'), nil
}

// decodeParams reads an operation's JSON (query, operationName,
// variables, extensions) as gqlgen's transports do: numbers stay numbers.
func decodeParams(r io.Reader, p *graphql.RawParams) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return dec.Decode(p)
}

// quietTimer calls ping when a stream has been quiet for every: it is
// pushed back by each write and runs no goroutine while it waits. After
// stop it is never armed again (a ping that fired as the stream ended
// would otherwise re-arm it for good).
type quietTimer struct {
	every   time.Duration
	mu      sync.Mutex
	t       *time.Timer
	stopped bool
}

func newQuietTimer(every time.Duration, ping func()) *quietTimer {
	q := &quietTimer{every: every}
	if every > 0 {
		q.t = time.AfterFunc(every, func() {
			ping()
			q.reset()
		})
	}
	return q
}

func (q *quietTimer) reset() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.t != nil && !q.stopped {
		q.t.Reset(q.every)
	}
}

func (q *quietTimer) stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.stopped = true
	if q.t != nil {
		q.t.Stop()
	}
}

// SSE serves operations as Server-Sent Events: a POST with Accept:
// text/event-stream gets one "next" event per result and "complete".
type SSE struct {
	Ping time.Duration // a comment line after this much quiet
}

var _ graphql.Transport = SSE{}

func (SSE) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost || !strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mediaType == "application/json"
}

// sseStream writes one stream's events; after end it drops writes, so a
// ping that fires as the handler returns never touches a finished response.
type sseStream struct {
	mu    sync.Mutex
	w     http.ResponseWriter
	rc    *http.ResponseController
	ended bool
	buf   []byte
}

func (s *sseStream) write(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	if _, err := s.w.Write(p); err == nil {
		_ = s.rc.Flush()
	}
}

func (s *sseStream) end() {
	s.mu.Lock()
	s.ended = true
	s.mu.Unlock()
}

var (
	sseNext     = []byte("event: next\ndata: ")
	sseEventEnd = []byte("\n\n")
	sseComplete = []byte("event: complete\ndata:\n\n")
	ssePing     = []byte(": ping\n\n")
)

func (t SSE) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	start := graphql.Now()
	params := &graphql.RawParams{}
	if err := decodeParams(http.MaxBytesReader(w, r.Body, maxStreamRequest), params); err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(exec.DispatchError(ctx, gqlerror.List{{Message: cyberlotse.MsgStreamNotJSON,
			Extensions: map[string]any{"code": string(cyberlotse.EINVALID)}}}))
		_, _ = w.Write(b)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, opErr := exec.CreateOperationContext(ctx, params)
	ctx = graphql.WithOperationContext(ctx, rc)

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	s := &sseStream{w: w, rc: http.NewResponseController(w)}
	defer s.end()
	s.write([]byte(":\n\n")) // the headers leave at once
	quiet := newQuietTimer(t.Ping, func() { s.write(ssePing) })
	defer quiet.stop()

	send := func(resp *graphql.Response) {
		var err error
		if s.buf, err = appendResponse(append(s.buf[:0], sseNext...), resp); err != nil {
			return
		}
		s.buf = append(s.buf, sseEventEnd...)
		s.write(s.buf) // one write per event
		quiet.reset()
	}
	if opErr != nil {
		send(exec.DispatchError(ctx, opErr))
	} else {
		responses, ctx := exec.DispatchOperation(ctx, rc)
		for {
			resp := responses(ctx)
			if resp == nil {
				break
			}
			send(resp)
		}
	}
	s.write(sseComplete)
}

// GraphQLWS serves graphql-ws (the graphql-transport-ws subprotocol) over
// WebSocket. Init checks connection_init's payload (browsers cannot send
// headers on a WebSocket) and returns the context the operations run in.
type GraphQLWS struct {
	Accept      coderws.AcceptOptions
	Init        func(ctx context.Context, payload map[string]any) (context.Context, error)
	InitTimeout time.Duration // for connection_init (default 10 s)
	Ping        time.Duration // a ping after this much quiet
}

var _ graphql.Transport = GraphQLWS{}

const graphqlTransportWS = "graphql-transport-ws"

// Close codes of the graphql-transport-ws protocol.
const (
	wsBadRequest     coderws.StatusCode = 4400
	wsUnauthorized   coderws.StatusCode = 4401
	wsForbidden      coderws.StatusCode = 4403
	wsNotAcceptable  coderws.StatusCode = 4406
	wsInitTimeout    coderws.StatusCode = 4408
	wsDuplicateID    coderws.StatusCode = 4409
	wsTooManyInitial coderws.StatusCode = 4429
)

func (GraphQLWS) Supports(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// wsConn is one graphql-ws connection: its operations by id.
type wsConn struct {
	conn   *coderws.Conn
	ctx    context.Context // the connection's, with the caller from Init
	quiet  *quietTimer
	mu     sync.Mutex
	active map[string]context.CancelFunc
	exec   graphql.GraphExecutor
	header http.Header
}

func (t GraphQLWS) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	opts := t.Accept
	opts.Subprotocols = []string{graphqlTransportWS}
	conn, err := coderws.Accept(w, r, &opts)
	if err != nil {
		return // Accept has answered the request
	}
	defer conn.CloseNow()
	if conn.Subprotocol() != graphqlTransportWS {
		conn.Close(wsNotAcceptable, "Subprotocol not acceptable")
		return
	}
	conn.SetReadLimit(maxStreamRequest)
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	c := &wsConn{conn: conn, ctx: ctx, active: map[string]context.CancelFunc{}, exec: exec, header: r.Header}
	c.quiet = newQuietTimer(t.Ping, func() { c.write([]byte(`{"type":"ping"}`)) })
	defer c.quiet.stop()
	if t.init(c) {
		c.serve()
	}
}

// init waits for connection_init and acknowledges it.
func (t GraphQLWS) init(c *wsConn) bool {
	timeout := t.InitTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(c.ctx, timeout)
	defer cancel()
	_, b, err := c.conn.Read(ctx)
	if err != nil {
		if ctx.Err() != nil && c.ctx.Err() == nil {
			c.conn.Close(wsInitTimeout, "Connection initialisation timeout")
		}
		return false
	}
	var m wsMessage
	switch {
	case json.Unmarshal(b, &m) != nil:
		c.conn.Close(wsBadRequest, "Invalid message")
		return false
	case m.Type == "subscribe":
		c.conn.Close(wsUnauthorized, "Unauthorized")
		return false
	case m.Type != "connection_init":
		c.conn.Close(wsBadRequest, "Expected connection_init")
		return false
	}
	var payload map[string]any
	if len(m.Payload) > 0 && json.Unmarshal(m.Payload, &payload) != nil {
		c.conn.Close(wsBadRequest, "Invalid connection_init payload")
		return false
	}
	if t.Init != nil {
		ctx, err := t.Init(c.ctx, payload)
		if err != nil {
			c.conn.Close(wsForbidden, "Forbidden")
			return false
		}
		c.ctx = ctx
	}
	return c.write([]byte(`{"type":"connection_ack"}`))
}

// serve reads the client's messages until the connection ends.
func (c *wsConn) serve() {
	defer func() {
		c.mu.Lock()
		for _, stop := range c.active {
			stop()
		}
		c.mu.Unlock()
	}()
	for {
		_, b, err := c.conn.Read(c.ctx)
		if err != nil {
			return
		}
		var m wsMessage
		if json.Unmarshal(b, &m) != nil {
			c.conn.Close(wsBadRequest, "Invalid message")
			return
		}
		switch m.Type {
		case "subscribe":
			if m.ID == "" {
				c.conn.Close(wsBadRequest, "Subscribe without id")
				return
			}
			if !c.subscribe(m) {
				return
			}
		case "complete":
			c.mu.Lock()
			if stop := c.active[m.ID]; stop != nil {
				stop()
			}
			c.mu.Unlock()
		case "ping":
			c.write([]byte(`{"type":"pong"}`))
		case "pong":
		case "connection_init":
			c.conn.Close(wsTooManyInitial, "Too many initialisation requests")
			return
		default:
			c.conn.Close(wsBadRequest, "Unexpected message "+m.Type)
			return
		}
	}
}

// write sends one text frame; false when the connection is gone.
func (c *wsConn) write(frame []byte) bool {
	c.quiet.reset()
	return c.conn.Write(c.ctx, coderws.MessageText, frame) == nil
}

// subscribe starts operation m; false closes the connection (an id in use).
func (c *wsConn) subscribe(m wsMessage) bool {
	c.mu.Lock()
	if c.active[m.ID] != nil {
		c.mu.Unlock()
		c.conn.Close(wsDuplicateID, "Subscriber for "+m.ID+" already exists")
		return false
	}
	ctx, cancel := context.WithCancel(c.ctx)
	c.active[m.ID] = cancel
	c.mu.Unlock()
	go c.run(ctx, cancel, m)
	return true
}

// run executes one operation and sends its results, then complete
// (unless the client completed it).
func (c *wsConn) run(ctx context.Context, cancel context.CancelFunc, m wsMessage) {
	id, _ := json.Marshal(m.ID)
	failed := false // an "error" message ends the operation without "complete"
	defer func() {
		if p := recover(); p != nil {
			c.sendErrors(id, gqlerror.List{{Message: cyberlotse.MsgInternal}})
		} else if !failed && ctx.Err() == nil {
			c.write(append(append([]byte(`{"id":`), id...), `,"type":"complete"}`...))
		}
		c.mu.Lock()
		delete(c.active, m.ID)
		c.mu.Unlock()
		cancel()
	}()
	ctx = graphql.StartOperationTrace(ctx)
	start := graphql.Now()
	params := &graphql.RawParams{}
	if err := decodeParams(bytes.NewReader(m.Payload), params); err != nil {
		failed = true
		c.sendErrors(id, gqlerror.List{{Message: cyberlotse.MsgStreamNotJSON, Extensions: map[string]any{"code": string(cyberlotse.EINVALID)}}})
		return
	}
	params.Headers = c.header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, errs := c.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		// The kind before the errors are presented (which recodes them):
		// a query that does not parse or validate is an "error" message.
		kind := errcode.GetErrorKind(errs)
		resp := c.exec.DispatchError(graphql.WithOperationContext(ctx, rc), errs)
		if kind == errcode.KindProtocol {
			failed = true
			c.sendErrors(id, resp.Errors)
		} else {
			c.next(id, nil, resp)
		}
		return
	}
	responses, ctx := c.exec.DispatchOperation(graphql.WithOperationContext(ctx, rc), rc)
	var buf []byte
	for {
		resp := responses(ctx)
		if resp == nil {
			return
		}
		buf = c.next(id, buf, resp)
	}
}

// next sends resp as a "next" message, in buf's space, and returns buf.
func (c *wsConn) next(id, buf []byte, resp *graphql.Response) []byte {
	buf = append(append(append(buf[:0], `{"id":`...), id...), `,"type":"next","payload":`...)
	buf, err := appendResponse(buf, resp)
	if err != nil {
		return buf
	}
	buf = append(buf, '}')
	c.write(buf)
	return buf
}

// sendErrors ends an operation with an "error" message: it did not run
// (a query that does not parse or validate).
func (c *wsConn) sendErrors(id []byte, errs gqlerror.List) {
	payload, err := json.Marshal(errs)
	if err != nil {
		return
	}
	c.write(append(append(append(append([]byte(`{"id":`), id...), `,"type":"error","payload":`...), payload...), '}'))
}
