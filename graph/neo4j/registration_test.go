package neo4j_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

var now = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func attendee(i int) cyberlotse.Attendee {
	return cyberlotse.Attendee{Name: fmt.Sprintf("Person %d", i), Email: cyberlotse.Email(fmt.Sprintf("p%d-%s@example.org", i, neo4jtest.NewID()))}
}

// 50 people register at once for the last 10 places: exactly 10 are
// confirmed, the other 40 wait in a gapless waitlist 1…40.
func TestRegisterUnderConcurrencyKeepsCapacity(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, ptr(12))
	for i := 0; i < 2; i++ { // two places are taken already
		if _, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(1000 + i), Consent: true}, now); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	results := make([]*cyberlotse.RegistrationChange, 50)
	errs := make([]error, 50)
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(i), Consent: true}, now)
		}()
	}
	wg.Wait()
	confirmed, positions := 0, map[int]bool{}
	for i, r := range results {
		if errs[i] != nil {
			t.Fatalf("registration %d: %v", i, errs[i])
		}
		switch r.Registration.Status {
		case cyberlotse.Confirmed:
			confirmed++
		case cyberlotse.Waitlisted:
			positions[r.Registration.Position] = true
		}
	}
	if confirmed != 10 || len(positions) != 40 || !positions[1] || !positions[40] {
		t.Errorf("confirmed %d (want 10), distinct waitlist positions %d (want 40, 1…40)", confirmed, len(positions))
	}
	all, err := regs.RegistrationsOfEvent(ctx, e.ID)
	if err != nil || len(all) != 52 || all[0].Status != cyberlotse.Confirmed || all[51].Status != cyberlotse.Waitlisted || all[51].Position != 40 {
		t.Errorf("event has %d registrations, err %v", len(all), err)
	}
	assertStoredCounts(t, db, e.ID, [2]int{12, 40})
}

func TestRegisterTwiceReturnsTheExistingRegistration(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, nil)
	in := cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(1), Consent: true}
	first, err := regs.Register(ctx, in, now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := regs.Register(ctx, in, now.Add(time.Minute))
	if err != nil || !second.Existing || second.Registration.ID != first.Registration.ID || first.Existing {
		t.Errorf("second registration = %+v, %v", second, err)
	}
}

func TestRegisterRefusesPastCancelledAndUnknownEvents(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, nil)
	in := cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(1), Consent: true}
	if _, err := regs.Register(ctx, in, neo4jtest.FarFuture.Add(time.Hour)); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("past event: %v", err)
	}
	in.EventID = "gibt-es-nicht"
	if _, err := regs.Register(ctx, in, now); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown event: %v", err)
	}
	in.EventID, in.Consent = e.ID, false
	if _, err := regs.Register(ctx, in, now); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("no consent: %v", err)
	}
	if _, err := regs.CancelEvent(ctx, e.ID, "Test", now); err != nil {
		t.Fatal(err)
	}
	in.Consent = true
	if _, err := regs.Register(ctx, in, now); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("cancelled event: %v", err)
	}
}

// Cancelling confirmed places while others register: every freed place
// goes to the first on the waitlist, nobody is confirmed beyond capacity.
func TestConcurrentCancellationsPromoteInOrder(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, ptr(5))
	var ids []string
	for i := range 15 {
		c, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(i), Consent: true}, now)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.Registration.ID)
	}
	var wg sync.WaitGroup
	promoted := make(chan string, 20)
	for _, id := range ids[:4] { // four of the five confirmed cancel at once
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := regs.Cancel(ctx, id, now.Add(time.Hour))
			if err != nil {
				t.Error(err)
				return
			}
			for _, p := range c.Promoted {
				promoted <- p.ID
			}
		}()
	}
	wg.Wait()
	close(promoted)
	got := map[string]bool{}
	for id := range promoted {
		got[id] = true
	}
	// The first four on the waitlist (registrations 6 to 9) move up.
	for _, id := range ids[5:9] {
		if !got[id] {
			t.Errorf("%s should have been promoted; promoted: %v", id, got)
		}
	}
	all, _ := regs.RegistrationsOfEvent(ctx, e.ID)
	counts := map[cyberlotse.RegistrationStatus]int{}
	for _, r := range all {
		counts[r.Status]++
		if r.Status == cyberlotse.Waitlisted && r.Position != 0 && r.ID == ids[9] && r.Position != 1 {
			t.Errorf("registration 10 is at position %d, want 1", r.Position)
		}
	}
	if counts[cyberlotse.Confirmed] != 5 || counts[cyberlotse.Waitlisted] != 6 || counts[cyberlotse.Cancelled] != 4 {
		t.Errorf("counts = %v", counts)
	}
	assertStoredCounts(t, db, e.ID, [2]int{5, 6})
}

// assertStoredCounts checks the counts kept on the event against its
// registrations and the expected [confirmed, waitlisted].
func assertStoredCounts(t *testing.T, db *store.DB, eventID string, want [2]int) {
	t.Helper()
	if stored, counted := store.RegistrationCounts(ctx, t, db, eventID); stored != want || counted != want {
		t.Errorf("event counts stored %v, counted %v; want %v", stored, counted, want)
	}
}

func TestDeletePersonFreesPlacesAndErasesData(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, ptr(1))
	a, _ := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(1), Consent: true}, now)
	b, _ := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(2), Consent: true}, now)
	if b.Registration.Status != cyberlotse.Waitlisted {
		t.Fatalf("second = %s", b.Registration.Status)
	}
	change, err := regs.DeletePerson(ctx, a.Registration.PersonID, now)
	if err != nil || len(change.Promoted) != 1 || change.Promoted[0].ID != b.Registration.ID {
		t.Fatalf("delete: %+v, %v", change, err)
	}
	if left, _ := regs.RegistrationsOfPerson(ctx, a.Registration.PersonID); len(left) != 0 {
		t.Errorf("registrations left: %v", left)
	}
	if _, err := regs.DeletePerson(ctx, a.Registration.PersonID, now); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
	assertStoredCounts(t, db, e.ID, [2]int{1, 0})
	rem, _ := store.NewReminderService(db).RemindersOfEvent(ctx, e.ID)
	for _, r := range rem {
		if r.RegistrationID == a.Registration.ID {
			t.Errorf("reminder of the deleted person left: %+v", r)
		}
	}
}

// Counts that a write bypassed are repaired by the recount: missing ones
// of an event with registrations, wrong ones of an event without.
func TestRecountRepairsStoredCounts(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	a := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, ptr(1))
	b := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, nil)
	for i := range 3 {
		if _, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: a.ID, Attendee: attendee(i), Consent: true}, now); err != nil {
			t.Fatal(err)
		}
	}
	store.SetRegistrationCountsForTest(ctx, t, db, a.ID, nil, nil)
	store.SetRegistrationCountsForTest(ctx, t, db, b.ID, 7, 3)
	var calls int
	fixed, err := regs.RecountRegistrations(ctx, func(done, total int) { calls++ })
	if err != nil || fixed < 2 || calls == 0 {
		t.Fatalf("recount: fixed %d, progress calls %d, %v", fixed, calls, err)
	}
	assertStoredCounts(t, db, a.ID, [2]int{1, 2})
	assertStoredCounts(t, db, b.ID, [2]int{0, 0})
}

// More places promote the first on the waitlist, and the counts follow.
func TestRaisingCapacityPromotesAndKeepsCounts(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	e := neo4jtest.MustCreateEvent(t, db, neo4jtest.FarFuture, ptr(1))
	var ids []string
	for i := range 4 {
		c, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: attendee(i), Consent: true}, now)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.Registration.ID)
	}
	assertStoredCounts(t, db, e.ID, [2]int{1, 3})
	_, change, err := regs.UpdateEvent(ctx, e.ID, cyberlotse.EventUpdate{Capacity: ptr(3)}, now)
	if err != nil || change == nil || len(change.Promoted) != 2 || change.Promoted[0].ID != ids[1] || change.Promoted[1].ID != ids[2] {
		t.Fatalf("raise capacity: %+v, %v", change, err)
	}
	assertStoredCounts(t, db, e.ID, [2]int{3, 1})
}
