package neo4j

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.MeasureService = (*MeasureService)(nil)

// MeasureService implements cyberlotse.MeasureService.
type MeasureService struct{ db *DB }

func NewMeasureService(db *DB) *MeasureService { return &MeasureService{db: db} }

const measureProjection = `m {.code, .title, .summary, .category, .sample, .source,
	topics: COLLECT { MATCH (m)-[:ABOUT]->(t:Topic) RETURN t.id ORDER BY t.id }}`

func measureFrom(r row) *cyberlotse.Measure {
	return &cyberlotse.Measure{
		Code: r.str("code"), Title: r.str("title"), Summary: r.str("summary"),
		Category: cyberlotse.MeasureCategory(r.str("category")), TopicIDs: r.strs("topics"),
		Provenance: r.provenance(),
	}
}

func (s *MeasureService) Measures(ctx context.Context) ([]*cyberlotse.Measure, error) {
	recs, err := s.db.read(ctx, "neo4j.Measures", `MATCH (m:Measure) RETURN `+measureProjection+` AS m ORDER BY m.code`, nil)
	return mapRows(recs, "m", measureFrom), err
}

func (s *MeasureService) MeasuresByCodes(ctx context.Context, codes []string) ([]*cyberlotse.Measure, error) {
	recs, err := s.db.read(ctx, "neo4j.MeasuresByCodes",
		`MATCH (m:Measure) WHERE m.code IN $codes RETURN `+measureProjection+` AS m`, map[string]any{"codes": codes})
	return mapRows(recs, "m", measureFrom), err
}
