package cyberlotse

import "context"

// ChangeKind says what part of the graph a change touched, and so what a
// reader that keeps a copy of it must load again.
type ChangeKind string

const (
	// ChangedEvents: the events named by Keys (new, updated, cancelled,
	// deleted, or their registration counts).
	ChangedEvents ChangeKind = "EVENTS"
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
