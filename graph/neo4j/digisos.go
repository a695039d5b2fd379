package neo4j

import (
	"context"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.DigiSOSService = (*DigiSOSService)(nil)

// DigiSOSService implements cyberlotse.DigiSOSService:
//
//	(:Incident {id, ags, what, since, systems, reachedParties, reachedAts,
//	            reachedNote, createdAt, updatedAt, createdBy, updatedBy, version})-[:OF]->(:Municipality)
//	(:HandoverLink {id, tokenHash, label, createdAt, expiresAt, revokedAt,
//	                createdBy, revokedBy})-[:FOR]->(:Incident)
//	(:HandoverView {at})-[:OF]->(:HandoverLink)
//
// The parties reached are two parallel lists (a property cannot hold maps).
// A view holds its time only: nothing about the viewer is stored.
type DigiSOSService struct{ db *DB }

func NewDigiSOSService(db *DB) *DigiSOSService { return &DigiSOSService{db: db} }

func (s *DigiSOSService) Eligibility(ctx context.Context, ags cyberlotse.AGS, districtKey, organizationID string) (*cyberlotse.DigiSOSEligibility, error) {
	recs, err := s.db.read(ctx, "neo4j.DigiSOSEligibility", `
		OPTIONAL MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (d:District {key: $district})
		OPTIONAL MATCH (o:Organization {id: $org})
		RETURN m {.ags, .name} AS m, d {.key, .name, .kind} AS d, o {.id, .name, .kind} AS o`,
		map[string]any{"ags": string(ags), "district": districtKey, "org": organizationID})
	if err != nil {
		return nil, err
	}
	var subject cyberlotse.EligibilitySubject
	if len(recs) > 0 {
		switch m, d, o := rowOf(recs[0], "m"), rowOf(recs[0], "d"), rowOf(recs[0], "o"); {
		case m != nil:
			subject = cyberlotse.MunicipalitySubject(cyberlotse.AGS(m.str("ags")), m.str("name"))
		case d != nil:
			subject = cyberlotse.DistrictSubject(d.str("key"), d.str("name"), cyberlotse.DistrictKind(d.str("kind")))
		case o != nil:
			subject = cyberlotse.OrganizationSubject(o.str("id"), o.str("name"), cyberlotse.OrganizationKind(o.str("kind")))
		}
	}
	switch {
	case subject.Kind != "":
	case ags != "":
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	case districtKey != "":
		return nil, cyberlotse.NotFound(cyberlotse.KindDistrict, districtKey)
	default:
		return nil, cyberlotse.NotFound(cyberlotse.KindOrganization, organizationID)
	}
	e := cyberlotse.EligibilityOf(subject)
	return &e, nil
}

const incidentProjection = `i {.*} AS i`

func incidentFrom(r row) *cyberlotse.Incident {
	in := &cyberlotse.Incident{ID: r.str("id"), AGS: cyberlotse.AGS(r.str("ags")), What: r.str("what"), Since: r.time("since"),
		Systems: r.str("systems"), ReachedNote: r.str("reachedNote"), CreatedAt: r.time("createdAt"), UpdatedAt: r.time("updatedAt"),
		CreatedBy: r.str("createdBy"), UpdatedBy: r.str("updatedBy"), Version: r.int("version"), Reached: []cyberlotse.Notification{}}
	parties := r.strs("reachedParties")
	ats, _ := r["reachedAts"].([]any)
	for k, p := range parties {
		if k < len(ats) {
			at, _ := ats[k].(time.Time)
			in.Reached = append(in.Reached, cyberlotse.Notification{Party: cyberlotse.IncidentParty(p), At: at})
		}
	}
	return in
}

func reachedParams(rs []cyberlotse.Notification) ([]string, []time.Time) {
	parties, ats := make([]string, len(rs)), make([]time.Time, len(rs))
	for k, n := range rs {
		parties[k], ats[k] = string(n.Party), n.At.UTC()
	}
	return parties, ats
}

func (s *DigiSOSService) Incidents(ctx context.Context, ags cyberlotse.AGS) ([]*cyberlotse.Incident, error) {
	recs, err := s.db.read(ctx, "neo4j.Incidents", `
		MATCH (i:Incident {ags: $ags})
		RETURN `+incidentProjection+` ORDER BY i.createdAt DESC, i.id`, map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	out := []*cyberlotse.Incident{}
	for _, r := range rowsOf(recs, "i") {
		out = append(out, incidentFrom(r))
	}
	return out, nil
}

func (s *DigiSOSService) Incident(ctx context.Context, id string) (*cyberlotse.Incident, error) {
	recs, err := s.db.read(ctx, "neo4j.Incident", `MATCH (i:Incident {id: $id}) RETURN `+incidentProjection, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindIncident, id)
	}
	return incidentFrom(rowOf(recs[0], "i")), nil
}

func (s *DigiSOSService) CreateIncident(ctx context.Context, in *cyberlotse.Incident) error {
	parties, ats := reachedParams(in.Reached)
	recs, err := s.db.write(ctx, "neo4j.CreateIncident", `
		MATCH (m:Municipality {ags: $ags})
		CREATE (i:Incident {id: $id, ags: $ags, what: $what, since: $since, systems: $systems,
			reachedParties: $parties, reachedAts: $ats, reachedNote: $note,
			createdAt: $now, updatedAt: $now, createdBy: $by, updatedBy: $by, version: 1})-[:OF]->(m)
		RETURN i.id AS id`,
		map[string]any{"ags": string(in.AGS), "id": in.ID, "what": in.What, "since": in.Since.UTC(), "systems": in.Systems,
			"parties": parties, "ats": ats, "note": in.ReachedNote, "now": in.CreatedAt.UTC(), "by": in.CreatedBy})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return cyberlotse.NotFound(cyberlotse.KindMunicipality, string(in.AGS))
	}
	in.UpdatedAt, in.UpdatedBy, in.Version = in.CreatedAt, in.CreatedBy, 1
	return nil
}

func (s *DigiSOSService) UpdateIncident(ctx context.Context, id string, in cyberlotse.IncidentInput, version *int, by string, now time.Time) (*cyberlotse.Incident, error) {
	parties, ats := reachedParams(in.Reached)
	var want any
	if version != nil {
		want = int64(*version)
	}
	// One statement: the write happens only if the version matches.
	recs, err := s.db.write(ctx, "neo4j.UpdateIncident", `
		MATCH (i:Incident {id: $id})
		WITH i, i.version AS stored
		CALL (i, stored) {
			WITH i WHERE $version IS NULL OR $version = stored
			SET i.what = $what, i.since = $since, i.systems = $systems, i.reachedParties = $parties,
				i.reachedAts = $ats, i.reachedNote = $note, i.updatedAt = $now, i.updatedBy = $by, i.version = stored + 1
			RETURN true AS written
		}
		RETURN `+incidentProjection+`, stored`,
		map[string]any{"id": id, "version": want, "what": in.What, "since": in.Since.UTC(), "systems": in.Systems,
			"parties": parties, "ats": ats, "note": in.ReachedNote, "now": now.UTC(), "by": by})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		// The CALL returns no row when the version did not match.
		cur, err := s.Incident(ctx, id)
		if err != nil {
			return nil, err
		}
		return nil, cyberlotse.Errorf(cyberlotse.ECONFLICT, "%s", cyberlotse.MsgIncidentVersionConflict(cur.Version))
	}
	return incidentFrom(rowOf(recs[0], "i")), nil
}

func (s *DigiSOSService) DeleteIncident(ctx context.Context, id string) error {
	recs, err := s.db.write(ctx, "neo4j.DeleteIncident", `
		MATCH (i:Incident {id: $id})
		OPTIONAL MATCH (l:HandoverLink)-[:FOR]->(i)
		OPTIONAL MATCH (v:HandoverView)-[:OF]->(l)
		WITH i, collect(DISTINCT l) AS links, collect(v) AS views
		FOREACH (v IN views | DETACH DELETE v)
		FOREACH (l IN links | DETACH DELETE l)
		DETACH DELETE i
		RETURN $id AS id`, map[string]any{"id": id})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return cyberlotse.NotFound(cyberlotse.KindIncident, id)
	}
	return nil
}

func linkFrom(r row) *cyberlotse.HandoverLink {
	l := &cyberlotse.HandoverLink{ID: r.str("id"), IncidentID: r.str("incidentId"), Label: r.str("label"), TokenHash: r.str("tokenHash"),
		CreatedAt: r.time("createdAt"), ExpiresAt: r.time("expiresAt"), RevokedAt: r.time("revokedAt"), CreatedBy: r.str("createdBy"),
		RevokedBy: r.str("revokedBy"), Views: []time.Time{}}
	views, _ := r["views"].([]any)
	for _, v := range views {
		if t, ok := v.(time.Time); ok {
			l.Views = append(l.Views, t)
		}
	}
	return l
}

const linkProjection = `l {.*, incidentId: i.id, views: COLLECT { MATCH (v:HandoverView)-[:OF]->(l) RETURN v.at ORDER BY v.at DESC }} AS l`

func (s *DigiSOSService) CreateHandoverLink(ctx context.Context, l *cyberlotse.HandoverLink) error {
	recs, err := s.db.write(ctx, "neo4j.CreateHandoverLink", `
		MATCH (i:Incident {id: $incident})
		WITH i, COUNT { (:HandoverLink)-[:FOR]->(i) } AS links
		CALL (i, links) {
			WITH i WHERE links < $max
			CREATE (:HandoverLink {id: $id, tokenHash: $hash, label: $label, createdAt: $now, expiresAt: $expires,
				createdBy: $by})-[:FOR]->(i)
			RETURN true AS created
		}
		RETURN links`,
		map[string]any{"incident": l.IncidentID, "max": cyberlotse.MaxHandoverLinks, "id": l.ID, "hash": l.TokenHash, "label": l.Label,
			"now": l.CreatedAt.UTC(), "expires": l.ExpiresAt.UTC(), "by": l.CreatedBy})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		if _, err := s.Incident(ctx, l.IncidentID); err != nil {
			return err
		}
		return cyberlotse.Errorf(cyberlotse.ECONFLICT, "%s", cyberlotse.MsgHandoverLimit(cyberlotse.MaxHandoverLinks))
	}
	return nil
}

func (s *DigiSOSService) HandoverLinks(ctx context.Context, incidentID string) ([]*cyberlotse.HandoverLink, error) {
	recs, err := s.db.read(ctx, "neo4j.HandoverLinks", `
		MATCH (l:HandoverLink)-[:FOR]->(i:Incident {id: $id})
		RETURN `+linkProjection+` ORDER BY l.createdAt DESC, l.id`, map[string]any{"id": incidentID})
	if err != nil {
		return nil, err
	}
	out := []*cyberlotse.HandoverLink{}
	for _, r := range rowsOf(recs, "l") {
		out = append(out, linkFrom(r))
	}
	return out, nil
}

func (s *DigiSOSService) HandoverLink(ctx context.Context, id string) (*cyberlotse.HandoverLink, error) {
	recs, err := s.db.read(ctx, "neo4j.HandoverLink", `
		MATCH (l:HandoverLink {id: $id})-[:FOR]->(i:Incident)
		RETURN `+linkProjection, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindHandoverLink, id)
	}
	return linkFrom(rowOf(recs[0], "l")), nil
}

func (s *DigiSOSService) RevokeHandoverLink(ctx context.Context, id, by string, now time.Time) (*cyberlotse.HandoverLink, error) {
	recs, err := s.db.write(ctx, "neo4j.RevokeHandoverLink", `
		MATCH (l:HandoverLink {id: $id})-[:FOR]->(i:Incident)
		SET l.revokedAt = coalesce(l.revokedAt, $now), l.revokedBy = coalesce(l.revokedBy, $by)
		RETURN `+linkProjection, map[string]any{"id": id, "now": now.UTC(), "by": by})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindHandoverLink, id)
	}
	return linkFrom(rowOf(recs[0], "l")), nil
}

func (s *DigiSOSService) OpenHandover(ctx context.Context, tokenHash string, now time.Time) (*cyberlotse.Handover, error) {
	if tokenHash == "" {
		return nil, cyberlotse.ErrHandoverUnknown()
	}
	// One statement: the state is decided and the view written together,
	// so a link revoked meanwhile logs no view, and each open logs one.
	recs, err := s.db.write(ctx, "neo4j.OpenHandover", `
		MATCH (l:HandoverLink {tokenHash: $hash})-[:FOR]->(i:Incident)
		WITH l, i, l.revokedAt IS NULL AND $now <= l.expiresAt AS active
		CALL (l, active) {
			WITH l WHERE active
			CREATE (:HandoverView {at: $now})-[:OF]->(l)
			RETURN count(*) AS logged
		}
		RETURN active, `+linkProjection+`, CASE WHEN active THEN i {.*} END AS i`,
		map[string]any{"hash": tokenHash, "now": now.UTC()})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.ErrHandoverUnknown()
	}
	link := linkFrom(rowOf(recs[0], "l"))
	if err := cyberlotse.HandoverRefusal(link.State(now)); err != nil {
		return nil, err
	}
	return &cyberlotse.Handover{Incident: incidentFrom(rowOf(recs[0], "i")), Link: link}, nil
}

// DeleteIncidentsForTest removes a municipality's incidents with their
// links and views.
func DeleteIncidentsForTest(ctx context.Context, db *DB, ags cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.DeleteIncidentsForTest", `
		MATCH (i:Incident {ags: $ags})
		OPTIONAL MATCH (l:HandoverLink)-[:FOR]->(i)
		OPTIONAL MATCH (v:HandoverView)-[:OF]->(l)
		DETACH DELETE v, l, i`, map[string]any{"ags": string(ags)})
	return err
}
