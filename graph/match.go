package graph

import (
	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

func placeQuery(in model.PlaceInput) (cyberlotse.PlaceQuery, error) {
	q := cyberlotse.PlaceQuery{Town: in.Town, CompanyID: in.CompanyID}
	if in.Ags != nil {
		a, err := cyberlotse.ParseAGS(*in.Ags)
		if err != nil {
			return q, err
		}
		q.AGS = &a
	}
	if in.Postcode != nil {
		p, err := cyberlotse.ParsePostcode(*in.Postcode)
		if err != nil {
			return q, err
		}
		q.Postcode = &p
	}
	if q.AGS != nil && (q.Postcode != nil || q.Town != nil || q.CompanyID != nil) ||
		q.CompanyID != nil && (q.Postcode != nil || q.Town != nil) {
		return q, cyberlotse.Invalid("place", "bitte nur eine Form angeben: ags, postcode (mit oder ohne town), town oder companyId.")
	}
	return q, nil
}

func matchInput(in model.MatchInput) (cyberlotse.MatchInput, error) {
	place, err := placeQuery(*in.Place)
	if err != nil {
		return cyberlotse.MatchInput{}, err
	}
	out := cyberlotse.MatchInput{Place: place, Employees: in.Employees, Topics: in.Topics, From: in.From, To: in.To}
	if in.Sector != nil {
		out.Sector = *in.Sector
	}
	if in.Audience != nil {
		out.Audience = *in.Audience
	}
	if in.RadiusKm != nil {
		if *in.RadiusKm <= 0 {
			return out, cyberlotse.Invalid("radiusKm", "der Umkreis muss größer als 0 km sein.")
		}
		out.RadiusKm = *in.RadiusKm
	}
	if l := in.First; l != nil {
		for _, p := range []struct {
			v   *int
			dst *int
		}{{l.Contacts, &out.Limits.Contacts}, {l.Events, &out.Limits.Events}, {l.Measures, &out.Limits.Measures}, {l.Offers, &out.Limits.Offers}} {
			if p.v != nil {
				if *p.v < 1 {
					return out, cyberlotse.Invalid("first", "jede Liste braucht mindestens einen Eintrag.")
				}
				*p.dst = *p.v
			}
		}
	}
	return out, nil
}

func matchResult(res *cyberlotse.MatchResult) *model.MatchResult {
	out := &model.MatchResult{Municipality: res.Municipality, Regions: res.Regions, SizeClass: res.SizeClass}
	for _, m := range res.Contacts {
		out.Contacts = append(out.Contacts, &model.ContactMatch{Contact: m.Item, Score: m.Score, Reasons: reasons(m.Reasons)})
	}
	for _, m := range res.Events {
		out.Events = append(out.Events, &model.EventMatch{Event: m.Item, Score: m.Score, Reasons: reasons(m.Reasons), DistanceKm: m.DistanceKm})
	}
	for _, m := range res.Measures {
		out.Measures = append(out.Measures, &model.MeasureMatch{Measure: m.Item, Score: m.Score, Reasons: reasons(m.Reasons),
			RolloutStatus: optionalString(m.Status)})
	}
	for _, m := range res.Offers {
		out.Offers = append(out.Offers, &model.OfferMatch{Offer: m.Item, Score: m.Score, Reasons: reasons(m.Reasons)})
	}
	return out
}

func reasons(rs []cyberlotse.Reason) []*cyberlotse.Reason {
	out := make([]*cyberlotse.Reason, len(rs))
	for i := range rs {
		out[i] = &rs[i]
	}
	return out
}
