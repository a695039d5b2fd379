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
