package graph

import (
	"context"
	"strconv"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// municipalityOfficer checks that the caller may work with the
// municipality's advisories (its officer, an admin) and returns its AGS.
func (r *Resolver) municipalityOfficer(ctx context.Context, ags string) (cyberlotse.AGS, *cyberlotse.Identity, error) {
	id := cyberlotse.IdentityFromContext(ctx)
	a, err := cyberlotse.ParseAGS(ags)
	if err != nil {
		return "", nil, err
	}
	if err := cyberlotse.CanHandleMunicipalityAdvisories(id, a); err != nil {
		return "", nil, err
	}
	return a, id, nil
}

func advisoryRef(in model.AdvisoryRefInput) cyberlotse.AdvisoryRef {
	return cyberlotse.AdvisoryRef{Key: trimmed(in.Key), Publisher: trimmed(in.Publisher), TrackingID: trimmed(in.TrackingID)}
}

func trimmed(s *string) string {
	if s == nil {
		return ""
	}
	return strings.TrimSpace(*s)
}

func optionalTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// offsetOf reads the position of an offset cursor (a municipality's
// advisories are computed and ordered in Go; there is no stored key to
// page on).
func offsetOf(p cyberlotse.Page) (int, error) {
	if p.After == nil {
		return 0, nil
	}
	n, err := strconv.Atoi(p.After.Key(1))
	if p.After.Key(0) != "offset" || err != nil || n < 0 {
		return 0, cyberlotse.Invalid("after", "der Cursor gehört nicht zu dieser Liste.")
	}
	return n, nil
}
