package cyberlotse

import (
	"testing"
	"time"
)

// A small catalogue: two topics with 4 and 2 questions.
func testWibaCatalogue() *WibaCatalogue {
	c := &WibaCatalogue{Name: "t", Source: "s", SourceURL: "u"}
	for i, n := range []int{4, 2} {
		id := []string{"a", "b"}[i]
		tp := &WibaTopic{ID: id, Number: i + 1, Title: id, TitleSource: "s"}
		for j := range n {
			tp.Questions = append(tp.Questions, &WibaQuestion{ID: id + "-" + string(rune('1'+j)), TopicID: id, Number: j + 1, Text: "?", Source: "s"})
		}
		c.Topics = append(c.Topics, tp)
	}
	return c
}

// Progress by hand for fixed answer sets.
func TestScoreWiba(t *testing.T) {
	c := testWibaCatalogue()
	// a: YES, NO, NOT_APPLICABLE, open; b: NOT_APPLICABLE, NOT_APPLICABLE.
	s := ScoreWiba(c, map[string]WibaAnswer{"a-1": WibaYes, "a-2": WibaNo, "a-3": WibaNotApplicable,
		"b-1": WibaNotApplicable, "b-2": WibaNotApplicable, "x-9": WibaYes})
	a, b, all := s.Topics[0].Progress, s.Topics[1].Progress, s.Overall
	// a: answered 3/4 = 75 %; fulfilled 1/(4−1) = 33.3 % → 33.
	if a.Answered != 3 || a.Open() != 1 || a.AnsweredPercent() != 75 || *a.FulfilledPercent() != 33 {
		t.Errorf("topic a = %+v", a)
	}
	// b: answered 2/2 = 100 %; every question not applicable: no fulfilled share.
	if b.AnsweredPercent() != 100 || b.FulfilledPercent() != nil {
		t.Errorf("topic b = %+v", b)
	}
	// overall: answered 5/6 = 83.3 % → 83; fulfilled 1/(6−3) = 33.3 % → 33;
	// the answer to a question not in the catalogue does not count.
	if all.Questions != 6 || all.Answered != 5 || all.Yes != 1 || all.No != 1 || all.NotApplicable != 3 ||
		all.AnsweredPercent() != 83 || *all.FulfilledPercent() != 33 {
		t.Errorf("overall = %+v", all)
	}
	// 1 of 8 answered = 12.5 % rounds half away from zero to 13.
	if p := (WibaProgress{Questions: 8, Answered: 1, Yes: 1}); p.AnsweredPercent() != 13 {
		t.Errorf("12.5 %% → %d", p.AnsweredPercent())
	}
}

func TestCompareWiba(t *testing.T) {
	four := []WibaTally{{1, 1, 0}, {2, 0, 0}, {3, 2, 1}, {0, 0, 0}, {4, 3, 0}}
	if g := CompareWiba(WibaGroupDistrict, "x", 10, four); g.Shown || g.Municipalities != 0 || g.AnsweredPercent != nil {
		t.Fatalf("four who answered (and one who did not) shown: %+v", g)
	}
	// Five: answered (1+2+3+4+10)/5/10 = 40 %; fulfilled (1/10 + 0 + 2/9 + 3/10 + 0/0 left out)/4 = 15.6 % → 16.
	five := append(four, WibaTally{10, 0, 10})
	g := CompareWiba(WibaGroupDistrict, "x", 10, five)
	if !g.Shown || g.Municipalities != 5 || *g.AnsweredPercent != 40 || *g.FulfilledPercent != 16 {
		t.Fatalf("five = %+v", g)
	}
}

func TestNewWibaEntry(t *testing.T) {
	c := testWibaCatalogue()
	admin := &Identity{Subject: "admin-1", Roles: []Role{RoleAdmin}}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e, err := NewWibaEntry(c, "05766036", " a-2 ", WibaNo, "  notiz ", admin, now)
	if err != nil || e.QuestionID != "a-2" || e.Note != "notiz" || e.ByRole != RoleAdmin || e.By != "admin-1" {
		t.Fatalf("entry = %+v, %v", e, err)
	}
	long := make([]rune, WibaNoteMax+1)
	for i := range long {
		long[i] = 'ä'
	}
	for name, err := range map[string]error{
		"unknown question": second(NewWibaEntry(c, "05766036", "a-9", WibaNo, "", admin, now)),
		"bad answer":       second(NewWibaEntry(c, "05766036", "a-1", "MAYBE", "", admin, now)),
		"note too long":    second(NewWibaEntry(c, "05766036", "a-1", WibaNo, string(long), admin, now)),
	} {
		if ErrorCode(err) != EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := NewWibaEntry(c, "05766036", "a-1", WibaNo, string(long[:WibaNoteMax]), admin, now); err != nil {
		t.Errorf("a note of exactly %d characters: %v", WibaNoteMax, err)
	}
	isb := &Identity{Subject: "isb", Roles: []Role{RoleMunicipalISB}, AGS: []AGS{"05766036"}}
	if CanWorkOnWiba(isb, "05766036") != nil || ErrorCode(CanWorkOnWiba(isb, "05766004")) != EFORBIDDEN ||
		ErrorCode(CanWorkOnWiba(nil, "05766036")) != EUNAUTH || CanWorkOnWiba(admin, "05766004") != nil ||
		ErrorCode(CanWorkOnWiba(&Identity{Roles: []Role{RoleRegionalManager}}, "05766036")) != EFORBIDDEN {
		t.Error("access rules")
	}
}

func second[T any](_ T, err error) error { return err }
