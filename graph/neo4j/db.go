// Package neo4j implements the Cyberlotse domain services on Neo4j. It is
// the only package that speaks Cypher (besides the migrations in schema/).
package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Config says where the Neo4j server is.
type Config struct {
	URI      string // bolt://, neo4j://, neo4j+s:// …
	User     string
	Password string
	Database string // empty: the server's home database
}

// DB is a connection pool to Neo4j plus the hooks the services share.
type DB struct {
	driver   neo4j.DriverWithContext
	database string
	logger   *slog.Logger

	// Now is the clock; tests replace it.
	Now func() time.Time
	// SearchOutbox queues changed search documents for an external index
	// (Meilisearch). Off without one, so that nothing piles up.
	SearchOutbox bool
	// OnQuery, when set, is called once per round trip to the server with
	// the operation's name. Tests count round trips with it.
	OnQuery func(op string)
	// Observe, when set, gets each operation's duration and error, for
	// metrics.
	Observe func(op string, took time.Duration, err error)
	// AfterChange, when set, is called after a write transaction that
	// appended to the change log committed: the local read model applies
	// it before the write's caller reads again (read-your-writes).
	AfterChange func(ctx context.Context)

	health
	searchFollowers
}

// Open connects to Neo4j and verifies that the server answers.
func Open(ctx context.Context, c Config, logger *slog.Logger) (*DB, error) {
	if logger == nil {
		logger = slog.Default()
	}
	auth := neo4j.NoAuth()
	if c.User != "" {
		auth = neo4j.BasicAuth(c.User, c.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(c.URI, auth, func(cfg *config.Config) {
		cfg.MaxConnectionPoolSize = 64
		// A request learns within about 1.5 s that Neo4j is away (and
		// gets UNAVAILABLE) instead of waiting out the driver's default
		// 30 s of retries: two attempts about a second apart (the driver
		// starts another back-off, 2 s, while under MaxTransactionRetryTime).
		// Deadlocks and leader changes get the same second attempt.
		cfg.ConnectionAcquisitionTimeout = 4 * time.Second
		cfg.SocketConnectTimeout = 2 * time.Second
		cfg.MaxTransactionRetryTime = time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("neo4j.Open %s: %w", c.URI, err)
	}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		driver.Close(ctx)
		return nil, fmt.Errorf("neo4j.Open %s: %w", c.URI, err)
	}
	db := &DB{driver: driver, database: c.Database, logger: logger, Now: time.Now}
	db.health.db, db.health.closed = db, make(chan struct{})
	return db, nil
}

// Close releases the connection pool.
func (db *DB) Close(ctx context.Context) error {
	db.health.close()
	return db.driver.Close(ctx)
}

// Ping checks that the server answers a query.
func (db *DB) Ping(ctx context.Context) error {
	_, err := db.read(ctx, "neo4j.Ping", "RETURN 1", nil)
	return err
}

func (db *DB) read(ctx context.Context, op, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return db.run(ctx, op, neo4j.ExecuteQueryWithReadersRouting(), cypher, params)
}

func (db *DB) write(ctx context.Context, op, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	return db.run(ctx, op, neo4j.ExecuteQueryWithWritersRouting(), cypher, params)
}

func (db *DB) run(ctx context.Context, op string, routing neo4j.ExecuteQueryConfigurationOption, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	if err := db.reachable(); err != nil {
		return nil, err
	}
	if db.OnQuery != nil {
		db.OnQuery(op)
	}
	start := time.Now()
	res, err := neo4j.ExecuteQuery(ctx, db.driver, cypher, params, neo4j.EagerResultTransformer,
		routing, neo4j.ExecuteQueryWithDatabase(db.database))
	if db.Observe != nil {
		db.Observe(op, time.Since(start), err)
	}
	if err != nil {
		return nil, db.translate(op, err)
	}
	return res.Records, nil
}

// writeTx runs fn in one managed write transaction, retried by the driver
// on transient errors; fn must be safe to run more than once.
func (db *DB) writeTx(ctx context.Context, op string, fn func(tx neo4j.ManagedTransaction) error) error {
	if err := db.reachable(); err != nil {
		return err
	}
	if db.OnQuery != nil {
		db.OnQuery(op)
	}
	sess := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: neo4j.AccessModeWrite})
	defer sess.Close(ctx)
	start := time.Now()
	defer func() {
		if db.Observe != nil {
			db.Observe(op, time.Since(start), nil)
		}
	}()
	attempt := 0
	logged, searchChanged := false, false
	_, err := sess.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if attempt++; attempt > 1 {
			db.logger.Debug("retrying transaction", "op", op, "attempt", attempt)
		}
		ltx := &loggedTx{ManagedTransaction: tx}
		err := fn(ltx)
		if err != nil {
			db.logger.Debug("transaction attempt failed", "op", op, "attempt", attempt, "err", err)
		}
		logged, searchChanged = ltx.logged, ltx.search
		return nil, err
	})
	if err != nil {
		return db.translate(op, err)
	}
	if logged && db.AfterChange != nil {
		db.AfterChange(ctx)
	}
	if searchChanged {
		db.searchChanged(ctx)
	}
	return nil
}

// readTx runs fn in one managed read transaction.
func (db *DB) readTx(ctx context.Context, op string, fn func(tx neo4j.ManagedTransaction) error) error {
	if err := db.reachable(); err != nil {
		return err
	}
	if db.OnQuery != nil {
		db.OnQuery(op)
	}
	sess := db.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: db.database, AccessMode: neo4j.AccessModeRead})
	defer sess.Close(ctx)
	start := time.Now()
	_, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) { return nil, fn(tx) })
	if db.Observe != nil {
		db.Observe(op, time.Since(start), err)
	}
	if err != nil {
		return db.translate(op, err)
	}
	return nil
}

// translate turns driver errors into domain errors at the boundary: a
// constraint violation is a CONFLICT; a server that cannot be reached
// (after the driver's retries) is UNAVAILABLE, and later calls fail at once
// until it answers again; everything else stays internal and names the
// operation.
func (db *DB) translate(op string, err error) error {
	if unreachable(err) {
		db.markDown(op, err)
		return cyberlotse.Unavailable()
	}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		// The retries ended on a transient error (a deadlock under heavy
		// contention): the server is there, and the request may succeed
		// when sent again.
		db.logger.Warn("transaction retries exhausted", "op", op, "err", err)
		return cyberlotse.Unavailable()
	}
	return translate(op, err)
}

func translate(op string, err error) error {
	var cl *cyberlotse.Error
	if errors.As(err, &cl) {
		return err
	}
	var ne *neo4j.Neo4jError
	if errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Schema.ConstraintValidationFailed") {
		return cyberlotse.Errorf(cyberlotse.ECONFLICT, "Der Eintrag existiert bereits.")
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Record decoding. Queries return one map per row (a projection such as
// e {.*, organizerId: …}); these helpers read its values leniently, since
// absent properties come back as nil.

type row map[string]any

func rowsOf(records []*neo4j.Record, key string) []row {
	out := make([]row, 0, len(records))
	for _, r := range records {
		if v, ok := r.Get(key); ok {
			if m, ok := v.(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// rowOf is the map under key of one record, nil when it is null.
func rowOf(rec *neo4j.Record, key string) row {
	v, _ := rec.Get(key)
	m, _ := v.(map[string]any)
	return m
}

func (r row) str(k string) string {
	s, _ := r[k].(string)
	return s
}

func (r row) int(k string) int {
	n, _ := r[k].(int64)
	return int(n)
}

func (r row) intPtr(k string) *int {
	n, ok := r[k].(int64)
	if !ok {
		return nil
	}
	i := int(n)
	return &i
}

func (r row) float(k string) float64 {
	switch v := r[k].(type) {
	case float64:
		return v
	case int64:
		return float64(v)
	}
	return 0
}

func (r row) bool(k string) bool {
	b, _ := r[k].(bool)
	return b
}

func (r row) strs(k string) []string {
	list, _ := r[k].([]any)
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func (r row) time(k string) time.Time {
	t, _ := r[k].(time.Time)
	return t
}

func (r row) timePtr(k string) *time.Time {
	switch v := r[k].(type) {
	case time.Time:
		return &v
	case neo4j.Date:
		t := v.Time()
		return &t
	}
	return nil
}

func (r row) point(k string) cyberlotse.Point {
	p, _ := r[k].(neo4j.Point2D)
	return cyberlotse.Point{Lat: p.Y, Lon: p.X}
}

func (r row) provenance() cyberlotse.Provenance {
	return cyberlotse.Provenance{Sample: r.bool("sample"), Source: r.str("source")}
}

// castAll converts a slice of string-like values to []string for parameters.
func castAll[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
