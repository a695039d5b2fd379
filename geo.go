package cyberlotse

import (
	"context"
	"math"
)

// GovRegion is one of the five Regierungsbezirke of NRW.
type GovRegion struct {
	Key  string // the Regierungsbezirk's name, e.g. "Detmold"
	Name string // e.g. "Regierungsbezirk Detmold"
}

// DistrictKind says what kind of district a District is.
type DistrictKind string

const (
	KreisfreieStadt DistrictKind = "KREISFREIE_STADT"
	Kreis           DistrictKind = "KREIS"
	Staedteregion   DistrictKind = "STAEDTEREGION"
)

// District is a Kreis, a kreisfreie Stadt or the Städteregion Aachen.
type District struct {
	Key          DistrictKey
	Name         string // e.g. "Kreis Lippe", "Remscheid"
	Kind         DistrictKind
	OfficialName string
	Seat         string
	GovRegionKey string
	Population   int
	AreaKm2      float64
}

// Point is a WGS84 position.
type Point struct {
	Lat, Lon float64
}

// DistanceKm is the great-circle distance between two points (haversine
// on a sphere of the WGS84 equatorial radius, as Neo4j's point.distance).
func DistanceKm(a, b Point) float64 {
	const r = 6378.14
	rad := math.Pi / 180
	dLat, dLon := (b.Lat-a.Lat)*rad, (b.Lon-a.Lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Municipality is one of the 396 Gemeinden of NRW.
type Municipality struct {
	AGS         AGS
	Name        string
	DistrictKey DistrictKey
	Location    Point
	Population  int
	AreaKm2     float64
	Postcodes   []Postcode
	// PoliceID is the Kreispolizeibehörde responsible under the KPB-VO.
	PoliceID string
}

// MunicipalityFilter narrows FindMunicipalities; nil fields do not filter.
type MunicipalityFilter struct {
	NameStartsWith *string
	Postcode       *Postcode
	District       *DistrictKey
	GovRegion      *string
}

// GeoService reads the NRW geography. Anyone may call it.
type GeoService interface {
	// GovRegions returns the five Regierungsbezirke ordered by name.
	GovRegions(ctx context.Context) ([]*GovRegion, error)
	// GovRegionsByKeys returns the Regierungsbezirke with the given keys,
	// in no particular order; unknown keys are left out.
	GovRegionsByKeys(ctx context.Context, keys []string) ([]*GovRegion, error)
	// Districts returns all districts, or those of one Regierungsbezirk,
	// ordered by name.
	Districts(ctx context.Context, govRegion *string) ([]*District, error)
	// DistrictsByKeys returns the districts with the given keys; unknown
	// keys are left out.
	DistrictsByKeys(ctx context.Context, keys []DistrictKey) ([]*District, error)
	// MunicipalitiesByAGS returns the municipalities with the given keys;
	// unknown keys are left out.
	MunicipalitiesByAGS(ctx context.Context, keys []AGS) ([]*Municipality, error)
	// FindMunicipalities returns a page of municipalities ordered by name
	// and whether more follow. EINVALID for a bad filter value.
	FindMunicipalities(ctx context.Context, f MunicipalityFilter, p Page) ([]*Municipality, bool, error)
	// CountMunicipalities returns how many municipalities match f.
	CountMunicipalities(ctx context.Context, f MunicipalityFilter) (int, error)
	// MunicipalitiesOfDistricts returns, per district key, its
	// municipalities ordered by name.
	MunicipalitiesOfDistricts(ctx context.Context, keys []DistrictKey) (map[DistrictKey][]*Municipality, error)
}
