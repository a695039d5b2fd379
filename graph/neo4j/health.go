package neo4j

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// health tracks whether Neo4j can be reached. Once the driver gives up on
// the server (its retries ended in connection errors), every call fails at
// once with UNAVAILABLE until a probe reaches the server again: requests
// during an outage answer within milliseconds instead of each waiting out
// the retries, and nothing queues behind a dead server.
type health struct {
	db        *DB
	down      atomic.Bool
	probing   atomic.Bool
	closed    chan struct{}
	closeOnce sync.Once
}

// probeEvery is how often a server that went away is tried again.
const probeEvery = 500 * time.Millisecond

// Reachable says whether the last attempt reached the server.
func (db *DB) Reachable() bool { return !db.down.Load() }

func (h *health) reachable() error {
	if h.down.Load() {
		return cyberlotse.Unavailable()
	}
	return nil
}

func (h *health) markDown(op string, err error) {
	if !h.down.Swap(true) {
		h.db.logger.Error("Neo4j cannot be reached; requests that need it answer UNAVAILABLE until it is back",
			"op", op, "err", err)
	}
	if h.probing.CompareAndSwap(false, true) {
		go h.probe()
	}
}

// probe queries the server every probeEvery until it answers.
func (h *health) probe() {
	defer h.probing.Store(false)
	start := time.Now()
	tick := time.NewTicker(probeEvery)
	defer tick.Stop()
	for {
		select {
		case <-h.closed:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := neo4j.ExecuteQuery(ctx, h.db.driver, "RETURN 1", nil, neo4j.EagerResultTransformer,
			neo4j.ExecuteQueryWithDatabase(h.db.database))
		cancel()
		if err == nil {
			h.down.Store(false)
			h.db.logger.Info("Neo4j answers again", "after", time.Since(start).Round(time.Millisecond))
			return
		}
	}
}

func (h *health) close() { h.closeOnce.Do(func() { close(h.closed) }) }

// unreachable says whether err means that the server cannot be reached:
// a connection error, the database not available, or the driver's retries
// ending in one of those.
func unreachable(err error) bool {
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		return len(limit.Errors) > 0 && unreachable(limit.Errors[len(limit.Errors)-1])
	}
	var conn *neo4j.ConnectivityError
	var ne *neo4j.Neo4jError
	switch {
	case errors.As(err, &conn):
		// The caller's deadline or cancellation (the driver reports them as
		// connectivity errors) says nothing about the server: a reload
		// that outlived its 2 s once put every request on UNAVAILABLE.
		return !errors.Is(conn.Inner, context.DeadlineExceeded) && !errors.Is(conn.Inner, context.Canceled)
	case errors.As(err, &ne):
		return ne.Code == "Neo.TransientError.General.DatabaseUnavailable"
	}
	// The pool gave up waiting because no connection could be opened.
	return strings.Contains(err.Error(), "connection refused")
}
