package neo4j

import (
	"context"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// leases settles the leases of one mail queue's nodes — the reminders,
// the advisory alerts — which the Notifier claims, renews, releases and
// marks sent or failed alike. A lease is held while its owner is named
// and it is not settled (MarkSent and MarkFailed clear leaseUntil):
// renewing one that expired but that nobody else claimed is safe.
type leases struct {
	db    *DB
	label string // the nodes' label: a constant, never input
	infix string // in the operations' names: "" (reminders), "Alert"
	what  string // for messages: "reminder", "advisory alert"
}

// lease claims due nodes for owner inside the caller's transaction and
// returns them projected (projection over the variable as): first it
// locks the candidates, then — in a second statement, which reads what
// other transactions committed while it waited for the locks — it
// re-checks and leases them. (Within one statement Cypher may reuse
// property values read before the lock was granted.)
func (l leases) lease(ctx context.Context, tx runner, owner string, now time.Time, p cyberlotse.ReminderPolicy,
	as, projection string) ([]row, error) {
	locked, err := collectRows(ctx, tx, "n", `
		MATCH (n:`+l.label+` {state: 'PENDING'})
		WHERE n.dueAt <= $now
		  AND (n.nextAttemptAt IS NULL OR n.nextAttemptAt <= $now)
		  AND (n.leaseUntil IS NULL OR n.leaseUntil <= $now)
		// Of the oldest due, a random batch: replicas claiming at the same
		// time then mostly take different nodes instead of queueing on the
		// same locks. The locks are taken in id order, as everywhere these
		// nodes are locked in numbers: two claims that overlap wait for
		// each other instead of deadlocking.
		WITH n ORDER BY n.dueAt LIMIT $window
		WITH n ORDER BY rand() LIMIT $batch
		WITH n ORDER BY n.id
		SET n.lockSeq = coalesce(n.lockSeq, 0) + 1
		RETURN n {.id} AS n`,
		map[string]any{"now": instant(now), "batch": p.Batch, "window": 4 * p.Batch})
	if err != nil || len(locked) == 0 {
		return nil, err
	}
	ids := make([]string, len(locked))
	for i, r := range locked {
		ids[i] = r.str("id")
	}
	return collectRows(ctx, tx, "n", `
		MATCH (n:`+l.label+`) WHERE n.id IN $ids
		  AND n.state = 'PENDING' AND (n.leaseUntil IS NULL OR n.leaseUntil <= $now)
		// The count is computed before the SET: "SET n.attempts =
		// n.attempts + 1" re-takes the lock this transaction holds, which
		// Neo4j's deadlock detection mistakes for a deadlock with a claim
		// waiting for it (neo4j/neo4j#13291).
		WITH n, n.attempts + 1 AS attempts
		SET n.leaseOwner = $owner, n.leaseUntil = $leaseUntil, n.attempts = attempts
		WITH n AS `+as+`
		RETURN `+projection+` AS n`,
		map[string]any{"ids": ids, "now": instant(now), "owner": owner, "leaseUntil": instant(now.Add(p.Lease))})
}

func (l leases) RenewLeases(ctx context.Context, owner string, ids []string, until time.Time) ([]string, error) {
	recs, err := l.db.write(ctx, "neo4j.Renew"+l.infix+"Leases", `
		MATCH (n:`+l.label+`) WHERE n.id IN $ids
		  AND n.leaseOwner = $owner AND n.state = 'PENDING' AND n.leaseUntil IS NOT NULL
		WITH n ORDER BY n.id
		SET n.leaseUntil = $until
		RETURN n {.id} AS n`, map[string]any{"ids": ids, "owner": owner, "until": instant(until)})
	if err != nil {
		return nil, err
	}
	held := make([]string, 0, len(recs))
	for _, r := range rowsOf(recs, "n") {
		held = append(held, r.str("id"))
	}
	return held, nil
}

func (l leases) ReleaseLeases(ctx context.Context, owner string, ids []string) error {
	_, err := l.db.write(ctx, "neo4j.Release"+l.infix+"Leases", `
		MATCH (n:`+l.label+`) WHERE n.id IN $ids
		  AND n.leaseOwner = $owner AND n.state = 'PENDING' AND n.leaseUntil IS NOT NULL
		WITH n, n.attempts - 1 AS attempts ORDER BY n.id
		SET n.leaseUntil = null, n.attempts = attempts`,
		map[string]any{"ids": ids, "owner": owner})
	return err
}

func (l leases) MarkSent(ctx context.Context, id, owner string, now time.Time) error {
	recs, err := l.db.write(ctx, "neo4j.Mark"+l.infix+"Sent", `
		MATCH (n:`+l.label+` {id: $id, leaseOwner: $owner, state: 'PENDING'})
		SET n.state = 'SENT', n.sentAt = $now, n.leaseUntil = null, n.lastError = null
		RETURN n.id AS id`, map[string]any{"id": id, "owner": owner, "now": instant(now)})
	if err == nil && len(recs) == 0 {
		return cyberlotse.Errorf(cyberlotse.ECONFLICT, "%s %s is not leased to %s", l.what, id, owner)
	}
	return err
}

func (l leases) MarkFailed(ctx context.Context, id, owner string, now time.Time, retryAt *time.Time, reason string) error {
	var next any
	state := string(cyberlotse.ReminderFailed)
	if retryAt != nil {
		next, state = instant(*retryAt), string(cyberlotse.ReminderPending)
	}
	recs, err := l.db.write(ctx, "neo4j.Mark"+l.infix+"Failed", `
		MATCH (n:`+l.label+` {id: $id, leaseOwner: $owner, state: 'PENDING'})
		SET n.state = $state, n.nextAttemptAt = $next, n.leaseUntil = null, n.lastError = $reason, n.failedAt = $now
		RETURN n.id AS id`, map[string]any{"id": id, "owner": owner, "state": state, "next": next, "reason": reason, "now": instant(now)})
	if err == nil && len(recs) == 0 {
		return cyberlotse.Errorf(cyberlotse.ECONFLICT, "%s %s is not leased to %s", l.what, id, owner)
	}
	return err
}
