package cyberlotse

import (
	"context"
	"slices"
)

// ActionLimits bound the lists of next actions per requirement.
type ActionLimits struct{ Events, Contacts, Offers, Measures int }

// DefaultActionLimits: three of each, enough for a first step.
var DefaultActionLimits = ActionLimits{Events: 3, Contacts: 3, Offers: 3, Measures: 3}

// MaxActionLimit is the largest list of next actions per requirement.
const MaxActionLimit = 10

// RequirementActions are the next actions for one unmet requirement:
// upcoming events on its topics near the company, the contacts
// responsible for the company, the offers it is eligible for and the
// measures in rollout in its region — each with its reasons, ranked like
// matchmaking.
type RequirementActions struct {
	Recommendation Recommendation
	Events         []Match[*Event]
	Contacts       []Match[*Contact]
	Offers         []Match[*Offer]
	Measures       []Match[*Measure]
}

// CheckActions is the answer of Matchmaker.CheckActions.
type CheckActions struct {
	Municipality *Municipality
	Regions      []*Region
	Actions      []RequirementActions
}

// CheckActions finds, for each recommendation (in their order), what
// helps close the gap: it collects the candidates around the company's
// municipality once and ranks them per requirement with the requirement's
// topics, by the matchmaking weights. Only items that fit are kept:
// events and measures that share a topic with the requirement (measures
// also only when under way in the company's region), offers that share a
// topic and, where no funding offer shares one, the general funding
// programmes (offersFor); contacts are the responsible ones,
// ranked with the topics. Anyone may call it; ENOTFOUND for an unknown
// municipality.
func (mm *Matchmaker) CheckActions(ctx context.Context, ags AGS, employees *int, recs []Recommendation, limits ActionLimits) (*CheckActions, error) {
	now := mm.Now()
	from, to := now, now.Add(DefaultEventWindow)
	c, err := mm.Store.Candidates(ctx, CandidateQuery{AGS: ags, RadiusKm: DefaultRadiusKm, From: from, To: to})
	if err != nil {
		return nil, err
	}
	res := &CheckActions{Municipality: c.Municipality}
	for _, l := range c.Regions {
		res.Regions = append(res.Regions, l.Region)
	}
	var size *SizeClass
	if employees != nil {
		s := SizeClassOf(*employees)
		size = &s
	}
	w := mm.Weights
	for _, rec := range recs {
		topics := rec.Requirement.TopicIDs
		in := MatchInput{Topics: topics, RadiusKm: DefaultRadiusKm, From: &from, To: &to}
		a := RequirementActions{Recommendation: rec}
		a.Events = w.scoreEvents(c, in, now, limits.Events, func(e *Event) bool { return sharesTopic(e.TopicIDs, topics) })
		a.Contacts = top(w.scoreContacts(c, topics, AudienceCompany), limits.Contacts)
		a.Offers = top(withFundingReason(offersFor(w.scoreOffers(c, topics, size, AudienceCompany), topics)), limits.Offers)
		a.Measures = top(keepMatches(w.scoreMeasures(c, topics), func(m Match[*Measure]) bool {
			return underWay(m.Status) && sharesTopic(m.Item.TopicIDs, topics)
		}), limits.Measures)
		res.Actions = append(res.Actions, a)
	}
	return res, nil
}

// OfferFunding is the kind of funding programmes (seeds/offers.yaml).
const OfferFunding = "FUNDING"

// TopicFunding is the topic of funding in general (seeds/topics.yaml).
const TopicFunding = "foerderung"

// offersFor keeps the offers that help close a gap on these topics: those
// that share a topic with it and, only when no funding offer does, the
// general funding programmes. A funding offer about a focus area (say
// MID-Digitale Sicherheit's basic protection: backup, patches, ransomware)
// names its topics and so is kept only for the gaps it funds; a general
// programme (about funding alone) funds a measure whatever its topic, but
// repeats what a matching focus area already says.
func offersFor(ms []Match[*Offer], topics []string) []Match[*Offer] {
	funded := false
	for _, m := range ms {
		funded = funded || (m.Item.Kind == OfferFunding && sharesTopic(m.Item.TopicIDs, topics))
	}
	return keep(ms, func(o *Offer) bool {
		return sharesTopic(o.TopicIDs, topics) || (!funded && generalFunding(o))
	})
}

// generalFunding says whether o is a funding programme about nothing but
// funding, not tied to a topic of its own.
func generalFunding(o *Offer) bool {
	if o.Kind != OfferFunding {
		return false
	}
	for _, t := range o.TopicIDs {
		if t != TopicFunding {
			return false
		}
	}
	return true
}

// withFundingReason gives funding offers that matched for no topic of their
// own a reason: they fund the measure, whatever its topic.
func withFundingReason(ms []Match[*Offer]) []Match[*Offer] {
	for i := range ms {
		if ms[i].Item.Kind == OfferFunding {
			ms[i].Reasons = append(ms[i].Reasons, Reason{ReasonFunding, txtFundingOffer})
		}
	}
	return ms
}

// underWay says whether a rollout status means the measure is being
// rolled out or running in the region.
func underWay(status string) bool {
	switch status {
	case "PLANNED", "IN_PROGRESS", "LIVE", "EVALUATED":
		return true
	}
	return false
}

func sharesTopic(has, wanted []string) bool {
	for _, t := range wanted {
		if slices.Contains(has, t) {
			return true
		}
	}
	return false
}

func keep[T any](ms []Match[T], ok func(T) bool) []Match[T] {
	return keepMatches(ms, func(m Match[T]) bool { return ok(m.Item) })
}

func keepMatches[T any](ms []Match[T], ok func(Match[T]) bool) []Match[T] {
	out := ms[:0:0]
	for _, m := range ms {
		if ok(m) {
			out = append(out, m)
		}
	}
	return out
}

// NormalizeActionLimits fills zero limits with the defaults; EINVALID
// outside 1..MaxActionLimit.
func NormalizeActionLimits(l ActionLimits) (ActionLimits, error) {
	for _, p := range []struct {
		v   *int
		def int
	}{{&l.Events, DefaultActionLimits.Events}, {&l.Contacts, DefaultActionLimits.Contacts},
		{&l.Offers, DefaultActionLimits.Offers}, {&l.Measures, DefaultActionLimits.Measures}} {
		if *p.v == 0 {
			*p.v = p.def
		}
		if *p.v < 1 || *p.v > MaxActionLimit {
			return l, Invalid("first", "jede Liste der nächsten Schritte darf zwischen 1 und 10 Einträge haben.")
		}
	}
	return l, nil
}
