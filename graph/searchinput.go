package graph

import (
	"context"
	"sort"
	"strconv"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// nodeTypeOf names the GraphQL type of each search type, for loading hits.
var nodeTypeOf = map[search.Type]string{
	search.TypeEvent: "Event", search.TypeContact: "Contact", search.TypeOrganization: "Organization",
	search.TypeMunicipality: "Municipality", search.TypeRegion: "Region", search.TypeMeasure: "Measure",
	search.TypeOffer: "Offer",
}

func searchQuery(text string, types []search.Type, f *model.SearchFilter, first *int, after *string) (search.Query, error) {
	q := search.Query{Text: text, Types: types, First: search.DefaultPageSize}
	if err := search.CheckText(text); err != nil {
		return q, err
	}
	if first != nil {
		if *first < 1 || *first > search.MaxPageSize {
			return q, cyberlotse.Invalid("first", "zwischen 1 und 50 Treffer pro Seite.")
		}
		q.First = *first
	}
	if after != nil && *after != "" {
		c, err := cyberlotse.DecodeCursor(*after)
		if err != nil {
			return q, err
		}
		if q.Offset, err = strconv.Atoi(c.Key(0)); err != nil || q.Offset < 0 || q.Offset >= search.MaxHits {
			return q, cyberlotse.Invalid("after", "der Cursor gehört nicht zu einer Suche.")
		}
	}
	if f == nil {
		return q, nil
	}
	q.Region, q.From, q.To, q.Format = f.Region, f.From, f.To, f.Format
	if f.Ags != nil {
		a, err := cyberlotse.ParseAGS(*f.Ags)
		if err != nil {
			return q, err
		}
		q.AGS = &a
	}
	if f.District != nil {
		d, err := cyberlotse.ParseDistrictKey(*f.District)
		if err != nil {
			return q, err
		}
		q.District = &d
	}
	if f.Measure != nil {
		m, err := cyberlotse.ParseMeasureCode(*f.Measure)
		if err != nil {
			return q, err
		}
		q.Measure = &m
	}
	if n := f.Near; n != nil {
		if n.Lat < -90 || n.Lat > 90 || n.Lon < -180 || n.Lon > 180 || n.RadiusKm <= 0 || n.RadiusKm > 500 {
			return q, cyberlotse.Invalid("near", "Breite −90…90, Länge −180…180 und ein Umkreis von über 0 bis 500 km.")
		}
		q.Near = &search.Near{Lat: n.Lat, Lon: n.Lon, RadiusKm: n.RadiusKm}
	}
	return q, nil
}

func (r *Resolver) searchConnection(ctx context.Context, q search.Query, res *search.Result) (*model.SearchConnection, error) {
	conn := &model.SearchConnection{EstimatedTotal: res.EstimatedTotal}
	cursors := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		cursors[i] = cyberlotse.Cursor{Keys: []string{strconv.Itoa(q.Offset + i + 1)}}.Encode()
		hit := &model.SearchHit{Hit: h}
		conn.Hits = append(conn.Hits, hit)
		conn.Edges = append(conn.Edges, &model.SearchEdge{Cursor: cursors[i], Node: hit})
	}
	conn.PageInfo = pageInfo(cursors, q.Offset+len(res.Hits) < min(res.EstimatedTotal, search.MaxHits))
	conn.PageInfo.HasPreviousPage = q.Offset > 0
	districts, err := r.districtNames(ctx, res.Facets.Districts)
	if err != nil {
		return nil, err
	}
	types := map[string]int{}
	for t, n := range res.Facets.Types {
		types[string(t)] = n
	}
	conn.Facets = &model.SearchFacets{Types: facet(types, nil), Formats: facet(res.Facets.Formats, nil),
		Districts: facet(res.Facets.Districts, districts), Measures: facet(res.Facets.Measures, nil)}
	return conn, nil
}

func (r *Resolver) districtNames(ctx context.Context, counts map[string]int) (map[string]string, error) {
	keys := make([]cyberlotse.DistrictKey, 0, len(counts))
	for k := range counts {
		keys = append(keys, cyberlotse.DistrictKey(k))
	}
	ds, err := loadAll(ctx, r.loaders(ctx).District, keys)
	names := map[string]string{}
	for _, d := range ds {
		names[string(d.Key)] = d.Name
	}
	return names, err
}

// facet orders values by count, then value, so that equal input gives
// equal output.
func facet(counts map[string]int, labels map[string]string) []*model.FacetValue {
	out := make([]*model.FacetValue, 0, len(counts))
	for v, n := range counts {
		fv := &model.FacetValue{Value: v, Count: n}
		if l, ok := labels[v]; ok {
			fv.Label = &l
		}
		out = append(out, fv)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}
