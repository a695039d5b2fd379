package graph

import (
	"context"
	"slices"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// manageableRegion loads a region the caller may manage.
func (r *Resolver) manageableRegion(ctx context.Context, id string) (*cyberlotse.Region, error) {
	key := keyOf(id, "Region")
	region, err := load(ctx, r.loaders(ctx).Region, key, cyberlotse.KindRegion, key)
	if err != nil {
		return nil, err
	}
	return region, cyberlotse.CanManageRegion(cyberlotse.IdentityFromContext(ctx), region.ID, region.SatelliteOfID)
}

// manageableRollout checks the arguments naming one rollout: a region the
// caller may manage and a measure code.
func (r *Resolver) manageableRollout(ctx context.Context, regionID, measureCode string) (*cyberlotse.Region, string, error) {
	region, err := r.manageableRegion(ctx, regionID)
	if err != nil {
		return nil, "", err
	}
	code, err := cyberlotse.ParseMeasureCode(measureCode)
	return region, code, err
}

// matrixRegions resolves the matrix's regions: the given ones (each must
// be manageable), or by default the caller's own with their satellites
// (all regions for admins), model regions first.
func (r *Resolver) matrixRegions(ctx context.Context, ids []string) ([]*cyberlotse.Region, error) {
	if len(ids) > 0 {
		out := make([]*cyberlotse.Region, 0, len(ids))
		for _, id := range ids {
			reg, err := r.manageableRegion(ctx, id)
			if err != nil {
				return nil, err
			}
			out = append(out, reg)
		}
		return out, nil
	}
	all, err := r.Network.Regions(ctx, nil)
	if err != nil {
		return nil, err
	}
	caller := cyberlotse.IdentityFromContext(ctx)
	var out []*cyberlotse.Region
	for _, reg := range all {
		if cyberlotse.CanManageRegion(caller, reg.ID, reg.SatelliteOfID) == nil {
			out = append(out, reg)
		}
	}
	slices.SortStableFunc(out, func(a, b *cyberlotse.Region) int {
		if a.Kind != b.Kind {
			if a.Kind == cyberlotse.ModelRegion {
				return -1
			}
			return 1
		}
		return 0
	})
	return out, nil
}

func rolloutUpdate(in model.RolloutInput) cyberlotse.RolloutUpdate {
	u := cyberlotse.RolloutUpdate{Status: in.Status, Progress: in.Progress, ResponsibleContactID: in.ResponsibleContact,
		Notes: in.Notes, ExpectedVersion: in.ExpectedVersion}
	if in.Note != nil {
		u.Note = *in.Note
	}
	if in.Milestones != nil {
		ms := make([]cyberlotse.Milestone, len(in.Milestones))
		for i, m := range in.Milestones {
			ms[i] = cyberlotse.Milestone{Title: m.Title, Due: m.Due, Done: m.Done != nil && *m.Done}
		}
		u.Milestones = &ms
	}
	return u
}
