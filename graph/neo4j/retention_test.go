package neo4j_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// Six months after their event ended, registrations are made anonymous:
// those of an event that ended seven months ago (and of one without an
// end, eight months after its start) lose their person, name, company
// name and reminders, the people left without registrations are deleted;
// the registrations of an event that ended five months ago (and of one
// that began seven and ended five months ago) stay as they were. The
// events' counts and the reach of the rollout matrix stay the same, and
// a second run changes nothing. Batches of two exercise the loop.
func TestAnonymizeRegistrationsAfterRetention(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	neo4jtest.MustHoldLock(t, db, neo4jtest.RetentionLock)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	regs.RetentionBatch = 2
	rollouts := store.NewRolloutService(db, neo4jtest.Berlin)
	events := store.NewEventService(db)
	clock := time.Date(1990, 8, 15, 10, 0, 0, 0, neo4jtest.Berlin)
	cutoff := clock.AddDate(0, -6, 0)

	// A satellite of its own (Marienmünster), so that the reach counts
	// only this test's events and companies.
	const marienmuenster = cyberlotse.AGS("05762024")
	model := neo4jtest.NewID()
	if err := store.CreateModelRegionForTest(ctx, db, model, "Testregion "+model, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	sat, err := rollouts.AddSatellite(ctx, model, marienmuenster, "test", clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := store.DeleteRegionsForTest(ctx, db, sat.ID, model); err != nil {
			t.Error(err)
		}
	})
	event := func(start time.Time, end *time.Time, capacity *int) *cyberlotse.Event {
		e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: "Aufbewahrungstest", StartsAt: start, EndsAt: end,
			Format: cyberlotse.FormatWorkshop, Mode: cyberlotse.ModeOnsite, AGS: marienmuenster, Venue: "Testsaal",
			Capacity: capacity, Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal",
			RegionIDs: []string{sat.ID}, MeasureCodes: []string{"M03"},
			Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
		if err := regs.CreateEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, db, e.ID) })
		return e
	}
	sevenAgo, fiveAgo := clock.AddDate(0, -7, 0), clock.AddDate(0, -5, 0)
	old := event(sevenAgo.Add(-2*time.Hour), &sevenAgo, ptr(2))
	oldNoEnd := event(clock.AddDate(0, -8, 0), nil, nil)
	recent := event(fiveAgo.Add(-2*time.Hour), &fiveAgo, nil)
	long := event(sevenAgo, &fiveAgo, nil)

	// Unique addresses (a person is one e-mail across the graph); the
	// companies are in Marienmünster.
	in := marienmuenster
	unique := func(a cyberlotse.Attendee) cyberlotse.Attendee {
		user, domain, _ := strings.Cut(string(a.Email), "@")
		a.Email, a.AGS = cyberlotse.Email(user+"-"+neo4jtest.NewID()+"@"+domain), &in
		return a
	}
	anna := unique(cyberlotse.Attendee{Name: "Anna Altmann", Email: "anna@example.org", CompanyName: "Altmann Technik GmbH"})
	bernd := unique(cyberlotse.Attendee{Name: "Bernd Bergmann", Email: "bernd@example.org", CompanyName: "Bergmann Bau GmbH"})
	carla := unique(cyberlotse.Attendee{Name: "Carla Cordes", Email: "carla@example.org", CompanyName: "Cordes Druck GmbH"})
	dora := unique(cyberlotse.Attendee{Name: "Dora Dietz", Email: "dora@example.org", CompanyName: "Dietz Elektro GmbH"})
	emil := unique(cyberlotse.Attendee{Name: "Emil Ernst", Email: "emil@example.org", CompanyName: "Ernst Logistik GmbH"})
	fritz := unique(cyberlotse.Attendee{Name: "Fritz Frings", Email: "fritz@example.org", CompanyName: "Frings Software GmbH"})
	register := func(e *cyberlotse.Event, a cyberlotse.Attendee) *cyberlotse.Registration {
		c, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: e.ID, Attendee: a, Consent: true}, e.StartsAt.AddDate(0, 0, -30))
		if err != nil {
			t.Fatal(err)
		}
		return c.Registration
	}
	// Seven months ago: two confirmed, one waitlisted, one cancelled.
	annaOld, berndOld, carlaOld, doraOld := register(old, anna), register(old, bernd), register(old, carla), register(old, dora)
	if _, err := regs.Cancel(ctx, doraOld.ID, old.StartsAt.AddDate(0, 0, -20)); err != nil {
		t.Fatal(err)
	}
	emilOld := register(oldNoEnd, emil)
	annaRecent, fritzRecent, fritzLong := register(recent, anna), register(recent, fritz), register(long, fritz)
	// The notifier tests of other packages send every due notice; these,
	// due in 1989 and 1990, are settled at once so that they do not get
	// them.
	settle := store.NewReminderService(db)
	for {
		due, err := settle.ClaimDue(ctx, "retention-test", clock, cyberlotse.DefaultReminderPolicy)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) == 0 {
			break
		}
		for _, d := range due {
			if err := settle.MarkSent(ctx, d.Reminder.ID, "retention-test", clock); err != nil {
				t.Fatal(err)
			}
		}
	}
	if carlaOld.Status != cyberlotse.Waitlisted || annaOld.Status != cyberlotse.Confirmed {
		t.Fatalf("set-up: carla %s, anna %s", carlaOld.Status, annaOld.Status)
	}
	gone := []string{annaOld.ID, berndOld.ID, carlaOld.ID, doraOld.ID, emilOld.ID}
	kept := []string{annaRecent.ID, fritzRecent.ID, fritzLong.ID}
	ids := []string{old.ID, oldNoEnd.ID, recent.ID, long.ID}

	counts := func() map[string][2]int {
		es, err := events.EventsByIDs(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][2]int{}
		for _, e := range es {
			out[e.ID] = [2]int{e.Confirmed, e.Waitlisted}
		}
		return out
	}
	reach := func(at time.Time) cyberlotse.Reach {
		if err := rollouts.RefreshReach(ctx, []string{sat.ID}, at); err != nil {
			t.Fatal(err)
		}
		cells, err := rollouts.Matrix(ctx, []string{sat.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cells {
			if c.MeasureCode == "M03" {
				r := *c.Reach
				r.AsOf = time.Time{}
				return r
			}
		}
		t.Fatal("no M03 cell")
		return cyberlotse.Reach{}
	}
	countsBefore, reachBefore := counts(), reach(clock)
	wantCounts := map[string][2]int{old.ID: {2, 1}, oldNoEnd.ID: {1, 0}, recent.ID: {2, 0}, long.ID: {1, 0}}
	if !reflect.DeepEqual(countsBefore, wantCounts) {
		t.Fatalf("counts before = %v, want %v", countsBefore, wantCounts)
	}
	// Four events; six confirmed registrations; four companies (Carla's
	// is on the waitlist, Dora cancelled).
	if reachBefore != (cyberlotse.Reach{Events: 4, Registrations: 6, Companies: 4}) {
		t.Fatalf("reach before = %+v", reachBefore)
	}
	before, err := store.RegistrationRecordsForTest(ctx, db, append(slices.Clone(gone), kept...))
	if err != nil {
		t.Fatal(err)
	}

	rep, err := regs.AnonymizeRegistrations(ctx, cutoff, clock)
	if err != nil {
		t.Fatal(err)
	}
	// Anna keeps her recent registration and stays; Bernd, Carla, Dora
	// and Emil had none other and are deleted.
	if rep != (store.RetentionReport{Registrations: 5, People: 4}) {
		t.Errorf("first run = %+v, want 5 registrations and 4 people", rep)
	}
	t.Logf("retention: %d registrations anonymized, %d people deleted", rep.Registrations, rep.People)

	after, err := store.RegistrationRecordsForTest(ctx, db, append(slices.Clone(gone), kept...))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range gone {
		r := after[id]
		for _, key := range []string{"name", "companyName", "ags"} {
			if _, ok := r[key]; ok {
				t.Errorf("anonymized registration %s still has %s: %v", id, key, r[key])
			}
		}
		if r["person"] != false || r["reminders"] != int64(0) || r["anonymizedAt"] == nil || r["status"] != before[id]["status"] {
			t.Errorf("anonymized registration %s = %v (before %v)", id, r, before[id])
		}
	}
	// The confirmed ones keep the companies their people worked at.
	for _, id := range []string{annaOld.ID, berndOld.ID, emilOld.ID} {
		if reached, _ := after[id]["reached"].([]any); len(reached) != 1 {
			t.Errorf("registration %s reached %v, want its company", id, after[id]["reached"])
		}
	}
	for _, id := range kept {
		if !reflect.DeepEqual(after[id], before[id]) {
			t.Errorf("registration %s changed: %v, was %v", id, after[id], before[id])
		}
	}

	// Not shown any more, not to be managed; the rest as before.
	if got, err := regs.RegistrationsByIDs(ctx, gone); err != nil || len(got) != 0 {
		t.Errorf("RegistrationsByIDs(anonymized) = %d, %v", len(got), err)
	}
	for e, want := range map[*cyberlotse.Event]int{old: 0, oldNoEnd: 0, recent: 2, long: 1} {
		if got, err := regs.RegistrationsOfEvent(ctx, e.ID); err != nil || len(got) != want {
			t.Errorf("RegistrationsOfEvent(%s) = %d, %v; want %d", e.StartsAt.Format(time.DateOnly), len(got), err, want)
		}
	}
	if got, err := regs.RegistrationsOfPerson(ctx, annaRecent.PersonID); err != nil || len(got) != 1 || got[0].ID != annaRecent.ID ||
		got[0].Attendee.Name != "Anna Altmann" {
		t.Errorf("Anna's registrations = %+v, %v", got, err)
	}
	if _, err := regs.Cancel(ctx, berndOld.ID, clock); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("cancel an anonymized registration: %v", err)
	}
	if _, err := regs.DeletePerson(ctx, berndOld.PersonID, clock); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("Bernd is still there: %v", err)
	}

	// What counts registrations counts the same.
	if got := counts(); !reflect.DeepEqual(got, countsBefore) {
		t.Errorf("counts after = %v, want %v", got, countsBefore)
	}
	if got := reach(clock.Add(time.Minute)); got != reachBefore {
		t.Errorf("reach after = %+v, want %+v", got, reachBefore)
	}

	// Again: nothing left to do.
	if rep, err := regs.AnonymizeRegistrations(ctx, cutoff, clock.Add(time.Hour)); err != nil || rep != (store.RetentionReport{}) {
		t.Errorf("second run = %+v, %v", rep, err)
	}
	if again, err := store.RegistrationRecordsForTest(ctx, db, append(slices.Clone(gone), kept...)); err != nil || !reflect.DeepEqual(again, after) {
		t.Errorf("second run changed the registrations: %v, %v", again, err)
	}
}
