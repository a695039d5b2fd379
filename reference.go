package cyberlotse

import "context"

// ChangeKind says what part of the graph a change touched, and so what a
// reader that keeps a copy of it must load again.
type ChangeKind string

const (
	// ChangedEvents: the events named by Keys (new, updated, cancelled or
	// deleted).
	ChangedEvents ChangeKind = "EVENTS"
	// ChangedEventCounts: only the registration counts of the events named
	// by Keys (a registration, a cancellation, anonymised registrations).
	ChangedEventCounts ChangeKind = "EVENT_COUNTS"
	// ChangedNetwork: the reference network — geography, regions and
	// satellites, organizations, contacts, offers, topics, measures.
	ChangedNetwork ChangeKind = "NETWORK"
	// ChangedRollouts: rollout statuses of regions and measures.
	ChangedRollouts ChangeKind = "ROLLOUTS"
	// ChangedAll: anything; a reader loads everything again.
	ChangedAll ChangeKind = "ALL"
)

// Change is one entry of the change log: every write appends its changes
// in the same transaction, numbered in commit order without gaps.
type Change struct {
	Seq  int64
	Kind ChangeKind
	Keys []string
}

// ReadChanges reads up to limit changes after after, in order, and the
// head. pruned says that entries after after are gone (a reader away for
// longer than the log keeps them), so the reader must load everything.
//
// Neo4j has no read snapshot: while a commit is being applied, a reader
// can see its raised counter before the index entry of its change. Such a
// gap closes within moments, so it is read again a few times before it
// counts as pruned (seen under 16 concurrent registrations: a full reload
// every few seconds).
func ReadChanges(ctx context.Context, log ChangeLog, after int64, limit int) (changes []Change, head int64, pruned bool, err error) {
	for attempt := 1; ; attempt++ {
		changes, head, err = log.ChangesAfter(ctx, after, limit)
		if err != nil || head <= after {
			return nil, head, false, err
		}
		if len(changes) > 0 && changes[0].Seq == after+1 {
			return changes, head, false, nil
		}
		if attempt == gapReads {
			return nil, head, true, nil
		}
	}
}

// gapReads is how often a gap in the log is read before it counts as
// pruned.
const gapReads = 4

// EventCounts are an event's active registrations.
type EventCounts struct{ Confirmed, Waitlisted int }

// EventCountSource reads the registration counts of events: what a reader
// loads again for ChangedEventCounts, instead of the whole events.
type EventCountSource interface {
	EventCounts(ctx context.Context, ids []string) (map[string]EventCounts, error)
}

// ChangeLog is the log of committed changes that replicas follow to keep
// their in-memory copies current. Neo4j stays the only source of truth.
type ChangeLog interface {
	// Head returns the sequence number of the newest committed change (0
	// for none).
	Head(ctx context.Context) (int64, error)
	// ChangesAfter returns up to limit changes with Seq > after, in order,
	// and the head. A first change later than after+1 while the head is
	// past after means entries were pruned: the reader must reload.
	ChangesAfter(ctx context.Context, after int64, limit int) ([]Change, int64, error)
}

// Reference is the reference network as a whole, read in one
// transaction: what changes rarely and is read on every request, kept in
// memory by each replica's read model.
type Reference struct {
	GovRegions     []*GovRegion
	Districts      []*District
	Municipalities []*Municipality
	Regions        []*Region
	// Members maps each region id to the AGS of the municipalities it covers.
	Members       map[string][]AGS
	Organizations []*Organization
	Contacts      []*Contact
	// Statewide are the ids of the contacts responsible for all of NRW.
	Statewide []string
	Offers    []*Offer
	Topics    []*Topic
	Measures  []*Measure
}

// ReferenceSource reads the reference network for a read model.
type ReferenceSource interface {
	// Reference returns the whole reference network.
	Reference(ctx context.Context) (*Reference, error)
}
