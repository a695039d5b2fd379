package graph

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Loaders batch the lookups of one request, so that a nested query costs
// one Cypher round trip per level instead of one per object. They are made
// per request (Middleware) because their caches must not outlive it.
type Loaders struct {
	GovRegion       *dataloadgen.Loader[string, *cyberlotse.GovRegion]
	District        *dataloadgen.Loader[cyberlotse.DistrictKey, *cyberlotse.District]
	Municipality    *dataloadgen.Loader[cyberlotse.AGS, *cyberlotse.Municipality]
	Region          *dataloadgen.Loader[string, *cyberlotse.Region]
	Organization    *dataloadgen.Loader[string, *cyberlotse.Organization]
	Contact         *dataloadgen.Loader[string, *cyberlotse.Contact]
	Event           *dataloadgen.Loader[string, *cyberlotse.Event]
	Measure         *dataloadgen.Loader[string, *cyberlotse.Measure]
	Offer           *dataloadgen.Loader[string, *cyberlotse.Offer]
	Topic           *dataloadgen.Loader[string, *cyberlotse.Topic]
	DistrictsOfGov  *dataloadgen.Loader[string, []*cyberlotse.District]
	MunisOfDistrict *dataloadgen.Loader[cyberlotse.DistrictKey, []*cyberlotse.Municipality]
	RegionMembers   *dataloadgen.Loader[string, []*cyberlotse.Municipality]
	Satellites      *dataloadgen.Loader[string, []*cyberlotse.Region]
	RegionsOfMuni   *dataloadgen.Loader[cyberlotse.AGS, []*cyberlotse.Region]
	OrgContacts     *dataloadgen.Loader[string, []*cyberlotse.Contact]
	RegReminders    *dataloadgen.Loader[string, []*cyberlotse.Reminder]
}

// batchWait is how long a loader collects keys before it queries. GraphQL
// resolves siblings concurrently, so a short wait gathers a whole level.
const batchWait = 500 * time.Microsecond

// NewLoaders makes the loaders of one request over the services of r.
func NewLoaders(r *Resolver) *Loaders {
	opt := dataloadgen.WithWait(batchWait)
	l := &Loaders{
		GovRegion: dataloadgen.NewMappedLoader(byKey(r.Geo.GovRegionsByKeys,
			func(g *cyberlotse.GovRegion) string { return g.Key }), opt),
		District: dataloadgen.NewMappedLoader(byKey(r.Geo.DistrictsByKeys,
			func(d *cyberlotse.District) cyberlotse.DistrictKey { return d.Key }), opt),
		Municipality: dataloadgen.NewMappedLoader(byKey(r.Geo.MunicipalitiesByAGS,
			func(m *cyberlotse.Municipality) cyberlotse.AGS { return m.AGS }), opt),
		Region: dataloadgen.NewMappedLoader(byKey(r.Network.RegionsByIDs,
			func(x *cyberlotse.Region) string { return x.ID }), opt),
		Organization: dataloadgen.NewMappedLoader(byKey(r.Network.OrganizationsByIDs,
			func(o *cyberlotse.Organization) string { return o.ID }), opt),
		Contact: dataloadgen.NewMappedLoader(byKey(r.Network.ContactsByIDs,
			func(c *cyberlotse.Contact) string { return c.ID }), opt),
		Event: dataloadgen.NewMappedLoader(byKey(r.Events.EventsByIDs,
			func(e *cyberlotse.Event) string { return e.ID }), opt),
		Measure: dataloadgen.NewMappedLoader(byKey(r.Measures.MeasuresByCodes,
			func(m *cyberlotse.Measure) string { return m.Code }), opt),
		Offer: dataloadgen.NewMappedLoader(byKey(r.Network.OffersByIDs,
			func(o *cyberlotse.Offer) string { return o.ID }), opt),
		Topic: dataloadgen.NewMappedLoader(byKey(r.Network.TopicsByIDs,
			func(t *cyberlotse.Topic) string { return t.ID }), opt),
		DistrictsOfGov: dataloadgen.NewMappedLoader(func(ctx context.Context, keys []string) (map[string][]*cyberlotse.District, error) {
			all, err := r.Geo.Districts(ctx, nil)
			if err != nil {
				return nil, err
			}
			out := emptyLists[string, *cyberlotse.District](keys)
			for _, d := range all {
				if _, ok := out[d.GovRegionKey]; ok {
					out[d.GovRegionKey] = append(out[d.GovRegionKey], d)
				}
			}
			return out, nil
		}, opt),
		MunisOfDistrict: dataloadgen.NewMappedLoader(grouped(r.Geo.MunicipalitiesOfDistricts), opt),
		RegionMembers:   dataloadgen.NewMappedLoader(grouped(r.Network.RegionMembers), opt),
		Satellites:      dataloadgen.NewMappedLoader(grouped(r.Network.Satellites), opt),
		RegionsOfMuni:   dataloadgen.NewMappedLoader(grouped(r.Network.RegionsOfMunicipalities), opt),
		OrgContacts:     dataloadgen.NewMappedLoader(grouped(r.Network.ContactsOfOrganizations), opt),
	}
	if r.Reminders != nil {
		l.RegReminders = dataloadgen.NewMappedLoader(grouped(r.Reminders.RemindersOfRegistrations), opt)
	}
	return l
}

// byKey adapts a "fetch these keys" service method to a mapped fetch.
func byKey[K comparable, V any](fetch func(context.Context, []K) ([]V, error), key func(V) K) func(context.Context, []K) (map[K]V, error) {
	return func(ctx context.Context, keys []K) (map[K]V, error) {
		items, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[K]V, len(items))
		for _, it := range items {
			out[key(it)] = it
		}
		return out, nil
	}
}

// grouped adapts a one-to-many service method so that every requested key
// gets a (possibly empty) list, never "not found".
func grouped[K comparable, V any](fetch func(context.Context, []K) (map[K][]V, error)) func(context.Context, []K) (map[K][]V, error) {
	return func(ctx context.Context, keys []K) (map[K][]V, error) {
		got, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := emptyLists[K, V](keys)
		for k, v := range got {
			out[k] = v
		}
		return out, nil
	}
}

func emptyLists[K comparable, V any](keys []K) map[K][]V {
	out := make(map[K][]V, len(keys))
	for _, k := range keys {
		out[k] = []V{}
	}
	return out
}

type loadersKey struct{}

// Middleware puts fresh loaders for each request into its context.
func (r *Resolver) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx := context.WithValue(req.Context(), loadersKey{}, NewLoaders(r))
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// loaders returns the request's loaders; a context without them (a test
// that skipped the middleware) gets fresh ones rather than a panic.
func (r *Resolver) loaders(ctx context.Context) *Loaders {
	if l, ok := ctx.Value(loadersKey{}).(*Loaders); ok {
		return l
	}
	return NewLoaders(r)
}

// load fetches one object through a loader and turns "not found" into
// the domain's NOT_FOUND error.
func load[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, V], key K, kind cyberlotse.Kind, name string) (V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return v, cyberlotse.NotFound(kind, name)
	}
	return v, err
}

// loadOptional is load for references that may be absent: an empty key or
// a missing object gives nil without an error.
func loadOptional[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, *V], key K) (*V, error) {
	var zero K
	if key == zero {
		return nil, nil
	}
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return v, err
}

// loadAll fetches many objects through a loader, leaving out missing ones.
func loadAll[K comparable, V any](ctx context.Context, l *dataloadgen.Loader[K, *V], keys []K) ([]*V, error) {
	vals, err := l.LoadAll(ctx, keys)
	out := make([]*V, 0, len(vals))
	for _, v := range vals {
		if v != nil {
			out = append(out, v)
		}
	}
	var errs dataloadgen.ErrorSlice
	if errors.As(err, &errs) {
		for _, e := range errs {
			if e != nil && !errors.Is(e, dataloadgen.ErrNotFound) {
				return nil, e
			}
		}
		return out, nil
	}
	return out, err
}
