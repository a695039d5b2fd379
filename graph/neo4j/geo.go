package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.GeoService = (*GeoService)(nil)

// GeoService implements cyberlotse.GeoService.
type GeoService struct{ db *DB }

func NewGeoService(db *DB) *GeoService { return &GeoService{db: db} }

const govRegionProjection = `g {.key, .name}`

func (s *GeoService) GovRegions(ctx context.Context) ([]*cyberlotse.GovRegion, error) {
	recs, err := s.db.read(ctx, "neo4j.GovRegions",
		`MATCH (g:GovRegion) RETURN `+govRegionProjection+` AS g ORDER BY g.name`, nil)
	return mapRows(recs, "g", govRegionFrom), err
}

func (s *GeoService) GovRegionsByKeys(ctx context.Context, keys []string) ([]*cyberlotse.GovRegion, error) {
	recs, err := s.db.read(ctx, "neo4j.GovRegionsByKeys",
		`MATCH (g:GovRegion) WHERE g.key IN $keys RETURN `+govRegionProjection+` AS g`, map[string]any{"keys": keys})
	return mapRows(recs, "g", govRegionFrom), err
}

func govRegionFrom(r row) *cyberlotse.GovRegion {
	return &cyberlotse.GovRegion{Key: r.str("key"), Name: r.str("name")}
}

const districtProjection = `d {.key, .name, .kind, .officialName, .seat, .population, .areaKm2, govRegion: [(d)-[:IN]->(g:GovRegion) | g.key][0]}`

func (s *GeoService) Districts(ctx context.Context, govRegion *string) ([]*cyberlotse.District, error) {
	recs, err := s.db.read(ctx, "neo4j.Districts", `
		MATCH (d:District)-[:IN]->(g:GovRegion)
		WHERE $gov IS NULL OR g.key = $gov
		RETURN `+districtProjection+` AS d ORDER BY d.name`, map[string]any{"gov": govRegion})
	return mapRows(recs, "d", districtFrom), err
}

func (s *GeoService) DistrictsByKeys(ctx context.Context, keys []cyberlotse.DistrictKey) ([]*cyberlotse.District, error) {
	recs, err := s.db.read(ctx, "neo4j.DistrictsByKeys",
		`MATCH (d:District) WHERE d.key IN $keys RETURN `+districtProjection+` AS d`, map[string]any{"keys": castAll(keys)})
	return mapRows(recs, "d", districtFrom), err
}

func districtFrom(r row) *cyberlotse.District {
	return &cyberlotse.District{
		Key: cyberlotse.DistrictKey(r.str("key")), Name: r.str("name"), Kind: cyberlotse.DistrictKind(r.str("kind")),
		OfficialName: r.str("officialName"), Seat: r.str("seat"), GovRegionKey: r.str("govRegion"),
		Population: r.int("population"), AreaKm2: r.float("areaKm2"),
	}
}

const municipalityProjection = `m {.ags, .name, .location, .population, .areaKm2, .postcodes,
	district: [(m)-[:IN]->(d:District) | d.key][0],
	police: [(m)-[:POLICED_BY]->(p:Organization) | p.id][0]}`

func municipalityFrom(r row) *cyberlotse.Municipality {
	pcs := r.strs("postcodes")
	postcodes := make([]cyberlotse.Postcode, len(pcs))
	for i, p := range pcs {
		postcodes[i] = cyberlotse.Postcode(p)
	}
	return &cyberlotse.Municipality{
		AGS: cyberlotse.AGS(r.str("ags")), Name: r.str("name"), DistrictKey: cyberlotse.DistrictKey(r.str("district")),
		Location: r.point("location"), Population: r.int("population"), AreaKm2: r.float("areaKm2"),
		Postcodes: postcodes, PoliceID: r.str("police"),
	}
}

func (s *GeoService) MunicipalitiesByAGS(ctx context.Context, keys []cyberlotse.AGS) ([]*cyberlotse.Municipality, error) {
	recs, err := s.db.read(ctx, "neo4j.MunicipalitiesByAGS",
		`MATCH (m:Municipality) WHERE m.ags IN $keys RETURN `+municipalityProjection+` AS m`, map[string]any{"keys": castAll(keys)})
	return mapRows(recs, "m", municipalityFrom), err
}

// municipalityWhere is the filter shared by Find and Count. The name
// prefix compares lower-cased, so "kall" finds Kalletal.
const municipalityWhere = `
	MATCH (m:Municipality)-[:IN]->(d:District)-[:IN]->(g:GovRegion)
	WHERE ($prefix IS NULL OR toLower(m.name) STARTS WITH toLower($prefix))
	  AND ($postcode IS NULL OR $postcode IN m.postcodes)
	  AND ($district IS NULL OR d.key = $district)
	  AND ($gov IS NULL OR g.key = $gov)`

func municipalityParams(f cyberlotse.MunicipalityFilter) map[string]any {
	return map[string]any{
		"prefix": f.NameStartsWith, "postcode": optString(f.Postcode),
		"district": optString(f.District), "gov": f.GovRegion,
	}
}

func (s *GeoService) FindMunicipalities(ctx context.Context, f cyberlotse.MunicipalityFilter, p cyberlotse.Page) ([]*cyberlotse.Municipality, bool, error) {
	params := municipalityParams(f)
	params["afterName"], params["afterAGS"] = p.After.Key(0), p.After.Key(1)
	params["limit"] = p.First + 1
	recs, err := s.db.read(ctx, "neo4j.FindMunicipalities", municipalityWhere+`
		  AND ($afterName = '' OR [m.name, m.ags] > [$afterName, $afterAGS])
		RETURN `+municipalityProjection+` AS m
		ORDER BY m.name, m.ags LIMIT $limit`, params)
	if err != nil {
		return nil, false, err
	}
	items := mapRows(recs, "m", municipalityFrom)
	more := len(items) > p.First
	if more {
		items = items[:p.First]
	}
	return items, more, nil
}

func (s *GeoService) CountMunicipalities(ctx context.Context, f cyberlotse.MunicipalityFilter) (int, error) {
	recs, err := s.db.read(ctx, "neo4j.CountMunicipalities", municipalityWhere+` RETURN count(m) AS n`, municipalityParams(f))
	return count(recs), err
}

func (s *GeoService) MunicipalitiesOfDistricts(ctx context.Context, keys []cyberlotse.DistrictKey) (map[cyberlotse.DistrictKey][]*cyberlotse.Municipality, error) {
	recs, err := s.db.read(ctx, "neo4j.MunicipalitiesOfDistricts", `
		MATCH (m:Municipality)-[:IN]->(d:District) WHERE d.key IN $keys
		RETURN `+municipalityProjection+` AS m ORDER BY m.name`, map[string]any{"keys": castAll(keys)})
	if err != nil {
		return nil, err
	}
	out := map[cyberlotse.DistrictKey][]*cyberlotse.Municipality{}
	for _, m := range mapRows(recs, "m", municipalityFrom) {
		out[m.DistrictKey] = append(out[m.DistrictKey], m)
	}
	return out, nil
}

// MunicipalityCursor is the keyset position of m in the name order.
func MunicipalityCursor(m *cyberlotse.Municipality) cyberlotse.Cursor {
	return cyberlotse.Cursor{Keys: []string{m.Name, string(m.AGS)}}
}

func mapRows[T any](recs []*neo4j.Record, key string, from func(row) *T) []*T {
	rows := rowsOf(recs, key)
	out := make([]*T, len(rows))
	for i, r := range rows {
		out[i] = from(r)
	}
	return out
}

func count(recs []*neo4j.Record) int {
	if len(recs) == 0 {
		return 0
	}
	n, _ := recs[0].Get("n")
	i, _ := n.(int64)
	return int(i)
}

func optString[T ~string](p *T) any {
	if p == nil {
		return nil
	}
	return string(*p)
}

// groupRows groups rows that carry a grouping "key" column.
func groupRows[T any](recs []*neo4j.Record, col string, from func(row) *T) map[string][]*T {
	out := map[string][]*T{}
	for _, rec := range recs {
		k, _ := rec.Get("key")
		v, _ := rec.Get(col)
		m, ok := v.(map[string]any)
		key, _ := k.(string)
		if ok {
			out[key] = append(out[key], from(m))
		}
	}
	return out
}
