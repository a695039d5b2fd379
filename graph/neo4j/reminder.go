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
type ReminderService struct{ db *DB }

func NewReminderService(db *DB) *ReminderService { return &ReminderService{db: db} }

const reminderProjection = `rem {.id, .kind, .dueAt, .state, .attempts, .nextAttemptAt, .sentAt, .lastError,
	registration: [(rem)-[:FOR]->(r:Registration) | r.id][0]}`

func reminderFrom(r row) *cyberlotse.Reminder {
	return &cyberlotse.Reminder{ID: r.str("id"), RegistrationID: r.str("registration"), Kind: r.str("kind"),
		DueAt: r.time("dueAt"), State: cyberlotse.ReminderState(r.str("state")), Attempts: r.int("attempts"),
		NextAttemptAt: r.timePtr("nextAttemptAt"), SentAt: r.timePtr("sentAt"), LastError: r.str("lastError")}
}

func (s *ReminderService) ClaimDue(ctx context.Context, owner string, now time.Time, p cyberlotse.ReminderPolicy) ([]*cyberlotse.DueReminder, error) {
	var out []*cyberlotse.DueReminder
	err := s.db.writeTx(ctx, "neo4j.ClaimDue", func(tx neo4j.ManagedTransaction) error {
		out = nil
		// Reminders that must not go out any more are skipped, not sent late.
		if _, err := tx.Run(ctx, `
			MATCH (rem:Reminder {state: 'PENDING'}) WHERE rem.dueAt <= $now
			MATCH (rem)-[:FOR]->(r:Registration)-[:FOR]->(e:Event)
			WITH rem, r, e, rem.kind IN $notices AS notice
			WHERE (NOT notice AND (r.status <> 'CONFIRMED' OR e.status = 'CANCELLED' OR rem.dueAt < $staleBefore OR e.startsAt <= $now))
			   OR (rem.kind IN $voidIfCancelled AND (r.status = 'CANCELLED' OR e.status = 'CANCELLED'))
			SET rem.state = 'SKIPPED', rem.skippedAt = $now`,
			map[string]any{"now": instant(now), "staleBefore": instant(now.Add(-p.Stale)), "notices": cyberlotse.Notices,
				"voidIfCancelled": cyberlotse.NoticesVoidIfCancelled}); err != nil {
			return err
		}
		// First lock the candidates, then — in a second statement, which
		// reads what other transactions committed while we waited for the
		// locks — re-check and lease them. (Within one statement Cypher may
		// reuse property values read before the lock was granted.)
		locked, err := collectRows(ctx, tx, "rem", `
			MATCH (rem:Reminder {state: 'PENDING'})
			WHERE rem.dueAt <= $now
			  AND (rem.nextAttemptAt IS NULL OR rem.nextAttemptAt <= $now)
			  AND (rem.leaseUntil IS NULL OR rem.leaseUntil <= $now)
			// Of the oldest due, a random batch: replicas claiming at the
			// same time then mostly take different reminders instead of
			// queueing on the same locks.
			WITH rem ORDER BY rem.dueAt LIMIT $window
			WITH rem ORDER BY rand() LIMIT $batch
			SET rem.lockSeq = coalesce(rem.lockSeq, 0) + 1
			RETURN rem {.id} AS rem`,
			map[string]any{"now": instant(now), "batch": p.Batch, "window": 4 * p.Batch})
		if err != nil || len(locked) == 0 {
			return err
		}
		ids := make([]string, len(locked))
		for i, r := range locked {
			ids[i] = r.str("id")
		}
		rows, err := collectRows(ctx, tx, "due", `
			MATCH (rem:Reminder) WHERE rem.id IN $ids
			  AND rem.state = 'PENDING' AND (rem.leaseUntil IS NULL OR rem.leaseUntil <= $now)
			SET rem.leaseOwner = $owner, rem.leaseUntil = $leaseUntil, rem.attempts = rem.attempts + 1
			WITH rem
			MATCH (rem)-[:FOR]->(reg:Registration)-[:FOR]->(ev:Event)-[:ORGANIZED_BY]->(org:Organization)
			// Each projection runs in its own scope, so that its variable
			// names cannot capture the others' (r, e, o).
			CALL (reg) { WITH reg AS r RETURN `+registrationProjection+` AS regMap }
			CALL (ev) { WITH ev AS e RETURN `+eventProjection+` AS evMap }
			CALL (org) { WITH org AS o RETURN `+organizationProjection+` AS orgMap }
			RETURN {reminder: `+reminderProjection+`, registration: regMap, event: evMap, organizer: orgMap} AS due`,
			map[string]any{"ids": ids, "now": instant(now), "owner": owner, "leaseUntil": instant(now.Add(p.Lease))})
		if err != nil {
			return err
		}
		for _, r := range rows {
			part := func(k string) row { m, _ := r[k].(map[string]any); return m }
			out = append(out, &cyberlotse.DueReminder{Reminder: reminderFrom(part("reminder")),
				Registration: registrationFrom(part("registration")), Event: eventFrom(part("event")),
				Organizer: organizationFrom(part("organizer"))})
		}
		return nil
	})
	return out, err
}

func (s *ReminderService) MarkSent(ctx context.Context, id, owner string, now time.Time) error {
	recs, err := s.db.write(ctx, "neo4j.MarkSent", `
		MATCH (rem:Reminder {id: $id, leaseOwner: $owner, state: 'PENDING'})
		SET rem.state = 'SENT', rem.sentAt = $now, rem.leaseUntil = null, rem.lastError = null
		RETURN rem.id AS id`, map[string]any{"id": id, "owner": owner, "now": instant(now)})
	if err == nil && len(recs) == 0 {
		return cyberlotse.Errorf(cyberlotse.ECONFLICT, "reminder %s is not leased to %s", id, owner)
	}
	return err
}

func (s *ReminderService) MarkFailed(ctx context.Context, id, owner string, now time.Time, retryAt *time.Time, reason string) error {
	var next any
	state := string(cyberlotse.ReminderFailed)
	if retryAt != nil {
		next, state = instant(*retryAt), string(cyberlotse.ReminderPending)
	}
	recs, err := s.db.write(ctx, "neo4j.MarkFailed", `
		MATCH (rem:Reminder {id: $id, leaseOwner: $owner, state: 'PENDING'})
		SET rem.state = $state, rem.nextAttemptAt = $next, rem.leaseUntil = null, rem.lastError = $reason, rem.failedAt = $now
		RETURN rem.id AS id`, map[string]any{"id": id, "owner": owner, "state": state, "next": next, "reason": reason, "now": instant(now)})
	if err == nil && len(recs) == 0 {
		return cyberlotse.Errorf(cyberlotse.ECONFLICT, "reminder %s is not leased to %s", id, owner)
	}
	return err
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
