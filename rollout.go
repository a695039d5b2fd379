package cyberlotse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// RolloutStatus is how far a measure has come in a region.
type RolloutStatus string

const (
	NotStarted RolloutStatus = "NOT_STARTED"
	Planned    RolloutStatus = "PLANNED"
	InProgress RolloutStatus = "IN_PROGRESS"
	Live       RolloutStatus = "LIVE"
	Evaluated  RolloutStatus = "EVALUATED"
	Paused     RolloutStatus = "PAUSED"
)

// transitions are the allowed next states of each state.
var transitions = map[RolloutStatus][]RolloutStatus{
	NotStarted: {Planned},
	Planned:    {InProgress, Paused, NotStarted},
	InProgress: {Live, Paused, Planned},
	Live:       {Evaluated, Paused},
	Evaluated:  {InProgress},
	Paused:     {Planned, InProgress},
}

// NextStatuses lists the states a rollout may move to from s.
func NextStatuses(s RolloutStatus) []RolloutStatus { return transitions[s] }

// CheckTransition returns EINVALID unless from → to is allowed; staying in
// a state is always allowed.
func CheckTransition(from, to RolloutStatus) error {
	if _, ok := transitions[to]; !ok {
		return Invalid("status", fmt.Sprintf("„%s“ ist kein Status.", to))
	}
	if from == to || slices.Contains(transitions[from], to) {
		return nil
	}
	next := make([]string, len(transitions[from]))
	for i, s := range transitions[from] {
		next[i] = string(s)
	}
	return &Error{Code: EINVALID, Message: fmt.Sprintf(msgBadTransition, from, to, strings.Join(next, ", ")),
		Details: map[string]any{"reason": "INVALID_TRANSITION", "allowed": next}}
}

// Milestone is a step of a rollout plan.
type Milestone struct {
	Title string
	Due   *time.Time // a date, midnight Europe/Berlin
	Done  bool
}

// Rollout is the state of one measure in one region. A rollout nobody has
// recorded yet is NOT_STARTED with Recorded false: "not recorded", not a
// claim that nothing happened.
type Rollout struct {
	RegionID             string
	MeasureCode          string
	Status               RolloutStatus
	Progress             int // 0–100
	ResponsibleContactID string
	Milestones           []Milestone
	Notes                string
	Version              int
	Recorded             bool
	UpdatedAt            *time.Time
	UpdatedBy            string
	// Reach is set by Matrix.
	Reach *Reach
}

// RolloutUpdate changes a rollout; nil fields stay. ExpectedVersion, when
// set, must equal the stored version (optimistic locking).
type RolloutUpdate struct {
	Status               *RolloutStatus
	Progress             *int
	ResponsibleContactID *string
	Milestones           *[]Milestone
	Notes                *string
	ExpectedVersion      *int
	Note                 string // why, for the history
}

// Apply validates u against r and changes r.
func (u RolloutUpdate) Apply(r *Rollout) error {
	if u.ExpectedVersion != nil && *u.ExpectedVersion != r.Version {
		return &Error{Code: ECONFLICT, Message: fmt.Sprintf(msgRolloutConflict, r.Version),
			Details: map[string]any{"reason": "VERSION_MISMATCH", "version": r.Version}}
	}
	if u.Status != nil {
		if err := CheckTransition(r.Status, *u.Status); err != nil {
			return err
		}
		r.Status = *u.Status
	}
	if u.Progress != nil {
		if *u.Progress < 0 || *u.Progress > 100 {
			return Invalid("progress", "der Fortschritt liegt zwischen 0 und 100 Prozent.")
		}
		r.Progress = *u.Progress
	}
	if u.ResponsibleContactID != nil {
		r.ResponsibleContactID = *u.ResponsibleContactID
	}
	if u.Milestones != nil {
		for _, m := range *u.Milestones {
			if strings.TrimSpace(m.Title) == "" || len(m.Title) > 200 {
				return Invalid("milestones", "jeder Meilenstein braucht einen Titel (höchstens 200 Zeichen).")
			}
		}
		r.Milestones = *u.Milestones
	}
	if u.Notes != nil {
		if len(*u.Notes) > 5000 {
			return Invalid("notes", "höchstens 5000 Zeichen.")
		}
		r.Notes = *u.Notes
	}
	if len(u.Note) > 1000 {
		return Invalid("note", "höchstens 1000 Zeichen.")
	}
	return nil
}

// RolloutChange is one entry of a rollout's history.
type RolloutChange struct {
	At                       time.Time
	By                       string // the subject of the token; never personal data
	From, To                 RolloutStatus
	ProgressFrom, ProgressTo int
	Note                     string
}

// Reach is what a measure reached in a region, computed from the graph.
// Events, registrations and companies come from a snapshot that a job
// refreshes (their count walks every registration of the region); AsOf
// says when. Satellites follow the rollouts at once.
type Reach struct {
	Events        int // events addressing the measure for or in the region
	Registrations int // confirmed registrations to those events
	Companies     int // distinct companies in the region among the registered
	Satellites    int // satellites with the measure in progress, live or evaluated
	AsOf          time.Time
}

// RolloutSource reads the rollouts for a read model.
type RolloutSource interface {
	// RolloutCells returns every cell of the matrix that is stored: each
	// recorded rollout and each region and measure with a reach snapshot
	// (Reach set, without Satellites, which follow from the others).
	RolloutCells(ctx context.Context) ([]*Rollout, error)
}

// SatelliteStatuses are the statuses with which a satellite counts in
// its model region's Reach.Satellites.
var SatelliteStatuses = []RolloutStatus{InProgress, Live, Evaluated}

// RolloutService tracks the measures per region. Reads are for managers
// of the regions and admins; writes check CanManageRegion first.
type RolloutService interface {
	// Matrix returns regions × the 13 measures, in region order and then
	// by measure code, with the reach snapshot. ENOTFOUND for an unknown
	// region.
	Matrix(ctx context.Context, regionIDs []string) ([]*Rollout, error)
	// UpdateRollout applies u and records a RolloutChange, atomically.
	// EINVALID bad transition or values; ECONFLICT stale version.
	UpdateRollout(ctx context.Context, regionID, code string, u RolloutUpdate, by string, now time.Time) (*Rollout, error)
	// RefreshReach recomputes the reach snapshot of the regions (all
	// when regionIDs is empty) as of now; Matrix computes a missing one.
	RefreshReach(ctx context.Context, regionIDs []string, now time.Time) error
	// History lists the changes, newest first.
	History(ctx context.Context, regionID, code string) ([]*RolloutChange, error)
	// AddSatellite creates a satellite region for one municipality under a
	// model region, managed by the same organization, with the model
	// region's plan copied. ECONFLICT if the municipality already belongs
	// to a region of this kind.
	AddSatellite(ctx context.Context, modelRegionID string, ags AGS, by string, now time.Time) (*Region, error)
}

// CanManageRegion says whether id may read and change the rollout of a
// region: admins always; regional managers for their regions and the
// satellites of those (satelliteOf is the region's model region, if any).
func CanManageRegion(id *Identity, regionID, satelliteOf string) error {
	switch {
	case id == nil:
		return Errorf(EUNAUTH, "%s", msgUnauthenticated)
	case id.Has(RoleAdmin):
		return nil
	case id.Has(RoleRegionalManager) && (slices.Contains(id.RegionIDs, regionID) ||
		satelliteOf != "" && slices.Contains(id.RegionIDs, satelliteOf)):
		return nil
	}
	return Errorf(EFORBIDDEN, msgNotManager, regionID)
}
