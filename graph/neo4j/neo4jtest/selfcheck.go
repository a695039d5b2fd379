package neo4jtest

import (
	"context"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

// MustStartCheck stores a new self-check (in ags, if not empty) with a
// fresh resume token and deletes it when the test ends, unless the test
// deleted it already. It returns the check and its token.
func MustStartCheck(tb testing.TB, db *store.DB, ags cyberlotse.AGS, employees *int) (*cyberlotse.SelfCheck, cyberlotse.CheckToken) {
	tb.Helper()
	checks := store.NewSelfCheckService(db)
	now := time.Now()
	c := &cyberlotse.SelfCheck{ID: NewID(), Status: cyberlotse.CheckInProgress, CreatedAt: now, UpdatedAt: now, Employees: employees}
	if ags != "" {
		c.AGS = &ags
	}
	token := cyberlotse.NewCheckToken()
	if err := checks.CreateCheck(context.Background(), c, token.Hash()); err != nil {
		tb.Fatalf("create test self-check: %v", err)
	}
	tb.Cleanup(func() {
		if err := checks.DeleteCheck(context.Background(), c.ID); err != nil && cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
			tb.Errorf("delete test self-check %s: %v", c.ID, err)
		}
	})
	return c, token
}

// MustFinishCheck answers every open question of a check with answer (the
// status questions with yes) and finishes it.
func MustFinishCheck(tb testing.TB, db *store.DB, c *cyberlotse.SelfCheck, answer cyberlotse.CheckAnswer) *cyberlotse.SelfCheck {
	tb.Helper()
	checks := store.NewSelfCheckService(db)
	u := cyberlotse.CheckUpdate{Statuses: map[cyberlotse.StatusQuestion]bool{}, Answers: map[int]cyberlotse.CheckAnswer{}}
	for _, q := range cyberlotse.StatusQuestions {
		u.Statuses[q] = true
	}
	for _, r := range cyberlotse.CheckCatalogue.Requirements {
		u.Answers[r.Number] = answer
	}
	now := time.Now()
	c, err := checks.UpdateCheck(context.Background(), c.ID, u, cyberlotse.CheckInProgress, now)
	if err != nil {
		tb.Fatalf("answer test self-check: %v", err)
	}
	c, err = checks.FinishCheck(context.Background(), c.ID, c.Version, cyberlotse.Evaluate(c.Statuses, c.Answers), now)
	if err != nil {
		tb.Fatalf("finish test self-check: %v", err)
	}
	return c
}
