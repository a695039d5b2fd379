package neo4j

import (
	"context"
	"time"

	"github.com/google/uuid"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.AdvisoryDesk = (*AdvisoryDesk)(nil)

// AdvisoryDesk implements cyberlotse.AdvisoryDesk, the officers' and
// admins' side of the advisories (advisory.go keeps the advisories and the
// product lists):
//
//	(:AdvisoryMark {ags, advisoryKey, state, note, by, at, version})
//	(:AdvisoryAlertSubscription {id, ags, email, minCvss, immediate, createdAt, updatedAt})
//
// A mark is a node keyed by (ags, advisoryKey), not a relationship between
// the municipality and the advisory: it must outlive whatever the import
// does to the advisory's node (a newer version replaces its properties and
// products; a future import may well delete and recreate it), and it may
// name an advisory that is not (or no longer) stored. Matches are not
// stored either (they are computed), so a mark has nothing to hang on but
// its two keys; the composite uniqueness constraint finds it by them. The
// alert sender reads the same nodes (state and version silence an alert).
type AdvisoryDesk struct{ db *DB }

func NewAdvisoryDesk(db *DB) *AdvisoryDesk { return &AdvisoryDesk{db: db} }

func markFrom(r row) cyberlotse.MunicipalityMark {
	return cyberlotse.MunicipalityMark{AGS: cyberlotse.AGS(r.str("ags")), AdvisoryKey: r.str("advisoryKey"),
		State: cyberlotse.AdvisoryMarkState(r.str("state")), Note: r.str("note"), By: r.str("by"), At: r.time("at"),
		Version: r.str("version")}
}

func (s *AdvisoryDesk) Marks(ctx context.Context, ags []cyberlotse.AGS) (map[cyberlotse.AGS]map[string]cyberlotse.MunicipalityMark, error) {
	recs, err := s.db.read(ctx, "neo4j.AdvisoryMarks", `
		MATCH (k:AdvisoryMark) WHERE k.ags IN $ags
		RETURN k {.*} AS k`, map[string]any{"ags": castAll(ags)})
	if err != nil {
		return nil, err
	}
	out := map[cyberlotse.AGS]map[string]cyberlotse.MunicipalityMark{}
	for _, r := range rowsOf(recs, "k") {
		m := markFrom(r)
		if out[m.AGS] == nil {
			out[m.AGS] = map[string]cyberlotse.MunicipalityMark{}
		}
		out[m.AGS][m.AdvisoryKey] = m
	}
	return out, nil
}

func (s *AdvisoryDesk) SetMark(ctx context.Context, m cyberlotse.MunicipalityMark) (*cyberlotse.MunicipalityMark, error) {
	const op = "neo4j.SetAdvisoryMark"
	// One query: the municipality and the advisory are looked up first,
	// the mark is written only if both exist (and takes the advisory's
	// current version).
	recs, err := s.db.write(ctx, op, `
		OPTIONAL MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (a:Advisory {key: $key}) WHERE a.version IS NOT NULL
		CALL (m, a) {
			WITH m, a WHERE m IS NOT NULL AND a IS NOT NULL
			MERGE (k:AdvisoryMark {ags: $ags, advisoryKey: $key})
			SET k.state = $state, k.note = $note, k.by = $by, k.at = $at, k.version = a.version
			RETURN k {.*} AS k
		}
		RETURN m IS NOT NULL AS municipality, a IS NOT NULL AS advisory, k`,
		map[string]any{"ags": string(m.AGS), "key": m.AdvisoryKey, "state": string(m.State), "note": m.Note,
			"by": m.By, "at": m.At.UTC()})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(m.AGS))
	}
	if v, _ := recs[0].Get("municipality"); v != true {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(m.AGS))
	}
	if v, _ := recs[0].Get("advisory"); v != true {
		return nil, cyberlotse.NotFound(cyberlotse.KindAdvisory, m.AdvisoryKey)
	}
	out := markFrom(rowOf(recs[0], "k"))
	return &out, nil
}

func (s *AdvisoryDesk) ClearMark(ctx context.Context, ags cyberlotse.AGS, key string) (bool, error) {
	recs, err := s.db.write(ctx, "neo4j.ClearAdvisoryMark", `
		MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (k:AdvisoryMark {ags: $ags, advisoryKey: $key})
		DETACH DELETE k
		RETURN count(k) AS n`, map[string]any{"ags": string(ags), "key": key})
	if err != nil {
		return false, err
	}
	if len(recs) == 0 {
		return false, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	n, _ := recs[0].Get("n")
	return n.(int64) > 0, nil
}

func settingsFrom(r row) cyberlotse.AdvisoryAlertSettings {
	return cyberlotse.AdvisoryAlertSettings{ID: r.str("id"), AGS: cyberlotse.AGS(r.str("ags")),
		Email: cyberlotse.Email(r.str("email")), MinCVSS: r.float("minCvss"), Immediate: r.bool("immediate"),
		CreatedAt: r.time("createdAt"), UpdatedAt: r.time("updatedAt")}
}

func (s *AdvisoryDesk) AlertSubscriptions(ctx context.Context, ags cyberlotse.AGS) ([]cyberlotse.AdvisoryAlertSettings, error) {
	recs, err := s.db.read(ctx, "neo4j.AdvisoryAlertSubscriptions", `
		MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (s:AdvisoryAlertSubscription {ags: $ags})
		WITH m, s ORDER BY s.email
		RETURN m.ags AS ags, collect(s {.*}) AS subs`, map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	raw, _ := recs[0].Get("subs")
	out := []cyberlotse.AdvisoryAlertSettings{}
	for _, x := range raw.([]any) {
		out = append(out, settingsFrom(x.(map[string]any)))
	}
	return out, nil
}

func (s *AdvisoryDesk) SetAlertSubscription(ctx context.Context, sub cyberlotse.AdvisoryAlertSettings, now time.Time) (*cyberlotse.AdvisoryAlertSettings, error) {
	// MERGE on the unique pair (ags, email): two concurrent first calls
	// make one node (the constraint's lock), the second updates it.
	recs, err := s.db.write(ctx, "neo4j.SetAdvisoryAlertSubscription", `
		MATCH (m:Municipality {ags: $ags})
		MERGE (s:AdvisoryAlertSubscription {ags: $ags, email: $email})
		ON CREATE SET s.id = $id, s.createdAt = $now
		SET s.minCvss = $minCvss, s.immediate = $immediate, s.updatedAt = $now
		RETURN s {.*} AS s`, map[string]any{"ags": string(sub.AGS), "email": string(sub.Email), "id": uuid.NewString(),
		"now": now.UTC(), "minCvss": sub.MinCVSS, "immediate": sub.Immediate})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(sub.AGS))
	}
	out := settingsFrom(rowOf(recs[0], "s"))
	return &out, nil
}

func (s *AdvisoryDesk) RemoveAlertSubscription(ctx context.Context, ags cyberlotse.AGS, email cyberlotse.Email) (bool, error) {
	recs, err := s.db.write(ctx, "neo4j.RemoveAdvisoryAlertSubscription", `
		MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (s:AdvisoryAlertSubscription {ags: $ags, email: $email})
		DETACH DELETE s
		RETURN count(s) AS n`, map[string]any{"ags": string(ags), "email": string(email)})
	if err != nil {
		return false, err
	}
	if len(recs) == 0 {
		return false, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	n, _ := recs[0].Get("n")
	return n.(int64) > 0, nil
}

// DeleteAdvisoryDeskForTest removes the marks and alert subscriptions of
// municipalities.
func DeleteAdvisoryDeskForTest(ctx context.Context, db *DB, ags ...cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.DeleteAdvisoryDeskForTest", `
		MATCH (x) WHERE (x:AdvisoryMark OR x:AdvisoryAlertSubscription) AND x.ags IN $ags
		DETACH DELETE x`, map[string]any{"ags": castAll(ags)})
	return err
}
