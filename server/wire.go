package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/google/uuid"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	"github.com/cyberlotse/cyberlotse/graph/live"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/readmodel"
	"github.com/cyberlotse/cyberlotse/graph/search"
	"github.com/cyberlotse/cyberlotse/schema"
	"github.com/cyberlotse/cyberlotse/seeds"
	"github.com/cyberlotse/cyberlotse/server/localneo4j"
	"github.com/cyberlotse/cyberlotse/server/mail"
)

// Main wires Cyberlotse together. The end-to-end tests use it too.
type Main struct {
	Config Config
	Logger *slog.Logger

	Local *localneo4j.Server // the local Neo4j, when NEO4J_URI is unset
	DB    *store.DB

	Now      func() time.Time
	NewID    func() string
	Tokens   *cyberlotse.ManageTokens // manage links
	Auth     *HS256Tokens             // local bearer tokens (server token)
	Bearer   Authenticator            // every accepted bearer token
	Sender   mail.Sender
	Notifier *Notifier
	Search   search.Backend
	Meili    *search.Meili // nil unless MEILI_URL is set
	// NeoSearch is the Neo4j full-text backend (behind Search's bound and
	// fallback), following the change log for its vocabulary.
	NeoSearch *store.SearchBackend
	Metrics   *Metrics
	// Model is the in-memory read model, opened by Serve unless READ_MODEL=off.
	Model *readmodel.Model
	// Live runs the live sessions, opened by Serve (OpenLive).
	Live    *live.Service
	liveLog *live.NATSLog
	nats    *live.Embedded // the embedded NATS server, unless NATS_URL is set

	scheduler  *Scheduler
	httpServer *http.Server
}

func NewMain(cfg Config) *Main {
	return &Main{Config: cfg, Logger: cfg.Logger(), Now: time.Now, NewID: uuid.NewString, Metrics: NewMetrics()}
}

var berlin = mustLoadLocation("Europe/Berlin")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// OpenServices sets up what serving needs besides the database: secrets,
// the mail transport and the reminder job (not started yet).
func (m *Main) OpenServices() error {
	manageKey, err := secret("MANAGE_TOKEN_SECRET", m.Config.VarDir, "manage-token.secret")
	if err != nil {
		return err
	}
	jwtKey, err := secret("JWT_SECRET", m.Config.VarDir, "jwt.secret")
	if err != nil {
		return err
	}
	m.Tokens = cyberlotse.NewManageTokens(manageKey)
	m.Auth = &HS256Tokens{Key: jwtKey, Now: m.Now}
	bearer := Authenticators{Local: m.Auth}
	if m.Config.OIDCIssuer != "" {
		bearer.OIDC = &OIDCTokens{Issuer: m.Config.OIDCIssuer, Audience: m.Config.OIDCAudience, Now: m.Now}
	}
	m.Bearer = bearer
	if m.Config.SMTPURL != "" {
		if m.Sender, err = mail.NewSMTPSender(m.Config.SMTPURL, mail.WithTimeouts(m.Config.SMTPTimeouts)); err != nil {
			return fmt.Errorf("SMTP_URL: %w", err)
		}
	} else {
		outbox := filepath.Join(m.Config.VarDir, "outbox")
		m.Sender = mail.NewFileSender(outbox)
		m.Logger.Info("mail goes to files (set SMTP_URL to send)", "outbox", outbox)
	}
	composer := &mail.Composer{From: mail.DefaultFrom, Now: m.Now}
	if m.Config.MailFrom != "" {
		if composer.From, err = mail.ParseAddress(m.Config.MailFrom); err != nil {
			return fmt.Errorf("MAIL_FROM: %w", err)
		}
	}
	if err := m.openSearch(); err != nil {
		return err
	}
	host, _ := os.Hostname()
	m.Notifier = &Notifier{Reminders: store.NewReminderService(m.DB), Composer: composer, Sender: m.Sender,
		Tokens: m.Tokens, BaseURL: m.Config.BaseURL, Owner: fmt.Sprintf("%s-%d-%s", host, os.Getpid(), m.NewID()[:8]),
		Policy: cyberlotse.DefaultReminderPolicy, Now: m.Now, Logger: slog.New(maskAddresses(m.Logger.Handler())), Metrics: m.Metrics}
	return nil
}

// OpenDB connects to NEO4J_URI, or starts the local Neo4j and connects to it.
func (m *Main) OpenDB(ctx context.Context) error {
	uri := m.Config.Neo4jURI
	if uri == "" {
		local, err := localneo4j.Start(ctx, localneo4j.Options{
			Home: m.Config.LocalHome, Port: m.Config.LocalPort, Logger: m.Logger,
			HeapMB: m.Config.LocalHeapMB, PageCacheMB: m.Config.LocalPageCacheMB})
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
	db.Observe = m.Metrics.Query
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
	wiba, err := seeds.LoadWiba()
	if err != nil {
		return err
	}
	if err := store.NewWibaService(m.DB).ApplyCatalogue(ctx, wiba); err != nil {
		return err
	}
	report["WibaQuestion"] = wiba.QuestionCount()
	m.Logger.Info("seed data loaded", "counts", report, "duration", time.Since(start).Round(time.Millisecond))
	return nil
}

// openSearch picks the search backend: Neo4j full-text by default,
// Meilisearch with MEILI_URL (fed from the outbox, which is switched on
// only then), optionally falling back to Neo4j while Meilisearch is down.
// Neo4j's searches are bounded: they share its cores with every write,
// and a burst of fuzzy searches would otherwise slow down everything else.
func (m *Main) openSearch() error {
	m.NeoSearch = store.NewSearchBackend(m.DB)
	// Commands without a database (`server token`) search nothing.
	if m.DB != nil {
		m.NeoSearch.FollowVocabulary(m.Config.FollowEvery, m.Logger)
	}
	neo := search.NewLimited(m.NeoSearch, m.Config.SearchConcurrency)
	m.Search = neo
	if m.Config.MeiliURL == "" {
		return nil
	}
	meili, err := search.NewMeili(m.Config.MeiliURL, m.Config.MeiliKey)
	if err != nil {
		return fmt.Errorf("MEILI_URL: %w", err)
	}
	m.Meili = meili
	if m.DB != nil {
		m.DB.SearchOutbox = true
	}
	m.Search = meili
	if m.Config.SearchFallback {
		m.Search = &search.Fallback{Primary: meili, Secondary: neo, Logger: m.Logger}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := meili.EnsureSettings(ctx); err != nil {
		// Serve anyway: search reports SEARCH_UNAVAILABLE (or falls back)
		// and the sync job applies the settings once Meilisearch answers.
		m.Logger.Warn("Meilisearch is not ready; search is degraded until it is", "err", err)
	}
	return nil
}

// OpenReadModel loads the read model and keeps it current: at once after
// this replica's own writes, every FollowEvery for the others'.
func (m *Main) OpenReadModel(ctx context.Context) error {
	model, err := readmodel.Open(ctx, readmodel.Source{Reference: store.NewNetworkService(m.DB),
		Rollouts: store.NewRolloutService(m.DB, berlin), Events: store.NewEventService(m.DB), Counts: store.NewEventService(m.DB), Changes: store.NewChangeLog(m.DB), Companies: store.NewMatchStore(m.DB)}, m.Logger)
	if err != nil {
		return fmt.Errorf("loading the read model: %w", err)
	}
	m.DB.AfterChange = func(ctx context.Context) {
		// The write committed: apply it even when its client went away,
		// but do not hold the answer long when Neo4j went away meanwhile
		// (the follower applies it then).
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		if err := model.CatchUp(ctx); err != nil {
			// The follower applies it within FollowEvery.
			m.Logger.Warn("read model: applying an own change failed", "err", err)
		}
	}
	model.Follow(m.Config.FollowEvery)
	m.Model = model
	return nil
}

// Resolver builds the GraphQL root resolver over the store, with the read
// model in front of it when it is open.
func (m *Main) Resolver() *graph.Resolver {
	regs := store.NewRegistrationService(m.DB, m.NewID, berlin)
	var (
		geo      cyberlotse.GeoService     = store.NewGeoService(m.DB)
		network  cyberlotse.NetworkService = store.NewNetworkService(m.DB)
		events   cyberlotse.EventService   = store.NewEventService(m.DB)
		measures cyberlotse.MeasureService = store.NewMeasureService(m.DB)
		places   cyberlotse.MatchStore     = store.NewMatchStore(m.DB)
	)
	if m.Model != nil {
		geo, network, events, measures, places = m.Model, m.Model, m.Model, m.Model, m.Model
	}
	mm := cyberlotse.NewMatchmaker(places)
	mm.Now = m.Now
	storeRollouts := store.NewRolloutService(m.DB, berlin)
	storeRollouts.Now = m.Now
	var rollouts cyberlotse.RolloutService = storeRollouts
	if m.Model != nil {
		rollouts = &readmodel.Rollouts{RolloutService: storeRollouts, Model: m.Model}
	}
	return &graph.Resolver{
		Geo:           geo,
		Network:       network,
		Events:        events,
		Measures:      measures,
		Match:         mm,
		Search:        m.Search,
		Registrations: regs,
		EventWriter:   regs,
		Reminders:     store.NewReminderService(m.DB),
		Rollouts:      rollouts,
		SelfChecks:    store.NewSelfCheckService(m.DB),
		AdvisoryStore: store.NewAdvisoryService(m.DB),
		Live:          m.Live,
		AdvisoryDesk:  store.NewAdvisoryDesk(m.DB),
		Wiba:          store.NewWibaService(m.DB),
		IsbNetwork:    store.NewIsbNetworkStore(m.DB),
		Audit:         m.Logger.With("audit", true),
		Tokens:        m.Tokens,
		BaseURL:       m.Config.BaseURL,
		Now:           m.Now,
		Berlin:        berlin,
		IPLimit:       graph.NewRateLimiter(30, 10*time.Minute, m.Now),
		EmailLimit:    graph.NewRateLimiter(5, time.Hour, m.Now),
		CheckLimit:    graph.NewRateLimiter(20, time.Hour, m.Now),
		Registered:    m.scheduler.Kick,

		ObserveOperation:    m.Metrics.Operation,
		ObserveLiveUpdate:   m.Metrics.LiveUpdate,
		ObserveMatrixAnswer: m.Metrics.MatrixAnswer,

		DigiSOS:          store.NewDigiSOSService(m.DB),
		DigiSOSFramework: digiSOSFramework,
	}
}

// digiSOSFramework reads the embedded Digi-SOS seed once.
var digiSOSFramework = sync.OnceValues(seeds.DigiSOS)

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
	if err := m.OpenServices(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(m.Config.Host, fmt.Sprint(m.Config.Port)))
	if err != nil {
		return fmt.Errorf("cannot listen on %s:%d (is another server running? set PORT): %w", m.Config.Host, m.Config.Port, err)
	}
	return m.Serve(ctx, ln)
}

// Serve starts the reminder job and answers HTTP on ln until ctx is done,
// then shuts down gracefully.
func (m *Main) Serve(ctx context.Context, ln net.Listener) error {
	if m.Config.ReadModel && m.Model == nil {
		if err := m.OpenReadModel(ctx); err != nil {
			return err
		}
	}
	if m.Live == nil {
		if err := m.OpenLive(ctx); err != nil {
			return err
		}
	}
	sched, err := StartScheduler(m.Notifier, m.DB, m.Config.ReminderEvery, m.searchSync())
	if err != nil {
		return err
	}
	m.scheduler = sched
	if err := m.ScheduleFeeds(sched, os.Getenv("IMPORT_FEEDS"), time.Hour); err != nil {
		return err
	}
	if err := m.ScheduleAdvisories(sched, os.Getenv("ADVISORY_PROVIDERS"), 15*time.Minute); err != nil {
		return err
	}
	if err := m.ScheduleReach(sched, m.Config.ReachEvery); err != nil {
		return err
	}
	if err := m.SchedulePruneChanges(sched); err != nil {
		return err
	}
	if m.Config.RetentionEvery > 0 {
		if err := m.ScheduleRetention(sched, m.Config.Retention, m.Config.RetentionEvery); err != nil {
			return err
		}
	}
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
	if m.Config.PprofAddr != "" {
		go servePprof(m.Config.PprofAddr, m.Logger)
	}
	if m.Local != nil {
		// A local Neo4j that dies comes back; meanwhile the read model
		// answers and writes report UNAVAILABLE.
		go m.Local.Supervise(ctx)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return errors.Join(m.httpServer.Shutdown(shutdownCtx), m.scheduler.Stop())
}

// Close releases the database and stops the local Neo4j.
func (m *Main) Close() error {
	var errs []error
	m.closeLive()
	if m.Model != nil {
		m.Model.Close()
	}
	if m.NeoSearch != nil {
		m.NeoSearch.Close()
	}
	if m.DB != nil {
		errs = append(errs, m.DB.Close(context.Background()))
	}
	if m.Local != nil {
		errs = append(errs, m.Local.Stop())
	}
	return errors.Join(errs...)
}

// searchSync returns the job that drains the search outbox into
// Meilisearch, or nil without Meilisearch.
func (m *Main) searchSync() func(context.Context) {
	if m.Meili == nil {
		return nil
	}
	syncer := &search.Syncer{Outbox: store.NewSearchOutbox(m.DB), Index: m.Meili, Logger: m.Logger}
	settled := false
	return func(ctx context.Context) {
		if !settled {
			if err := m.Meili.EnsureSettings(ctx); err != nil {
				m.Logger.Warn("search sync: Meilisearch not ready", "err", err)
				return
			}
			settled = true
		}
		n, err := syncer.Drain(ctx)
		m.Metrics.searchSynced.Add(float64(n))
		if err != nil {
			m.Logger.Warn("search sync", "synced", n, "err", err)
		} else if n > 0 {
			m.Logger.Info("search sync", "synced", n)
		}
	}
}
