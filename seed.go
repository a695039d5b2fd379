package cyberlotse

import (
	"context"
	"fmt"
)

// Network is a complete set of reference data: the geography, the actors
// of the network, the measure catalogue and the seeded events.
type Network struct {
	GovRegions     []*GovRegion
	Districts      []*District
	Municipalities []*Municipality
	Topics         []*Topic
	Organizations  []*Organization
	Contacts       []*Contact
	Regions        []*Region
	// RegionMembers lists, per region id, the municipalities it covers.
	RegionMembers map[string][]AGS
	Measures      []*Measure
	Offers        []*Offer
	Events        []*Event
}

// SeedReport counts what ApplyNetwork wrote, per kind of node.
type SeedReport map[string]int

// SeedService writes reference data. Only the seed command calls it.
type SeedService interface {
	// ApplyNetwork upserts every node and relationship of n in one
	// transaction; applying the same network twice changes nothing.
	ApplyNetwork(ctx context.Context, n *Network) (SeedReport, error)
}

// Validate checks that every reference in n points to an object in n, so
// that a broken seed file fails before anything is written.
func (n *Network) Validate() error {
	ids := func(kind string, keys []string) (map[string]bool, error) {
		m := make(map[string]bool, len(keys))
		for _, k := range keys {
			if k == "" {
				return nil, fmt.Errorf("%s: empty id", kind)
			}
			if m[k] {
				return nil, fmt.Errorf("%s %q: duplicate id", kind, k)
			}
			m[k] = true
		}
		return m, nil
	}
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	govs, err := ids("gov region", collect(n.GovRegions, func(g *GovRegion) string { return g.Key }))
	check(err == nil, "%v", err)
	districts, err := ids("district", collect(n.Districts, func(d *District) string { return string(d.Key) }))
	check(err == nil, "%v", err)
	munis, err := ids("municipality", collect(n.Municipalities, func(m *Municipality) string { return string(m.AGS) }))
	check(err == nil, "%v", err)
	topics, err := ids("topic", collect(n.Topics, func(t *Topic) string { return t.ID }))
	check(err == nil, "%v", err)
	orgs, err := ids("organization", collect(n.Organizations, func(o *Organization) string { return o.ID }))
	check(err == nil, "%v", err)
	regions, err := ids("region", collect(n.Regions, func(r *Region) string { return r.ID }))
	check(err == nil, "%v", err)
	measures, err := ids("measure", collect(n.Measures, func(m *Measure) string { return m.Code }))
	check(err == nil, "%v", err)
	_, err = ids("contact", collect(n.Contacts, func(c *Contact) string { return c.ID }))
	check(err == nil, "%v", err)
	_, err = ids("offer", collect(n.Offers, func(o *Offer) string { return o.ID }))
	check(err == nil, "%v", err)
	_, err = ids("event", collect(n.Events, func(e *Event) string { return e.ID }))
	check(err == nil, "%v", err)

	all := func(set map[string]bool, keys []string) bool {
		for _, k := range keys {
			if !set[k] {
				return false
			}
		}
		return true
	}
	for _, d := range n.Districts {
		check(govs[d.GovRegionKey], "district %s: unknown gov region %q", d.Key, d.GovRegionKey)
	}
	for _, m := range n.Municipalities {
		check(districts[string(m.DistrictKey)], "municipality %s: unknown district %q", m.AGS, m.DistrictKey)
		check(m.PoliceID == "" || orgs[m.PoliceID], "municipality %s: unknown police authority %q", m.AGS, m.PoliceID)
	}
	for _, o := range n.Organizations {
		check(o.KriminalhauptstelleID == "" || orgs[o.KriminalhauptstelleID], "organization %s: unknown Kriminalhauptstelle %q", o.ID, o.KriminalhauptstelleID)
		check(o.CybercrimeHQID == "" || orgs[o.CybercrimeHQID], "organization %s: unknown cybercrime HQ %q", o.ID, o.CybercrimeHQID)
		check(all(topics, o.TopicIDs), "organization %s: unknown topic in %v", o.ID, o.TopicIDs)
	}
	for _, c := range n.Contacts {
		check(orgs[c.OrganizationID], "contact %s: unknown organization %q", c.ID, c.OrganizationID)
		check(all(topics, c.TopicIDs), "contact %s: unknown topic in %v", c.ID, c.TopicIDs)
		for _, r := range c.Responsibilities {
			var ok bool
			switch r.Level {
			case LevelState:
				ok = r.Key == "NW"
			case LevelGovRegion:
				ok = govs[r.Key]
			case LevelDistrict:
				ok = districts[r.Key]
			case LevelMunicipality:
				ok = munis[r.Key]
			case LevelRegion:
				ok = regions[r.Key]
			}
			check(ok, "contact %s: unknown responsibility %s %q", c.ID, r.Level, r.Key)
		}
	}
	for _, r := range n.Regions {
		check(orgs[r.ManagerID], "region %s: unknown manager %q", r.ID, r.ManagerID)
		check(r.SatelliteOfID == "" || regions[r.SatelliteOfID], "region %s: unknown model region %q", r.ID, r.SatelliteOfID)
		check((r.Kind == Satellite) == (r.SatelliteOfID != ""), "region %s: a satellite, and only a satellite, names its model region", r.ID)
		check(all(orgs, r.PartnerIDs), "region %s: unknown partner in %v", r.ID, r.PartnerIDs)
		members := n.RegionMembers[r.ID]
		check(len(members) > 0, "region %s: covers no municipality", r.ID)
		for _, ags := range members {
			check(munis[string(ags)], "region %s: unknown municipality %q", r.ID, ags)
		}
	}
	for _, m := range n.Measures {
		check(all(topics, m.TopicIDs), "measure %s: unknown topic in %v", m.Code, m.TopicIDs)
	}
	for _, o := range n.Offers {
		check(orgs[o.ProviderID], "offer %s: unknown provider %q", o.ID, o.ProviderID)
		check(all(measures, o.MeasureCodes), "offer %s: unknown measure in %v", o.ID, o.MeasureCodes)
		check(all(topics, o.TopicIDs), "offer %s: unknown topic in %v", o.ID, o.TopicIDs)
		check(all(regions, o.RegionIDs), "offer %s: unknown region in %v", o.ID, o.RegionIDs)
	}
	for _, e := range n.Events {
		check(orgs[e.OrganizerID], "event %s: unknown organizer %q", e.ID, e.OrganizerID)
		check(e.AGS == "" || munis[string(e.AGS)], "event %s: unknown municipality %q", e.ID, e.AGS)
		check(all(regions, e.RegionIDs), "event %s: unknown region in %v", e.ID, e.RegionIDs)
		check(all(measures, e.MeasureCodes), "event %s: unknown measure in %v", e.ID, e.MeasureCodes)
		check(all(topics, e.TopicIDs), "event %s: unknown topic in %v", e.ID, e.TopicIDs)
		check(e.EndsAt == nil || e.EndsAt.After(e.StartsAt), "event %s: ends before it starts", e.ID)
	}
	return joinErrors(errs)
}

func collect[T any](xs []T, key func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = key(x)
	}
	return out
}

func joinErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msg := fmt.Sprintf("%d problems in the network data:", len(errs))
	for _, e := range errs {
		msg += "\n  - " + e.Error()
	}
	return fmt.Errorf("%s", msg)
}
