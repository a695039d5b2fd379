package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.MatchStore = (*MatchStore)(nil)

// MatchStore implements cyberlotse.MatchStore: the graph walks behind
// matchmaking and emergency help. Scoring happens in the domain.
type MatchStore struct {
	db *DB
	// MaxEvents bounds the events one matchmaking call scores (default
	// maxEventCandidates).
	MaxEvents int
}

func NewMatchStore(db *DB) *MatchStore { return &MatchStore{db: db, MaxEvents: maxEventCandidates} }

// foldedName is cyberlotse.FoldPlaceName in Cypher, on the stored names.
const foldedName = `replace(replace(replace(replace(toLower(m.name), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss')`

func (s *MatchStore) Places(ctx context.Context, q cyberlotse.PlaceQuery) ([]*cyberlotse.Municipality, *cyberlotse.Company, error) {
	switch {
	case q.CompanyID != nil:
		recs, err := s.db.read(ctx, "neo4j.Places", `
			MATCH (co:Company {id: $id})-[:LOCATED_IN]->(m:Municipality)
			RETURN co {.id, .name, .sector, .employees, .sample, .source, ags: m.ags} AS co, `+municipalityProjection+` AS m`,
			map[string]any{"id": *q.CompanyID})
		if err != nil {
			return nil, nil, err
		}
		if len(recs) == 0 {
			return nil, nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Das Unternehmen „%s“ wurde nicht gefunden.", *q.CompanyID)
		}
		co := rowsOf(recs, "co")[0]
		return mapRows(recs, "m", municipalityFrom), &cyberlotse.Company{
			ID: co.str("id"), Name: co.str("name"), Sector: co.str("sector"), Employees: co.intPtr("employees"),
			AGS: cyberlotse.AGS(co.str("ags")), Provenance: co.provenance()}, nil
	case q.AGS != nil:
		ms, err := NewGeoService(s.db).MunicipalitiesByAGS(ctx, []cyberlotse.AGS{*q.AGS})
		return ms, nil, err
	}
	var town any
	if q.Town != nil {
		town = cyberlotse.FoldPlaceName(*q.Town)
	}
	// An exact (folded) name wins; otherwise names starting with the text.
	recs, err := s.db.read(ctx, "neo4j.Places", `
		MATCH (m:Municipality)
		WHERE ($postcode IS NULL OR $postcode IN m.postcodes)
		  AND ($town IS NULL OR `+foldedName+` STARTS WITH $town)
		WITH m, $town IS NOT NULL AND `+foldedName+` = $town AS exact
		ORDER BY exact DESC, m.name
		WITH collect({m: m, exact: exact}) AS found
		WITH CASE WHEN size(found) > 0 AND found[0].exact THEN [x IN found WHERE x.exact] ELSE found[0..10] END AS hits
		UNWIND hits AS hit
		WITH hit.m AS m
		RETURN `+municipalityProjection+` AS m`,
		map[string]any{"postcode": optString(q.Postcode), "town": town})
	return mapRows(recs, "m", municipalityFrom), nil, err
}

// Candidates collects, in one query, the place with its district, the
// police chain, its regions (and the model regions of its satellites),
// every contact connected to one of them or statewide, upcoming events in
// reach, the measure catalogue with rollouts in the regions, and the offers.
func (s *MatchStore) Candidates(ctx context.Context, q cyberlotse.CandidateQuery) (*cyberlotse.Candidates, error) {
	recs, err := s.db.read(ctx, "neo4j.Candidates", `
		MATCH (place:Municipality {ags: $ags})-[:IN]->(d:District)
		OPTIONAL MATCH (place)-[:POLICED_BY]->(kpb:Organization)
		OPTIONAL MATCH (kpb)-[:KRIMINALHAUPTSTELLE]->(khst:Organization)
		OPTIONAL MATCH (khst)-[:CYBERCRIME_HQ]->(hq:Organization)
		CALL (place) {
		  OPTIONAL MATCH (own:Region)-[:COVERS]->(place)
		  OPTIONAL MATCH (own)-[:SATELLITE_OF]->(model:Region)
		  WITH collect(DISTINCT {region: own.id, via: null}) + collect(DISTINCT {region: model.id, via: own.id}) AS links
		  RETURN [l IN links WHERE l.region IS NOT NULL] AS regionLinks
		}
		WITH place, d, kpb, hq, regionLinks, [l IN regionLinks | l.region] AS regionIds
		CALL (place, d, kpb, hq, regionIds) {
		  MATCH (c:Contact)-[:RESPONSIBLE_FOR]->(place) RETURN c, 'MUNICIPALITY' AS via, null AS regionId
		  UNION
		  MATCH (c:Contact)-[:RESPONSIBLE_FOR]->(d) RETURN c, 'DISTRICT' AS via, null AS regionId
		  UNION
		  MATCH (c:Contact)-[:RESPONSIBLE_FOR]->(:GovRegion)<-[:IN]-(d) RETURN c, 'GOV_REGION' AS via, null AS regionId
		  UNION
		  MATCH (c:Contact)-[:RESPONSIBLE_FOR]->(r:Region) WHERE r.id IN regionIds RETURN c, 'REGION' AS via, r.id AS regionId
		  UNION
		  MATCH (c:Contact)-[:WORKS_FOR]->(hq) RETURN c, 'CYBERCRIME' AS via, null AS regionId
		  UNION
		  MATCH (c:Contact)-[:WORKS_FOR]->(kpb) RETURN c, 'POLICE' AS via, null AS regionId
		  UNION
		  MATCH (c:Contact {statewide: true}) RETURN c, 'STATE' AS via, null AS regionId
		}
		WITH place, d, kpb, regionLinks, regionIds,
		     collect({contact: `+contactProjection+`, via: via, regionId: regionId,
		              organization: [(c)-[:WORKS_FOR]->(o:Organization) | `+organizationProjection+`][0]}) AS contacts
		`+eventCandidates(q.SkipEvents)+`
		CALL (regionIds) {
		  MATCH (m:Measure)
		  OPTIONAL MATCH (ro:Rollout)-[:OF]->(m)
		  OPTIONAL MATCH (ro)-[:IN]->(rr:Region) WHERE rr.id IN regionIds
		  WITH m, CASE WHEN rr IS NULL THEN null ELSE ro END AS ro, rr
		  RETURN collect({measure: `+measureProjection+`, status: ro.status, progress: ro.progress, regionId: rr.id}) AS measures
		}
		CALL () {
		  MATCH (o:Offer) RETURN collect(`+offerProjection+`) AS offers
		}
		CALL () {
		  MATCH (t:Topic) RETURN collect(t {.id, .name}) AS topics
		}
		CALL (regionIds) {
		  MATCH (r:Region) WHERE r.id IN regionIds RETURN collect(`+regionProjection+`) AS regions
		}
		WITH place AS m, d, kpb AS o, regionLinks, regions, contacts, events, measures, offers, topics
		RETURN `+municipalityProjection+` AS place, `+districtProjection+` AS district,
		  CASE WHEN o IS NULL THEN null ELSE `+organizationProjection+` END AS kpb,
		  regionLinks, regions, contacts, events, measures, offers, topics`,
		map[string]any{"ags": string(q.AGS), "radiusKm": q.RadiusKm, "from": instant(q.From), "to": instant(q.To),
			"maxEvents": s.MaxEvents})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(q.AGS))
	}
	return candidatesFrom(recs[0]), nil
}

// maxEventCandidates bounds the events one matchmaking call scores.
const maxEventCandidates = 300

// eventCandidates is the part of Candidates that collects upcoming events
// in reach, or none for emergency help, which needs no events.
//
// Three cheap sources instead of every event of the window: on site
// within the radius (point index on the municipalities), the soonest
// joinable online (index order on startsAt), and the place's own
// regions' events. Events on site beyond the radius are dropped before
// the cut, then the own regions' events and the soonest are kept:
// scoring in Go needs candidates, not every online event of the year.
// Distances come with the sources that have the municipality at hand;
// only the kept hybrid events of the online source are looked up again,
// as every expansion of an event walks its registrations too.
func eventCandidates(skip bool) string {
	if skip {
		return `WITH *, [] AS events`
	}
	return `CALL (place, regionIds) {
		  CALL (place, regionIds) {
		    MATCH (at:Municipality)
		    WHERE point.distance(at.location, place.location) <= $radiusKm * 1000
		    MATCH (e:Event)-[:TAKES_PLACE_IN]->(at)
		    WHERE e.startsAt >= $from AND e.startsAt < $to
		    RETURN e, point.distance(at.location, place.location) / 1000.0 AS km, 0 AS own
		    UNION
		    MATCH (e:Event)
		    WHERE e.id IS NOT NULL AND e.startsAt >= $from AND e.startsAt < $to AND e.mode IN ['ONLINE', 'HYBRID']
		    WITH e ORDER BY e.startsAt, e.id LIMIT $maxEvents
		    RETURN e, null AS km, 0 AS own
		    UNION
		    MATCH (e:Event)-[:FOR_REGION]->(r:Region)
		    WHERE r.id IN regionIds AND e.startsAt >= $from AND e.startsAt < $to
		    OPTIONAL MATCH (e)-[:TAKES_PLACE_IN]->(at:Municipality)
		    RETURN e, point.distance(at.location, place.location) / 1000.0 AS km, 1 AS own
		  }
		  WITH place, e, max(km) AS km, max(own) AS own
		  WHERE e.status = 'SCHEDULED' AND (e.mode <> 'ONSITE' OR km <= $radiusKm)
		  ORDER BY own DESC, e.startsAt, e.id LIMIT $maxEvents
		  OPTIONAL CALL (e, place, km) {
		    WITH e, place WHERE km IS NULL AND e.mode <> 'ONLINE'
		    MATCH (e)-[:TAKES_PLACE_IN]->(at:Municipality)
		    RETURN point.distance(at.location, place.location) / 1000.0 AS atKm
		  }
		  RETURN collect({event: ` + eventProjection + `, km: coalesce(km, atKm)}) AS events
		}`
}

func candidatesFrom(rec *neo4j.Record) *cyberlotse.Candidates {
	get := func(k string) any { v, _ := rec.Get(k); return v }
	asRow := func(v any) row { m, _ := v.(map[string]any); return m }
	list := func(k string) []row {
		vs, _ := get(k).([]any)
		out := make([]row, 0, len(vs))
		for _, v := range vs {
			out = append(out, asRow(v))
		}
		return out
	}
	c := &cyberlotse.Candidates{
		Municipality: municipalityFrom(asRow(get("place"))),
		District:     districtFrom(asRow(get("district"))),
		Topics:       map[string]string{},
	}
	if kpb := asRow(get("kpb")); kpb != nil {
		c.Police.Authority = organizationFrom(kpb)
	}
	regions := map[string]*cyberlotse.Region{}
	for _, r := range list("regions") {
		reg := regionFrom(r)
		regions[reg.ID] = reg
	}
	for _, l := range list("regionLinks") {
		link := cyberlotse.RegionLink{Region: regions[l.str("region")]}
		if via := l.str("via"); via != "" {
			link.ViaSatellite = regions[via]
		}
		if link.Region != nil {
			c.Regions = append(c.Regions, link)
		}
	}
	for _, r := range list("contacts") {
		cc := cyberlotse.ContactCandidate{Contact: contactFrom(asRow(r["contact"])),
			Via: cyberlotse.Relation(r.str("via")), RegionID: r.str("regionId")}
		if o := asRow(r["organization"]); o != nil {
			cc.Organization = organizationFrom(o)
		}
		c.Contacts = append(c.Contacts, cc)
	}
	for _, r := range list("events") {
		ev := eventFrom(asRow(r["event"]))
		ec := cyberlotse.EventCandidate{Event: ev, Confirmed: ev.Confirmed}
		if km, ok := r["km"].(float64); ok {
			ec.DistanceKm = &km
		}
		c.Events = append(c.Events, ec)
	}
	for _, r := range list("measures") {
		c.Measures = append(c.Measures, cyberlotse.MeasureCandidate{Measure: measureFrom(asRow(r["measure"])),
			Status: r.str("status"), Progress: r.int("progress"), RegionID: r.str("regionId")})
	}
	for _, r := range list("offers") {
		c.Offers = append(c.Offers, offerFrom(r))
	}
	for _, t := range list("topics") {
		c.Topics[t.str("id")] = t.str("name")
	}
	return c
}
