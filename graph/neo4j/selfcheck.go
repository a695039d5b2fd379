package neo4j

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.SelfCheckService = (*SelfCheckService)(nil)

// SelfCheckService implements cyberlotse.SelfCheckService:
// (:SelfCheck {id, tokenHash, shareTokenHash, status, version, createdAt,
// updatedAt, finishedAt, employees, sector, ags, statuses, answers,
// points, percent, areaPercents})-[:LOCATED_IN]->(:Municipality). Answers
// are lists of "key=VALUE" strings, merged under the node's write lock.
// Nothing of it is in the read model, so no write logs a change.
type SelfCheckService struct{ db *DB }

func NewSelfCheckService(db *DB) *SelfCheckService { return &SelfCheckService{db: db} }

const selfCheckProjection = `c {.id, .status, .version, .createdAt, .updatedAt, .finishedAt, .employees, .sector, .ags,
	.statuses, .answers, shared: c.shareTokenHash IS NOT NULL}`

func selfCheckFrom(r row) *cyberlotse.SelfCheck {
	c := &cyberlotse.SelfCheck{ID: r.str("id"), Status: cyberlotse.CheckStatus(r.str("status")), Version: r.int("version"),
		CreatedAt: r.time("createdAt"), UpdatedAt: r.time("updatedAt"), FinishedAt: r.timePtr("finishedAt"),
		Employees: r.intPtr("employees"), Sector: r.str("sector"), Shared: r.bool("shared"),
		Statuses: map[cyberlotse.StatusQuestion]bool{}, Answers: map[int]cyberlotse.CheckAnswer{}}
	if a := r.str("ags"); a != "" {
		ags := cyberlotse.AGS(a)
		c.AGS = &ags
	}
	for _, s := range r.strs("statuses") {
		k, v, _ := strings.Cut(s, "=")
		c.Statuses[cyberlotse.StatusQuestion(k)] = v == string(cyberlotse.AnswerYes)
	}
	for _, s := range r.strs("answers") {
		k, v, _ := strings.Cut(s, "=")
		if n, err := strconv.Atoi(k); err == nil {
			c.Answers[n] = cyberlotse.CheckAnswer(v)
		}
	}
	return c
}

// entries turns an update into sorted "key=VALUE" strings and their keys.
func entries(u cyberlotse.CheckUpdate) (statuses, statusKeys, answers, answerKeys []string) {
	statuses, statusKeys, answers, answerKeys = []string{}, []string{}, []string{}, []string{}
	for q, v := range u.Statuses {
		a := cyberlotse.AnswerNo
		if v {
			a = cyberlotse.AnswerYes
		}
		statuses = append(statuses, string(q)+"="+string(a))
		statusKeys = append(statusKeys, string(q))
	}
	for n, a := range u.Answers {
		answers = append(answers, strconv.Itoa(n)+"="+string(a))
		answerKeys = append(answerKeys, strconv.Itoa(n))
	}
	for _, s := range [][]string{statuses, statusKeys, answers, answerKeys} {
		sort.Strings(s)
	}
	return
}

func (s *SelfCheckService) CreateCheck(ctx context.Context, c *cyberlotse.SelfCheck, tokenHash string) error {
	var ags any
	if c.AGS != nil {
		ags = string(*c.AGS)
	}
	recs, err := s.db.write(ctx, "neo4j.CreateCheck", `
		OPTIONAL MATCH (m:Municipality {ags: $ags})
		WITH m WHERE $ags IS NULL OR m IS NOT NULL
		CREATE (c:SelfCheck {id: $id, tokenHash: $tokenHash, status: $status, version: 1, createdAt: $now, updatedAt: $now,
		                     employees: $employees, sector: $sector, ags: $ags, statuses: [], answers: []})
		FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (c)-[:LOCATED_IN]->(m))
		RETURN c.id AS id`,
		map[string]any{"id": c.ID, "tokenHash": tokenHash, "status": string(c.Status), "now": c.CreatedAt.UTC(),
			"employees": intParam(c.Employees), "sector": nullIfEmpty(c.Sector), "ags": ags})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return cyberlotse.Invalid("ags", "diese Gemeinde ist in Nordrhein-Westfalen nicht bekannt.")
	}
	c.Version = 1
	return nil
}

func (s *SelfCheckService) CheckByToken(ctx context.Context, tokenHash string) (*cyberlotse.SelfCheck, error) {
	return s.byHash(ctx, "neo4j.CheckByToken", "tokenHash", tokenHash)
}

func (s *SelfCheckService) CheckByShareToken(ctx context.Context, tokenHash string) (*cyberlotse.SelfCheck, error) {
	return s.byHash(ctx, "neo4j.CheckByShareToken", "shareTokenHash", tokenHash)
}

func (s *SelfCheckService) byHash(ctx context.Context, op, prop, hash string) (*cyberlotse.SelfCheck, error) {
	if hash == "" {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "%s", cyberlotse.MsgCheckToken)
	}
	// prop is one of two constants, never input.
	recs, err := s.db.read(ctx, op, `MATCH (c:SelfCheck {`+prop+`: $hash}) RETURN `+selfCheckProjection+` AS c`,
		map[string]any{"hash": hash})
	if err != nil {
		return nil, err
	}
	rows := rowsOf(recs, "c")
	if len(rows) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "%s", cyberlotse.MsgCheckToken)
	}
	return selfCheckFrom(rows[0]), nil
}

// locked runs body on one check under its write lock: SET c._lock first
// (the documented idiom), so that what body reads of c is the latest
// committed state and concurrent writes to the check run one after the
// other. body sees c and finished; a finished check gives ECONFLICT.
func (s *SelfCheckService) locked(ctx context.Context, op, id, body string, params map[string]any) (*cyberlotse.SelfCheck, error) {
	params["id"] = id
	recs, err := s.db.write(ctx, op, `
		MATCH (c:SelfCheck {id: $id})
		SET c._lock = true
		WITH c, c.status = 'FINISHED' AS finished `+body+`
		REMOVE c._lock
		RETURN finished, `+selfCheckProjection+` AS c`, params)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "%s", cyberlotse.MsgCheckToken)
	}
	c := selfCheckFrom(rowOf(recs[0], "c"))
	if finished, _ := recs[0].Get("finished"); finished == true {
		return c, cyberlotse.CanAnswer(c)
	}
	return c, nil
}

func (s *SelfCheckService) UpdateCheck(ctx context.Context, id string, u cyberlotse.CheckUpdate, status cyberlotse.CheckStatus, now time.Time) (*cyberlotse.SelfCheck, error) {
	statuses, statusKeys, answers, answerKeys := entries(u)
	return s.locked(ctx, "neo4j.UpdateCheck", id, `
		FOREACH (_ IN CASE WHEN finished THEN [] ELSE [1] END |
		  SET c.version = c.version + 1,
		      c.statuses = [x IN c.statuses WHERE NOT split(x, '=')[0] IN $statusKeys] + $statuses,
		      c.answers = [x IN c.answers WHERE NOT split(x, '=')[0] IN $answerKeys] + $answers,
		      c.status = $status, c.updatedAt = $now)`,
		map[string]any{"statuses": statuses, "statusKeys": statusKeys, "answers": answers, "answerKeys": answerKeys,
			"status": string(status), "now": now.UTC()})
}

// UpdateProfile changes a check finished or not: the profile is no answer,
// and a finished check without a place needs one for its next actions. So
// the body reports finished as false, and locked refuses nothing.
func (s *SelfCheckService) UpdateProfile(ctx context.Context, id string, p cyberlotse.CheckProfile, now time.Time) (*cyberlotse.SelfCheck, error) {
	var ags any
	if p.AGS != nil {
		ags = string(*p.AGS)
	}
	return s.locked(ctx, "neo4j.UpdateCheckProfile", id, `
		OPTIONAL MATCH (c)-[old:LOCATED_IN]->()
		OPTIONAL MATCH (m:Municipality {ags: $ags})
		WITH c, collect(old) AS olds, m
		SET c.version = c.version + 1, c.employees = $employees, c.sector = $sector, c.ags = m.ags, c.updatedAt = $now
		FOREACH (o IN olds | DELETE o)
		FOREACH (_ IN CASE WHEN m IS NULL THEN [] ELSE [1] END | CREATE (c)-[:LOCATED_IN]->(m))
		WITH c, false AS finished`,
		map[string]any{"employees": intParam(p.Employees), "sector": nullIfEmpty(p.Sector), "ags": ags, "now": now.UTC()})
}

// FinishCheck stores the result only if the check is still at the
// version the result was computed from: an answer that came in between
// gives ECONFLICT, and the caller evaluates again.
func (s *SelfCheckService) FinishCheck(ctx context.Context, id string, version int, res *cyberlotse.CheckResult, now time.Time) (*cyberlotse.SelfCheck, error) {
	areas := make([]int, len(res.Areas))
	for i, a := range res.Areas {
		areas[i] = a.Percent
	}
	c, err := s.locked(ctx, "neo4j.FinishCheck", id, `
		WITH c, finished, c.version = $version AS current
		FOREACH (_ IN CASE WHEN finished OR NOT current THEN [] ELSE [1] END |
		  SET c.status = 'FINISHED', c.version = c.version + 1, c.finishedAt = $now, c.updatedAt = $now,
		      c.points = $points, c.percent = $percent, c.areaPercents = $areas)
		WITH c, finished`,
		map[string]any{"version": version, "points": res.Points, "percent": res.Percent, "areas": areas, "now": now.UTC()})
	if err != nil {
		return c, err
	}
	if c.Status != cyberlotse.CheckFinished {
		return c, cyberlotse.Errorf(cyberlotse.ECONFLICT, "%s", cyberlotse.MsgCheckChanged)
	}
	return c, nil
}

func (s *SelfCheckService) SetShareToken(ctx context.Context, id, hash string, now time.Time) (*cyberlotse.SelfCheck, error) {
	recs, err := s.db.write(ctx, "neo4j.SetShareToken", `
		MATCH (c:SelfCheck {id: $id})
		SET c.shareTokenHash = $hash
		RETURN `+selfCheckProjection+` AS c`, map[string]any{"id": id, "hash": nullIfEmpty(hash)})
	if err != nil {
		return nil, err
	}
	rows := rowsOf(recs, "c")
	if len(rows) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "%s", cyberlotse.MsgCheckToken)
	}
	return selfCheckFrom(rows[0]), nil
}

func (s *SelfCheckService) DeleteCheck(ctx context.Context, id string) error {
	recs, err := s.db.write(ctx, "neo4j.DeleteCheck", `
		MATCH (c:SelfCheck {id: $id}) DETACH DELETE c RETURN count(*) AS n`, map[string]any{"id": id})
	if err != nil {
		return err
	}
	if n, _ := recs[0].Get("n"); n == int64(0) {
		return cyberlotse.Errorf(cyberlotse.ENOTFOUND, "%s", cyberlotse.MsgCheckToken)
	}
	return nil
}

// DeleteAbandonedChecks deletes in batches of 1,000, each its own
// transaction.
func (s *SelfCheckService) DeleteAbandonedChecks(ctx context.Context, before time.Time) (int, error) {
	total := 0
	for {
		recs, err := s.db.write(ctx, "neo4j.DeleteAbandonedChecks", `
			MATCH (c:SelfCheck) WHERE c.status <> 'FINISHED' AND c.updatedAt < $before
			WITH c LIMIT 1000
			DETACH DELETE c
			RETURN count(*) AS n`, map[string]any{"before": before.UTC()})
		if err != nil {
			return total, err
		}
		n, _ := recs[0].Get("n")
		total += int(n.(int64))
		if n.(int64) < 1000 {
			return total, nil
		}
	}
}

func (s *SelfCheckService) FinishedChecks(ctx context.Context, regionIDs []string) (map[string][]cyberlotse.FinishedCheck, error) {
	recs, err := s.db.read(ctx, "neo4j.FinishedChecks", `
		UNWIND $ids AS rid
		MATCH (r:Region {id: rid})
		RETURN r.id AS id, COLLECT {
		  MATCH (x:Region) WHERE x = r OR (x)-[:SATELLITE_OF]->(r)
		  MATCH (x)-[:COVERS]->(:Municipality)<-[:LOCATED_IN]-(c:SelfCheck {status: 'FINISHED'})
		  WITH DISTINCT c
		  RETURN c {.percent, .areaPercents}
		} AS checks`, map[string]any{"ids": regionIDs})
	if err != nil {
		return nil, err
	}
	out := map[string][]cyberlotse.FinishedCheck{}
	for _, rec := range recs {
		id, _ := rec.Get("id")
		list, _ := rec.Get("checks")
		checks := []cyberlotse.FinishedCheck{}
		for _, v := range list.([]any) {
			r := row(v.(map[string]any))
			fc := cyberlotse.FinishedCheck{Percent: r.int("percent")}
			for _, a := range r["areaPercents"].([]any) {
				n, _ := a.(int64)
				fc.Areas = append(fc.Areas, int(n))
			}
			checks = append(checks, fc)
		}
		out[id.(string)] = checks
	}
	if len(out) != len(dedupe(regionIDs)) {
		return nil, cyberlotse.UnknownRegions(regionIDs)
	}
	return out, nil
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func intParam(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
