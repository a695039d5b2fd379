package neo4j

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.RegistrationService = (*RegistrationService)(nil)

// RegistrationService implements cyberlotse.RegistrationService. Every
// write first takes the write lock of the event node (SET e.lockSeq), so
// that concurrent registrations for one event run one after another and
// the capacity holds: counting and creating happen under the same lock.
type RegistrationService struct {
	db *DB
	// events serializes this process's writes per event. Neo4j's lock on
	// the event node alone keeps the capacity (also across replicas), but
	// many transactions queueing on it deadlock each other and retry with
	// back-off; queueing here first keeps a burst of registrations fast.
	events stripedLock
	// NewID makes registration and person ids; tests inject their own.
	NewID func() string
	// Berlin is the zone of reminder wall-clock arithmetic.
	Berlin *time.Location
	// RetentionBatch is how many registrations one transaction of
	// AnonymizeRegistrations changes (0: 500).
	RetentionBatch int
}

func NewRegistrationService(db *DB, newID func() string, berlin *time.Location) *RegistrationService {
	return &RegistrationService{db: db, NewID: newID, Berlin: berlin}
}

const registrationProjection = `r {.id, .status, .createdAt, .cancelledAt, .name, .companyName, .ags, .seq,
	event: [(r)-[:FOR]->(ev:Event) | ev.id][0],
	person: [(p:Person)-[:REGISTERED]->(r) | p {.id, .email}][0],
	position: CASE WHEN r.status = 'WAITLISTED'
	  THEN 1 + COUNT { MATCH (w:Registration {status: 'WAITLISTED'})-[:FOR]->(:Event)<-[:FOR]-(r) WHERE w.seq < r.seq }
	  ELSE 0 END}`

func registrationFrom(r row) *cyberlotse.Registration {
	person, _ := r["person"].(map[string]any)
	reg := &cyberlotse.Registration{
		ID: r.str("id"), EventID: r.str("event"), PersonID: row(person).str("id"),
		Status: cyberlotse.RegistrationStatus(r.str("status")), Position: r.int("position"),
		CreatedAt: r.time("createdAt"), CancelledAt: r.timePtr("cancelledAt"),
		Attendee: cyberlotse.Attendee{Name: r.str("name"), Email: cyberlotse.Email(row(person).str("email")),
			CompanyName: r.str("companyName")},
	}
	if ags := r.str("ags"); ags != "" {
		a := cyberlotse.AGS(ags)
		reg.Attendee.AGS = &a
	}
	return reg
}

// lockEvent takes the event's write lock and returns it with fresh counts.
// It finds the node first with a read and locks it by element id: a
// unique-index lookup in a writing statement takes a shared index lock
// first, and two registrations holding it while waiting for the node lock
// deadlock each other.
func lockEvent(ctx context.Context, tx neo4j.ManagedTransaction, eventID string) (*cyberlotse.Event, int, error) {
	found, err := collectRows(ctx, tx, "e", `MATCH (e:Event {id: $id}) RETURN {eid: elementId(e)} AS e`, map[string]any{"id": eventID})
	if err != nil {
		return nil, 0, err
	}
	if len(found) == 0 {
		return nil, 0, cyberlotse.NotFound(cyberlotse.KindEvent, eventID)
	}
	res, err := tx.Run(ctx, `
		MATCH (e:Event) WHERE elementId(e) = $eid
		SET e.lockSeq = coalesce(e.lockSeq, 0) + 1
		RETURN `+eventProjection+` AS e, e.lockSeq AS seq`, map[string]any{"eid": found[0].str("eid")})
	if err != nil {
		return nil, 0, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, 0, err
	}
	seq, _ := recs[0].Get("seq")
	return mapRows(recs, "e", eventFrom)[0], int(seq.(int64)), nil
}

// countChange is the SET clause that keeps an event's registration
// counts (see 0007_read_speed) when a registration of the given
// status is added (delta 1) or leaves that status (delta -1).
func countChange(event, status, delta string) string {
	return fmt.Sprintf(`SET %[1]s.confirmedCount = coalesce(%[1]s.confirmedCount, 0) + CASE %[2]s WHEN 'CONFIRMED' THEN %[3]s ELSE 0 END,
	    %[1]s.waitlistedCount = coalesce(%[1]s.waitlistedCount, 0) + CASE %[2]s WHEN 'WAITLISTED' THEN %[3]s ELSE 0 END`, event, status, delta)
}

func collectRows(ctx context.Context, tx runner, key, cypher string, params map[string]any) ([]row, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err != nil {
		return nil, err
	}
	return rowsOf(recs, key), nil
}

// collectList runs a statement that returns one record with a list of
// maps under key (collect(...): one record instead of one per row) and
// returns the maps.
func collectList(ctx context.Context, tx runner, key, cypher string, params map[string]any) ([]row, error) {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	rec, err := res.Single(ctx)
	if err != nil {
		return nil, err
	}
	v, _ := rec.Get(key)
	xs, _ := v.([]any)
	out := make([]row, len(xs))
	for i, x := range xs {
		out[i] = row(x.(map[string]any))
	}
	return out, nil
}

func (s *RegistrationService) Register(ctx context.Context, in cyberlotse.RegisterInput, now time.Time) (*cyberlotse.RegistrationChange, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	// A first registration of a new e-mail for two events at once can race
	// on the Person's unique e-mail; the loser retries and finds the person.
	change, err := s.register(ctx, in, now)
	if cyberlotse.ErrorCode(err) == cyberlotse.ECONFLICT {
		change, err = s.register(ctx, in, now)
	}
	return change, err
}

func (s *RegistrationService) register(ctx context.Context, in cyberlotse.RegisterInput, now time.Time) (*cyberlotse.RegistrationChange, error) {
	defer s.events.lock(in.EventID)()
	regID, personID := s.NewID(), s.NewID()
	var change *cyberlotse.RegistrationChange
	err := s.db.writeTx(ctx, "neo4j.Register", func(tx neo4j.ManagedTransaction) error {
		change = nil
		e, seq, err := lockEvent(ctx, tx, in.EventID)
		if err != nil {
			return err
		}
		existing, err := collectRows(ctx, tx, "r", `
			MATCH (:Person {email: $email})-[:REGISTERED]->(r:Registration)-[:FOR]->(:Event {id: $event})
			WHERE r.status <> 'CANCELLED'
			RETURN `+registrationProjection+` AS r`, map[string]any{"email": string(in.Attendee.Email), "event": in.EventID})
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			change = &cyberlotse.RegistrationChange{Registration: registrationFrom(existing[0]), Existing: true}
			return nil
		}
		if err := cyberlotse.CanRegister(e, now); err != nil {
			return err
		}
		status, notice := cyberlotse.Confirmed, cyberlotse.NoticeConfirmation
		if e.Capacity != nil && e.Confirmed >= *e.Capacity {
			status, notice = cyberlotse.Waitlisted, cyberlotse.NoticeWaitlisted
		}
		var ags any
		if in.Attendee.AGS != nil {
			ags = string(*in.Attendee.AGS)
		}
		rows, err := collectRows(ctx, tx, "r", `
			MATCH (e:Event {id: $event})
			MERGE (p:Person {email: $email}) ON CREATE SET p.id = $personId, p.createdAt = $now
			SET p.name = $name
			CREATE (p)-[:REGISTERED]->(r:Registration {id: $id, status: $status, createdAt: $now, seq: $seq,
			        name: $name, companyName: $company, ags: $ags})-[:FOR]->(e)
			`+countChange("e", "$status", "1")+`
			WITH p, r
			// A company named with its municipality is recorded, so that the
			// rollout's reach can count the companies an event reached.
			CALL (p) {
			  WITH p WHERE $company IS NOT NULL AND $ags IS NOT NULL
			  MATCH (m:Municipality {ags: $ags})
			  MERGE (c:Company {key: $companyKey})
			  ON CREATE SET c.id = $companyId, c.name = $company, c.source = 'Anmeldung', c.sample = false
			  MERGE (c)-[:LOCATED_IN]->(m)
			  MERGE (p)-[:WORKS_AT]->(c)
			}
			RETURN `+registrationProjection+` AS r`,
			map[string]any{"event": in.EventID, "email": string(in.Attendee.Email), "personId": personID, "now": instant(now),
				"name": in.Attendee.Name, "id": regID, "status": string(status), "seq": seq,
				"company": emptyToNil(in.Attendee.CompanyName), "ags": ags,
				"companyKey": strings.ToLower(strings.TrimSpace(in.Attendee.CompanyName)) + "|" + fmt.Sprint(ags),
				"companyId":  s.NewID()})
		if err != nil {
			return err
		}
		reg := registrationFrom(rows[0])
		reminders := []*cyberlotse.Reminder{{ID: cyberlotse.NoticeID(reg.ID, notice, e.Sequence), Kind: notice, DueAt: now}}
		if status == cyberlotse.Confirmed {
			reminders = append(reminders, s.plan(reg.ID, e, now)...)
		}
		if err := createReminders(ctx, tx, reg.ID, reminders); err != nil {
			return err
		}
		change = &cyberlotse.RegistrationChange{Registration: reg}
		return logChanges(ctx, tx, eventCountsChanged(in.EventID))
	})
	return change, err
}

func (s *RegistrationService) plan(regID string, e *cyberlotse.Event, now time.Time) []*cyberlotse.Reminder {
	offsets := e.ReminderOffsets
	if offsets == nil {
		offsets = cyberlotse.DefaultReminderOffsets
	}
	return cyberlotse.PlanReminders(regID, e.StartsAt, offsets, now, s.Berlin)
}

// createReminders merges reminders on their ids, so that a retried
// transaction or a repeated notice does not queue a mail twice.
func createReminders(ctx context.Context, tx neo4j.ManagedTransaction, regID string, rs []*cyberlotse.Reminder) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(rs))
	for i, r := range rs {
		rows[i] = map[string]any{"id": r.ID, "kind": r.Kind, "dueAt": instant(r.DueAt)}
	}
	_, err := tx.Run(ctx, `
		MATCH (r:Registration {id: $reg})
		UNWIND $rows AS row
		MERGE (rem:Reminder {id: row.id})
		ON CREATE SET rem.kind = row.kind, rem.dueAt = row.dueAt, rem.state = 'PENDING', rem.attempts = 0
		MERGE (rem)-[:FOR]->(r)`, map[string]any{"reg": regID, "rows": rows})
	return err
}

func (s *RegistrationService) Cancel(ctx context.Context, id string, now time.Time) (*cyberlotse.RegistrationChange, error) {
	events, err := s.eventsOf(ctx, "neo4j.Cancel", `MATCH (:Registration {id: $key})-[:FOR]->(e:Event) RETURN e.id AS id`, id)
	if err != nil {
		return nil, err
	}
	defer s.lockAll(events)()
	var change *cyberlotse.RegistrationChange
	err = s.db.writeTx(ctx, "neo4j.Cancel", func(tx neo4j.ManagedTransaction) error {
		var err error
		change, err = s.cancel(ctx, tx, id, now, true)
		return err
	})
	return change, err
}

// eventsOf returns the ids of the events a write will lock, so that this
// process takes its own per-event locks first (see events).
func (s *RegistrationService) eventsOf(ctx context.Context, op, cypher, key string) ([]string, error) {
	recs, err := s.db.read(ctx, op, cypher, map[string]any{"key": key})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, r := range recs {
		if v, ok := r.Get("id"); ok {
			if id, ok := v.(string); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids, nil
}

// lockAll takes the per-event locks of ids in a fixed order (no deadlock
// between two callers locking overlapping sets) and returns the unlock.
func (s *RegistrationService) lockAll(ids []string) func() {
	stripes := map[uint32]bool{}
	for _, id := range ids {
		stripes[stripeOf(id)] = true
	}
	order := make([]uint32, 0, len(stripes))
	for k := range stripes {
		order = append(order, k)
	}
	slices.Sort(order)
	for _, k := range order {
		s.events[k].Lock()
	}
	return func() {
		for _, k := range order {
			s.events[k].Unlock()
		}
	}
}

// cancel cancels one registration inside tx and fills freed places from
// the waitlist. notify queues the cancellation mail to the person.
func (s *RegistrationService) cancel(ctx context.Context, tx neo4j.ManagedTransaction, id string, now time.Time, notify bool) (*cyberlotse.RegistrationChange, error) {
	rows, err := collectRows(ctx, tx, "r", `MATCH (r:Registration {id: $id}) WHERE r.anonymizedAt IS NULL RETURN `+registrationProjection+` AS r`, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Die Anmeldung wurde nicht gefunden; vielleicht wurden die Daten bereits gelöscht.")
	}
	reg := registrationFrom(rows[0])
	if reg.Status == cyberlotse.Cancelled {
		return &cyberlotse.RegistrationChange{Registration: reg, Existing: true}, nil
	}
	e, _, err := lockEvent(ctx, tx, reg.EventID)
	if err != nil {
		return nil, err
	}
	if _, err := tx.Run(ctx, `
		MATCH (r:Registration {id: $id})-[:FOR]->(e:Event)
		WITH r, e, r.status AS was
		SET r.status = 'CANCELLED', r.cancelledAt = $now
		`+countChange("e", "was", "-1")+`
		WITH r MATCH (rem:Reminder {state: 'PENDING'})-[:FOR]->(r) SET rem.state = 'SKIPPED'`,
		map[string]any{"id": id, "now": instant(now)}); err != nil {
		return nil, err
	}
	if notify {
		if err := createReminders(ctx, tx, id, []*cyberlotse.Reminder{{ID: cyberlotse.NoticeID(id, cyberlotse.NoticeCancelled, e.Sequence),
			Kind: cyberlotse.NoticeCancelled, DueAt: now}}); err != nil {
			return nil, err
		}
	}
	change := &cyberlotse.RegistrationChange{}
	if reg.Status == cyberlotse.Confirmed {
		e.Confirmed--
		if change.Promoted, err = s.promote(ctx, tx, e, now); err != nil {
			return nil, err
		}
	}
	rows, err = collectRows(ctx, tx, "r", `MATCH (r:Registration {id: $id}) RETURN `+registrationProjection+` AS r`, map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	change.Registration = registrationFrom(rows[0])
	return change, logChanges(ctx, tx, eventCountsChanged(reg.EventID))
}

// promote confirms the first waitlisted registrations while places are
// free; the event's lock must be held.
func (s *RegistrationService) promote(ctx context.Context, tx neo4j.ManagedTransaction, e *cyberlotse.Event, now time.Time) ([]*cyberlotse.Registration, error) {
	free := -1
	if e.Capacity != nil {
		free = *e.Capacity - e.Confirmed
	}
	if free == 0 || e.Waitlisted == 0 || e.Status == cyberlotse.EventCancelled || !e.StartsAt.After(now) {
		return nil, nil
	}
	if free < 0 {
		free = e.Waitlisted // unlimited again: everyone moves up
	}
	rows, err := collectRows(ctx, tx, "r", `
		MATCH (w:Registration {status: 'WAITLISTED'})-[:FOR]->(:Event {id: $event})
		WITH w ORDER BY w.seq LIMIT $free
		SET w.status = 'CONFIRMED', w.promotedAt = $now
		WITH w AS r
		RETURN `+registrationProjection+` AS r`, map[string]any{"event": e.ID, "free": free, "now": instant(now)})
	if err != nil {
		return nil, err
	}
	if len(rows) > 0 {
		if _, err := tx.Run(ctx, `MATCH (e:Event {id: $event})
			SET e.confirmedCount = coalesce(e.confirmedCount, 0) + $n, e.waitlistedCount = coalesce(e.waitlistedCount, 0) - $n`,
			map[string]any{"event": e.ID, "n": len(rows)}); err != nil {
			return nil, err
		}
	}
	var promoted []*cyberlotse.Registration
	for _, r := range rows {
		reg := registrationFrom(r)
		rems := append([]*cyberlotse.Reminder{{ID: cyberlotse.NoticeID(reg.ID, cyberlotse.NoticePromoted, e.Sequence),
			Kind: cyberlotse.NoticePromoted, DueAt: now}}, s.plan(reg.ID, e, now)...)
		if err := createReminders(ctx, tx, reg.ID, rems); err != nil {
			return nil, err
		}
		promoted = append(promoted, reg)
	}
	return promoted, nil
}

func (s *RegistrationService) RegistrationsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Registration, error) {
	recs, err := s.db.read(ctx, "neo4j.RegistrationsByIDs",
		`MATCH (r:Registration) WHERE r.id IN $ids AND r.anonymizedAt IS NULL RETURN `+registrationProjection+` AS r`, map[string]any{"ids": ids})
	return mapRows(recs, "r", registrationFrom), err
}

func (s *RegistrationService) RegistrationsOfPerson(ctx context.Context, personID string) ([]*cyberlotse.Registration, error) {
	recs, err := s.db.read(ctx, "neo4j.RegistrationsOfPerson", `
		MATCH (:Person {id: $id})-[:REGISTERED]->(r:Registration)
		RETURN `+registrationProjection+` AS r ORDER BY r.createdAt DESC`, map[string]any{"id": personID})
	return mapRows(recs, "r", registrationFrom), err
}

func (s *RegistrationService) RegistrationsOfEvent(ctx context.Context, eventID string) ([]*cyberlotse.Registration, error) {
	recs, err := s.db.read(ctx, "neo4j.RegistrationsOfEvent", `
		MATCH (r:Registration)-[:FOR]->(:Event {id: $id}) WHERE r.anonymizedAt IS NULL
		RETURN `+registrationProjection+` AS r
		ORDER BY CASE r.status WHEN 'CONFIRMED' THEN 0 WHEN 'WAITLISTED' THEN 1 ELSE 2 END, r.seq`,
		map[string]any{"id": eventID})
	return mapRows(recs, "r", registrationFrom), err
}

func (s *RegistrationService) DeletePerson(ctx context.Context, personID string, now time.Time) (*cyberlotse.RegistrationChange, error) {
	events, err := s.eventsOf(ctx, "neo4j.DeletePerson",
		`MATCH (:Person {id: $key})-[:REGISTERED]->(:Registration)-[:FOR]->(e:Event) RETURN DISTINCT e.id AS id`, personID)
	if err != nil {
		return nil, err
	}
	defer s.lockAll(events)()
	change := &cyberlotse.RegistrationChange{}
	err = s.db.writeTx(ctx, "neo4j.DeletePerson", func(tx neo4j.ManagedTransaction) error {
		change.Promoted = nil
		rows, err := collectRows(ctx, tx, "r", `
			MATCH (p:Person {id: $id}) OPTIONAL MATCH (p)-[:REGISTERED]->(r:Registration)
			RETURN r {.id, .status, found: true} AS r`, map[string]any{"id": personID})
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Zu diesem Link sind keine Daten (mehr) gespeichert.")
		}
		for _, r := range rows {
			if r.str("id") == "" || r.str("status") == string(cyberlotse.Cancelled) {
				continue
			}
			c, err := s.cancel(ctx, tx, r.str("id"), now, false)
			if err != nil {
				return err
			}
			change.Promoted = append(change.Promoted, c.Promoted...)
		}
		_, err = tx.Run(ctx, `
			MATCH (p:Person {id: $id})
			OPTIONAL MATCH (p)-[:REGISTERED]->(r:Registration)
			OPTIONAL MATCH (rem:Reminder)-[:FOR]->(r)
			DETACH DELETE rem, r, p`, map[string]any{"id": personID})
		return err
	})
	return change, err
}

// stripedLock is a fixed set of mutexes picked by key: per-key locking
// without a map that grows with the keys.
type stripedLock [64]sync.Mutex

func (l *stripedLock) lock(key string) (unlock func()) {
	m := &l[stripeOf(key)]
	m.Lock()
	return m.Unlock
}

func stripeOf(key string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(key))
	return h.Sum32() % uint32(len(stripedLock{}))
}

func emptyToNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// RecountRegistrations sets every event's stored registration counts to
// the counts of its registrations, batch by batch, and returns how many
// events were off. The counts are kept by every registration write; this
// repairs them after writes that bypassed them (an older replica during a
// rolling upgrade across 0007, a hand-made change). Each batch locks its
// events first and counts in a second statement, so a registration
// running at the same time is either counted or waits.
func (s *RegistrationService) RecountRegistrations(ctx context.Context, progress func(done, total int)) (int, error) {
	recs, err := s.db.read(ctx, "neo4j.RecountEvents", `MATCH (e:Event) RETURN elementId(e) AS eid`, nil)
	if err != nil {
		return 0, err
	}
	eids := make([]string, len(recs))
	for i, r := range recs {
		v, _ := r.Get("eid")
		eids[i], _ = v.(string)
	}
	fixed := 0
	for start := 0; start < len(eids); start += 500 {
		batch := eids[start:min(start+500, len(eids))]
		n := 0 // set by the transaction, which the driver may retry
		err := s.db.writeTx(ctx, "neo4j.RecountRegistrations", func(tx neo4j.ManagedTransaction) error {
			if _, err := tx.Run(ctx, `MATCH (e:Event) WHERE elementId(e) IN $eids SET e.lockSeq = coalesce(e.lockSeq, 0) + 1`,
				map[string]any{"eids": batch}); err != nil {
				return err
			}
			rows, err := collectRows(ctx, tx, "n", `
				MATCH (e:Event) WHERE elementId(e) IN $eids
				WITH e, COUNT { (:Registration {status: 'CONFIRMED'})-[:FOR]->(e) } AS confirmed,
				        COUNT { (:Registration {status: 'WAITLISTED'})-[:FOR]->(e) } AS waitlisted
				WHERE coalesce(e.confirmedCount, 0) <> confirmed OR coalesce(e.waitlistedCount, 0) <> waitlisted
				SET e.confirmedCount = confirmed, e.waitlistedCount = waitlisted
				RETURN {fixed: collect(e.id)} AS n`, map[string]any{"eids": batch})
			if err != nil || len(rows) == 0 {
				return err
			}
			ids := rows[0].strs("fixed")
			n = len(ids)
			return logChanges(ctx, tx, eventCountsChanged(ids...))
		})
		if err != nil {
			return fixed, err
		}
		fixed += n
		if progress != nil {
			progress(min(start+500, len(eids)), len(eids))
		}
	}
	return fixed, nil
}
