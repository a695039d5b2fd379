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
	// Wait bounds how long an action waits to see its own event applied.
	Wait time.Duration

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
	// The snapshot the subscribers are sent in one tick of the update
	// interval, and the tick.
	tickSnap *snapshot
	tick     int64
	waiters  map[string]chan error
	subs     map[chan uint64]struct{}
	stop     context.CancelFunc
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
	r := &room{room: cyberlotse.NewRoom(eventID), waiters: map[string]chan error{}, subs: map[chan uint64]struct{}{}, stop: cancel}
	h.rooms[eventID] = r
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
	for s := range r.subs {
		select { // latest wins: a slow subscriber skips versions, never the newest
		case s <- r.version:
		default:
			select {
			case <-s:
			default:
			}
			s <- r.version
		}
	}
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
	if _, err := h.Log.Append(ctx, eventID, ev.ID, ev); err != nil {
		return err
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

// snapshot calls fn with eventID's room and its snapshot under the
// room's lock; the snapshot is built once per version.
func (h *Hub) snapshot(eventID string, fn func(*cyberlotse.Room, *snapshot)) {
	h.snapshotOfTick(eventID, 0, fn)
}

// snapshotOfTick is snapshot for the subscribers (tick > 0): all who ask
// in the same tick of the update interval get the same snapshot, the
// newest when the first of them asked, even if the room changed since —
// thousands of subscribers woken together are served one after another
// while votes keep coming, and with the same version they share one
// answer. behind says a newer version exists: ask again next tick.
func (h *Hub) snapshotOfTick(eventID string, tick int64, fn func(*cyberlotse.Room, *snapshot)) (behind bool) {
	r := h.roomOf(eventID)
	r.mu.Lock()
	defer r.mu.Unlock()
	if tick > 0 && r.tickSnap != nil && r.tick == tick {
		fn(r.room, r.tickSnap)
		return r.tickSnap.version != r.version
	}
	if r.snap == nil || r.snap.version != r.version {
		r.snap = newSnapshot(r.room, r.version)
	}
	if tick > 0 {
		r.tickSnap, r.tick = r.snap, tick
	}
	fn(r.room, r.snap)
	return false
}

// Subscribe returns a channel that receives the room's version after
// each change (the newest only, when the reader is slow) and a function
// to end the subscription.
func (h *Hub) Subscribe(eventID string) (<-chan uint64, func()) {
	r := h.roomOf(eventID)
	ch := make(chan uint64, 1)
	r.mu.Lock()
	r.subs[ch] = struct{}{}
	r.mu.Unlock()
	return ch, func() {
		r.mu.Lock()
		delete(r.subs, ch)
		r.mu.Unlock()
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
