package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// OverHTTP brings gqlgen's answers to request errors (a document that
// does not parse or validate, variables that do not coerce) in line with
// the GraphQL-over-HTTP specification's SHOULDs: with application/json
// they come with status 200 (gqlgen sends 422), and with
// application/graphql-response+json they carry no "data" entry (gqlgen
// sends "data": null beside the 400).
func OverHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &conformingWriter{ResponseWriter: w}
		later := &retryLater{header: w.Header()}
		next.ServeHTTP(cw, r.WithContext(context.WithValue(r.Context(), retryLaterKey{}, later)))
		cw.finish()
	})
}

type conformingWriter struct {
	http.ResponseWriter
	held   bool // a graphql-response+json request error, rewritten at the end
	status int
	body   bytes.Buffer
}

func (c *conformingWriter) WriteHeader(status int) {
	contentType := c.Header().Get("Content-Type")
	switch {
	case status == http.StatusUnprocessableEntity && strings.HasPrefix(contentType, "application/json"):
		status = http.StatusOK
	case status == http.StatusBadRequest && strings.HasPrefix(contentType, "application/graphql-response+json"):
		c.held, c.status = true, status
		return
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *conformingWriter) Write(b []byte) (int, error) {
	if c.held {
		return c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// finish writes a held error answer without its data entry.
func (c *conformingWriter) finish() {
	if !c.held {
		return
	}
	body := c.body.Bytes()
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err == nil {
		delete(resp, "data")
		if b, err := json.Marshal(resp); err == nil {
			body = b
		}
	}
	c.Header().Del("Content-Length")
	c.ResponseWriter.WriteHeader(c.status)
	_, _ = c.ResponseWriter.Write(body)
}

// Flush passes a flush through, except while an answer is held.
func (c *conformingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok && !c.held {
		f.Flush()
	}
}

// retryLater lets the error presenter, which runs in the resolvers'
// goroutines before the answer is written, ask the client to retry.
type retryLater struct {
	mu     sync.Mutex
	header http.Header
}

type retryLaterKey struct{}

// askToRetryLater sets Retry-After on the answer to the request of ctx,
// for an error that goes away by itself (UNAVAILABLE).
func askToRetryLater(ctx context.Context) {
	if l, ok := ctx.Value(retryLaterKey{}).(*retryLater); ok {
		l.mu.Lock()
		l.header.Set("Retry-After", strconv.Itoa(int(cyberlotse.RetryAfter.Seconds())))
		l.mu.Unlock()
	}
}
