package main

import (
	"context"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

// ApplyCheckRetention deletes the self-checks nobody finished and nobody
// touched for cyberlotse.AbandonedCheckMonths. It runs with the
// registration retention (ScheduleRetention) and logs a count, nothing of
// the checks.
func (m *Main) ApplyCheckRetention(ctx context.Context) (int, error) {
	start := time.Now()
	before := m.Now().In(berlin).AddDate(0, -cyberlotse.AbandonedCheckMonths, 0)
	n, err := store.NewSelfCheckService(m.DB).DeleteAbandonedChecks(ctx, before)
	if err != nil {
		m.Logger.Error("self-check retention", "err", err, "deleted", n)
		return n, err
	}
	level := m.Logger.Debug
	if n > 0 {
		level = m.Logger.Info
	}
	level("self-check retention", "unchanged_since_before", before.Format(time.RFC3339), "deleted", n,
		"took", time.Since(start).Round(time.Millisecond))
	return n, nil
}
