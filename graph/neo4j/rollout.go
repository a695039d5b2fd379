package neo4j

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"golang.org/x/sync/singleflight"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.RolloutService = (*RolloutService)(nil)

// RolloutService implements cyberlotse.RolloutService. A Rollout node
// exists once someone recorded the measure for the region; until then the
// matrix shows NOT_STARTED with Recorded false.
type RolloutService struct {
	db         *DB
	Berlin     *time.Location
	Now        func() time.Time // for the reach snapshots Matrix computes
	refreshing singleflight.Group
}

func NewRolloutService(db *DB, berlin *time.Location) *RolloutService {
	return &RolloutService{db: db, Berlin: berlin, Now: time.Now}
}

func rolloutKey(regionID, code string) string { return regionID + "|" + code }

const rolloutProjection = `{region: r.id, measure: m.code, status: coalesce(ro.status, 'NOT_STARTED'),
	progress: coalesce(ro.progress, 0), milestones: ro.milestones, notes: ro.notes, version: coalesce(ro.version, 0),
	recorded: ro IS NOT NULL, updatedAt: ro.updatedAt, updatedBy: ro.updatedBy,
	responsible: [(ro)-[:RESPONSIBLE]->(c:Contact) | c.id][0]}`

type milestoneJSON struct {
	Title string `json:"title"`
	Due   string `json:"due,omitempty"`
	Done  bool   `json:"done"`
}

func (s *RolloutService) rolloutFrom(r row) *cyberlotse.Rollout {
	ro := &cyberlotse.Rollout{RegionID: r.str("region"), MeasureCode: r.str("measure"),
		Status: cyberlotse.RolloutStatus(r.str("status")), Progress: r.int("progress"), Notes: r.str("notes"),
		Version: r.int("version"), Recorded: r.bool("recorded"), UpdatedAt: r.timePtr("updatedAt"),
		UpdatedBy: r.str("updatedBy"), ResponsibleContactID: r.str("responsible")}
	var ms []milestoneJSON
	if err := json.Unmarshal([]byte(r.str("milestones")), &ms); err == nil {
		for _, m := range ms {
			ml := cyberlotse.Milestone{Title: m.Title, Done: m.Done}
			if t, err := time.ParseInLocation(time.DateOnly, m.Due, s.Berlin); err == nil {
				ml.Due = &t
			}
			ro.Milestones = append(ro.Milestones, ml)
		}
	}
	return ro
}

func (s *RolloutService) milestonesJSON(ms []cyberlotse.Milestone) string {
	out := make([]milestoneJSON, len(ms))
	for i, m := range ms {
		out[i] = milestoneJSON{Title: strings.TrimSpace(m.Title), Done: m.Done}
		if m.Due != nil {
			out[i].Due = m.Due.In(s.Berlin).Format(time.DateOnly)
		}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// Matrix reads every cell in one query: the rollout (or its absence), the
// reach snapshot of RefreshReach and, live, the satellites with the
// measure under way.
func (s *RolloutService) Matrix(ctx context.Context, regionIDs []string) ([]*cyberlotse.Rollout, error) {
	out, missing, err := s.matrix(ctx, regionIDs)
	if err != nil || len(missing) == 0 {
		return out, err
	}
	// A region without a reach snapshot yet (new, or before the first
	// run of the job) gets one now; concurrent readers wait for the same
	// computation instead of repeating it.
	_, err, _ = s.refreshing.Do(strings.Join(missing, ","), func() (any, error) {
		return nil, s.RefreshReach(ctx, missing, s.Now())
	})
	if err != nil {
		return nil, err
	}
	out, _, err = s.matrix(ctx, regionIDs)
	return out, err
}

// reachProjection is a cell's reach snapshot, null without one.
const reachProjection = `CASE WHEN rc IS NULL THEN null ELSE rc {.events, .registrations, .companies, .at} END`

// cellFrom is a rollout with its reach snapshot, if it has one.
func (s *RolloutService) cellFrom(ro, reach row) *cyberlotse.Rollout {
	cell := s.rolloutFrom(ro)
	if reach != nil {
		cell.Reach = &cyberlotse.Reach{Events: reach.int("events"), Registrations: reach.int("registrations"),
			Companies: reach.int("companies"), AsOf: reach.time("at")}
	}
	return cell
}

// matrix reads the cells with their reach snapshots and names the regions
// that have none.
func (s *RolloutService) matrix(ctx context.Context, regionIDs []string) ([]*cyberlotse.Rollout, []string, error) {
	recs, err := s.db.read(ctx, "neo4j.RolloutMatrix", `
		UNWIND range(0, size($regions) - 1) AS i
		MATCH (r:Region {id: $regions[i]})
		MATCH (m:Measure)
		OPTIONAL MATCH (ro:Rollout {key: r.id + '|' + m.code})
		OPTIONAL MATCH (rc:Reach {key: r.id + '|' + m.code})
		CALL (r, m) {
		  OPTIONAL MATCH (sat:Region)-[:SATELLITE_OF]->(r)
		  OPTIONAL MATCH (sro:Rollout {key: sat.id + '|' + m.code})
		  WHERE sro.status IN $underWay
		  RETURN count(DISTINCT sro) AS satellites
		}
		RETURN `+rolloutProjection+` AS ro, `+reachProjection+` AS reach, satellites
		ORDER BY i, m.code`, map[string]any{"regions": regionIDs, "underWay": castAll(cyberlotse.SatelliteStatuses)})
	if err != nil {
		return nil, nil, err
	}
	if want := 13 * len(regionIDs); len(recs) < want {
		return nil, nil, cyberlotse.UnknownRegions(regionIDs)
	}
	out := make([]*cyberlotse.Rollout, 0, len(recs))
	var missing []string
	for _, rec := range recs {
		ro := s.cellFrom(rowOf(rec, "ro"), rowOf(rec, "reach"))
		if ro.Reach == nil {
			if len(missing) == 0 || missing[len(missing)-1] != ro.RegionID {
				missing = append(missing, ro.RegionID)
			}
			ro.Reach = &cyberlotse.Reach{}
		}
		sats, _ := rec.Get("satellites")
		ro.Reach.Satellites = int(sats.(int64))
		out = append(out, ro)
	}
	return out, missing, nil
}

// RolloutCells reads every recorded rollout and every reach snapshot, for
// the read model.
func (s *RolloutService) RolloutCells(ctx context.Context) ([]*cyberlotse.Rollout, error) {
	recs, err := s.db.read(ctx, "neo4j.RolloutCells", `
		MATCH (r:Region), (m:Measure)
		OPTIONAL MATCH (ro:Rollout {key: r.id + '|' + m.code})
		OPTIONAL MATCH (rc:Reach {key: r.id + '|' + m.code})
		WITH r, m, ro, rc WHERE ro IS NOT NULL OR rc IS NOT NULL
		RETURN `+rolloutProjection+` AS ro, `+reachProjection+` AS reach`, nil)
	if err != nil {
		return nil, err
	}
	out := make([]*cyberlotse.Rollout, len(recs))
	for i, rec := range recs {
		out[i] = s.cellFrom(rowOf(rec, "ro"), rowOf(rec, "reach"))
	}
	return out, nil
}

// RefreshReach writes the reach snapshot of each region in its own
// transaction: the events for the region or in its municipalities,
// grouped by measure, their confirmed registrations (anonymous ones
// included) and the distinct companies from the region among the
// registered.
func (s *RolloutService) RefreshReach(ctx context.Context, regionIDs []string, now time.Time) error {
	if len(regionIDs) == 0 {
		regions, err := NewNetworkService(s.db).Regions(ctx, nil)
		if err != nil {
			return err
		}
		for _, r := range regions {
			regionIDs = append(regionIDs, r.ID)
		}
	}
	// Each snapshot is a change of the rollouts: the replicas' read
	// models answer the matrix with it.
	for _, id := range regionIDs {
		if err := s.db.writeLogged(ctx, "neo4j.RefreshReach", `
			MATCH (r:Region {id: $region})
			WITH r, [(r)-[:COVERS]->(x:Municipality) | x] AS members
			CALL (r, members) {
			  CALL (r, members) {
			    MATCH (e:Event)-[:FOR_REGION]->(r) RETURN e
			    UNION
			    UNWIND members AS x MATCH (e:Event)-[:TAKES_PLACE_IN]->(x) RETURN e
			  }
			  WITH e WHERE e.status <> 'CANCELLED'
			  MATCH (e)-[:ADDRESSES]->(m:Measure)
			  OPTIONAL MATCH (reg:Registration {status: 'CONFIRMED'})-[:FOR]->(e)
			  // A registration reaches its person's companies; an anonymous
			  // one (RegistrationService.AnonymizeRegistrations) has no person
			  // and keeps them as REACHED.
			  OPTIONAL CALL (reg, members) {
			    MATCH (reg)<-[:REGISTERED]-(:Person)-[:WORKS_AT]->(c:Company)-[:LOCATED_IN]->(cm:Municipality)
			    WHERE cm IN members RETURN c
			    UNION
			    MATCH (reg)-[:REACHED]->(c:Company)-[:LOCATED_IN]->(cm:Municipality)
			    WHERE cm IN members RETURN c
			  }
			  WITH m.code AS code, count(DISTINCT e) AS events, count(DISTINCT reg) AS registrations, count(DISTINCT c) AS companies
			  RETURN collect({code: code, events: events, registrations: registrations, companies: companies}) AS reach
			}
			MATCH (m:Measure)
			WITH r, m, [x IN reach WHERE x.code = m.code][0] AS here
			MERGE (rc:Reach {key: r.id + '|' + m.code})
			SET rc.events = coalesce(here.events, 0), rc.registrations = coalesce(here.registrations, 0),
			    rc.companies = coalesce(here.companies, 0), rc.at = $now`,
			map[string]any{"region": id, "now": instant(now)}, cyberlotse.Change{Kind: cyberlotse.ChangedRollouts}); err != nil {
			return err
		}
	}
	return nil
}

func (s *RolloutService) UpdateRollout(ctx context.Context, regionID, code string, u cyberlotse.RolloutUpdate, by string, now time.Time) (*cyberlotse.Rollout, error) {
	var out *cyberlotse.Rollout
	err := s.db.writeTx(ctx, "neo4j.UpdateRollout", func(tx neo4j.ManagedTransaction) error {
		// MERGE takes the rollout's lock; the read in the next statement
		// then sees the version a concurrent editor committed.
		if _, err := tx.Run(ctx, `
			MATCH (r:Region {id: $region}), (m:Measure {code: $code})
			MERGE (ro:Rollout {key: $key})
			ON CREATE SET ro.status = 'NOT_STARTED', ro.progress = 0, ro.version = 0, ro.milestones = '[]'
			MERGE (ro)-[:IN]->(r) MERGE (ro)-[:OF]->(m)
			SET ro.lockSeq = coalesce(ro.lockSeq, 0) + 1`,
			map[string]any{"region": regionID, "code": code, "key": rolloutKey(regionID, code)}); err != nil {
			return err
		}
		rows, err := collectRows(ctx, tx, "ro", `
			MATCH (ro:Rollout {key: $key})-[:IN]->(r:Region), (ro)-[:OF]->(m:Measure)
			RETURN `+rolloutProjection+` AS ro`, map[string]any{"key": rolloutKey(regionID, code)})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Region „%s“ oder Maßnahme „%s“ wurde nicht gefunden.", regionID, code)
		}
		ro := s.rolloutFrom(rows[0])
		// The first write creates the node; for the version check it is
		// still the unrecorded version 0.
		from, fromProgress := ro.Status, ro.Progress
		if err := u.Apply(ro); err != nil {
			return err
		}
		var contact any
		if ro.ResponsibleContactID != "" {
			contact = ro.ResponsibleContactID
		}
		rows, err = collectRows(ctx, tx, "ro", `
			MATCH (ro:Rollout {key: $key})-[:IN]->(r:Region), (ro)-[:OF]->(m:Measure)
			SET ro.status = $status, ro.progress = $progress, ro.milestones = $milestones, ro.notes = $notes,
			    ro.version = ro.version + 1, ro.updatedAt = $now, ro.updatedBy = $by
			CREATE (:RolloutChange {at: $now, by: $by, from: $from, to: $status, progressFrom: $progressFrom,
			        progressTo: $progress, note: $note})-[:CHANGED]->(ro)
			WITH ro, r, m
			OPTIONAL MATCH (ro)-[old:RESPONSIBLE]->() DELETE old
			WITH ro, r, m
			CALL (ro) { MATCH (c:Contact {id: $contact}) MERGE (ro)-[:RESPONSIBLE]->(c) }
			RETURN `+rolloutProjection+` AS ro`,
			map[string]any{"key": rolloutKey(regionID, code), "status": string(ro.Status), "progress": ro.Progress,
				"milestones": s.milestonesJSON(ro.Milestones), "notes": emptyToNil(ro.Notes), "now": instant(now),
				"by": by, "from": string(from), "progressFrom": fromProgress, "note": emptyToNil(u.Note), "contact": contact})
		if err != nil {
			return err
		}
		out = s.rolloutFrom(rows[0])
		if contact != nil && out.ResponsibleContactID == "" {
			return cyberlotse.Invalid("responsibleContact", "diese Ansprechstelle gibt es nicht.")
		}
		return logChanges(ctx, tx, cyberlotse.Change{Kind: cyberlotse.ChangedRollouts})
	})
	return out, err
}

func (s *RolloutService) History(ctx context.Context, regionID, code string) ([]*cyberlotse.RolloutChange, error) {
	recs, err := s.db.read(ctx, "neo4j.RolloutHistory", `
		MATCH (c:RolloutChange)-[:CHANGED]->(:Rollout {key: $key})
		RETURN c {.at, .by, .from, .to, .progressFrom, .progressTo, .note} AS c ORDER BY c.at DESC`,
		map[string]any{"key": rolloutKey(regionID, code)})
	if err != nil {
		return nil, err
	}
	var out []*cyberlotse.RolloutChange
	for _, r := range rowsOf(recs, "c") {
		out = append(out, &cyberlotse.RolloutChange{At: r.time("at"), By: r.str("by"),
			From: cyberlotse.RolloutStatus(r.str("from")), To: cyberlotse.RolloutStatus(r.str("to")),
			ProgressFrom: r.int("progressFrom"), ProgressTo: r.int("progressTo"), Note: r.str("note")})
	}
	return out, nil
}

func (s *RolloutService) AddSatellite(ctx context.Context, modelRegionID string, ags cyberlotse.AGS, by string, now time.Time) (*cyberlotse.Region, error) {
	var id string
	err := s.db.writeTx(ctx, "neo4j.AddSatellite", func(tx neo4j.ManagedTransaction) error {
		rows, err := collectRows(ctx, tx, "x", `
			MATCH (model:Region {id: $model}), (m:Municipality {ags: $ags})
			RETURN {kind: model.kind, name: m.name, taken: EXISTS { (m)<-[:COVERS]-(:Region) }} AS x`,
			map[string]any{"model": modelRegionID, "ags": string(ags)})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Modellregion „%s“ oder Gemeinde „%s“ wurde nicht gefunden.", modelRegionID, ags)
		}
		x := rows[0]
		switch {
		case x.str("kind") != string(cyberlotse.ModelRegion):
			return cyberlotse.Invalid("modelRegionId", "Satelliten schließen sich einer Modellregion an, nicht einem anderen Satelliten.")
		case x.bool("taken"):
			return cyberlotse.Errorf(cyberlotse.ECONFLICT, "%s gehört schon zu einer Modellregion oder einem Satelliten.", x.str("name"))
		}
		id = cyberlotse.Slug(x.str("name"))
		_, err = tx.Run(ctx, `
			MATCH (model:Region {id: $model})-[:MANAGED_BY]->(org:Organization), (m:Municipality {ags: $ags})
			CREATE (s:Region {id: $id, name: 'Satellit ' + m.name, kind: 'SATELLITE', since: date($today),
			        sample: false, source: 'In Cyberlotse angelegt von ' + $by})
			CREATE (s)-[:COVERS]->(m), (s)-[:SATELLITE_OF {since: date($today)}]->(model), (s)-[:MANAGED_BY]->(org)
			WITH s, model
			MATCH (mro:Rollout)-[:IN]->(model), (mro)-[:OF]->(me:Measure)
			CREATE (ro:Rollout {key: s.id + '|' + me.code, progress: 0, version: 1, milestones: mro.milestones,
			        notes: mro.notes, updatedAt: $now, updatedBy: $by,
			        status: CASE WHEN mro.status = 'NOT_STARTED' THEN 'NOT_STARTED' ELSE 'PLANNED' END})
			CREATE (ro)-[:IN]->(s), (ro)-[:OF]->(me)
			CREATE (:RolloutChange {at: $now, by: $by, from: 'NOT_STARTED', to: ro.status, progressFrom: 0, progressTo: 0,
			        note: 'Plan der Modellregion übernommen'})-[:CHANGED]->(ro)`,
			map[string]any{"model": modelRegionID, "ags": string(ags), "id": id, "by": by, "now": instant(now),
				"today": now.In(s.Berlin).Format(time.DateOnly)})
		if err != nil {
			return err
		}
		if err := recordChanges(ctx, tx, map[searchType][]string{searchRegion: {id}, searchMunicipality: {string(ags)}}, s.db.SearchOutbox); err != nil {
			return err
		}
		return logChanges(ctx, tx, cyberlotse.Change{Kind: cyberlotse.ChangedRollouts})
	})
	if err != nil {
		return nil, err
	}
	regions, err := NewNetworkService(s.db).RegionsByIDs(ctx, []string{id})
	if err != nil || len(regions) == 0 {
		return nil, err
	}
	return regions[0], nil
}
