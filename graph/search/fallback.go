package search

import (
	"context"
	"log/slog"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Fallback answers from Secondary when Primary is unavailable (ESEARCH):
// with SEARCH_FALLBACK=neo4j, a Meilisearch outage degrades search to the
// Neo4j full-text backend instead of failing it.
type Fallback struct {
	Primary, Secondary Backend
	Logger             *slog.Logger
}

func (f *Fallback) Search(ctx context.Context, q Query) (*Result, error) {
	res, err := f.Primary.Search(ctx, q)
	if cyberlotse.ErrorCode(err) == cyberlotse.ESEARCH && f.Secondary != nil {
		f.Logger.WarnContext(ctx, "search falls back to the secondary backend", "err", err)
		return f.Secondary.Search(ctx, q)
	}
	return res, err
}

func (f *Fallback) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	res, err := f.Primary.Suggest(ctx, prefix, limit)
	if cyberlotse.ErrorCode(err) == cyberlotse.ESEARCH && f.Secondary != nil {
		f.Logger.WarnContext(ctx, "suggest falls back to the secondary backend", "err", err)
		return f.Secondary.Suggest(ctx, prefix, limit)
	}
	return res, err
}
