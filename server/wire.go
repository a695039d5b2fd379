package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/schema"
	"github.com/cyberlotse/cyberlotse/seeds"
	"github.com/cyberlotse/cyberlotse/server/localneo4j"
)

// Main wires Cyberlotse together. The end-to-end tests use it too.
type Main struct {
	Config Config
	Logger *slog.Logger

	Local *localneo4j.Server // the local Neo4j, when NEO4J_URI is unset
	DB    *store.DB

	httpServer *http.Server
}

func NewMain(cfg Config) *Main {
	return &Main{Config: cfg, Logger: cfg.Logger()}
}

// OpenDB connects to NEO4J_URI, or starts the local Neo4j and connects to it.
func (m *Main) OpenDB(ctx context.Context) error {
	uri := m.Config.Neo4jURI
	if uri == "" {
		local, err := localneo4j.Start(ctx, localneo4j.Options{
			Home: m.Config.LocalHome, Port: m.Config.LocalPort, Logger: m.Logger})
		if err != nil {
			return err
		}
		m.Local, uri = local, local.URI
	}
	db, err := store.Open(ctx, store.Config{URI: uri, User: m.Config.Neo4jUser,
		Password: m.Config.Neo4jPassword, Database: m.Config.Neo4jDatabase}, m.Logger)
	if err != nil {
		return fmt.Errorf("cannot reach Neo4j at %s (check NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD): %w", uri, err)
	}
	m.DB = db
	return nil
}

// Migrate applies pending migrations.
func (m *Main) Migrate(ctx context.Context) error {
	migrations, err := schema.Migrations()
	if err != nil {
		return err
	}
	applied, err := m.DB.Migrate(ctx, migrations)
	if err != nil {
		return err
	}
	m.Logger.Info("migrations up to date", "applied_now", applied, "total", len(migrations))
	return nil
}

// Seed loads the reference data.
func (m *Main) Seed(ctx context.Context) error {
	start := time.Now()
	network, err := seeds.Load()
	if err != nil {
		return err
	}
	report, err := store.NewSeedService(m.DB).ApplyNetwork(ctx, network)
	if err != nil {
		return err
	}
	m.Logger.Info("seed data loaded", "counts", report, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// Resolver builds the GraphQL root resolver over the store.
func (m *Main) Resolver() *graph.Resolver {
	return &graph.Resolver{
		Geo:      store.NewGeoService(m.DB),
		Network:  store.NewNetworkService(m.DB),
		Events:   store.NewEventService(m.DB),
		Measures: store.NewMeasureService(m.DB),
		Match:    cyberlotse.NewMatchmaker(store.NewMatchStore(m.DB)),
	}
}

func (m *Main) serveCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	seed := fs.Bool("seed", false, "load the seed data before serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := m.OpenDB(ctx); err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return err
	}
	if *seed {
		if err := m.Seed(ctx); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(m.Config.Host, fmt.Sprint(m.Config.Port)))
	if err != nil {
		return fmt.Errorf("cannot listen on %s:%d (is another server running? set PORT): %w", m.Config.Host, m.Config.Port, err)
	}
	return m.Serve(ctx, ln)
}

// Serve answers HTTP on ln until ctx is done, then shuts down gracefully.
func (m *Main) Serve(ctx context.Context, ln net.Listener) error {
	m.httpServer = &http.Server{
		Handler:           m.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	m.Logger.Info("Cyberlotse is serving", "url", "http://"+ln.Addr().String(),
		"graphql", "http://"+ln.Addr().String()+"/graphql", "graphiql", "http://"+ln.Addr().String()+"/graphiql")
	errc := make(chan error, 1)
	go func() { errc <- m.httpServer.Serve(ln) }()
	var localDone <-chan struct{}
	if m.Local != nil {
		localDone = m.Local.Done()
	}
	select {
	case err := <-errc:
		return err
	case <-localDone:
		return errors.New("the local Neo4j stopped unexpectedly; see " + m.Local.Home + "/logs")
	case <-ctx.Done():
	}
	m.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return m.httpServer.Shutdown(shutdownCtx)
}

// Close releases the database and stops the local Neo4j.
func (m *Main) Close() error {
	var errs []error
	if m.DB != nil {
		errs = append(errs, m.DB.Close(context.Background()))
	}
	if m.Local != nil {
		errs = append(errs, m.Local.Stop())
	}
	return errors.Join(errs...)
}
