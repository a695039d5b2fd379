package neo4j_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// Municipalities of the WiBA store test: Hopsten and four more of the Kreis
// Steinfurt under 10,000 inhabitants, Augustdorf (Kreis Lippe, under
// 10,000) and Altenberge (Kreis Steinfurt, 10,278).
const (
	hopsten    = cyberlotse.AGS("05566020")
	horstmar   = cyberlotse.AGS("05566024")
	ladbergen  = cyberlotse.AGS("05566032")
	laer       = cyberlotse.AGS("05566036")
	metelen    = cyberlotse.AGS("05566052")
	augustdorf = cyberlotse.AGS("05766004")
	altenberge = cyberlotse.AGS("05566004")
)

func wibaIdentity(ags cyberlotse.AGS) *cyberlotse.Identity {
	return &cyberlotse.Identity{Subject: "isb-" + string(ags), Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{ags}}
}

// The WiBA store: the seeded catalogue, answers with their history (one
// entry per real change, newest first, in pages), refusals, the
// comparison tallies by district and size class, and the municipalities
// working on a topic.
func TestWibaStore(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustHoldLock(t, db, neo4jtest.WibaLock)
	ctx := context.Background()
	s := store.NewWibaService(db)
	all := []cyberlotse.AGS{hopsten, horstmar, ladbergen, laer, metelen, augustdorf, altenberge}
	store.DeleteWibaForTest(ctx, db, all...)
	t.Cleanup(func() { store.DeleteWibaForTest(ctx, db, all...) })

	cat, err := s.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Topics) != 19 || cat.QuestionCount() != 57 || cat.Topics[3].ID != "backup" || cat.Topics[3].Number != 4 ||
		len(cat.Topics[3].Questions) != 3 || cat.Topics[3].Questions[1].ID != "backup-2" || !cat.Topics[3].Questions[1].Sample {
		t.Fatalf("catalogue: %d topics, %d questions, topic 4 %+v", len(cat.Topics), cat.QuestionCount(), cat.Topics[3])
	}

	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	answer := func(ags cyberlotse.AGS, q string, a cyberlotse.WibaAnswer, note string) (*cyberlotse.WibaEntry, bool) {
		t.Helper()
		now = now.Add(time.Minute)
		e, err := cyberlotse.NewWibaEntry(cat, ags, q, a, note, wibaIdentity(ags), now)
		if err != nil {
			t.Fatal(err)
		}
		got, changed, err := s.Answer(ctx, e)
		if err != nil {
			t.Fatalf("answer %s %s: %v", ags, q, err)
		}
		return got, changed
	}

	// Answers and history.
	answer(hopsten, "backup-1", cyberlotse.WibaYes, "")
	answer(hopsten, "backup-2", cyberlotse.WibaNo, "")
	answer(hopsten, "backup-3", cyberlotse.WibaNotApplicable, "keine eigenen Server")
	got, changed := answer(hopsten, "backup-2", cyberlotse.WibaYes, "Offline-Sicherung seit November")
	if !changed || got.Answer != cyberlotse.WibaYes || got.Note != "Offline-Sicherung seit November" ||
		got.By != "isb-05566020" || got.ByRole != cyberlotse.RoleMunicipalISB || !got.At.Equal(now) {
		t.Fatalf("changed answer = %+v, %v", got, changed)
	}
	if _, changed := answer(hopsten, "backup-2", cyberlotse.WibaYes, "Offline-Sicherung seit November"); changed {
		t.Error("the same answer again made a history entry")
	}
	answers, err := s.Answers(ctx, hopsten)
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 3 || answers["backup-1"].Answer != cyberlotse.WibaYes || answers["backup-2"].Answer != cyberlotse.WibaYes ||
		answers["backup-3"].Answer != cyberlotse.WibaNotApplicable || answers["backup-3"].Note != "keine eigenen Server" {
		t.Fatalf("answers = %+v", answers)
	}
	// Fixed answer set, by hand: 57 questions, 3 answered (2 yes, 1 not
	// applicable): answered 3/57 = 5.26 % → 5; fulfilled 2/(57−1) = 3.57 % → 4.
	// Topic backup: 3/3 answered → 100; fulfilled 2/(3−1) → 100.
	plain := map[string]cyberlotse.WibaAnswer{}
	for k, v := range answers {
		plain[k] = v.Answer
	}
	score := cyberlotse.ScoreWiba(cat, plain)
	if score.Overall.AnsweredPercent() != 5 || *score.Overall.FulfilledPercent() != 4 ||
		score.Topics[3].Progress.AnsweredPercent() != 100 || *score.Topics[3].Progress.FulfilledPercent() != 100 ||
		score.Topics[0].Progress.AnsweredPercent() != 0 || *score.Topics[0].Progress.FulfilledPercent() != 0 {
		t.Fatalf("score = %+v", score)
	}

	changes, total, err := s.History(ctx, hopsten, cyberlotse.Page{First: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Newest first: backup-2 NO→YES, backup-3 →NA, backup-2 →NO (and one more).
	if total != 4 || len(changes) != 4 || changes[0].QuestionID != "backup-2" || changes[0].From != cyberlotse.WibaNo ||
		changes[0].To != cyberlotse.WibaYes || changes[0].NoteFrom != "" || changes[0].Note != "Offline-Sicherung seit November" ||
		changes[0].TopicID != "backup" || changes[0].By != "isb-05566020" || changes[0].ByRole != cyberlotse.RoleMunicipalISB ||
		changes[1].QuestionID != "backup-3" || changes[1].From != "" || changes[1].To != cyberlotse.WibaNotApplicable ||
		changes[2].QuestionID != "backup-2" || changes[2].To != cyberlotse.WibaNo {
		t.Fatalf("history page 1 (total %d) = %+v", total, changes)
	}
	if !changes[0].At.After(changes[1].At) {
		t.Errorf("history not newest first: %v, %v", changes[0].At, changes[1].At)
	}
	after := cyberlotse.Cursor{Keys: []string{fmt.Sprint(changes[2].Seq)}}
	rest, _, err := s.History(ctx, hopsten, cyberlotse.Page{First: 3, After: &after})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest) != 1 || rest[0].QuestionID != "backup-1" || rest[0].To != cyberlotse.WibaYes {
		t.Fatalf("history page 2 = %+v", rest)
	}

	// Refusals.
	e, _ := cyberlotse.NewWibaEntry(cat, hopsten, "backup-1", cyberlotse.WibaNo, "", nil, now)
	e.QuestionID = "backup-99"
	if _, _, err := s.Answer(ctx, e); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("unknown question: %v", err)
	}
	e.QuestionID, e.AGS = "backup-1", "05999999"
	if _, _, err := s.Answer(ctx, e); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown municipality: %v", err)
	}
	if _, _, err := s.History(ctx, "05999999", cyberlotse.Page{First: 3}); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("history of an unknown municipality: %v", err)
	}

	// Comparison tallies. Each other municipality's answers, with its
	// counts (answered, yes, not applicable):
	answer(horstmar, "backup-1", cyberlotse.WibaYes, "") // 1, 1, 0
	answer(ladbergen, "backup-1", cyberlotse.WibaNo, "") // 2, 0, 0
	answer(ladbergen, "backup-2", cyberlotse.WibaNo, "")
	answer(laer, "backup-1", cyberlotse.WibaYes, "") // 3, 2, 1
	answer(laer, "backup-2", cyberlotse.WibaYes, "")
	answer(laer, "backup-3", cyberlotse.WibaNotApplicable, "")
	for _, q := range []string{"netze-1", "netze-2", "netze-3"} { // 4, 3, 0
		answer(metelen, q, cyberlotse.WibaYes, "")
	}
	answer(metelen, "homeoffice-1", cyberlotse.WibaNo, "")

	compare := func() (district, size cyberlotse.WibaGroup) {
		t.Helper()
		d, err := s.ComparisonData(ctx, hopsten)
		if err != nil {
			t.Fatal(err)
		}
		if d.Municipality.Name != "Hopsten" || d.Municipality.Population != 7717 || d.DistrictName != "Steinfurt" && d.DistrictName != "Kreis Steinfurt" {
			t.Fatalf("comparison data = %+v (%s)", d.Municipality, d.DistrictName)
		}
		class := cyberlotse.WibaSizeClassOf(d.Municipality.Population)
		return cyberlotse.CompareWiba(cyberlotse.WibaGroupDistrict, d.DistrictName, cat.QuestionCount(), d.District),
			cyberlotse.CompareWiba(cyberlotse.WibaGroupSizeClass, class.Label, cat.QuestionCount(), d.SizeClass)
	}
	// Four others each: both hidden.
	district, size := compare()
	if district.Shown || size.Shown || district.Municipalities != 0 || size.AnsweredPercent != nil {
		t.Fatalf("four others shown: %+v %+v", district, size)
	}
	// Augustdorf (Lippe, under 10,000; 5 answered, 0 yes, 5 not applicable)
	// makes the size class five: answered (1+2+3+4+5)/5/57 = 5.26 % → 5;
	// fulfilled (1/57 + 0/57 + 2/56 + 3/57 + 0/52)/5 = 2.12 % → 2. The
	// district stays at four.
	for _, q := range []string{"backup-1", "backup-2", "backup-3", "netze-1", "netze-2"} {
		answer(augustdorf, q, cyberlotse.WibaNotApplicable, "")
	}
	district, size = compare()
	if district.Shown || !size.Shown || size.Municipalities != 5 || *size.AnsweredPercent != 5 || *size.FulfilledPercent != 2 {
		t.Fatalf("size class of five: district %+v, size %+v (%d, %d)", district, size, deref(size.AnsweredPercent), deref(size.FulfilledPercent))
	}
	// Altenberge (Steinfurt, 10,278: another size class; 6 answered, 6 yes)
	// makes the district five: answered (1+2+3+4+6)/5/57 = 5.61 % → 6;
	// fulfilled (1/57 + 0 + 2/56 + 3/57 + 6/57)/5 = 4.22 % → 4.
	for _, q := range []string{"organisation-personal-1", "organisation-personal-2", "organisation-personal-3", "netze-1", "netze-2", "netze-3"} {
		answer(altenberge, q, cyberlotse.WibaYes, "")
	}
	district, size = compare()
	if !district.Shown || district.Municipalities != 5 || *district.AnsweredPercent != 6 || *district.FulfilledPercent != 4 ||
		size.Municipalities != 5 || *size.AnsweredPercent != 5 {
		t.Fatalf("district of five: %+v (%d, %d), size %+v", district, deref(district.AnsweredPercent), deref(district.FulfilledPercent), size)
	}
}

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// Concurrent changes of one answer are serialised: every history entry
// starts from the answer the one before it left.
func TestWibaConcurrentAnswers(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustHoldLock(t, db, neo4jtest.WibaLock)
	ctx := context.Background()
	s := store.NewWibaService(db)
	store.DeleteWibaForTest(ctx, db, hopsten)
	t.Cleanup(func() { store.DeleteWibaForTest(ctx, db, hopsten) })
	cat, err := s.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answers := []cyberlotse.WibaAnswer{cyberlotse.WibaYes, cyberlotse.WibaNo, cyberlotse.WibaNotApplicable}
	var wg sync.WaitGroup
	changedCount := make(chan bool, 12)
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, err := cyberlotse.NewWibaEntry(cat, hopsten, "netze-1", answers[i%3], "", wibaIdentity(hopsten),
				time.Date(2026, 12, 1, 9, 0, i, 0, time.UTC))
			if err != nil {
				t.Error(err)
				return
			}
			_, changed, err := s.Answer(ctx, e)
			if err != nil {
				t.Error(err)
			}
			changedCount <- changed
		}()
	}
	wg.Wait()
	close(changedCount)
	n := 0
	for c := range changedCount {
		if c {
			n++
		}
	}
	changes, total, err := s.History(ctx, hopsten, cyberlotse.Page{First: 50})
	if err != nil {
		t.Fatal(err)
	}
	if total != n || len(changes) != n || n == 0 {
		t.Fatalf("%d changes reported, %d in the history (total %d)", n, len(changes), total)
	}
	for i := 0; i+1 < len(changes); i++ { // newest first
		if changes[i].From != changes[i+1].To || changes[i].From == changes[i].To {
			t.Fatalf("entry %d goes from %s, the one before it to %s", i, changes[i].From, changes[i+1].To)
		}
	}
	if last := changes[len(changes)-1]; last.From != "" {
		t.Errorf("first entry from %q", last.From)
	}
}
