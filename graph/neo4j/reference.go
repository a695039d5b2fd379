package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.ReferenceSource = (*NetworkService)(nil)

// referenceQueries read the whole reference network, one query per kind,
// with the same projections as the lookups.
var referenceQueries = []struct {
	key, cypher string
	add         func(*cyberlotse.Reference, row)
}{
	{"g", `MATCH (g:GovRegion) RETURN ` + govRegionProjection + ` AS g`,
		func(ref *cyberlotse.Reference, r row) { ref.GovRegions = append(ref.GovRegions, govRegionFrom(r)) }},
	{"d", `MATCH (d:District) RETURN ` + districtProjection + ` AS d`,
		func(ref *cyberlotse.Reference, r row) { ref.Districts = append(ref.Districts, districtFrom(r)) }},
	{"m", `MATCH (m:Municipality) RETURN ` + municipalityProjection + ` AS m`,
		func(ref *cyberlotse.Reference, r row) {
			ref.Municipalities = append(ref.Municipalities, municipalityFrom(r))
		}},
	{"r", `MATCH (r:Region) RETURN ` + regionProjection + ` AS r`,
		func(ref *cyberlotse.Reference, r row) { ref.Regions = append(ref.Regions, regionFrom(r)) }},
	{"x", `MATCH (r:Region)-[:COVERS]->(m:Municipality) RETURN {region: r.id, ags: m.ags} AS x`,
		func(ref *cyberlotse.Reference, r row) {
			ref.Members[r.str("region")] = append(ref.Members[r.str("region")], cyberlotse.AGS(r.str("ags")))
		}},
	{"o", `MATCH (o:Organization) RETURN ` + organizationProjection + ` AS o`,
		func(ref *cyberlotse.Reference, r row) {
			ref.Organizations = append(ref.Organizations, organizationFrom(r))
		}},
	{"c", `MATCH (c:Contact) RETURN ` + contactProjection + ` AS c`,
		func(ref *cyberlotse.Reference, r row) { ref.Contacts = append(ref.Contacts, contactFrom(r)) }},
	{"s", `MATCH (c:Contact {statewide: true}) RETURN {id: c.id} AS s`,
		func(ref *cyberlotse.Reference, r row) { ref.Statewide = append(ref.Statewide, r.str("id")) }},
	{"o", `MATCH (o:Offer) RETURN ` + offerProjection + ` AS o`,
		func(ref *cyberlotse.Reference, r row) { ref.Offers = append(ref.Offers, offerFrom(r)) }},
	{"t", `MATCH (t:Topic) RETURN ` + topicProjection + ` AS t`,
		func(ref *cyberlotse.Reference, r row) { ref.Topics = append(ref.Topics, topicFrom(r)) }},
	{"m", `MATCH (m:Measure) RETURN ` + measureProjection + ` AS m`,
		func(ref *cyberlotse.Reference, r row) { ref.Measures = append(ref.Measures, measureFrom(r)) }},
}

// Reference reads the whole reference network in one read transaction, so
// that the parts agree with each other.
func (s *NetworkService) Reference(ctx context.Context) (*cyberlotse.Reference, error) {
	var ref *cyberlotse.Reference
	err := s.db.readTx(ctx, "neo4j.Reference", func(tx neo4j.ManagedTransaction) error {
		ref = &cyberlotse.Reference{Members: map[string][]cyberlotse.AGS{}}
		for _, q := range referenceQueries {
			rows, err := collectRows(ctx, tx, q.key, q.cypher, nil)
			if err != nil {
				return err
			}
			for _, r := range rows {
				q.add(ref, r)
			}
		}
		return nil
	})
	return ref, err
}
