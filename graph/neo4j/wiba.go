package neo4j

import (
	"context"
	"strconv"

	"github.com/google/uuid"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.WibaService = (*WibaService)(nil)

// WibaService implements cyberlotse.WibaService:
//
//	(:WibaCatalogue {key: "wiba", name, version, …})
//	(:WibaQuestion {id, topicId, number, text, hint, source, sample})-[:IN]->(:WibaTopic {id, number, title, …})
//	(:WibaAnswer {ags, questionId, topicId, answer, note, by, byRole, at})-[:OF]->(:Municipality),
//	  -[:ANSWERS]->(:WibaQuestion)
//	(:WibaChange {id, ags, seq, questionId, topicId, from, to, noteFrom, note, by, byRole, at})-[:CHANGED]->(:WibaAnswer)
//	(:WibaLog {ags, seq})
//
// An answer change takes the write lock of the municipality's WibaLog
// first (it counts up seq), so that concurrent changes of one
// municipality are serialised and each history entry's "from" is the
// answer the change really replaced; answer and history entry are written
// in the same query, hence the same transaction.
type WibaService struct{ db *DB }

func NewWibaService(db *DB) *WibaService { return &WibaService{db: db} }

func (s *WibaService) ApplyCatalogue(ctx context.Context, cat *cyberlotse.WibaCatalogue) error {
	if err := cat.Validate(); err != nil {
		return cyberlotse.Errorf(cyberlotse.EINVALID, "Der WiBA-Katalog ist fehlerhaft: %v", err)
	}
	var topics, questions []map[string]any
	for _, t := range cat.Topics {
		topics = append(topics, map[string]any{"id": t.ID, "props": map[string]any{"number": t.Number, "title": t.Title,
			"titleSource": t.TitleSource, "titleConfirmed": t.TitleConfirmed}})
		for _, q := range t.Questions {
			questions = append(questions, map[string]any{"id": q.ID, "topicId": t.ID, "props": map[string]any{
				"topicId": t.ID, "number": q.Number, "text": q.Text, "hint": q.Hint, "source": q.Source, "sample": q.Sample}})
		}
	}
	return s.db.writeTx(ctx, "neo4j.ApplyWibaCatalogue", func(tx neo4j.ManagedTransaction) error {
		steps := []struct {
			cypher string
			params map[string]any
		}{
			{`MERGE (c:WibaCatalogue {key: "wiba"}) SET c += $props`, map[string]any{"props": map[string]any{
				"name": cat.Name, "version": cat.Version, "description": cat.Description, "source": cat.Source,
				"sourceUrl": cat.SourceURL, "sourceDate": cat.SourceDate}}},
			{`UNWIND $rows AS row MERGE (t:WibaTopic {id: row.id}) SET t += row.props`, map[string]any{"rows": topics}},
			{`UNWIND $rows AS row
				MERGE (q:WibaQuestion {id: row.id}) SET q += row.props
				WITH q, row OPTIONAL MATCH (q)-[old:IN]->() DELETE old
				WITH q, row MATCH (t:WibaTopic {id: row.topicId}) MERGE (q)-[:IN]->(t)`, map[string]any{"rows": questions}},
		}
		for _, st := range steps {
			if _, err := tx.Run(ctx, st.cypher, st.params); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *WibaService) Catalogue(ctx context.Context) (*cyberlotse.WibaCatalogue, error) {
	recs, err := s.db.read(ctx, "neo4j.WibaCatalogue", `
		MATCH (c:WibaCatalogue {key: "wiba"})
		CALL () {
			MATCH (t:WibaTopic)
			WITH t ORDER BY t.number
			CALL (t) {
				OPTIONAL MATCH (q:WibaQuestion)-[:IN]->(t)
				WITH q ORDER BY q.number
				RETURN collect(q {.*}) AS questions
			}
			RETURN collect(t {.*, questions: questions}) AS topics
		}
		RETURN c {.*} AS c, topics`, nil)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Der WiBA-Katalog ist noch nicht geladen. Bitte lassen Sie `server seed` ausführen.")
	}
	c := rowOf(recs[0], "c")
	cat := &cyberlotse.WibaCatalogue{Name: c.str("name"), Version: c.str("version"), Description: c.str("description"),
		Source: c.str("source"), SourceURL: c.str("sourceUrl"), SourceDate: c.str("sourceDate")}
	raw, _ := recs[0].Get("topics")
	for _, x := range raw.([]any) {
		t := row(x.(map[string]any))
		topic := &cyberlotse.WibaTopic{ID: t.str("id"), Number: t.int("number"), Title: t.str("title"),
			TitleSource: t.str("titleSource"), TitleConfirmed: t.bool("titleConfirmed")}
		qs, _ := t["questions"].([]any)
		for _, y := range qs {
			q := row(y.(map[string]any))
			topic.Questions = append(topic.Questions, &cyberlotse.WibaQuestion{ID: q.str("id"), TopicID: q.str("topicId"),
				Number: q.int("number"), Text: q.str("text"), Hint: q.str("hint"), Source: q.str("source"), Sample: q.bool("sample")})
		}
		cat.Topics = append(cat.Topics, topic)
	}
	return cat, nil
}

func wibaEntryFrom(r row) cyberlotse.WibaEntry {
	return cyberlotse.WibaEntry{AGS: cyberlotse.AGS(r.str("ags")), QuestionID: r.str("questionId"),
		Answer: cyberlotse.WibaAnswer(r.str("answer")), Note: r.str("note"), By: r.str("by"),
		ByRole: cyberlotse.Role(r.str("byRole")), At: r.time("at")}
}

func (s *WibaService) Answers(ctx context.Context, ags cyberlotse.AGS) (map[string]cyberlotse.WibaEntry, error) {
	recs, err := s.db.read(ctx, "neo4j.WibaAnswers", `
		MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (m)<-[:OF]-(a:WibaAnswer)
		RETURN collect(a {.*}) AS answers`, map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	out := map[string]cyberlotse.WibaEntry{}
	raw, _ := recs[0].Get("answers")
	for _, x := range raw.([]any) {
		e := wibaEntryFrom(x.(map[string]any))
		out[e.QuestionID] = e
	}
	return out, nil
}

func (s *WibaService) Answer(ctx context.Context, e cyberlotse.WibaEntry) (*cyberlotse.WibaEntry, bool, error) {
	recs, err := s.db.write(ctx, "neo4j.AnswerWiba", `
		OPTIONAL MATCH (m:Municipality {ags: $ags})
		OPTIONAL MATCH (q:WibaQuestion {id: $qid})
		OPTIONAL CALL (m, q) {
			WITH m, q WHERE m IS NOT NULL AND q IS NOT NULL
			MERGE (l:WibaLog {ags: $ags})
			SET l.seq = coalesce(l.seq, 0) + 1
			WITH m, q, l
			MERGE (a:WibaAnswer {ags: $ags, questionId: $qid})
			WITH m, q, l, a, a.answer AS oldAnswer, a.note AS oldNote
			WITH m, q, l, a, oldAnswer, oldNote,
			     oldAnswer IS NULL OR oldAnswer <> $answer OR coalesce(oldNote, "") <> $note AS changed
			CALL (m, q, l, a, oldAnswer, oldNote, changed) {
				WITH m, q, l, a, oldAnswer, oldNote WHERE changed
				SET a.topicId = q.topicId, a.answer = $answer, a.note = $note, a.by = $by, a.byRole = $byRole, a.at = $at
				MERGE (a)-[:OF]->(m)
				MERGE (a)-[:ANSWERS]->(q)
				CREATE (c:WibaChange {id: $id, ags: $ags, seq: l.seq, questionId: $qid, topicId: q.topicId,
				        from: oldAnswer, to: $answer, noteFrom: oldNote, note: $note, by: $by, byRole: $byRole, at: $at})
				CREATE (c)-[:CHANGED]->(a)
			}
			RETURN a {.*} AS a, changed
		}
		RETURN m IS NOT NULL AS municipality, q IS NOT NULL AS question, a, changed`,
		map[string]any{"ags": string(e.AGS), "qid": e.QuestionID, "answer": string(e.Answer), "note": e.Note,
			"by": e.By, "byRole": string(e.ByRole), "at": e.At.UTC(), "id": uuid.NewString()})
	if err != nil {
		return nil, false, err
	}
	if len(recs) == 0 {
		return nil, false, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(e.AGS))
	}
	if v, _ := recs[0].Get("municipality"); v != true {
		return nil, false, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(e.AGS))
	}
	if v, _ := recs[0].Get("question"); v != true {
		return nil, false, cyberlotse.UnknownWibaQuestion(e.QuestionID)
	}
	out := wibaEntryFrom(rowOf(recs[0], "a"))
	changed, _ := recs[0].Get("changed")
	return &out, changed == true, nil
}

func (s *WibaService) History(ctx context.Context, ags cyberlotse.AGS, page cyberlotse.Page) ([]cyberlotse.WibaChange, int, error) {
	var after any
	if page.After != nil {
		n, err := strconv.Atoi(page.After.Key(0))
		if err != nil || n < 1 {
			return nil, 0, cyberlotse.Invalid("after", "der Cursor gehört nicht zu dieser Liste.")
		}
		after = n
	}
	recs, err := s.db.read(ctx, "neo4j.WibaHistory", `
		MATCH (m:Municipality {ags: $ags})
		CALL (m) {
			OPTIONAL MATCH (c:WibaChange {ags: $ags})
			RETURN count(c) AS total
		}
		CALL (m) {
			OPTIONAL MATCH (c:WibaChange {ags: $ags}) WHERE $after IS NULL OR c.seq < $after
			WITH c ORDER BY c.seq DESC LIMIT $limit
			RETURN collect(c {.*}) AS changes
		}
		RETURN total, changes`, map[string]any{"ags": string(ags), "after": after, "limit": page.First + 1})
	if err != nil {
		return nil, 0, err
	}
	if len(recs) == 0 {
		return nil, 0, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	total, _ := recs[0].Get("total")
	raw, _ := recs[0].Get("changes")
	var out []cyberlotse.WibaChange
	for _, x := range raw.([]any) {
		r := row(x.(map[string]any))
		out = append(out, cyberlotse.WibaChange{ID: r.str("id"), Seq: r.int("seq"), AGS: cyberlotse.AGS(r.str("ags")),
			QuestionID: r.str("questionId"), TopicID: r.str("topicId"), From: cyberlotse.WibaAnswer(r.str("from")),
			To: cyberlotse.WibaAnswer(r.str("to")), NoteFrom: r.str("noteFrom"), Note: r.str("note"), By: r.str("by"),
			ByRole: cyberlotse.Role(r.str("byRole")), At: r.time("at")})
	}
	return out, int(total.(int64)), nil
}

func (s *WibaService) ComparisonData(ctx context.Context, ags cyberlotse.AGS) (*cyberlotse.WibaComparisonData, error) {
	var classes []map[string]any
	for _, c := range cyberlotse.WibaSizeClasses {
		classes = append(classes, map[string]any{"min": c.Min, "max": c.Max})
	}
	// The tallies count answers to questions of the catalogue only; the
	// members are the other municipalities with at least one of them.
	recs, err := s.db.read(ctx, "neo4j.WibaComparisonData", `
		MATCH (m:Municipality {ags: $ags})-[:IN]->(d:District)
		WITH m, d, [c IN $classes WHERE m.population >= c.min AND (c.max = 0 OR m.population < c.max)][0] AS cls
		CALL (m, d) {
			MATCH (d)<-[:IN]-(o:Municipality)<-[:OF]-(a:WibaAnswer)-[:ANSWERS]->(:WibaQuestion)
			WHERE o <> m
			WITH o, count(a) AS answered, sum(CASE a.answer WHEN "YES" THEN 1 ELSE 0 END) AS yes,
			     sum(CASE a.answer WHEN "NOT_APPLICABLE" THEN 1 ELSE 0 END) AS na
			RETURN collect({answered: answered, yes: yes, na: na}) AS district
		}
		CALL (m, cls) {
			MATCH (o:Municipality)<-[:OF]-(a:WibaAnswer)-[:ANSWERS]->(:WibaQuestion)
			WHERE o <> m AND o.population >= cls.min AND (cls.max = 0 OR o.population < cls.max)
			WITH o, count(a) AS answered, sum(CASE a.answer WHEN "YES" THEN 1 ELSE 0 END) AS yes,
			     sum(CASE a.answer WHEN "NOT_APPLICABLE" THEN 1 ELSE 0 END) AS na
			RETURN collect({answered: answered, yes: yes, na: na}) AS size
		}
		RETURN m {.ags, .name, .population} AS m, d.key AS districtKey, d.name AS districtName, district, size`,
		map[string]any{"ags": string(ags), "classes": classes})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindMunicipality, string(ags))
	}
	m := rowOf(recs[0], "m")
	dk, _ := recs[0].Get("districtKey")
	dn, _ := recs[0].Get("districtName")
	out := &cyberlotse.WibaComparisonData{
		Municipality: &cyberlotse.Municipality{AGS: cyberlotse.AGS(m.str("ags")), Name: m.str("name"),
			Population: m.int("population"), DistrictKey: cyberlotse.DistrictKey(dk.(string))},
		DistrictName: dn.(string)}
	tallies := func(key string) []cyberlotse.WibaTally {
		raw, _ := recs[0].Get(key)
		var ts []cyberlotse.WibaTally
		for _, x := range raw.([]any) {
			r := row(x.(map[string]any))
			ts = append(ts, cyberlotse.WibaTally{Answered: r.int("answered"), Yes: r.int("yes"), NotApplicable: r.int("na")})
		}
		return ts
	}
	out.District, out.SizeClass = tallies("district"), tallies("size")
	return out, nil
}

// DeleteWibaForTest removes the municipalities' answers, history and log.
// For tests only.
func DeleteWibaForTest(ctx context.Context, db *DB, ags ...cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.DeleteWibaForTest", `
		MATCH (x) WHERE (x:WibaAnswer OR x:WibaChange OR x:WibaLog) AND x.ags IN $ags
		DETACH DELETE x`, map[string]any{"ags": castAll(ags)})
	return err
}
