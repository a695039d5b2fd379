package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

var _ cyberlotse.SeedService = (*SeedService)(nil)

// SeedService implements cyberlotse.SeedService.
type SeedService struct{ db *DB }

func NewSeedService(db *DB) *SeedService { return &SeedService{db: db} }

// seedStep is one UNWIND statement of the seed; rows are plain maps.
type seedStep struct {
	kind   string
	cypher string
	rows   []map[string]any
}

// ApplyNetwork writes n in one transaction. Nodes are merged on their keys
// and their properties set; the relationships the seed owns are replaced,
// so that a changed seed file converges and an unchanged one changes nothing.
func (s *SeedService) ApplyNetwork(ctx context.Context, n *cyberlotse.Network) (cyberlotse.SeedReport, error) {
	if err := n.Validate(); err != nil {
		return nil, cyberlotse.Errorf(cyberlotse.EINVALID, "Die Stammdaten sind fehlerhaft: %v", err)
	}
	steps := seedSteps(n)
	report := cyberlotse.SeedReport{}
	err := s.db.writeTx(ctx, "neo4j.ApplyNetwork", func(tx neo4j.ManagedTransaction) error {
		for _, st := range steps {
			if _, err := tx.Run(ctx, st.cypher, map[string]any{"rows": st.rows}); err != nil {
				return err
			}
			if st.kind != "" {
				report[st.kind] = len(st.rows)
			}
		}
		return recordChanges(ctx, tx, searchKeys(n), s.db.SearchOutbox)
	})
	return report, err
}

func seedSteps(n *cyberlotse.Network) []seedStep {
	return []seedStep{
		{"GovRegion", `UNWIND $rows AS row MERGE (g:GovRegion {key: row.key}) SET g.name = row.name`,
			rowsFor(n.GovRegions, func(g *cyberlotse.GovRegion) map[string]any {
				return map[string]any{"key": g.Key, "name": g.Name}
			})},
		{"District", `UNWIND $rows AS row
			MERGE (d:District {key: row.key}) SET d += row.props
			WITH d, row OPTIONAL MATCH (d)-[old:IN]->() DELETE old
			WITH d, row MATCH (g:GovRegion {key: row.gov}) MERGE (d)-[:IN]->(g)`,
			rowsFor(n.Districts, func(d *cyberlotse.District) map[string]any {
				return map[string]any{"key": string(d.Key), "gov": d.GovRegionKey, "props": map[string]any{
					"name": d.Name, "kind": string(d.Kind), "officialName": d.OfficialName, "seat": d.Seat,
					"population": d.Population, "areaKm2": d.AreaKm2}}
			})},
		{"Topic", `UNWIND $rows AS row MERGE (t:Topic {id: row.id}) SET t.name = row.name, t.synonyms = row.synonyms`,
			rowsFor(n.Topics, func(t *cyberlotse.Topic) map[string]any {
				return map[string]any{"id": t.ID, "name": t.Name, "synonyms": nonNil(t.Synonyms)}
			})},
		{"Organization", `UNWIND $rows AS row
			MERGE (o:Organization {id: row.id}) SET o += row.props
			WITH o, row OPTIONAL MATCH (o)-[old:ABOUT|KRIMINALHAUPTSTELLE|CYBERCRIME_HQ]->() DELETE old
			WITH o, row CALL (o, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (o)-[:ABOUT]->(t) }`,
			rowsFor(n.Organizations, func(o *cyberlotse.Organization) map[string]any {
				return map[string]any{"id": o.ID, "topics": nonNil(o.TopicIDs), "props": withProvenance(map[string]any{
					"name": o.Name, "shortName": o.ShortName, "kind": string(o.Kind), "website": o.Website,
					"description": o.Description, "seat": o.Seat}, o.Provenance)}
			})},
		{"", `UNWIND $rows AS row
			MATCH (o:Organization {id: row.id})
			CALL (o, row) { MATCH (k:Organization {id: row.khst}) MERGE (o)-[:KRIMINALHAUPTSTELLE]->(k) }
			CALL (o, row) { MATCH (h:Organization {id: row.hq}) MERGE (o)-[:CYBERCRIME_HQ]->(h) }`,
			rowsFor(n.Organizations, func(o *cyberlotse.Organization) map[string]any {
				return map[string]any{"id": o.ID, "khst": o.KriminalhauptstelleID, "hq": o.CybercrimeHQID}
			})},
		{"Municipality", `UNWIND $rows AS row
			MERGE (m:Municipality {ags: row.ags}) SET m += row.props,
			  m.location = point({latitude: row.lat, longitude: row.lon})
			WITH m, row OPTIONAL MATCH (m)-[old:IN|POLICED_BY]->() DELETE old
			WITH m, row MATCH (d:District {key: row.district}) MERGE (m)-[:IN]->(d)
			WITH m, row CALL (m, row) { MATCH (p:Organization {id: row.police}) MERGE (m)-[:POLICED_BY]->(p) }`,
			rowsFor(n.Municipalities, func(m *cyberlotse.Municipality) map[string]any {
				return map[string]any{"ags": string(m.AGS), "district": string(m.DistrictKey), "police": m.PoliceID,
					"lat": m.Location.Lat, "lon": m.Location.Lon, "props": map[string]any{
						"name": m.Name, "population": m.Population, "areaKm2": m.AreaKm2,
						"postcodes": castAll(m.Postcodes)}}
			})},
		{"Region", `UNWIND $rows AS row
			MERGE (r:Region {id: row.id}) SET r += row.props,
			  r.since = CASE WHEN row.since IS NULL THEN null ELSE date(row.since) END
			WITH r, row OPTIONAL MATCH (r)-[old:COVERS|MANAGED_BY|PARTNER]->() DELETE old
			WITH r, row CALL (r, row) { UNWIND row.members AS ags MATCH (m:Municipality {ags: ags}) MERGE (r)-[:COVERS]->(m) }
			WITH r, row CALL (r, row) { UNWIND row.partners AS pid MATCH (o:Organization {id: pid}) MERGE (r)-[:PARTNER]->(o) }
			WITH r, row MATCH (o:Organization {id: row.manager}) MERGE (r)-[:MANAGED_BY]->(o)`,
			rowsFor(n.Regions, func(r *cyberlotse.Region) map[string]any {
				var since any
				if r.Since != nil {
					since = r.Since.Format(time.DateOnly)
				}
				return map[string]any{"id": r.ID, "since": since, "members": castAll(n.RegionMembers[r.ID]),
					"partners": nonNil(r.PartnerIDs), "manager": r.ManagerID,
					"props": withProvenance(map[string]any{"name": r.Name, "kind": string(r.Kind),
						"description": r.Description}, r.Provenance)}
			})},
		{"", `UNWIND $rows AS row
			MATCH (r:Region {id: row.id})
			OPTIONAL MATCH (r)-[old:SATELLITE_OF]->() DELETE old
			WITH r, row CALL (r, row) { MATCH (m:Region {id: row.of}) MERGE (r)-[s:SATELLITE_OF]->(m) SET s.since = r.since }`,
			rowsFor(n.Regions, func(r *cyberlotse.Region) map[string]any {
				return map[string]any{"id": r.ID, "of": r.SatelliteOfID}
			})},
		{"Contact", `UNWIND $rows AS row
			MERGE (c:Contact {id: row.id}) SET c += row.props
			WITH c, row OPTIONAL MATCH (c)-[old:WORKS_FOR|RESPONSIBLE_FOR|EXPERT_IN]->() DELETE old
			WITH c, row MATCH (o:Organization {id: row.org}) MERGE (c)-[:WORKS_FOR]->(o)
			WITH c, row CALL (c, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (c)-[:EXPERT_IN]->(t) }
			WITH c, row CALL (c, row) {
			  UNWIND row.responsible AS resp
			  OPTIONAL MATCH (x) WHERE (resp.level = 'GOV_REGION' AND x:GovRegion AND x.key = resp.key)
			     OR (resp.level = 'DISTRICT' AND x:District AND x.key = resp.key)
			     OR (resp.level = 'MUNICIPALITY' AND x:Municipality AND x.ags = resp.key)
			     OR (resp.level = 'REGION' AND x:Region AND x.id = resp.key)
			  WITH resp, x WHERE x IS NOT NULL
			  MERGE (c)-[:RESPONSIBLE_FOR {as: resp.level}]->(x) }`,
			rowsFor(n.Contacts, func(c *cyberlotse.Contact) map[string]any {
				var resp []map[string]any
				statewide := false
				for _, r := range c.Responsibilities {
					if r.Level == cyberlotse.LevelState {
						statewide = true
						continue
					}
					resp = append(resp, map[string]any{"level": string(r.Level), "key": r.Key})
				}
				return map[string]any{"id": c.ID, "org": c.OrganizationID, "topics": nonNil(c.TopicIDs),
					"responsible": nonNilMaps(resp), "props": withProvenance(map[string]any{
						"name": c.Name, "role": c.Role, "email": c.Email, "phone": c.Phone,
						"availability": c.Availability, "audiences": castAll(c.Audiences), "statewide": statewide},
						c.Provenance)}
			})},
		{"Measure", `UNWIND $rows AS row
			MERGE (m:Measure {code: row.code}) SET m += row.props
			WITH m, row OPTIONAL MATCH (m)-[old:ABOUT]->() DELETE old
			WITH m, row CALL (m, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (m)-[:ABOUT]->(t) }`,
			rowsFor(n.Measures, func(m *cyberlotse.Measure) map[string]any {
				return map[string]any{"code": m.Code, "topics": nonNil(m.TopicIDs), "props": withProvenance(map[string]any{
					"title": m.Title, "summary": m.Summary, "category": string(m.Category)}, m.Provenance)}
			})},
		{"Offer", `UNWIND $rows AS row
			MERGE (o:Offer {id: row.id}) SET o += row.props
			WITH o, row OPTIONAL MATCH (o)-[old:PROVIDED_BY|IMPLEMENTS|ABOUT|FOR_REGION]->() DELETE old
			WITH o, row MATCH (p:Organization {id: row.provider}) MERGE (o)-[:PROVIDED_BY]->(p)
			WITH o, row CALL (o, row) { UNWIND row.measures AS code MATCH (m:Measure {code: code}) MERGE (o)-[:IMPLEMENTS]->(m) }
			WITH o, row CALL (o, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (o)-[:ABOUT]->(t) }
			WITH o, row CALL (o, row) { UNWIND row.regions AS rid MATCH (r:Region {id: rid}) MERGE (o)-[:FOR_REGION]->(r) }`,
			rowsFor(n.Offers, func(o *cyberlotse.Offer) map[string]any {
				return map[string]any{"id": o.ID, "provider": o.ProviderID, "measures": nonNil(o.MeasureCodes),
					"topics": nonNil(o.TopicIDs), "regions": nonNil(o.RegionIDs), "props": withProvenance(map[string]any{
						"name": o.Name, "kind": o.Kind, "eligibility": string(o.Eligibility),
						"sizeClasses": castAll(o.SizeClasses), "description": o.Description, "url": o.URL,
						"status": string(o.Status), "statusSource": o.StatusSource, "statusDate": o.StatusDate}, o.Provenance)}
			})},
		{"Event", `UNWIND $rows AS row
			MERGE (e:Event {id: row.id}) SET e += row.props
			WITH e, row OPTIONAL MATCH (e)-[old:ORGANIZED_BY|TAKES_PLACE_IN|FOR_REGION|ADDRESSES|ABOUT]->() DELETE old
			WITH e, row MATCH (o:Organization {id: row.organizer}) MERGE (e)-[:ORGANIZED_BY]->(o)
			WITH e, row CALL (e, row) { MATCH (m:Municipality {ags: row.ags}) MERGE (e)-[:TAKES_PLACE_IN]->(m) }
			WITH e, row CALL (e, row) { UNWIND row.regions AS rid MATCH (r:Region {id: rid}) MERGE (e)-[:FOR_REGION]->(r) }
			WITH e, row CALL (e, row) { UNWIND row.measures AS code MATCH (m:Measure {code: code}) MERGE (e)-[:ADDRESSES]->(m) }
			WITH e, row CALL (e, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (e)-[:ABOUT]->(t) }`,
			rowsFor(n.Events, func(e *cyberlotse.Event) map[string]any {
				props := withProvenance(map[string]any{
					"title": e.Title, "description": e.Description, "startsAt": instant(e.StartsAt),
					"format": string(e.Format), "mode": string(e.Mode), "venue": e.Venue, "onlineUrl": e.OnlineURL,
					"status": string(e.Status), "registrationNote": e.RegistrationNote, "audiences": castAll(e.Audiences)}, e.Provenance)
				props["endsAt"], props["capacity"] = nil, nil
				if e.EndsAt != nil {
					props["endsAt"] = instant(*e.EndsAt)
				}
				if e.Capacity != nil {
					props["capacity"] = *e.Capacity
				}
				return map[string]any{"id": e.ID, "organizer": e.OrganizerID, "ags": string(e.AGS),
					"regions": nonNil(e.RegionIDs), "measures": nonNil(e.MeasureCodes), "topics": nonNil(e.TopicIDs),
					"props": props}
			})},
	}
}

// searchKeys lists every searchable object of n, for the search index.
func searchKeys(n *cyberlotse.Network) map[search.Type][]string {
	return map[search.Type][]string{
		search.TypeEvent:        collectKeys(n.Events, func(e *cyberlotse.Event) string { return e.ID }),
		search.TypeContact:      collectKeys(n.Contacts, func(c *cyberlotse.Contact) string { return c.ID }),
		search.TypeOrganization: collectKeys(n.Organizations, func(o *cyberlotse.Organization) string { return o.ID }),
		search.TypeMunicipality: collectKeys(n.Municipalities, func(m *cyberlotse.Municipality) string { return string(m.AGS) }),
		search.TypeRegion:       collectKeys(n.Regions, func(r *cyberlotse.Region) string { return r.ID }),
		search.TypeMeasure:      collectKeys(n.Measures, func(m *cyberlotse.Measure) string { return m.Code }),
		search.TypeOffer:        collectKeys(n.Offers, func(o *cyberlotse.Offer) string { return o.ID }),
	}
}

func collectKeys[T any](xs []T, key func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = key(x)
	}
	return out
}

func rowsFor[T any](xs []T, f func(T) map[string]any) []map[string]any {
	out := make([]map[string]any, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// withProvenance adds the provenance and drops empty strings, so that an
// absent value is absent in the graph (null in the API), not "".
func withProvenance(props map[string]any, p cyberlotse.Provenance) map[string]any {
	for k, v := range props {
		if s, ok := v.(string); ok && s == "" {
			props[k] = nil
		}
	}
	props["sample"] = p.Sample
	props["source"] = p.Source
	return props
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func nonNilMaps(xs []map[string]any) []map[string]any {
	if xs == nil {
		return []map[string]any{}
	}
	return xs
}
