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
// Services that answer from memory (the read model) need no batching:
// their lookups are called directly, without a loader's wait.
type Loaders struct {
	GovRegion       fetcher[string, *cyberlotse.GovRegion]
	District        fetcher[cyberlotse.DistrictKey, *cyberlotse.District]
	Municipality    fetcher[cyberlotse.AGS, *cyberlotse.Municipality]
	Region          fetcher[string, *cyberlotse.Region]
	Organization    fetcher[string, *cyberlotse.Organization]
	Contact         fetcher[string, *cyberlotse.Contact]
	Event           fetcher[string, *cyberlotse.Event]
	Measure         fetcher[string, *cyberlotse.Measure]
	Offer           fetcher[string, *cyberlotse.Offer]
	Topic           fetcher[string, *cyberlotse.Topic]
	DistrictsOfGov  fetcher[string, []*cyberlotse.District]
	MunisOfDistrict fetcher[cyberlotse.DistrictKey, []*cyberlotse.Municipality]
	RegionMembers   fetcher[string, []*cyberlotse.Municipality]
	Satellites      fetcher[string, []*cyberlotse.Region]
	RegionsOfMuni   fetcher[cyberlotse.AGS, []*cyberlotse.Region]
	OrgContacts     fetcher[string, []*cyberlotse.Contact]
	RegReminders    fetcher[string, []*cyberlotse.Reminder]
}

// fetcher is what resolvers need of a loader; a dataloadgen.Loader is one.
type fetcher[K comparable, V any] interface {
	Load(ctx context.Context, key K) (V, error)
	LoadAll(ctx context.Context, keys []K) ([]V, error)
}

// resident is implemented by services that answer from memory.
type resident interface{ Resident() bool }

func isResident(service any) bool {
	r, ok := service.(resident)
	return ok && r.Resident()
}

// batchWait is how long a loader collects keys before it queries. GraphQL
// resolves siblings concurrently, so a short wait gathers a whole level.
const batchWait = 500 * time.Microsecond

// newFetcher batches fetch unless service answers from memory.
func newFetcher[K comparable, V any](service any, fetch func(context.Context, []K) (map[K]V, error)) fetcher[K, V] {
	if isResident(service) {
		return direct[K, V](fetch)
	}
	return dataloadgen.NewMappedLoader(fetch, dataloadgen.WithWait(batchWait))
}

// NewLoaders makes the loaders of one request over the services of r.
func NewLoaders(r *Resolver) *Loaders {
	l := &Loaders{
		GovRegion: newFetcher(r.Geo, byKey(r.Geo.GovRegionsByKeys,
			func(g *cyberlotse.GovRegion) string { return g.Key })),
		District: newFetcher(r.Geo, byKey(r.Geo.DistrictsByKeys,
			func(d *cyberlotse.District) cyberlotse.DistrictKey { return d.Key })),
		Municipality: newFetcher(r.Geo, byKey(r.Geo.MunicipalitiesByAGS,
			func(m *cyberlotse.Municipality) cyberlotse.AGS { return m.AGS })),
		Region: newFetcher(r.Network, byKey(r.Network.RegionsByIDs,
			func(x *cyberlotse.Region) string { return x.ID })),
		Organization: newFetcher(r.Network, byKey(r.Network.OrganizationsByIDs,
			func(o *cyberlotse.Organization) string { return o.ID })),
		Contact: newFetcher(r.Network, byKey(r.Network.ContactsByIDs,
			func(c *cyberlotse.Contact) string { return c.ID })),
		Event: newFetcher(r.Events, byKey(r.Events.EventsByIDs,
			func(e *cyberlotse.Event) string { return e.ID })),
		Measure: newFetcher(r.Measures, byKey(r.Measures.MeasuresByCodes,
			func(m *cyberlotse.Measure) string { return m.Code })),
		Offer: newFetcher(r.Network, byKey(r.Network.OffersByIDs,
			func(o *cyberlotse.Offer) string { return o.ID })),
		Topic: newFetcher(r.Network, byKey(r.Network.TopicsByIDs,
			func(t *cyberlotse.Topic) string { return t.ID })),
		DistrictsOfGov: newFetcher(r.Geo, func(ctx context.Context, keys []string) (map[string][]*cyberlotse.District, error) {
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
		}),
		MunisOfDistrict: newFetcher(r.Geo, grouped(r.Geo.MunicipalitiesOfDistricts)),
		RegionMembers:   newFetcher(r.Network, grouped(r.Network.RegionMembers)),
		Satellites:      newFetcher(r.Network, grouped(r.Network.Satellites)),
		RegionsOfMuni:   newFetcher(r.Network, grouped(r.Network.RegionsOfMunicipalities)),
		OrgContacts:     newFetcher(r.Network, grouped(r.Network.ContactsOfOrganizations)),
	}
	if r.Reminders != nil {
		l.RegReminders = newFetcher(r.Reminders, grouped(r.Reminders.RemindersOfRegistrations))
	}
	return l
}

// direct is a fetcher without batching or caching, for services that
// answer from memory; it reports missing keys as a loader does.
type direct[K comparable, V any] func(context.Context, []K) (map[K]V, error)

func (d direct[K, V]) Load(ctx context.Context, key K) (V, error) {
	got, err := d(ctx, []K{key})
	if err != nil {
		var zero V
		return zero, err
	}
	v, ok := got[key]
	if !ok {
		return v, dataloadgen.ErrNotFound
	}
	return v, nil
}

func (d direct[K, V]) LoadAll(ctx context.Context, keys []K) ([]V, error) {
	got, err := d(ctx, keys)
	if err != nil {
		return nil, err
	}
	values := make([]V, len(keys))
	var errs dataloadgen.ErrorSlice
	for i, k := range keys {
		v, ok := got[k]
		if !ok {
			if errs == nil {
				errs = make(dataloadgen.ErrorSlice, len(keys))
			}
			errs[i] = dataloadgen.ErrNotFound
		}
		values[i] = v
	}
	if errs != nil {
		return values, errs
	}
	return values, nil
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
func load[K comparable, V any](ctx context.Context, l fetcher[K, V], key K, kind cyberlotse.Kind, name string) (V, error) {
	v, err := l.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return v, cyberlotse.NotFound(kind, name)
	}
	return v, err
}

// loadOptional is load for references that may be absent: an empty key or
// a missing object gives nil without an error.
func loadOptional[K comparable, V any](ctx context.Context, l fetcher[K, *V], key K) (*V, error) {
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
func loadAll[K comparable, V any](ctx context.Context, l fetcher[K, *V], keys []K) ([]*V, error) {
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
