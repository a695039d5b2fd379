package readmodel

import (
	"cmp"
	"context"
	"slices"
	"strings"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// reference is the reference network with its lookups, built once per
// load and never changed: a reload builds a new one and swaps it in.
// Lists are in the order the services promise (by name, ties by key).
type reference struct {
	govRegions    []*cyberlotse.GovRegion
	govRegionByID map[string]*cyberlotse.GovRegion

	districts     []*cyberlotse.District
	districtByKey map[cyberlotse.DistrictKey]*cyberlotse.District

	municipalities  []*cyberlotse.Municipality // by name, then AGS
	municipality    map[cyberlotse.AGS]*cyberlotse.Municipality
	folded          map[cyberlotse.AGS]string
	munisOfDistrict map[cyberlotse.DistrictKey][]*cyberlotse.Municipality

	regions       []*cyberlotse.Region
	region        map[string]*cyberlotse.Region
	members       map[string][]*cyberlotse.Municipality
	covers        map[string]map[cyberlotse.AGS]bool
	satellites    map[string][]*cyberlotse.Region
	regionsOfMuni map[cyberlotse.AGS][]*cyberlotse.Region

	organizations []*cyberlotse.Organization
	organization  map[string]*cyberlotse.Organization

	contacts      []*cyberlotse.Contact // those working for an organization
	contact       map[string]*cyberlotse.Contact
	contactsOfOrg map[string][]*cyberlotse.Contact
	responsible   map[cyberlotse.Responsibility][]*cyberlotse.Contact
	statewide     []*cyberlotse.Contact

	offers []*cyberlotse.Offer
	offer  map[string]*cyberlotse.Offer
	topics []*cyberlotse.Topic
	topic  map[string]*cyberlotse.Topic

	measures []*cyberlotse.Measure // by code
	measure  map[string]*cyberlotse.Measure
}

func byName[T any](name, key func(T) string) func(a, b T) int {
	return func(a, b T) int {
		return cmp.Or(strings.Compare(name(a), name(b)), strings.Compare(key(a), key(b)))
	}
}

var (
	regionOrder       = byName(func(r *cyberlotse.Region) string { return r.Name }, func(r *cyberlotse.Region) string { return r.ID })
	municipalityOrder = byName(func(m *cyberlotse.Municipality) string { return m.Name },
		func(m *cyberlotse.Municipality) string { return string(m.AGS) })
	contactOrder = byName(func(c *cyberlotse.Contact) string { return c.Name }, func(c *cyberlotse.Contact) string { return c.ID })
)

func index[K comparable, V any](items []V, key func(V) K) map[K]V {
	out := make(map[K]V, len(items))
	for _, it := range items {
		out[key(it)] = it
	}
	return out
}

func newReference(in *cyberlotse.Reference) *reference {
	r := &reference{
		govRegions: slices.SortedFunc(slices.Values(in.GovRegions), byName(
			func(g *cyberlotse.GovRegion) string { return g.Name }, func(g *cyberlotse.GovRegion) string { return g.Key })),
		districts: slices.SortedFunc(slices.Values(in.Districts), byName(
			func(d *cyberlotse.District) string { return d.Name }, func(d *cyberlotse.District) string { return string(d.Key) })),
		municipalities: slices.SortedFunc(slices.Values(in.Municipalities), municipalityOrder),
		regions:        slices.SortedFunc(slices.Values(in.Regions), regionOrder),
		organizations: slices.SortedFunc(slices.Values(in.Organizations), byName(
			func(o *cyberlotse.Organization) string { return o.Name }, func(o *cyberlotse.Organization) string { return o.ID })),
		offers: slices.SortedFunc(slices.Values(in.Offers), byName(
			func(o *cyberlotse.Offer) string { return o.Name }, func(o *cyberlotse.Offer) string { return o.ID })),
		topics: slices.SortedFunc(slices.Values(in.Topics), byName(
			func(t *cyberlotse.Topic) string { return t.Name }, func(t *cyberlotse.Topic) string { return t.ID })),
		measures: slices.SortedFunc(slices.Values(in.Measures), func(a, b *cyberlotse.Measure) int { return strings.Compare(a.Code, b.Code) }),
	}
	r.govRegionByID = index(r.govRegions, func(g *cyberlotse.GovRegion) string { return g.Key })
	r.districtByKey = index(r.districts, func(d *cyberlotse.District) cyberlotse.DistrictKey { return d.Key })
	r.municipality = index(r.municipalities, func(m *cyberlotse.Municipality) cyberlotse.AGS { return m.AGS })
	r.region = index(r.regions, func(x *cyberlotse.Region) string { return x.ID })
	r.organization = index(r.organizations, func(o *cyberlotse.Organization) string { return o.ID })
	r.offer = index(r.offers, func(o *cyberlotse.Offer) string { return o.ID })
	r.topic = index(r.topics, func(t *cyberlotse.Topic) string { return t.ID })
	r.measure = index(r.measures, func(m *cyberlotse.Measure) string { return m.Code })
	r.indexMunicipalities()
	r.indexRegions(in.Members)
	r.indexContacts(in.Contacts, in.Statewide)
	return r
}

func (r *reference) indexMunicipalities() {
	r.folded = make(map[cyberlotse.AGS]string, len(r.municipalities))
	r.munisOfDistrict = map[cyberlotse.DistrictKey][]*cyberlotse.Municipality{}
	for _, m := range r.municipalities { // already in name order
		r.folded[m.AGS] = cyberlotse.FoldPlaceName(m.Name)
		if m.DistrictKey != "" {
			r.munisOfDistrict[m.DistrictKey] = append(r.munisOfDistrict[m.DistrictKey], m)
		}
	}
}

func (r *reference) indexRegions(members map[string][]cyberlotse.AGS) {
	r.members = map[string][]*cyberlotse.Municipality{}
	r.covers = map[string]map[cyberlotse.AGS]bool{}
	r.regionsOfMuni = map[cyberlotse.AGS][]*cyberlotse.Region{}
	r.satellites = map[string][]*cyberlotse.Region{}
	for _, reg := range r.regions { // in name order, so the lists below are too
		r.covers[reg.ID] = map[cyberlotse.AGS]bool{}
		for _, ags := range members[reg.ID] {
			if m := r.municipality[ags]; m != nil {
				r.members[reg.ID] = append(r.members[reg.ID], m)
				r.covers[reg.ID][ags] = true
				r.regionsOfMuni[ags] = append(r.regionsOfMuni[ags], reg)
			}
		}
		slices.SortFunc(r.members[reg.ID], municipalityOrder)
		if reg.SatelliteOfID != "" {
			r.satellites[reg.SatelliteOfID] = append(r.satellites[reg.SatelliteOfID], reg)
		}
	}
}

func (r *reference) indexContacts(all []*cyberlotse.Contact, statewide []string) {
	r.contacts = slices.SortedFunc(slices.Values(all), contactOrder)
	// Like the store's lists, which match (Contact)-[:WORKS_FOR]->(Organization).
	r.contacts = slices.DeleteFunc(r.contacts, func(c *cyberlotse.Contact) bool { return c.OrganizationID == "" })
	r.contact = index(all, func(c *cyberlotse.Contact) string { return c.ID })
	r.contactsOfOrg = map[string][]*cyberlotse.Contact{}
	r.responsible = map[cyberlotse.Responsibility][]*cyberlotse.Contact{}
	for _, c := range r.contacts {
		r.contactsOfOrg[c.OrganizationID] = append(r.contactsOfOrg[c.OrganizationID], c)
	}
	for _, c := range slices.SortedFunc(slices.Values(all), contactOrder) {
		for _, resp := range c.Responsibilities {
			r.responsible[resp] = append(r.responsible[resp], c)
		}
	}
	for _, id := range statewide {
		if c := r.contact[id]; c != nil {
			r.statewide = append(r.statewide, c)
		}
	}
	slices.SortFunc(r.statewide, contactOrder)
}

// pick returns the items of keys found in lookup, in the order of keys.
func pick[K comparable, V any](lookup map[K]*V, keys []K) []*V {
	out := make([]*V, 0, len(keys))
	for _, k := range keys {
		if v, ok := lookup[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

// grouped returns lists[k] for every key that has one.
func grouped[K comparable, V any](lists map[K][]V, keys []K) map[K][]V {
	out := make(map[K][]V, len(keys))
	for _, k := range keys {
		if l, ok := lists[k]; ok {
			out[k] = slices.Clone(l) // callers may sort or append
		}
	}
	return out
}

// fromReference answers from the loaded reference network.
func fromReference[T any](m *Model, answer func(*reference) T) (T, error) {
	r, err := m.reference()
	if err != nil {
		var zero T
		return zero, err
	}
	return answer(r), nil
}

// Geography.

func (m *Model) GovRegions(ctx context.Context) ([]*cyberlotse.GovRegion, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.GovRegion { return slices.Clone(r.govRegions) })
}

func (m *Model) GovRegionsByKeys(ctx context.Context, keys []string) ([]*cyberlotse.GovRegion, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.GovRegion { return pick(r.govRegionByID, keys) })
}

func (m *Model) Districts(ctx context.Context, govRegion *string) ([]*cyberlotse.District, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.District {
		if govRegion == nil {
			return slices.Clone(r.districts)
		}
		return filter(r.districts, func(d *cyberlotse.District) bool { return d.GovRegionKey == *govRegion })
	})
}

func (m *Model) DistrictsByKeys(ctx context.Context, keys []cyberlotse.DistrictKey) ([]*cyberlotse.District, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.District { return pick(r.districtByKey, keys) })
}

func (m *Model) MunicipalitiesByAGS(ctx context.Context, keys []cyberlotse.AGS) ([]*cyberlotse.Municipality, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Municipality { return pick(r.municipality, keys) })
}

// matches is the filter shared by Find and Count; the name prefix
// compares lower-cased, like the store.
func (r *reference) matches(f cyberlotse.MunicipalityFilter, mu *cyberlotse.Municipality) bool {
	if f.NameStartsWith != nil && !strings.HasPrefix(strings.ToLower(mu.Name), strings.ToLower(*f.NameStartsWith)) {
		return false
	}
	if f.Postcode != nil && !slices.Contains(mu.Postcodes, *f.Postcode) {
		return false
	}
	if f.District != nil && mu.DistrictKey != *f.District {
		return false
	}
	if f.GovRegion != nil {
		d := r.districtByKey[mu.DistrictKey]
		if d == nil || d.GovRegionKey != *f.GovRegion {
			return false
		}
	}
	return true
}

func (m *Model) FindMunicipalities(ctx context.Context, f cyberlotse.MunicipalityFilter, p cyberlotse.Page) ([]*cyberlotse.Municipality, bool, error) {
	r, err := m.reference()
	if err != nil {
		return nil, false, err
	}
	afterName, afterAGS := p.After.Key(0), p.After.Key(1)
	var out []*cyberlotse.Municipality
	for _, mu := range r.municipalities {
		if afterName != "" && cmp.Or(strings.Compare(mu.Name, afterName), strings.Compare(string(mu.AGS), afterAGS)) <= 0 {
			continue
		}
		if !r.matches(f, mu) {
			continue
		}
		if len(out) == p.First {
			return out, true, nil
		}
		out = append(out, mu)
	}
	return out, false, nil
}

func (m *Model) CountMunicipalities(ctx context.Context, f cyberlotse.MunicipalityFilter) (int, error) {
	return fromReference(m, func(r *reference) int {
		n := 0
		for _, mu := range r.municipalities {
			if r.matches(f, mu) {
				n++
			}
		}
		return n
	})
}

func (m *Model) MunicipalitiesOfDistricts(ctx context.Context, keys []cyberlotse.DistrictKey) (map[cyberlotse.DistrictKey][]*cyberlotse.Municipality, error) {
	return fromReference(m, func(r *reference) map[cyberlotse.DistrictKey][]*cyberlotse.Municipality {
		return grouped(r.munisOfDistrict, keys)
	})
}

// Network.

func (m *Model) Regions(ctx context.Context, kind *cyberlotse.RegionKind) ([]*cyberlotse.Region, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Region {
		if kind == nil {
			return slices.Clone(r.regions)
		}
		return filter(r.regions, func(x *cyberlotse.Region) bool { return x.Kind == *kind })
	})
}

func filter[T any](items []T, keep func(T) bool) []T {
	var out []T
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func (m *Model) RegionsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Region, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Region { return pick(r.region, ids) })
}

func (m *Model) RegionMembers(ctx context.Context, ids []string) (map[string][]*cyberlotse.Municipality, error) {
	return fromReference(m, func(r *reference) map[string][]*cyberlotse.Municipality { return grouped(r.members, ids) })
}

func (m *Model) Satellites(ctx context.Context, ids []string) (map[string][]*cyberlotse.Region, error) {
	return fromReference(m, func(r *reference) map[string][]*cyberlotse.Region { return grouped(r.satellites, ids) })
}

func (m *Model) RegionsOfMunicipalities(ctx context.Context, keys []cyberlotse.AGS) (map[cyberlotse.AGS][]*cyberlotse.Region, error) {
	return fromReference(m, func(r *reference) map[cyberlotse.AGS][]*cyberlotse.Region { return grouped(r.regionsOfMuni, keys) })
}

func (m *Model) Organizations(ctx context.Context, f cyberlotse.OrganizationFilter) ([]*cyberlotse.Organization, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Organization {
		if f.Kind == nil {
			return slices.Clone(r.organizations)
		}
		return filter(r.organizations, func(o *cyberlotse.Organization) bool { return o.Kind == *f.Kind })
	})
}

func (m *Model) OrganizationsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Organization, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Organization { return pick(r.organization, ids) })
}

func (m *Model) Contacts(ctx context.Context, f cyberlotse.ContactFilter) ([]*cyberlotse.Contact, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Contact {
		return filter(r.contacts, func(c *cyberlotse.Contact) bool {
			if f.OrganizationID != nil && c.OrganizationID != *f.OrganizationID {
				return false
			}
			if f.Audience != nil && !slices.Contains(c.Audiences, *f.Audience) {
				return false
			}
			return f.Level == nil || slices.ContainsFunc(c.Responsibilities, func(x cyberlotse.Responsibility) bool {
				return x.Level == *f.Level && (f.Key == nil || x.Key == *f.Key)
			})
		})
	})
}

func (m *Model) ContactsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Contact, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Contact { return pick(r.contact, ids) })
}

func (m *Model) ContactsOfOrganizations(ctx context.Context, ids []string) (map[string][]*cyberlotse.Contact, error) {
	return fromReference(m, func(r *reference) map[string][]*cyberlotse.Contact { return grouped(r.contactsOfOrg, ids) })
}

func (m *Model) Offers(ctx context.Context) ([]*cyberlotse.Offer, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Offer { return slices.Clone(r.offers) })
}

func (m *Model) OffersByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Offer, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Offer { return pick(r.offer, ids) })
}

func (m *Model) Topics(ctx context.Context) ([]*cyberlotse.Topic, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Topic { return slices.Clone(r.topics) })
}

func (m *Model) TopicsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Topic, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Topic { return pick(r.topic, ids) })
}

// Measures.

func (m *Model) Measures(ctx context.Context) ([]*cyberlotse.Measure, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Measure { return slices.Clone(r.measures) })
}

func (m *Model) MeasuresByCodes(ctx context.Context, codes []string) ([]*cyberlotse.Measure, error) {
	return fromReference(m, func(r *reference) []*cyberlotse.Measure { return pick(r.measure, codes) })
}
