// Package readmodel keeps what every request reads and what rarely changes
// in memory: the reference network (geography, regions and satellites,
// organizations and the police chain, contacts, offers, topics, measures,
// the rollout matrix with its reach snapshots) and the events with their registration counts. It
// implements the domain's read services and matchmaking's graph walk from
// that copy, so that a lookup costs no round trip to Neo4j.
//
// Neo4j stays the only source of truth. Every write appends to a change
// log in its own transaction (cyberlotse.ChangeLog); each replica follows
// the log every Interval, and the replica that wrote applies it right
// after the commit (read-your-writes). A change names what to load again
// — events by id, the network, the rollouts or everything — so applying
// it twice or late is harmless. Registrations, personal data, search and
// the rollout history are read from Neo4j as before.
package readmodel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Source is where the model loads from: the store.
type Source struct {
	Reference cyberlotse.ReferenceSource
	Rollouts  cyberlotse.RolloutSource
	Events    cyberlotse.EventService
	// Counts reads registration counts (ChangedEventCounts); nil: whole
	// events are loaded again instead.
	Counts  cyberlotse.EventCountSource
	Changes cyberlotse.ChangeLog
	// Companies resolves matchmaking's companyId places; companies are not
	// kept in memory.
	Companies cyberlotse.MatchStore
}

// DefaultInterval is how often a replica looks for changes made through
// other replicas.
const DefaultInterval = 200 * time.Millisecond

// Model is the in-memory read model of one replica. Its methods are safe
// for concurrent use; the objects they return are shared and must not be
// changed.
type Model struct {
	src    Source
	logger *slog.Logger

	ref      atomic.Pointer[reference]
	rollouts atomic.Pointer[rolloutIndex]

	mu     sync.RWMutex // guards events
	events *eventIndex

	syncMu  sync.Mutex // one catch-up at a time
	applied int64      // the last change applied; under syncMu
	// Rounds of catching up: begun counts those that started, finished
	// (under syncMu) the last that finished. Writers that commit while a round runs
	// share the next one instead of each running its own.
	begun    atomic.Int64
	finished int64

	// MaxEvents bounds the events one matchmaking call scores.
	MaxEvents int

	stop chan struct{}
	done chan struct{}
}

var (
	_ cyberlotse.GeoService     = (*Model)(nil)
	_ cyberlotse.NetworkService = (*Model)(nil)
	_ cyberlotse.MeasureService = (*Model)(nil)
	_ cyberlotse.EventService   = (*Model)(nil)
	_ cyberlotse.MatchStore     = (*Model)(nil)
)

// Open loads the model and applies the changes committed meanwhile. The
// head of the log is read before anything else: whatever commits during
// the load has a later number and is applied after it, so a model that
// starts while writes go on misses none of them.
func Open(ctx context.Context, src Source, logger *slog.Logger) (*Model, error) {
	if logger == nil {
		logger = slog.Default()
	}
	m := &Model{src: src, logger: logger, MaxEvents: maxEventCandidates}
	m.syncMu.Lock()
	defer m.syncMu.Unlock()
	if err := m.loadAll(ctx); err != nil {
		return nil, err
	}
	if err := m.catchUp(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// Follow applies the changes of other replicas every interval until Close.
func (m *Model) Follow(interval time.Duration) {
	if interval <= 0 {
		interval = DefaultInterval
	}
	m.stop, m.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(m.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		failing := false
		for {
			select {
			case <-m.stop:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				err := m.CatchUp(ctx)
				cancel()
				// Neo4j away: keep answering from the copy and retry; say
				// so once, not every interval.
				switch {
				case err != nil && !failing:
					m.logger.Warn("read model: following the change log failed; answering from the copy meanwhile", "err", err)
				case err == nil && failing:
					m.logger.Info("read model: following the change log again")
				}
				failing = err != nil
			}
		}
	}()
}

// Close stops following.
func (m *Model) Close() {
	if m.stop != nil {
		close(m.stop)
		<-m.done
		m.stop = nil
	}
}

// Resident says that lookups are answered from memory, so callers need
// not batch them.
func (m *Model) Resident() bool { return true }

// CatchUp applies every change committed before the call. The writing
// replica calls it after each commit; Follow calls it for the others. A
// round that began after the call read the log after every commit before
// it, so when one finished meanwhile there is nothing left to do: under
// many concurrent writes, catching up costs a round per batch of writers,
// not per writer.
func (m *Model) CatchUp(ctx context.Context) error {
	ticket := m.begun.Load()
	m.syncMu.Lock()
	defer m.syncMu.Unlock()
	if m.finished > ticket {
		return nil
	}
	round := m.begun.Add(1)
	if err := m.catchUp(ctx); err != nil {
		return err
	}
	m.finished = round
	return nil
}

// changeBatch bounds the changes read in one round trip.
const changeBatch = 1000

func (m *Model) catchUp(ctx context.Context) error {
	for {
		changes, head, pruned, err := cyberlotse.ReadChanges(ctx, m.src.Changes, m.applied, changeBatch)
		if err != nil {
			return err
		}
		if head <= m.applied {
			return nil
		}
		if pruned {
			// Pruned before we saw them (a replica away for long).
			m.logger.Info("read model: changes were pruned; loading everything", "applied", m.applied, "head", head)
			if err := m.loadAll(ctx); err != nil {
				return err
			}
			continue
		}
		if err := m.apply(ctx, changes); err != nil {
			return err
		}
		if last := changes[len(changes)-1].Seq; last > m.applied { // a reload may have gone further
			m.applied = last
		}
		if len(changes) < changeBatch {
			return nil
		}
	}
}

// apply loads again what a batch of changes touched, each part once.
func (m *Model) apply(ctx context.Context, changes []cyberlotse.Change) error {
	var network, rollouts bool
	eventIDs, countIDs := map[string]bool{}, map[string]bool{}
	for _, c := range changes {
		switch c.Kind {
		case cyberlotse.ChangedAll:
			return m.loadAll(ctx)
		case cyberlotse.ChangedNetwork:
			network = true
		case cyberlotse.ChangedRollouts:
			rollouts = true
		case cyberlotse.ChangedEvents:
			for _, id := range c.Keys {
				eventIDs[id] = true
			}
		case cyberlotse.ChangedEventCounts:
			for _, id := range c.Keys {
				countIDs[id] = true
			}
		default:
			return fmt.Errorf("readmodel: unknown change kind %q", c.Kind)
		}
	}
	if network {
		if err := m.loadReference(ctx); err != nil {
			return err
		}
	}
	if network || rollouts { // a new satellite brings its rollouts
		if err := m.loadRollouts(ctx); err != nil {
			return err
		}
	}
	for id := range eventIDs {
		delete(countIDs, id) // loaded whole anyway
	}
	if err := m.reloadEvents(ctx, eventIDs); err != nil {
		return err
	}
	return m.reloadCounts(ctx, countIDs)
}

// loadAll loads everything; the caller holds syncMu.
func (m *Model) loadAll(ctx context.Context) error {
	start := time.Now()
	head, err := m.src.Changes.Head(ctx)
	if err != nil {
		return err
	}
	if err := m.loadReference(ctx); err != nil {
		return err
	}
	if err := m.loadRollouts(ctx); err != nil {
		return err
	}
	events, err := m.loadEvents(ctx)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.events = events
	m.mu.Unlock()
	m.applied = head
	m.logger.Info("read model loaded", "events", len(events.order), "contacts", len(m.ref.Load().contacts),
		"took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (m *Model) loadReference(ctx context.Context) error {
	r, err := m.src.Reference.Reference(ctx)
	if err != nil {
		return err
	}
	m.ref.Store(newReference(r))
	return nil
}

func (m *Model) loadRollouts(ctx context.Context) error {
	cells, err := m.src.Rollouts.RolloutCells(ctx)
	if err != nil {
		return err
	}
	m.rollouts.Store(newRolloutIndex(cells))
	return nil
}

// loadPage is how many events one round trip of the initial load reads.
const loadPage = 5000

func (m *Model) loadEvents(ctx context.Context) (*eventIndex, error) {
	idx := newEventIndex()
	p := cyberlotse.Page{First: loadPage}
	for {
		page, more, err := m.src.Events.FindEvents(ctx, cyberlotse.EventFilter{}, p)
		if err != nil {
			return nil, err
		}
		idx.appendSorted(page)
		if !more || len(page) == 0 {
			return idx, nil
		}
		c := cyberlotse.EventCursor(page[len(page)-1])
		p.After = &c
	}
}

// reloadEvents replaces the events with the given ids by their stored
// state; ids no longer stored are dropped.
func (m *Model) reloadEvents(ctx context.Context, ids map[string]bool) error {
	if len(ids) == 0 {
		return nil
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	for start := 0; start < len(list); start += loadPage {
		batch := list[start:min(start+loadPage, len(list))]
		fresh, err := m.src.Events.EventsByIDs(ctx, batch)
		if err != nil {
			return err
		}
		m.mu.Lock()
		m.events.replace(batch, fresh)
		m.mu.Unlock()
	}
	return nil
}

// reloadCounts loads the registration counts of events again: a
// registration changes nothing else of its event.
func (m *Model) reloadCounts(ctx context.Context, ids map[string]bool) error {
	if m.src.Counts == nil {
		return m.reloadEvents(ctx, ids)
	}
	list := make([]string, 0, len(ids))
	for id := range ids {
		list = append(list, id)
	}
	for start := 0; start < len(list); start += loadPage {
		counts, err := m.src.Counts.EventCounts(ctx, list[start:min(start+loadPage, len(list))])
		if err != nil {
			return err
		}
		m.mu.Lock()
		for id, c := range counts {
			m.events.setCounts(id, c)
		}
		m.mu.Unlock()
	}
	return nil
}

// errNotLoaded guards against a model used before Open.
var errNotLoaded = errors.New("readmodel: not loaded")

func (m *Model) reference() (*reference, error) {
	r := m.ref.Load()
	if r == nil {
		return nil, errNotLoaded
	}
	return r, nil
}
