package graph

import (
	"context"
	"net/url"

	"github.com/google/uuid"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// The self-check's tokens are its keys: whoever holds the resume token
// owns the check, whoever holds the share token may read it. A token that
// opens nothing (mistyped, forged, or its check deleted) is
// UNAUTHENTICATED, like a forged manage link. Nothing of a check is
// logged: it has no personal data, and its tokens never reach a log.

// DefaultCheckActionRequirements is how many of the most urgent gaps get
// next actions unless the client asks for more.
const DefaultCheckActionRequirements = 5

func checkTokenError(err error) error {
	if cyberlotse.ErrorCode(err) == cyberlotse.ENOTFOUND {
		return cyberlotse.Errorf(cyberlotse.EUNAUTH, "%s", cyberlotse.MsgCheckToken)
	}
	return err
}

// checkOfToken opens a check with its resume token.
func (r *Resolver) checkOfToken(ctx context.Context, token string) (*cyberlotse.SelfCheck, error) {
	c, err := r.SelfChecks.CheckByToken(ctx, cyberlotse.CheckToken(token).Hash())
	return c, checkTokenError(err)
}

// checkOfShareToken opens a check with its share token, read only.
func (r *Resolver) checkOfShareToken(ctx context.Context, token string) (*cyberlotse.SelfCheck, error) {
	c, err := r.SelfChecks.CheckByShareToken(ctx, cyberlotse.CheckToken(token).Hash())
	return c, checkTokenError(err)
}

func (r *Resolver) resumeURL(token cyberlotse.CheckToken) string {
	return r.BaseURL + "/selbstcheck?token=" + url.QueryEscape(string(token))
}

func (r *Resolver) shareURL(token cyberlotse.CheckToken) string {
	return r.BaseURL + "/selbstcheck/ansicht?token=" + url.QueryEscape(string(token))
}

// checkProfile validates a profile; a place resolves to one municipality
// like matchmaking's (UNKNOWN_PLACE, AMBIGUOUS_PLACE), but not to a
// stored company.
func (r *Resolver) checkProfile(ctx context.Context, in *model.SelfCheckProfileInput) (cyberlotse.CheckProfile, error) {
	var p cyberlotse.CheckProfile
	if in == nil {
		return p, nil
	}
	p.Employees = in.Employees
	if in.Sector != nil {
		p.Sector = *in.Sector
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	if in.Place != nil {
		if in.Place.CompanyID != nil {
			return p, cyberlotse.Invalid("place", "bitte den Ort als Gemeindeschlüssel, Postleitzahl oder Ortsnamen angeben.")
		}
		q, err := placeQuery(*in.Place)
		if err != nil {
			return p, err
		}
		m, _, err := cyberlotse.ResolvePlace(ctx, r.Match.Store, q)
		if err != nil {
			return p, err
		}
		p.AGS = &m.AGS
	}
	return p, nil
}

func checkUpdate(in model.SelfCheckAnswersInput) (cyberlotse.CheckUpdate, error) {
	u := cyberlotse.CheckUpdate{Statuses: map[cyberlotse.StatusQuestion]bool{}, Answers: map[int]cyberlotse.CheckAnswer{}}
	for _, s := range in.StatusAnswers {
		u.Statuses[s.Question] = s.Answer
	}
	for _, a := range in.Answers {
		u.Answers[a.Number] = a.Answer
	}
	return u, u.Validate()
}

// startCheck stores a new check with a fresh resume token.
func (r *Resolver) startCheck(ctx context.Context, p cyberlotse.CheckProfile) (*model.SelfCheckStartPayload, error) {
	now := r.Now()
	c := &cyberlotse.SelfCheck{ID: uuid.NewString(), Status: cyberlotse.CheckInProgress, CreatedAt: now, UpdatedAt: now,
		Employees: p.Employees, Sector: p.Sector, AGS: p.AGS,
		Statuses: map[cyberlotse.StatusQuestion]bool{}, Answers: map[int]cyberlotse.CheckAnswer{}}
	token := cyberlotse.NewCheckToken()
	if err := r.SelfChecks.CreateCheck(ctx, c, token.Hash()); err != nil {
		return nil, err
	}
	return &model.SelfCheckStartPayload{SelfCheck: c, Token: string(token), ResumeURL: r.resumeURL(token)}, nil
}

// nextActions finds the next actions for the n most urgent gaps.
func (r *Resolver) nextActions(ctx context.Context, c *cyberlotse.SelfCheck, n *int, first *model.CheckActionLimitsInput) (*model.CheckActions, error) {
	count := DefaultCheckActionRequirements
	if n != nil {
		if *n < 1 || *n > len(cyberlotse.CheckCatalogue.Requirements) {
			return nil, cyberlotse.Invalid("requirements", "bitte eine Zahl zwischen 1 und 27 angeben.")
		}
		count = *n
	}
	var limits cyberlotse.ActionLimits
	if first != nil {
		for _, p := range []struct {
			v   *int
			dst *int
		}{{first.Events, &limits.Events}, {first.Contacts, &limits.Contacts}, {first.Offers, &limits.Offers}, {first.Measures, &limits.Measures}} {
			if p.v != nil {
				if *p.v < 1 {
					return nil, cyberlotse.Invalid("first", "jede Liste braucht mindestens einen Eintrag.")
				}
				*p.dst = *p.v
			}
		}
	}
	limits, err := cyberlotse.NormalizeActionLimits(limits)
	if err != nil {
		return nil, err
	}
	out := &model.CheckActions{Regions: []*cyberlotse.Region{}, Actions: []*model.RequirementActions{}}
	if c.AGS == nil {
		out.Hint = optionalString(cyberlotse.MsgCheckNoPlace)
		return out, nil
	}
	recs := cyberlotse.Evaluate(c.Statuses, c.Answers).Recommendations
	if len(recs) > count {
		recs = recs[:count]
	}
	res, err := r.Match.CheckActions(ctx, *c.AGS, c.Employees, recs, limits)
	if err != nil {
		return nil, err
	}
	out.Municipality, out.Regions = res.Municipality, res.Regions
	if out.Regions == nil {
		out.Regions = []*cyberlotse.Region{}
	}
	for _, a := range res.Actions {
		m := matchResult(&cyberlotse.MatchResult{Events: a.Events, Contacts: a.Contacts, Offers: a.Offers, Measures: a.Measures})
		rec := a.Recommendation
		out.Actions = append(out.Actions, &model.RequirementActions{Recommendation: &rec,
			Events: nonNil(m.Events), Contacts: nonNil(m.Contacts), Offers: nonNil(m.Offers), Measures: nonNil(m.Measures)})
	}
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkStatistics gives the anonymised figures of the regions the caller
// may manage (the given ones, or by default the own with their satellites).
func (r *Resolver) checkStatistics(ctx context.Context, ids []string) ([]*model.SelfCheckStatistics, error) {
	regions, err := r.matrixRegions(ctx, ids)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(regions))
	for i, reg := range regions {
		keys[i] = reg.ID
	}
	out := []*model.SelfCheckStatistics{}
	if len(keys) == 0 {
		return out, nil
	}
	checks, err := r.SelfChecks.FinishedChecks(ctx, keys)
	if err != nil {
		return nil, err
	}
	for _, reg := range regions {
		st := cyberlotse.Aggregate(reg.ID, checks[reg.ID])
		s := &model.SelfCheckStatistics{Region: reg, Hidden: st.Hidden, Areas: []*model.AreaStatistic{}}
		if !st.Hidden {
			n, p := st.Finished, st.Percent
			s.FinishedChecks, s.Percent = &n, &p
		}
		for i, a := range cyberlotse.CheckAreas {
			as := &model.AreaStatistic{Area: a, Title: cyberlotse.AreaInfoOf(a).Title}
			if !st.Hidden {
				as.Percent = &st.Areas[i].Percent
			}
			s.Areas = append(s.Areas, as)
		}
		out = append(out, s)
	}
	return out, nil
}

// setCheckStatus pauses or resumes a check; its answers stay.
func (r *Resolver) setCheckStatus(ctx context.Context, token string, status cyberlotse.CheckStatus) (*cyberlotse.SelfCheck, error) {
	c, err := r.openCheck(ctx, token)
	if err != nil {
		return nil, err
	}
	return r.SelfChecks.UpdateCheck(ctx, c.ID, cyberlotse.CheckUpdate{}, status, r.Now())
}

// openCheck opens a check with its resume token for a change: one that
// is finished takes none.
func (r *Resolver) openCheck(ctx context.Context, token string) (*cyberlotse.SelfCheck, error) {
	c, err := r.checkOfToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := cyberlotse.CanAnswer(c); err != nil {
		return nil, err
	}
	return c, nil
}

func optionalStatus(q cyberlotse.StatusQuestion) *cyberlotse.StatusQuestion {
	if q == "" {
		return nil
	}
	return &q
}
