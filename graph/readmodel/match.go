package readmodel

import (
	"cmp"
	"context"
	"slices"
	"strings"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// maxEventCandidates bounds the events one matchmaking call scores, as in
// the store.
const maxEventCandidates = 300

// maxPlaceCandidates bounds the municipalities an inexact town matches.
const maxPlaceCandidates = 10

// Places resolves a place like the store: an exact (folded) town name
// wins over names that start with it. Companies are looked up in Neo4j.
func (m *Model) Places(ctx context.Context, q cyberlotse.PlaceQuery) ([]*cyberlotse.Municipality, *cyberlotse.Company, error) {
	if q.CompanyID != nil {
		return m.src.Companies.Places(ctx, q)
	}
	r, err := m.reference()
	if err != nil {
		return nil, nil, err
	}
	if q.AGS != nil {
		return pick(r.municipality, []cyberlotse.AGS{*q.AGS}), nil, nil
	}
	var town string
	if q.Town != nil {
		town = cyberlotse.FoldPlaceName(*q.Town)
	}
	var exact, prefix []*cyberlotse.Municipality
	for _, mu := range r.municipalities {
		if q.Postcode != nil && !slices.Contains(mu.Postcodes, *q.Postcode) {
			continue
		}
		name := r.folded[mu.AGS]
		switch {
		case q.Town != nil && name == town:
			exact = append(exact, mu)
		case q.Town == nil || strings.HasPrefix(name, town):
			prefix = append(prefix, mu)
		}
	}
	if len(exact) > 0 {
		return exact, nil, nil
	}
	return prefix[:min(len(prefix), maxPlaceCandidates)], nil, nil
}

// Candidates collects what the graph knows around q.AGS, as the store's
// one query does, from memory.
func (m *Model) Candidates(ctx context.Context, q cyberlotse.CandidateQuery) (*cyberlotse.Candidates, error) {
	r, err := m.reference()
	if err != nil {
		return nil, err
	}
	place := r.municipality[q.AGS]
	if place == nil || r.districtByKey[place.DistrictKey] == nil {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(q.AGS))
	}
	c := &cyberlotse.Candidates{
		Municipality: place,
		District:     r.districtByKey[place.DistrictKey],
		Regions:      r.regionLinks(place.AGS),
		Offers:       slices.Clone(r.offers),
		Topics:       make(map[string]string, len(r.topics)),
	}
	c.Police.Authority = r.organization[place.PoliceID]
	regionIDs := make([]string, len(c.Regions))
	for i, l := range c.Regions {
		regionIDs[i] = l.Region.ID
	}
	c.Contacts = r.contactCandidates(c, regionIDs)
	if !q.SkipEvents {
		c.Events = m.eventCandidates(r, place, regionIDs, q)
	}
	c.Measures = r.measureCandidates(m.rollouts.Load(), regionIDs)
	for _, t := range r.topics {
		c.Topics[t.ID] = t.Name
	}
	return c, nil
}

// regionLinks are the regions covering the place, then the model regions
// of those that are satellites.
func (r *reference) regionLinks(ags cyberlotse.AGS) []cyberlotse.RegionLink {
	own := r.regionsOfMuni[ags]
	links := make([]cyberlotse.RegionLink, 0, 2*len(own))
	for _, reg := range own {
		links = append(links, cyberlotse.RegionLink{Region: reg})
	}
	for _, reg := range own {
		if model := r.region[reg.SatelliteOfID]; model != nil {
			links = append(links, cyberlotse.RegionLink{Region: model, ViaSatellite: reg})
		}
	}
	return links
}

// contactCandidates are the contacts responsible for the place, its
// district, Regierungsbezirk and regions, the police chain's and the
// statewide ones, in that order.
func (r *reference) contactCandidates(c *cyberlotse.Candidates, regionIDs []string) []cyberlotse.ContactCandidate {
	var out []cyberlotse.ContactCandidate
	add := func(contacts []*cyberlotse.Contact, via cyberlotse.Relation, regionID string) {
		for _, ct := range contacts {
			out = append(out, cyberlotse.ContactCandidate{Contact: ct, Organization: r.organization[ct.OrganizationID],
				Via: via, RegionID: regionID})
		}
	}
	resp := func(level cyberlotse.Level, key string) []*cyberlotse.Contact {
		return r.responsible[cyberlotse.Responsibility{Level: level, Key: key}]
	}
	add(resp(cyberlotse.LevelMunicipality, string(c.Municipality.AGS)), cyberlotse.ViaMunicipality, "")
	add(resp(cyberlotse.LevelDistrict, string(c.District.Key)), cyberlotse.ViaDistrict, "")
	add(resp(cyberlotse.LevelGovRegion, c.District.GovRegionKey), cyberlotse.ViaGovRegion, "")
	seen := map[string]bool{}
	for _, id := range regionIDs { // own regions first, then their model regions
		if !seen[id] {
			seen[id] = true
			add(resp(cyberlotse.LevelRegion, id), cyberlotse.ViaRegion, id)
		}
	}
	if kpb := c.Police.Authority; kpb != nil {
		if khst := r.organization[kpb.KriminalhauptstelleID]; khst != nil && khst.CybercrimeHQID != "" {
			add(r.contactsOfOrg[khst.CybercrimeHQID], cyberlotse.ViaCybercrimeHQ, "")
		}
		add(r.contactsOfOrg[kpb.ID], cyberlotse.ViaPolice, "")
	}
	add(r.statewide, cyberlotse.ViaState, "")
	return out
}

// eventCandidates are the scheduled events of the window that are on site
// within the radius, joinable online, or for one of the place's regions;
// the own regions' first, then by start, at most MaxEvents. The own
// regions' events come from their lists; the others from the start
// order, which stops once MaxEvents are in.
func (m *Model) eventCandidates(r *reference, place *cyberlotse.Municipality, regionIDs []string, q cyberlotse.CandidateQuery) []cyberlotse.EventCandidate {
	limit := cmp.Or(m.MaxEvents, maxEventCandidates)
	km := make(map[cyberlotse.AGS]float64, len(r.municipalities))
	for _, mu := range r.municipalities {
		km[mu.AGS] = cyberlotse.DistanceKm(mu.Location, place.Location)
	}
	candidate := func(e *cyberlotse.Event, own bool) (cyberlotse.EventCandidate, bool) {
		if e.Status != cyberlotse.EventScheduled {
			return cyberlotse.EventCandidate{}, false
		}
		d, placed := km[e.AGS]
		inRadius := placed && d <= q.RadiusKm
		switch e.Mode {
		case cyberlotse.ModeOnsite:
			if !inRadius {
				return cyberlotse.EventCandidate{}, false
			}
		case cyberlotse.ModeOnline:
			placed = inRadius // an online event's place counts only nearby
		}
		ec := cyberlotse.EventCandidate{Event: e, ForOwnRegion: own, Confirmed: e.Confirmed}
		if placed {
			ec.DistanceKm = &d
		}
		return ec, true
	}
	inWindow := func(list []*cyberlotse.Event) []*cyberlotse.Event {
		start := from(list, q.From)
		return list[start : start+from(list[start:], q.To)]
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	var ownEvents []*cyberlotse.Event
	for _, id := range regionIDs {
		ownEvents = append(ownEvents, inWindow(m.events.byRegion[id])...)
	}
	slices.SortFunc(ownEvents, eventOrder)
	ownEvents = slices.Compact(ownEvents) // an event for two of the regions
	var out []cyberlotse.EventCandidate
	isOwn := make(map[*cyberlotse.Event]bool, len(ownEvents))
	for _, e := range ownEvents {
		isOwn[e] = true
		if ec, ok := candidate(e, true); ok && len(out) < limit {
			out = append(out, ec)
		}
	}
	for _, e := range inWindow(m.events.order) {
		if len(out) == limit {
			break
		}
		if !isOwn[e] {
			if ec, ok := candidate(e, false); ok {
				out = append(out, ec)
			}
		}
	}
	return out
}

// measureCandidates lists the catalogue, each measure followed by its
// rollouts in the place's regions.
func (r *reference) measureCandidates(ro *rolloutIndex, regionIDs []string) []cyberlotse.MeasureCandidate {
	out := make([]cyberlotse.MeasureCandidate, 0, len(r.measures))
	for _, me := range r.measures {
		out = append(out, cyberlotse.MeasureCandidate{Measure: me})
		for _, id := range regionIDs {
			for _, s := range ro.byMeasure[me.Code] {
				if s.RegionID == id {
					out = append(out, cyberlotse.MeasureCandidate{Measure: me, Status: string(s.Status),
						Progress: s.Progress, RegionID: id})
				}
			}
		}
	}
	return out
}
