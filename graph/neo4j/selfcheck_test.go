package neo4j_test

import (
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// The whole life of a check in the store: start (only the token's hash
// is kept), answers merged under concurrency, pause, finish against a
// version, share token, delete.
func TestSelfCheckStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	checks := store.NewSelfCheckService(db)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c, token := neo4jtest.MustStartCheck(t, db, "05766036", ptr(8))

	got, err := checks.CheckByToken(ctx, token.Hash())
	if err != nil || got.ID != c.ID || got.Status != cyberlotse.CheckInProgress || *got.AGS != "05766036" || *got.Employees != 8 || got.Version != 1 {
		t.Fatalf("by token: %+v %v", got, err)
	}
	if _, err := checks.CheckByToken(ctx, cyberlotse.NewCheckToken().Hash()); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown token: %v", err)
	}
	if _, err := checks.CheckByToken(ctx, string(token)); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("the token itself opened the check: %v", err)
	}
	bad := &cyberlotse.SelfCheck{ID: neo4jtest.NewID(), Status: cyberlotse.CheckInProgress, CreatedAt: now, AGS: ptr(cyberlotse.AGS("05999999"))}
	if err := checks.CreateCheck(ctx, bad, cyberlotse.NewCheckToken().Hash()); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("unknown municipality: %v", err)
	}

	// Twelve answers at once from twelve writers: none is lost.
	var wg sync.WaitGroup
	for n := 1; n <= 12; n++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := checks.UpdateCheck(ctx, c.ID, cyberlotse.CheckUpdate{Answers: map[int]cyberlotse.CheckAnswer{n: cyberlotse.AnswerNo}},
				cyberlotse.CheckInProgress, now); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	c, err = checks.UpdateCheck(ctx, c.ID, cyberlotse.CheckUpdate{Answers: map[int]cyberlotse.CheckAnswer{1: cyberlotse.AnswerYes, 13: cyberlotse.AnswerUnknown},
		Statuses: map[cyberlotse.StatusQuestion]bool{cyberlotse.StatusWLAN: false}}, cyberlotse.CheckPaused, now.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Answers) != 13 || c.Answers[1] != cyberlotse.AnswerYes || c.Answers[12] != cyberlotse.AnswerNo || c.Answers[13] != cyberlotse.AnswerUnknown ||
		c.Statuses[cyberlotse.StatusWLAN] || len(c.Statuses) != 1 || c.Status != cyberlotse.CheckPaused || c.Version != 14 ||
		!c.UpdatedAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("after the answers: %+v", c)
	}

	// Finishing against an older version is refused; against the
	// current one it stores the result.
	res := cyberlotse.Evaluate(c.Statuses, c.Answers)
	if _, err := checks.FinishCheck(ctx, c.ID, c.Version-1, res, now); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Fatalf("stale finish: %v", err)
	}
	done, err := checks.FinishCheck(ctx, c.ID, c.Version, res, now.Add(2*time.Minute))
	if err != nil || done.Status != cyberlotse.CheckFinished || done.FinishedAt == nil || !done.FinishedAt.Equal(now.Add(2*time.Minute)) {
		t.Fatalf("finish: %+v %v", done, err)
	}
	if _, err := checks.UpdateCheck(ctx, c.ID, cyberlotse.CheckUpdate{Answers: map[int]cyberlotse.CheckAnswer{2: cyberlotse.AnswerYes}},
		cyberlotse.CheckInProgress, now); cyberlotse.ErrorCode(err) != cyberlotse.ECONFLICT {
		t.Errorf("answer after finish: %v", err)
	}
	if again, _ := checks.CheckByToken(ctx, token.Hash()); again.Answers[2] != cyberlotse.AnswerNo || again.Status != cyberlotse.CheckFinished {
		t.Errorf("a finished check changed: %+v", again)
	}

	// Share token: opens the check; a new one replaces it; removing it closes it.
	share := cyberlotse.NewCheckToken()
	if s, err := checks.SetShareToken(ctx, c.ID, share.Hash(), now); err != nil || !s.Shared {
		t.Fatalf("share: %+v %v", s, err)
	}
	if s, err := checks.CheckByShareToken(ctx, share.Hash()); err != nil || s.ID != c.ID {
		t.Fatalf("by share token: %+v %v", s, err)
	}
	if _, err := checks.CheckByShareToken(ctx, token.Hash()); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("the resume token opened the shared view: %v", err)
	}
	if _, err := checks.CheckByToken(ctx, share.Hash()); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("the share token opened the check: %v", err)
	}
	if s, err := checks.SetShareToken(ctx, c.ID, "", now); err != nil || s.Shared {
		t.Fatalf("unshare: %+v %v", s, err)
	}
	if _, err := checks.CheckByShareToken(ctx, share.Hash()); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("removed share token still opens: %v", err)
	}

	if err := checks.DeleteCheck(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := checks.CheckByToken(ctx, token.Hash()); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("deleted check still there: %v", err)
	}
	if err := checks.DeleteCheck(ctx, c.ID); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
}

// Aggregates count the finished checks of a region's municipalities and
// of its satellites' (here a test model region with Altenbeken as its
// satellite, so that only this test's checks count), and are hidden under 5.
func TestSelfCheckAggregatesHiddenUnderFive(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	checks := store.NewSelfCheckService(db)
	rollouts := store.NewRolloutService(db, neo4jtest.Berlin)
	const altenbeken = cyberlotse.AGS("05774004")
	model := neo4jtest.NewID()
	if err := store.CreateModelRegionForTest(ctx, db, model, "Testregion "+model, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	sat, err := rollouts.AddSatellite(ctx, model, altenbeken, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.DeleteRegionsForTest(ctx, db, sat.ID, model); err != nil {
			t.Error(err)
		}
	})
	stats := func() map[string]cyberlotse.CheckStats {
		t.Helper()
		got, err := checks.FinishedChecks(ctx, []string{model, sat.ID})
		if err != nil {
			t.Fatal(err)
		}
		return map[string]cyberlotse.CheckStats{model: cyberlotse.Aggregate(model, got[model]), sat.ID: cyberlotse.Aggregate(sat.ID, got[sat.ID])}
	}
	neo4jtest.MustStartCheck(t, db, altenbeken, nil) // unfinished: never counts
	for i := 0; i < 4; i++ {
		c, _ := neo4jtest.MustStartCheck(t, db, altenbeken, nil)
		neo4jtest.MustFinishCheck(t, db, c, cyberlotse.AnswerYes)
	}
	if st := stats(); !st[model].Hidden || !st[sat.ID].Hidden || st[model].Finished != 0 {
		t.Fatalf("4 finished: %+v", st)
	}
	c, _ := neo4jtest.MustStartCheck(t, db, altenbeken, nil)
	neo4jtest.MustFinishCheck(t, db, c, cyberlotse.AnswerNo)
	for id, st := range stats() {
		// 4 × 100 % and 1 × 0 %: 80 % overall and in every area.
		if st.Hidden || st.Finished != 5 || st.Percent != 80 || len(st.Areas) != 6 || st.Areas[2].Percent != 80 {
			t.Errorf("%s with 5 finished: %+v", id, st)
		}
	}
	if _, err := checks.FinishedChecks(ctx, []string{model, neo4jtest.NewID()}); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown region: %v", err)
	}
}

// Unfinished checks untouched since before the cutoff go; finished ones
// and recent ones stay. The test's checks lie in 1980, before anything
// other tests make; it holds the retention lock, since the registration
// retention tests' runs delete abandoned checks of their own time too.
func TestDeleteAbandonedChecks(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustHoldLock(t, db, neo4jtest.RetentionLock)
	checks := store.NewSelfCheckService(db)
	old := time.Date(1980, 5, 1, 10, 0, 0, 0, time.UTC)
	touch := func(c *cyberlotse.SelfCheck, at time.Time) {
		t.Helper()
		if _, err := checks.UpdateCheck(ctx, c.ID, cyberlotse.CheckUpdate{}, cyberlotse.CheckPaused, at); err != nil {
			t.Fatal(err)
		}
	}
	abandoned, tok1 := neo4jtest.MustStartCheck(t, db, "05766036", nil)
	touch(abandoned, old)
	recent, tok2 := neo4jtest.MustStartCheck(t, db, "", nil)
	touch(recent, old.AddDate(0, 2, 0))
	finished, tok3 := neo4jtest.MustStartCheck(t, db, "", nil)
	all := cyberlotse.CheckUpdate{Statuses: map[cyberlotse.StatusQuestion]bool{}, Answers: map[int]cyberlotse.CheckAnswer{}}
	for _, q := range cyberlotse.StatusQuestions {
		all.Statuses[q] = false
	}
	for n := 1; n <= 27; n++ {
		all.Answers[n] = cyberlotse.AnswerNo
	}
	finished, err := checks.UpdateCheck(ctx, finished.ID, all, cyberlotse.CheckInProgress, old)
	if err != nil {
		t.Fatal(err)
	}
	if finished, err = checks.FinishCheck(ctx, finished.ID, finished.Version, cyberlotse.Evaluate(finished.Statuses, finished.Answers), old); err != nil ||
		!finished.UpdatedAt.Equal(old) {
		t.Fatalf("finish in 1980: %+v %v", finished, err)
	}
	n, err := checks.DeleteAbandonedChecks(ctx, old.AddDate(0, 1, 0))
	if err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want 1", n, err)
	}
	for tok, want := range map[cyberlotse.CheckToken]cyberlotse.Code{tok1: cyberlotse.ENOTFOUND, tok2: "", tok3: ""} {
		if _, err := checks.CheckByToken(ctx, tok.Hash()); cyberlotse.ErrorCode(err) != want {
			t.Errorf("after the retention: %v, want %q", err, want)
		}
	}
}
