package neo4j

import (
	"context"
	"strconv"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.IsbNetworkStore = (*IsbNetworkStore)(nil)

// IsbNetworkStore implements cyberlotse.IsbNetworkStore:
//
//	(:IsbProfile {ags, function, shares, displayName, contact, updatedAt, updatedBy})
//	(:IsbProfile)-[:OF]->(:Municipality), (:IsbProfile)-[:WORKS_ON]->(:Topic)
//
// A profile belongs to a municipality, not to a person: whoever holds an
// officer's token for the AGS keeps it. Deleting it removes the node and
// its relationships; nothing else holds profile data.
type IsbNetworkStore struct{ db *DB }

func NewIsbNetworkStore(db *DB) *IsbNetworkStore { return &IsbNetworkStore{db: db} }

const isbProfileProjection = `p {.ags, .function, .shares, .displayName, .contact, .updatedAt, .updatedBy,
	topics: COLLECT { MATCH (p)-[:WORKS_ON]->(t:Topic) RETURN t.id ORDER BY t.id }}`

func isbProfileFrom(r row) *cyberlotse.IsbProfile {
	p := &cyberlotse.IsbProfile{AGS: cyberlotse.AGS(r.str("ags")), Function: cyberlotse.IsbFunction(r.str("function")),
		TopicIDs: r.strs("topics"), DisplayName: r.str("displayName"), Contact: r.str("contact"),
		UpdatedAt: r.time("updatedAt"), UpdatedBy: r.str("updatedBy")}
	for _, s := range r.strs("shares") {
		p.Shares = append(p.Shares, cyberlotse.IsbShare(s))
	}
	return p
}

func (s *IsbNetworkStore) Profile(ctx context.Context, ags cyberlotse.AGS) (*cyberlotse.IsbProfile, error) {
	recs, err := s.db.read(ctx, "neo4j.IsbProfile",
		`MATCH (p:IsbProfile {ags: $ags}) RETURN `+isbProfileProjection+` AS p`, map[string]any{"ags": string(ags)})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	return isbProfileFrom(rowOf(recs[0], "p")), nil
}

func (s *IsbNetworkStore) SaveProfile(ctx context.Context, p cyberlotse.IsbProfile) (*cyberlotse.IsbProfile, error) {
	const op = "neo4j.SaveIsbProfile"
	// One query: the municipality and the topics are checked first; the
	// profile is written only when all exist, so nothing is half-written.
	recs, err := s.db.write(ctx, op, `
		OPTIONAL MATCH (m:Municipality {ags: $ags})
		WITH m, [id IN $topics WHERE NOT EXISTS { MATCH (:Topic {id: id}) }] AS unknown
		OPTIONAL CALL (m, unknown) {
			WITH m, unknown WHERE m IS NOT NULL AND size(unknown) = 0
			MERGE (p:IsbProfile {ags: $ags})
			SET p.function = $function, p.shares = $shares, p.displayName = $displayName,
				p.contact = $contact, p.updatedAt = $at, p.updatedBy = $by
			MERGE (p)-[:OF]->(m)
			WITH p
			OPTIONAL MATCH (p)-[old:WORKS_ON]->() DELETE old
			WITH DISTINCT p
			CALL (p) { UNWIND $topics AS tid MATCH (t:Topic {id: tid}) MERGE (p)-[:WORKS_ON]->(t) }
			RETURN p.ags AS saved
		}
		RETURN m IS NOT NULL AS municipality, unknown, saved`,
		map[string]any{"ags": string(p.AGS), "function": string(p.Function), "shares": castAll(p.Shares),
			"displayName": nilIfEmpty(p.DisplayName), "contact": nilIfEmpty(p.Contact), "at": p.UpdatedAt.UTC(),
			"by": p.UpdatedBy, "topics": nonNil(p.TopicIDs)})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(p.AGS))
	}
	if v, _ := recs[0].Get("municipality"); v != true {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(p.AGS))
	}
	if v, _ := recs[0].Get("unknown"); len(asStrings(v)) > 0 {
		return nil, cyberlotse.UnknownIsbTopic(asStrings(v)[0])
	}
	return s.Profile(ctx, p.AGS)
}

func (s *IsbNetworkStore) DeleteProfile(ctx context.Context, ags cyberlotse.AGS) (bool, error) {
	recs, err := s.db.write(ctx, "neo4j.DeleteIsbProfile", `
		OPTIONAL MATCH (p:IsbProfile {ags: $ags})
		WITH p, p IS NOT NULL AS found
		DETACH DELETE p
		RETURN found`, map[string]any{"ags": string(ags)})
	if err != nil || len(recs) == 0 {
		return false, err
	}
	v, _ := recs[0].Get("found")
	return v == true, nil
}

// Peers finds the other profiles that match q in one query: the own
// municipality's district and size class and the own profile's topics (or
// q.Topic) are compared with every other profile; matched counts the
// criteria asked for that hold. Ordered by matched (descending), then
// municipality name and AGS; the cursor continues after that position.
//
// Extension point (WIBA_CHECKLIST): once the WiBA progress stores which
// checklists a municipality works on, a fourth comparison goes here.
func (s *IsbNetworkStore) Peers(ctx context.Context, q cyberlotse.PeerQuery) (*cyberlotse.Municipality, []cyberlotse.PeerCandidate, error) {
	by := map[string]bool{}
	for _, b := range q.By {
		by[string(b)] = true
	}
	params := map[string]any{"ags": string(q.AGS), "bounds": cyberlotse.PopulationBounds, "topic": nilIfEmpty(q.Topic),
		"byDistrict": by["DISTRICT"], "bySize": by["SIMILAR_SIZE"], "byTopic": by["TOPIC"], "byWiba": by["WIBA_CHECKLIST"],
		"limit":        q.Page.First + 1,
		"afterMatched": nil, "afterName": "", "afterAgs": ""}
	if c := q.Page.After; c != nil {
		n, err := strconv.Atoi(c.Key(0))
		if err != nil || len(c.Keys) != 3 {
			return nil, nil, cyberlotse.BadCursor()
		}
		params["afterMatched"], params["afterName"], params["afterAgs"] = n, c.Key(1), c.Key(2)
	}
	recs, err := s.db.read(ctx, "neo4j.IsbPeers", `
		OPTIONAL MATCH (own:Municipality {ags: $ags})
		OPTIONAL MATCH (own)-[:IN]->(od:District)
		OPTIONAL MATCH (ownProfile:IsbProfile {ags: $ags})
		WITH own, od, size([b IN $bounds WHERE coalesce(own.population, 0) >= b]) AS ownClass,
			CASE WHEN $topic IS NOT NULL THEN [$topic]
				ELSE COLLECT { MATCH (ownProfile)-[:WORKS_ON]->(t:Topic) RETURN t.id } END AS wanted,
			$topic IS NULL OR EXISTS { MATCH (:Topic {id: $topic}) } AS topicKnown,
			CASE WHEN $byWiba THEN COLLECT {
				MATCH (own)<-[:OF]-(:WibaAnswer)-[:ANSWERS]->(:WibaQuestion)-[:IN]->(c:WibaTopic) RETURN DISTINCT c.id
			} ELSE [] END AS checklists
		OPTIONAL CALL (own, od, ownClass, wanted, topicKnown, checklists) {
			WITH own, od, ownClass, wanted, topicKnown, checklists WHERE own IS NOT NULL AND topicKnown
			MATCH (p:IsbProfile)-[:OF]->(m:Municipality)-[:IN]->(d:District)
			WHERE m.ags <> own.ags
			WITH p, m, d, d.key = od.key AS sameDistrict,
				size([b IN $bounds WHERE coalesce(m.population, 0) >= b]) = ownClass AS sameSize,
				COLLECT { MATCH (p)-[:WORKS_ON]->(t:Topic) WHERE t.id IN wanted RETURN t.name ORDER BY t.name } AS shared,
				CASE WHEN size(checklists) = 0 THEN [] ELSE COLLECT {
					MATCH (m)<-[:OF]-(:WibaAnswer)-[:ANSWERS]->(:WibaQuestion)-[:IN]->(c:WibaTopic) WHERE c.id IN checklists
					WITH DISTINCT c RETURN c.title ORDER BY c.number
				} END AS sharedChecklists
			WITH p, m, d, sameDistrict, sameSize, shared, sharedChecklists,
				(CASE WHEN $byDistrict AND sameDistrict THEN 1 ELSE 0 END) +
				(CASE WHEN $bySize AND sameSize THEN 1 ELSE 0 END) +
				(CASE WHEN $byTopic AND size(shared) > 0 THEN 1 ELSE 0 END) +
				(CASE WHEN size(sharedChecklists) > 0 THEN 1 ELSE 0 END) AS matched
			WHERE matched > 0 AND ($afterMatched IS NULL OR matched < $afterMatched
				OR (matched = $afterMatched AND (m.name > $afterName OR (m.name = $afterName AND m.ags > $afterAgs))))
			RETURN {profile: `+isbProfileProjection+`, municipality: `+municipalityProjection+`, district: d.name,
				sameDistrict: sameDistrict, sameSize: sameSize, shared: shared, sharedChecklists: sharedChecklists} AS peer, matched, m.name AS name, m.ags AS mags
			ORDER BY matched DESC, name, mags LIMIT $limit
		}
		RETURN CASE WHEN own IS NULL THEN null ELSE own {.ags, .name, .location, .population, .areaKm2, .postcodes,
			district: od.key, police: [(own)-[:POLICED_BY]->(x:Organization) | x.id][0]} END AS own,
			topicKnown, collect(peer) AS peers`, params)
	if err != nil {
		return nil, nil, err
	}
	if len(recs) == 0 || rowOf(recs[0], "own") == nil {
		return nil, nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(q.AGS))
	}
	if v, _ := recs[0].Get("topicKnown"); v != true {
		return nil, nil, cyberlotse.UnknownPeerTopic(q.Topic)
	}
	own := municipalityFrom(rowOf(recs[0], "own"))
	var out []cyberlotse.PeerCandidate
	peers, _ := recs[0].Get("peers")
	list, _ := peers.([]any)
	for _, x := range list {
		r := asRow(x)
		out = append(out, cyberlotse.PeerCandidate{Profile: isbProfileFrom(asRow(r["profile"])),
			Municipality: municipalityFrom(asRow(r["municipality"])), DistrictName: r.str("district"),
			SameDistrict: r.bool("sameDistrict"), SameSize: r.bool("sameSize"), SharedTopics: r.strs("shared"),
			SharedChecklists: r.strs("sharedChecklists")})
	}
	return own, out, nil
}

// DeleteIsbProfilesForTest removes the profiles of the given municipalities.
func DeleteIsbProfilesForTest(ctx context.Context, db *DB, ags ...cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.DeleteIsbProfilesForTest",
		`MATCH (p:IsbProfile) WHERE p.ags IN $ags DETACH DELETE p`, map[string]any{"ags": castAll(ags)})
	return err
}

func asRow(v any) row { m, _ := v.(map[string]any); return m }

func asStrings(v any) []string { return row{"v": v}.strs("v") }

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
