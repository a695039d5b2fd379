package readmodel

import (
	"cmp"
	"context"
	"slices"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// eventIndex holds every event by id and in start order (then id), the
// order of every event list. Guarded by Model.mu; the events themselves
// are replaced, never changed.
type eventIndex struct {
	byID  map[string]*cyberlotse.Event
	order []*cyberlotse.Event
	// byRegion lists the events for each region, in start order too:
	// matchmaking's own-region events without scanning the whole year.
	byRegion map[string][]*cyberlotse.Event
}

func newEventIndex() *eventIndex {
	return &eventIndex{byID: map[string]*cyberlotse.Event{}, byRegion: map[string][]*cyberlotse.Event{}}
}

func eventOrder(a, b *cyberlotse.Event) int {
	return cmp.Or(a.StartsAt.Compare(b.StartsAt), cmp.Compare(a.ID, b.ID))
}

// appendSorted adds events that come after all present ones, in order.
func (x *eventIndex) appendSorted(events []*cyberlotse.Event) {
	for _, e := range events {
		x.byID[e.ID] = e
		x.order = append(x.order, e)
		for _, r := range e.RegionIDs {
			x.byRegion[r] = append(x.byRegion[r], e)
		}
	}
}

// insert puts e into list at its place in start order.
func insert(list []*cyberlotse.Event, e *cyberlotse.Event) []*cyberlotse.Event {
	i, _ := slices.BinarySearchFunc(list, e, eventOrder)
	return slices.Insert(list, i, e)
}

// remove takes e out of list.
func remove(list []*cyberlotse.Event, e *cyberlotse.Event) []*cyberlotse.Event {
	if i, found := slices.BinarySearchFunc(list, e, eventOrder); found {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// replace drops the events of ids and inserts fresh in their places.
func (x *eventIndex) replace(ids []string, fresh []*cyberlotse.Event) {
	for _, id := range ids {
		old, ok := x.byID[id]
		if !ok {
			continue
		}
		x.order = remove(x.order, old)
		for _, r := range old.RegionIDs {
			x.byRegion[r] = remove(x.byRegion[r], old)
		}
		delete(x.byID, id)
	}
	for _, e := range fresh {
		if _, dup := x.byID[e.ID]; dup {
			continue
		}
		x.order = insert(x.order, e)
		for _, r := range e.RegionIDs {
			x.byRegion[r] = insert(x.byRegion[r], e)
		}
		x.byID[e.ID] = e
	}
}

// setCounts replaces the event of id by a copy with the given counts, in
// the same places (its start and id are unchanged).
func (x *eventIndex) setCounts(id string, c cyberlotse.EventCounts) {
	old, ok := x.byID[id]
	if !ok || (old.Confirmed == c.Confirmed && old.Waitlisted == c.Waitlisted) {
		return
	}
	e := *old
	e.Confirmed, e.Waitlisted = c.Confirmed, c.Waitlisted
	swap := func(list []*cyberlotse.Event) {
		if i, found := slices.BinarySearchFunc(list, old, eventOrder); found {
			list[i] = &e
		}
	}
	swap(x.order)
	for _, r := range old.RegionIDs {
		swap(x.byRegion[r])
	}
	x.byID[id] = &e
}

// from returns the position in list of the first event starting at or
// after t.
func from(list []*cyberlotse.Event, t time.Time) int {
	i, _ := slices.BinarySearchFunc(list, t, func(e *cyberlotse.Event, t time.Time) int { return e.StartsAt.Compare(t) })
	return i
}

func (m *Model) EventsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Event, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.events == nil {
		return nil, errNotLoaded
	}
	return pick(m.events.byID, ids), nil
}

// eventMatcher is an EventFilter prepared for many events.
type eventMatcher struct {
	f      cyberlotse.EventFilter
	covers map[cyberlotse.AGS]bool // the municipalities of f.Region
	near   map[cyberlotse.AGS]bool // the municipalities within f.Near
}

func (r *reference) matcher(f cyberlotse.EventFilter) eventMatcher {
	mt := eventMatcher{f: f}
	if f.Region != nil {
		mt.covers = r.covers[*f.Region]
	}
	if f.Near != nil {
		mt.near = map[cyberlotse.AGS]bool{}
		for _, mu := range r.municipalities {
			if cyberlotse.DistanceKm(mu.Location, f.Near.Place.Location) <= f.Near.RadiusKm {
				mt.near[mu.AGS] = true
			}
		}
	}
	return mt
}

// match is the store's eventWhere in Go; the time window is the caller's.
func (mt eventMatcher) match(e *cyberlotse.Event) bool {
	f := mt.f
	switch {
	case f.Format != nil && e.Format != *f.Format:
		return false
	case f.Mode != nil && e.Mode != *f.Mode && !(*f.Mode == cyberlotse.ModeOnline && e.Mode == cyberlotse.ModeHybrid):
		return false
	case f.AGS != nil && e.AGS != *f.AGS:
		return false
	case f.Measure != nil && !slices.Contains(e.MeasureCodes, *f.Measure):
		return false
	case f.Region != nil && !slices.Contains(e.RegionIDs, *f.Region) && !mt.covers[e.AGS]:
		return false
	case f.Near != nil && (e.AGS == "" || !mt.near[e.AGS]):
		return false
	}
	return true
}

// checkNear refuses a near filter whose place was not resolved, as the
// store does.
func checkNear(f cyberlotse.EventFilter) error {
	if f.Near != nil && f.Near.Place == nil {
		return cyberlotse.Invalid("near.place", "bitte einen Ort angeben.")
	}
	return nil
}

// scan calls yield for the events matching f in start order, from the
// position after (if any), until yield returns false.
func (m *Model) scan(f cyberlotse.EventFilter, after *cyberlotse.Cursor, yield func(*cyberlotse.Event) bool) error {
	if err := checkNear(f); err != nil {
		return err
	}
	r, err := m.reference()
	if err != nil {
		return err
	}
	var afterStart time.Time
	if after != nil {
		if afterStart, err = time.Parse(time.RFC3339Nano, after.Key(0)); err != nil {
			return cyberlotse.Errorf(cyberlotse.EINVALID, "Der Cursor „after“ passt nicht zu dieser Liste.")
		}
	}
	mt := r.matcher(f)
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.events == nil {
		return errNotLoaded
	}
	start := 0
	if f.From != nil {
		start = from(m.events.order, *f.From)
	}
	if after != nil {
		start = max(start, from(m.events.order, afterStart))
	}
	for _, e := range m.events.order[start:] {
		if f.To != nil && !e.StartsAt.Before(*f.To) {
			break
		}
		if after != nil && e.StartsAt.Equal(afterStart) && e.ID <= after.Key(1) {
			continue
		}
		if mt.match(e) && !yield(e) {
			break
		}
	}
	return nil
}

func (m *Model) FindEvents(ctx context.Context, f cyberlotse.EventFilter, p cyberlotse.Page) ([]*cyberlotse.Event, bool, error) {
	var out []*cyberlotse.Event
	more := false
	err := m.scan(f, p.After, func(e *cyberlotse.Event) bool {
		if len(out) == p.First {
			more = true
			return false
		}
		out = append(out, e)
		return true
	})
	return out, more, err
}

func (m *Model) CountEvents(ctx context.Context, f cyberlotse.EventFilter) (int, error) {
	n := 0
	err := m.scan(f, nil, func(*cyberlotse.Event) bool { n++; return true })
	return n, err
}
