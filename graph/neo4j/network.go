package neo4j

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.NetworkService = (*NetworkService)(nil)

// NetworkService implements cyberlotse.NetworkService.
type NetworkService struct{ db *DB }

func NewNetworkService(db *DB) *NetworkService { return &NetworkService{db: db} }

const regionProjection = `r {.id, .name, .kind, .since, .description, .sample, .source,
	manager: [(r)-[:MANAGED_BY]->(o:Organization) | o.id][0],
	satelliteOf: [(r)-[:SATELLITE_OF]->(satOf:Region) | satOf.id][0],
	partners: COLLECT { MATCH (r)-[:PARTNER]->(o:Organization) RETURN o.id ORDER BY o.id }}`

func regionFrom(r row) *cyberlotse.Region {
	return &cyberlotse.Region{
		ID: r.str("id"), Name: r.str("name"), Kind: cyberlotse.RegionKind(r.str("kind")),
		Since: r.timePtr("since"), Description: r.str("description"),
		ManagerID: r.str("manager"), SatelliteOfID: r.str("satelliteOf"), PartnerIDs: r.strs("partners"),
		Provenance: r.provenance(),
	}
}

func (s *NetworkService) Regions(ctx context.Context, kind *cyberlotse.RegionKind) ([]*cyberlotse.Region, error) {
	recs, err := s.db.read(ctx, "neo4j.Regions", `
		MATCH (r:Region) WHERE $kind IS NULL OR r.kind = $kind
		RETURN `+regionProjection+` AS r ORDER BY r.name`, map[string]any{"kind": optString(kind)})
	return mapRows(recs, "r", regionFrom), err
}

func (s *NetworkService) RegionsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Region, error) {
	recs, err := s.db.read(ctx, "neo4j.RegionsByIDs",
		`MATCH (r:Region) WHERE r.id IN $ids RETURN `+regionProjection+` AS r`, map[string]any{"ids": ids})
	return mapRows(recs, "r", regionFrom), err
}

func (s *NetworkService) RegionMembers(ctx context.Context, ids []string) (map[string][]*cyberlotse.Municipality, error) {
	recs, err := s.db.read(ctx, "neo4j.RegionMembers", `
		MATCH (r:Region)-[:COVERS]->(m:Municipality) WHERE r.id IN $ids
		RETURN r.id AS key, `+municipalityProjection+` AS m ORDER BY m.name`, map[string]any{"ids": ids})
	return groupRows(recs, "m", municipalityFrom), err
}

func (s *NetworkService) Satellites(ctx context.Context, ids []string) (map[string][]*cyberlotse.Region, error) {
	recs, err := s.db.read(ctx, "neo4j.Satellites", `
		MATCH (r:Region)-[:SATELLITE_OF]->(m:Region) WHERE m.id IN $ids
		RETURN m.id AS key, `+regionProjection+` AS r ORDER BY r.name`, map[string]any{"ids": ids})
	return groupRows(recs, "r", regionFrom), err
}

func (s *NetworkService) RegionsOfMunicipalities(ctx context.Context, keys []cyberlotse.AGS) (map[cyberlotse.AGS][]*cyberlotse.Region, error) {
	recs, err := s.db.read(ctx, "neo4j.RegionsOfMunicipalities", `
		MATCH (r:Region)-[:COVERS]->(m:Municipality) WHERE m.ags IN $keys
		RETURN m.ags AS key, `+regionProjection+` AS r ORDER BY r.name`, map[string]any{"keys": castAll(keys)})
	if err != nil {
		return nil, err
	}
	out := map[cyberlotse.AGS][]*cyberlotse.Region{}
	for k, v := range groupRows(recs, "r", regionFrom) {
		out[cyberlotse.AGS(k)] = v
	}
	return out, nil
}

const organizationProjection = `o {.id, .name, .shortName, .kind, .website, .description, .seat, .sample, .source,
	khst: [(o)-[:KRIMINALHAUPTSTELLE]->(k:Organization) | k.id][0],
	hq: [(o)-[:CYBERCRIME_HQ]->(h:Organization) | h.id][0],
	topics: COLLECT { MATCH (o)-[:ABOUT]->(t:Topic) RETURN t.id ORDER BY t.id }}`

func organizationFrom(r row) *cyberlotse.Organization {
	return &cyberlotse.Organization{
		ID: r.str("id"), Name: r.str("name"), ShortName: r.str("shortName"),
		Kind: cyberlotse.OrganizationKind(r.str("kind")), Website: r.str("website"),
		Description: r.str("description"), Seat: r.str("seat"),
		KriminalhauptstelleID: r.str("khst"), CybercrimeHQID: r.str("hq"), TopicIDs: r.strs("topics"),
		Provenance: r.provenance(),
	}
}

func (s *NetworkService) Organizations(ctx context.Context, f cyberlotse.OrganizationFilter) ([]*cyberlotse.Organization, error) {
	recs, err := s.db.read(ctx, "neo4j.Organizations", `
		MATCH (o:Organization) WHERE $kind IS NULL OR o.kind = $kind
		RETURN `+organizationProjection+` AS o ORDER BY o.name`, map[string]any{"kind": optString(f.Kind)})
	return mapRows(recs, "o", organizationFrom), err
}

func (s *NetworkService) OrganizationsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Organization, error) {
	recs, err := s.db.read(ctx, "neo4j.OrganizationsByIDs",
		`MATCH (o:Organization) WHERE o.id IN $ids RETURN `+organizationProjection+` AS o`, map[string]any{"ids": ids})
	return mapRows(recs, "o", organizationFrom), err
}

const contactProjection = `c {.id, .name, .role, .email, .phone, .availability, .audiences, .sample, .source,
	organization: [(c)-[:WORKS_FOR]->(o:Organization) | o.id][0],
	responsibilities: [(c)-[rf:RESPONSIBLE_FOR]->(x) | {level: rf.as, key: coalesce(x.key, x.ags, x.id)}],
	topics: COLLECT { MATCH (c)-[:EXPERT_IN]->(t:Topic) RETURN t.id ORDER BY t.id }}`

func contactFrom(r row) *cyberlotse.Contact {
	var resp []cyberlotse.Responsibility
	list, _ := r["responsibilities"].([]any)
	for _, v := range list {
		m, _ := v.(map[string]any)
		resp = append(resp, cyberlotse.Responsibility{Level: cyberlotse.Level(row(m).str("level")), Key: row(m).str("key")})
	}
	aud := r.strs("audiences")
	audiences := make([]cyberlotse.Audience, len(aud))
	for i, a := range aud {
		audiences[i] = cyberlotse.Audience(a)
	}
	return &cyberlotse.Contact{
		ID: r.str("id"), Name: r.str("name"), Role: r.str("role"), Email: r.str("email"), Phone: r.str("phone"),
		Availability: r.str("availability"), OrganizationID: r.str("organization"), Audiences: audiences,
		Responsibilities: resp, TopicIDs: r.strs("topics"), Provenance: r.provenance(),
	}
}

func (s *NetworkService) Contacts(ctx context.Context, f cyberlotse.ContactFilter) ([]*cyberlotse.Contact, error) {
	recs, err := s.db.read(ctx, "neo4j.Contacts", `
		MATCH (c:Contact)-[:WORKS_FOR]->(o:Organization)
		WHERE ($org IS NULL OR o.id = $org)
		  AND ($audience IS NULL OR $audience IN c.audiences)
		  AND ($level IS NULL OR EXISTS {
		        MATCH (c)-[rf:RESPONSIBLE_FOR {as: $level}]->(x)
		        WHERE $key IS NULL OR coalesce(x.key, x.ags, x.id) = $key })
		RETURN `+contactProjection+` AS c ORDER BY c.name`,
		map[string]any{"org": f.OrganizationID, "audience": optString(f.Audience), "level": optString(f.Level), "key": f.Key})
	return mapRows(recs, "c", contactFrom), err
}

func (s *NetworkService) ContactsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Contact, error) {
	recs, err := s.db.read(ctx, "neo4j.ContactsByIDs",
		`MATCH (c:Contact) WHERE c.id IN $ids RETURN `+contactProjection+` AS c`, map[string]any{"ids": ids})
	return mapRows(recs, "c", contactFrom), err
}

func (s *NetworkService) ContactsOfOrganizations(ctx context.Context, ids []string) (map[string][]*cyberlotse.Contact, error) {
	recs, err := s.db.read(ctx, "neo4j.ContactsOfOrganizations", `
		MATCH (c:Contact)-[:WORKS_FOR]->(o:Organization) WHERE o.id IN $ids
		RETURN o.id AS key, `+contactProjection+` AS c ORDER BY c.name`, map[string]any{"ids": ids})
	return groupRows(recs, "c", contactFrom), err
}

const offerProjection = `o {.id, .name, .kind, .eligibility, .sizeClasses, .description, .url, .sample, .source,
	.status, .statusSource, .statusDate,
	provider: [(o)-[:PROVIDED_BY]->(p:Organization) | p.id][0],
	measures: COLLECT { MATCH (o)-[:IMPLEMENTS]->(m:Measure) RETURN m.code ORDER BY m.code },
	topics: COLLECT { MATCH (o)-[:ABOUT]->(t:Topic) RETURN t.id ORDER BY t.id },
	regions: COLLECT { MATCH (o)-[:FOR_REGION]->(r:Region) RETURN r.id ORDER BY r.id }}`

func offerFrom(r row) *cyberlotse.Offer {
	sc := r.strs("sizeClasses")
	classes := make([]cyberlotse.SizeClass, len(sc))
	for i, c := range sc {
		classes[i] = cyberlotse.SizeClass(c)
	}
	return &cyberlotse.Offer{
		ID: r.str("id"), Name: r.str("name"), Kind: r.str("kind"), ProviderID: r.str("provider"),
		Eligibility: cyberlotse.Eligibility(r.str("eligibility")), SizeClasses: classes,
		Description: r.str("description"), URL: r.str("url"), MeasureCodes: r.strs("measures"),
		TopicIDs: r.strs("topics"), RegionIDs: r.strs("regions"), Provenance: r.provenance(),
		Status: cyberlotse.OfferStatus(r.str("status")), StatusSource: r.str("statusSource"), StatusDate: r.str("statusDate"),
	}
}

func (s *NetworkService) Offers(ctx context.Context) ([]*cyberlotse.Offer, error) {
	recs, err := s.db.read(ctx, "neo4j.Offers", `MATCH (o:Offer) RETURN `+offerProjection+` AS o ORDER BY o.name`, nil)
	return mapRows(recs, "o", offerFrom), err
}

func (s *NetworkService) OffersByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Offer, error) {
	recs, err := s.db.read(ctx, "neo4j.OffersByIDs",
		`MATCH (o:Offer) WHERE o.id IN $ids RETURN `+offerProjection+` AS o`, map[string]any{"ids": ids})
	return mapRows(recs, "o", offerFrom), err
}

const topicProjection = `t {.id, .name, .synonyms}`

func topicFrom(r row) *cyberlotse.Topic {
	return &cyberlotse.Topic{ID: r.str("id"), Name: r.str("name"), Synonyms: r.strs("synonyms")}
}

func (s *NetworkService) Topics(ctx context.Context) ([]*cyberlotse.Topic, error) {
	recs, err := s.db.read(ctx, "neo4j.Topics", `MATCH (t:Topic) RETURN `+topicProjection+` AS t ORDER BY t.name`, nil)
	return mapRows(recs, "t", topicFrom), err
}

func (s *NetworkService) TopicsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Topic, error) {
	recs, err := s.db.read(ctx, "neo4j.TopicsByIDs",
		`MATCH (t:Topic) WHERE t.id IN $ids RETURN `+topicProjection+` AS t`, map[string]any{"ids": ids})
	return mapRows(recs, "t", topicFrom), err
}
