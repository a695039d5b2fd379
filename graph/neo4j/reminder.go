package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.ReminderService = (*ReminderService)(nil)

// ReminderService implements the reminder queue: claims are leases written
// in the same transaction that re-checks them under the node's write lock,
// so two schedulers never hold the same reminder at once.
type ReminderService struct {
	db *DB
	leases
}

func NewReminderService(db *DB) *ReminderService {
	return &ReminderService{db: db, leases: leases{db: db, label: "Reminder", what: "reminder"}}
}

const reminderProjection = `rem {.id, .kind, .dueAt, .state, .attempts, .nextAttemptAt, .sentAt, .lastError,
	registration: [(rem)-[:FOR]->(r:Registration) | r.id][0]}`

func reminderFrom(r row) *cyberlotse.Reminder {
	return &cyberlotse.Reminder{ID: r.str("id"), RegistrationID: r.str("registration"), Kind: r.str("kind"),
		DueAt: r.time("dueAt"), State: cyberlotse.ReminderState(r.str("state")), Attempts: r.int("attempts"),
		NextAttemptAt: r.timePtr("nextAttemptAt"), SentAt: r.timePtr("sentAt"), LastError: r.str("lastError")}
}

func (s *ReminderService) ClaimDue(ctx context.Context, owner string, now time.Time, p cyberlotse.ReminderPolicy) ([]*cyberlotse.DueReminder, error) {
	var claimed []row
	err := s.db.writeTx(ctx, "neo4j.ClaimDue", func(tx neo4j.ManagedTransaction) error {
		claimed = nil
		// Reminders that must not go out any more are skipped, not sent late.
		if _, err := tx.Run(ctx, `
			MATCH (rem:Reminder {state: 'PENDING'}) WHERE rem.dueAt <= $now
			MATCH (rem)-[:FOR]->(r:Registration)-[:FOR]->(e:Event)
			WITH rem, r, e, rem.kind IN $notices AS notice
			WHERE (NOT notice AND (r.status <> 'CONFIRMED' OR e.status = 'CANCELLED' OR rem.dueAt < $staleBefore OR e.startsAt <= $now))
			   OR (rem.kind IN $voidIfCancelled AND (r.status = 'CANCELLED' OR e.status = 'CANCELLED'))
			WITH rem ORDER BY rem.id
			SET rem.state = 'SKIPPED', rem.skippedAt = $now`,
			map[string]any{"now": instant(now), "staleBefore": instant(now.Add(-p.Stale)), "notices": cyberlotse.Notices,
				"voidIfCancelled": cyberlotse.NoticesVoidIfCancelled}); err != nil {
			return err
		}
		var err error
		claimed, err = s.lease(ctx, tx, owner, now, p, "rem", reminderProjection)
		return err
	})
	if err != nil || len(claimed) == 0 {
		return nil, err
	}
	// What the mails need is read after the claim has committed, so that
	// the claim holds its locks for as short as possible: replicas that
	// claim at the same time wait for each other less. (A reminder whose
	// row is missing stays leased and is claimed again when that expires.)
	ids := make([]string, len(claimed))
	for i, r := range claimed {
		ids[i] = r.str("id")
	}
	recs, err := s.db.write(ctx, "neo4j.ClaimDue.details", `
		MATCH (rem:Reminder)-[:FOR]->(reg:Registration)-[:FOR]->(ev:Event)-[:ORGANIZED_BY]->(org:Organization)
		WHERE rem.id IN $ids
		// Each projection runs in its own scope, so that its variable
		// names cannot capture the others' (r, e, o).
		CALL (reg) { WITH reg AS r RETURN `+registrationProjection+` AS regMap }
		CALL (ev) { WITH ev AS e RETURN `+eventProjection+` AS evMap }
		CALL (org) { WITH org AS o RETURN `+organizationProjection+` AS orgMap }
		RETURN rem.id AS id, {registration: regMap, event: evMap, organizer: orgMap} AS due`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	details := make(map[string]row, len(recs))
	for _, rec := range recs {
		id, _ := rec.Get("id")
		key, _ := id.(string)
		details[key] = rowOf(rec, "due")
	}
	out := make([]*cyberlotse.DueReminder, 0, len(claimed))
	for _, c := range claimed {
		d, ok := details[c.str("id")]
		if !ok {
			continue
		}
		part := func(k string) row { m, _ := d[k].(map[string]any); return m }
		out = append(out, &cyberlotse.DueReminder{Reminder: reminderFrom(c),
			Registration: registrationFrom(part("registration")), Event: eventFrom(part("event")),
			Organizer: organizationFrom(part("organizer"))})
	}
	return out, nil
}

func (s *ReminderService) RemindersOfEvent(ctx context.Context, eventID string) ([]*cyberlotse.Reminder, error) {
	recs, err := s.db.read(ctx, "neo4j.RemindersOfEvent", `
		MATCH (rem:Reminder)-[:FOR]->(:Registration)-[:FOR]->(:Event {id: $id})
		RETURN `+reminderProjection+` AS rem ORDER BY rem.dueAt, rem.id`, map[string]any{"id": eventID})
	return mapRows(recs, "rem", reminderFrom), err
}

// RemindersOfRegistrations returns, per registration id, its reminders.
func (s *ReminderService) RemindersOfRegistrations(ctx context.Context, ids []string) (map[string][]*cyberlotse.Reminder, error) {
	recs, err := s.db.read(ctx, "neo4j.RemindersOfRegistrations", `
		MATCH (rem:Reminder)-[:FOR]->(r:Registration) WHERE r.id IN $ids
		RETURN r.id AS key, `+reminderProjection+` AS rem ORDER BY rem.dueAt, rem.id`, map[string]any{"ids": ids})
	return groupRows(recs, "rem", reminderFrom), err
}
