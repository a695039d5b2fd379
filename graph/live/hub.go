package live

import (
	"context"
	"log/slog"
	"sync"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Hub holds this replica's rooms, each folded from its log, and tells
// subscribers when a room changed.
type Hub struct {
	Log    Log
	Now    func() time.Time
	NewID  func() string
	Logger *slog.Logger
	// Wait bounds how long an action waits for the log to take its event
	// and again to see it applied.
	Wait time.Duration
	// UpdateInterval is the least time between two notices to the
	// subscribers of a room (DefaultUpdateInterval if 0): at 500 votes a
	// second, 5,000 subscribers would otherwise each get hundreds of
	// views a second; a notice skipped is not lost, the next one holds
	// its change. Rooms with CrowdSize subscribers or more on this
	// replica are told every second tick. Set it before the first room
	// is used.
	UpdateInterval time.Duration

	mu    sync.Mutex
	rooms map[string]*room
}

// NewHub returns a hub over log.
func NewHub(log Log, now func() time.Time, newID func() string, logger *slog.Logger) *Hub {
	if logger == nil {
		logger = slog.Default()
	}
	return &Hub{Log: log, Now: now, NewID: newID, Logger: logger, Wait: 5 * time.Second, rooms: map[string]*room{}}
}

type room struct {
	mu      sync.Mutex
	room    *cyberlotse.Room
	version uint64    // raised on every applied event
	snap    *snapshot // of the version, built when first asked for
	waiters map[string]chan error
	changed chan struct{} // a version to tell the subscribers of
	stop    context.CancelFunc

	subsMu sync.Mutex
	subs   map[chan *snapshot]struct{}
}

// roomOf returns eventID's room, following its log from the start the
// first time it is asked for.
func (h *Hub) roomOf(eventID string) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r, ok := h.rooms[eventID]; ok {
		return r
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &room{room: cyberlotse.NewRoom(eventID), waiters: map[string]chan error{}, changed: make(chan struct{}, 1),
		subs: map[chan *snapshot]struct{}{}, stop: cancel}
	h.rooms[eventID] = r
	go h.notify(ctx, r)
	go func() {
		for ctx.Err() == nil {
			if err := h.Log.Follow(ctx, eventID, r.apply); err != nil && ctx.Err() == nil {
				h.Logger.Warn("live: following a session failed; retrying", "event", eventID, "err", err)
				select {
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
			}
		}
	}()
	return r
}

func (r *room) apply(ev cyberlotse.LiveEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ev.Seq <= r.room.Applied {
		return // redelivered after a reconnect
	}
	err := r.room.Apply(ev)
	r.version++
	if w, ok := r.waiters[ev.ID]; ok {
		w <- err
		delete(r.waiters, ev.ID)
	}
	select {
	case r.changed <- struct{}{}:
	default: // already pending
	}
}

// notify tells r's subscribers of its changes, at most once per tick of
// the update interval and all at once: each gets the same snapshot, so
// that thousands of them woken together build no snapshot of their own
// and see the same version (and share one answer, see graph's fan-out).
// The first change after a quiet tick goes out at once.
func (h *Hub) notify(ctx context.Context, r *room) {
	every := h.UpdateInterval
	if every <= 0 {
		every = DefaultUpdateInterval
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.changed:
		}
		r.mu.Lock()
		if r.snap == nil || r.snap.version != r.version {
			r.snap = newSnapshot(r.room, r.version, r.snap)
		}
		snap := r.snap
		r.mu.Unlock()
		r.subsMu.Lock()
		subscribers := len(r.subs)
		for s := range r.subs {
			select { // latest wins: a slow subscriber skips versions, never the newest
			case s <- snap:
			default:
				select {
				case <-s:
				default:
				}
				s <- snap
			}
		}
		r.subsMu.Unlock()
		tick := tickFor(every, subscribers)
		pause := time.NewTimer(tick - time.Duration(time.Now().UnixNano()%int64(tick)))
		select {
		case <-ctx.Done():
			pause.Stop()
			return
		case <-pause.C:
		}
	}
}

// tickFor is the pause after a notice to a room's subscribers.
func tickFor(every time.Duration, subscribers int) time.Duration {
	if subscribers >= CrowdSize {
		return 2 * every
	}
	return every
}

// Do appends ev to eventID's log and returns how the room took it: nil,
// or the refusal (a vote in an ended poll, a second upvote …), the same
// every replica sees.
func (h *Hub) Do(ctx context.Context, eventID string, ev cyberlotse.LiveEvent) error {
	r := h.roomOf(eventID)
	ev.ID, ev.At = h.NewID(), h.Now()
	done := make(chan error, 1)
	r.mu.Lock()
	r.waiters[ev.ID] = done
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.waiters, ev.ID)
		r.mu.Unlock()
	}()
	appendCtx, cancel := context.WithTimeout(ctx, h.Wait)
	defer cancel()
	if _, err := h.Log.Append(appendCtx, eventID, ev.ID, ev); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// The log did not take it in time (NATS overloaded or away): the
		// participant may try again, as for an action not seen applied.
		h.Logger.Warn("live: appending to a session's log failed", "event", eventID, "err", err)
		return cyberlotse.LiveUnavailable()
	}
	wait := time.NewTimer(h.Wait)
	defer wait.Stop()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-wait.C:
		return cyberlotse.LiveUnavailable() // appended, but not seen applied in time
	}
}

// View calls fn with eventID's room under its lock: fn must not keep it.
func (h *Hub) View(eventID string, fn func(*cyberlotse.Room)) {
	r := h.roomOf(eventID)
	r.mu.Lock()
	defer r.mu.Unlock()
	fn(r.room)
}

// snapshot calls fn with eventID's room and the snapshot of its newest
// version under the room's lock; the snapshot is built once per version.
func (h *Hub) snapshot(eventID string, fn func(*cyberlotse.Room, *snapshot)) {
	r := h.roomOf(eventID)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.snap == nil || r.snap.version != r.version {
		r.snap = newSnapshot(r.room, r.version, r.snap)
	}
	fn(r.room, r.snap)
}

// Subscribe returns a channel that receives the room's snapshot after
// changes (at most once per update interval; the newest only, when the
// reader is slow) and a function to end the subscription.
func (h *Hub) Subscribe(eventID string) (<-chan *snapshot, func()) {
	r := h.roomOf(eventID)
	ch := make(chan *snapshot, 1)
	r.subsMu.Lock()
	r.subs[ch] = struct{}{}
	r.subsMu.Unlock()
	return ch, func() {
		r.subsMu.Lock()
		delete(r.subs, ch)
		r.subsMu.Unlock()
	}
}

// Close stops following every room.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for id, r := range h.rooms {
		r.stop()
		delete(h.rooms, id)
	}
}
