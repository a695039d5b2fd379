package readmodel

import (
	"context"
	"slices"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// rolloutIndex holds the stored cells of the rollout matrix.
type rolloutIndex struct {
	// byMeasure lists the recorded rollouts of each measure, for matchmaking.
	byMeasure map[string][]*cyberlotse.Rollout
	// cell holds every stored cell by region and measure.
	cell map[cellKey]*cyberlotse.Rollout
}

type cellKey struct{ region, measure string }

func newRolloutIndex(cells []*cyberlotse.Rollout) *rolloutIndex {
	idx := &rolloutIndex{byMeasure: map[string][]*cyberlotse.Rollout{}, cell: map[cellKey]*cyberlotse.Rollout{}}
	for _, c := range cells {
		idx.cell[cellKey{c.RegionID, c.MeasureCode}] = c
		if c.Recorded {
			idx.byMeasure[c.MeasureCode] = append(idx.byMeasure[c.MeasureCode], c)
		}
	}
	return idx
}

// underWay says whether a satellite with this cell counts in its model
// region's reach.
func underWay(c *cyberlotse.Rollout) bool {
	return c != nil && slices.Contains(cyberlotse.SatelliteStatuses, c.Status)
}

// Rollouts answers the rollout matrix from the read model and leaves
// everything else (writes, the history) to the store.
type Rollouts struct {
	cyberlotse.RolloutService
	Model *Model
}

// Matrix builds the cells from memory, in region order and then by
// measure code, as the store does. A region without a reach snapshot yet
// goes to the store, which computes one; its write reaches the model.
func (r *Rollouts) Matrix(ctx context.Context, regionIDs []string) ([]*cyberlotse.Rollout, error) {
	ref, err := r.Model.reference()
	if err != nil {
		return nil, err
	}
	idx := r.Model.rollouts.Load()
	out := make([]*cyberlotse.Rollout, 0, len(regionIDs)*len(ref.measures))
	for _, id := range regionIDs {
		if ref.region[id] == nil {
			return nil, cyberlotse.UnknownRegions(regionIDs)
		}
		for _, me := range ref.measures {
			cell, ok := r.cell(ref, idx, id, me.Code)
			if !ok {
				return r.RolloutService.Matrix(ctx, regionIDs)
			}
			out = append(out, cell)
		}
	}
	return out, nil
}

// MatrixVersion changes whenever Matrix may answer differently: when the
// network (regions, satellites, measures, contacts) or the rollouts with
// their reach are loaded again.
func (r *Rollouts) MatrixVersion() any {
	return matrixVersion{r.Model.ref.Load(), r.Model.rollouts.Load()}
}

type matrixVersion struct {
	ref      *reference
	rollouts *rolloutIndex
}

// cell is a copy of the stored cell with its live satellite count; false
// when the region has no reach snapshot yet.
func (r *Rollouts) cell(ref *reference, idx *rolloutIndex, region, code string) (*cyberlotse.Rollout, bool) {
	stored := idx.cell[cellKey{region, code}]
	if stored == nil || stored.Reach == nil {
		return nil, false
	}
	cell, reach := *stored, *stored.Reach
	reach.Satellites = 0
	for _, sat := range ref.satellites[region] {
		if underWay(idx.cell[cellKey{sat.ID, code}]) {
			reach.Satellites++
		}
	}
	cell.Reach = &reach
	return &cell, true
}
