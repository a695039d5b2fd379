package neo4j

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.LiveStore = (*LiveService)(nil)

// LiveService keeps the summaries of ended live sessions.
type LiveService struct{ db *DB }

func NewLiveService(db *DB) *LiveService { return &LiveService{db: db} }

func (s *LiveService) SaveLiveSummary(ctx context.Context, sum cyberlotse.LiveSummary) error {
	polls := make([]map[string]any, len(sum.Polls))
	for i, p := range sum.Polls {
		counts := make([]int64, len(p.Result.Counts))
		for j, c := range p.Result.Counts {
			counts[j] = int64(c)
		}
		polls[i] = map[string]any{"id": p.ID, "kind": string(p.Kind), "question": p.Question, "options": nonNil(p.Options),
			"startedAt": instant(p.StartedAt), "counts": counts, "voters": p.Result.Voters, "mean": p.Result.Mean, "pos": i}
	}
	return s.db.writeTx(ctx, "neo4j.SaveLiveSummary", func(tx neo4j.ManagedTransaction) error {
		exists, err := collectRows(ctx, tx, "n", `RETURN {n: COUNT { (:Event {id: $event}) }} AS n`, map[string]any{"event": sum.EventID})
		if err != nil {
			return err
		}
		if exists[0].int("n") == 0 {
			return cyberlotse.NotFound(cyberlotse.KindEvent, sum.EventID)
		}
		_, err = tx.Run(ctx, `
			MATCH (e:Event {id: $event})
			MERGE (s:LiveSummary {eventId: $event})-[:OF]->(e)
			SET s.openedAt = $openedAt, s.closedAt = $closedAt, s.questions = $questions, s.answered = $answered
			WITH s
			OPTIONAL MATCH (old:PollResult)-[:IN]->(s)
			DETACH DELETE old
			WITH DISTINCT s
			UNWIND $polls AS p
			CREATE (r:PollResult {pollId: p.id, kind: p.kind, question: p.question, options: p.options,
			        startedAt: p.startedAt, counts: p.counts, voters: p.voters, mean: p.mean, pos: p.pos})-[:IN]->(s)
			`,
			map[string]any{"event": sum.EventID, "openedAt": instant(sum.OpenedAt), "closedAt": instant(sum.ClosedAt),
				"questions": sum.Questions, "answered": sum.Answered, "polls": polls})
		return err
	})
}

func (s *LiveService) LiveSummary(ctx context.Context, eventID string) (*cyberlotse.LiveSummary, error) {
	recs, err := s.db.read(ctx, "neo4j.LiveSummary", `
		MATCH (s:LiveSummary {eventId: $event})
		OPTIONAL MATCH (r:PollResult)-[:IN]->(s)
		WITH s, r ORDER BY r.pos
		WITH s, collect(r) AS polls
		RETURN s {.eventId, .openedAt, .closedAt, .questions, .answered,
		          polls: [x IN polls | x {.pollId, .kind, .question, .options, .startedAt, .counts, .voters, .mean}]} AS s`,
		map[string]any{"event": eventID})
	if err != nil || len(recs) == 0 {
		return nil, err
	}
	r := rowOf(recs[0], "s")
	out := &cyberlotse.LiveSummary{EventID: r.str("eventId"), OpenedAt: r.time("openedAt"), ClosedAt: r.time("closedAt"),
		Questions: r.int("questions"), Answered: r.int("answered")}
	list, _ := r["polls"].([]any)
	for _, it := range list {
		p := row(asMap(it))
		counts, _ := p["counts"].([]any)
		res := cyberlotse.PollResult{Counts: make([]int, len(counts)), Voters: p.int("voters"), Mean: p.float("mean")}
		for i, c := range counts {
			n, _ := c.(int64)
			res.Counts[i] = int(n)
		}
		out.Polls = append(out.Polls, cyberlotse.PollSummary{ID: p.str("pollId"), Kind: cyberlotse.PollKind(p.str("kind")),
			Question: p.str("question"), Options: p.strs("options"), StartedAt: p.time("startedAt"), Result: res})
	}
	return out, nil
}
