package neo4j

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var _ cyberlotse.AdvisoryAlertService = (*AdvisoryAlertService)(nil)

// AdvisoryAlertService implements cyberlotse.AdvisoryAlertService:
//
//	(:AdvisoryAlertSubscription {id, ags, email, minCvss, immediate, createdAt, updatedAt})  written by the API
//	(:AdvisoryMark {ags, advisoryKey, state, version})                                     written by the API
//	(:AdvisoryAlertSent {key: "subscription|advisoryKey|version", subscription, advisoryKey, version, alert, at})
//	(:AdvisoryDigestSlot {key: "subscription|slot", subscription, slot, at})
//	(:AdvisoryAlert {id, kind, subscription, ags, advisoryKey, version, items (JSON), dueAt, createdAt,
//	  state, attempts, leaseOwner, leaseUntil, nextAttemptAt, sentAt, lastError})
//
// The unique keys of AdvisoryAlertSent and AdvisoryDigestSlot are what
// make queueing exactly once: the queueing transaction MERGEs them, which
// waits for a concurrent transaction holding the same key, and queues a
// mail only for the records it created. (:AdvisoryAlert) is a queue like
// (:Reminder), claimed with leases the same way.
type AdvisoryAlertService struct {
	db *DB
	leases
}

func NewAdvisoryAlertService(db *DB) *AdvisoryAlertService {
	return &AdvisoryAlertService{db: db, leases: leases{db: db, label: "AdvisoryAlert", infix: "Alert", what: "advisory alert"}}
}

func subscriptionFrom(r row) *cyberlotse.AdvisoryAlertSubscription {
	return &cyberlotse.AdvisoryAlertSubscription{ID: r.str("id"), AGS: cyberlotse.AGS(r.str("ags")),
		Email: cyberlotse.Email(r.str("email")), MinCVSS: r.float("minCvss"), Immediate: r.bool("immediate"),
		CreatedAt: r.time("createdAt"), UpdatedAt: r.time("updatedAt")}
}

func (s *AdvisoryAlertService) Subscriptions(ctx context.Context) ([]*cyberlotse.AdvisoryAlertSubscription, error) {
	recs, err := s.db.read(ctx, "neo4j.AdvisoryAlertSubscriptions", `
		MATCH (s:AdvisoryAlertSubscription) WHERE s.id IS NOT NULL AND s.ags IS NOT NULL AND s.email IS NOT NULL
		RETURN s {.id, .ags, .email, .minCvss, .immediate, .createdAt, .updatedAt} AS s ORDER BY s.ags, s.id`, nil)
	return mapRows(recs, "s", subscriptionFrom), err
}

func (s *AdvisoryAlertService) Marks(ctx context.Context, ags cyberlotse.AGS) ([]cyberlotse.AdvisoryMark, error) {
	recs, err := s.db.read(ctx, "neo4j.AdvisoryMarks", `
		MATCH (m:AdvisoryMark {ags: $ags})
		RETURN m {.advisoryKey, .state, .version} AS m`, map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	out := make([]cyberlotse.AdvisoryMark, 0, len(recs))
	for _, r := range rowsOf(recs, "m") {
		out = append(out, cyberlotse.AdvisoryMark{AGS: ags, AdvisoryKey: r.str("advisoryKey"), State: r.str("state"), Version: r.str("version")})
	}
	return out, nil
}

// sentRows are the items as parameters, in key order: concurrent
// transactions lock the records in the same order and so never deadlock.
func sentRows(sub *cyberlotse.AdvisoryAlertSubscription, items []cyberlotse.AlertItem, alertID func(cyberlotse.AlertItem) string) ([]map[string]any, error) {
	rows := make([]map[string]any, 0, len(items))
	for _, it := range items {
		b, err := json.Marshal([]cyberlotse.AlertItem{it})
		if err != nil {
			return nil, err
		}
		rows = append(rows, map[string]any{"sentKey": it.SentKey(sub.ID), "key": it.AdvisoryKey, "version": it.Version,
			"alertId": alertID(it), "items": string(b)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i]["sentKey"].(string) < rows[j]["sentKey"].(string) })
	return rows, nil
}

// recordSent MERGEs the sent records and returns the rows it created.
const recordSent = `
	UNWIND $rows AS it
	MERGE (s:AdvisoryAlertSent {key: it.sentKey})
	ON CREATE SET s.subscription = $sub, s.advisoryKey = it.key, s.version = it.version, s.alert = it.alertId,
		s.at = $now, s.fresh = true
	WITH s, it, coalesce(s.fresh, false) AS fresh
	REMOVE s.fresh
	WITH it WHERE fresh`

func (s *AdvisoryAlertService) QueueImmediate(ctx context.Context, sub *cyberlotse.AdvisoryAlertSubscription, items []cyberlotse.AlertItem, now time.Time) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	rows, err := sentRows(sub, items, func(it cyberlotse.AlertItem) string { return it.AlertID(sub.ID) })
	if err != nil {
		return 0, err
	}
	recs, err := s.db.write(ctx, "neo4j.QueueImmediateAlerts", recordSent+`
		MERGE (al:AdvisoryAlert {id: it.alertId})
		ON CREATE SET al.kind = $kind, al.subscription = $sub, al.ags = $ags, al.advisoryKey = it.key,
			al.version = it.version, al.items = it.items, al.dueAt = $now, al.createdAt = $now,
			al.state = 'PENDING', al.attempts = 0
		RETURN count(al) AS n`, map[string]any{"rows": rows, "sub": sub.ID, "ags": string(sub.AGS),
		"kind": cyberlotse.AlertImmediate, "now": instant(now)})
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	n, _ := recs[0].Get("n")
	c, _ := n.(int64)
	return int(c), nil
}

func (s *AdvisoryAlertService) DigestsDone(ctx context.Context, slot time.Time) (map[string]bool, error) {
	recs, err := s.db.read(ctx, "neo4j.DigestsDone", `
		MATCH (d:AdvisoryDigestSlot {slot: $slot}) RETURN d {.subscription} AS d`, map[string]any{"slot": instant(slot)})
	if err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(recs))
	for _, r := range rowsOf(recs, "d") {
		done[r.str("subscription")] = true
	}
	return done, nil
}

func (s *AdvisoryAlertService) QueueDigest(ctx context.Context, sub *cyberlotse.AdvisoryAlertSubscription, slot time.Time, items []cyberlotse.AlertItem, now time.Time) (int, error) {
	const op = "neo4j.QueueDigest"
	id := cyberlotse.DigestID(sub.ID, slot)
	rows, err := sentRows(sub, items, func(cyberlotse.AlertItem) string { return id })
	if err != nil {
		return 0, err
	}
	var queued int
	err = s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		queued = 0
		slotRows, err := collectRows(ctx, tx, "d", `
			MERGE (d:AdvisoryDigestSlot {key: $key})
			ON CREATE SET d.subscription = $sub, d.slot = $slot, d.at = $now, d.fresh = true
			WITH d, coalesce(d.fresh, false) AS fresh
			REMOVE d.fresh
			RETURN {fresh: fresh} AS d`, map[string]any{"key": sub.ID + "|" + slot.UTC().Format(time.RFC3339),
			"sub": sub.ID, "slot": instant(slot), "now": instant(now)})
		if err != nil || len(slotRows) == 0 || !slotRows[0].bool("fresh") || len(rows) == 0 {
			return err
		}
		fresh, err := collectRows(ctx, tx, "it", recordSent+` RETURN it {.sentKey} AS it`,
			map[string]any{"rows": rows, "sub": sub.ID, "now": instant(now)})
		if err != nil || len(fresh) == 0 {
			return err
		}
		isFresh := make(map[string]bool, len(fresh))
		for _, f := range fresh {
			isFresh[f.str("sentKey")] = true
		}
		var mailed []cyberlotse.AlertItem
		for _, it := range items {
			if isFresh[it.SentKey(sub.ID)] {
				mailed = append(mailed, it)
			}
		}
		b, err := json.Marshal(mailed)
		if err != nil {
			return err
		}
		queued = len(mailed)
		return run(ctx, tx, `
			MERGE (al:AdvisoryAlert {id: $id})
			ON CREATE SET al.kind = $kind, al.subscription = $sub, al.ags = $ags, al.items = $items,
				al.dueAt = $now, al.createdAt = $now, al.state = 'PENDING', al.attempts = 0`,
			map[string]any{"id": id, "kind": cyberlotse.AlertDigest, "sub": sub.ID, "ags": string(sub.AGS),
				"items": string(b), "now": instant(now)})
	})
	return queued, err
}

func (s *AdvisoryAlertService) AlertMail(ctx context.Context, id string) (*cyberlotse.AdvisoryAlertMail, error) {
	recs, err := s.db.read(ctx, "neo4j.AlertMail", `
		MATCH (al:AdvisoryAlert {id: $id})
		OPTIONAL MATCH (s:AdvisoryAlertSubscription {id: al.subscription})
		OPTIONAL MATCH (m:Municipality {ags: al.ags})
		RETURN al {.id, .kind, .subscription, .ags, .items, .createdAt, email: s.email, municipality: m.name} AS al`,
		map[string]any{"id": id})
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "advisory alert %s not found", id)
	}
	r := rowOf(recs[0], "al")
	out := &cyberlotse.AdvisoryAlertMail{ID: r.str("id"), Kind: r.str("kind"), SubscriptionID: r.str("subscription"),
		AGS: cyberlotse.AGS(r.str("ags")), MunicipalityName: r.str("municipality"), To: cyberlotse.Email(r.str("email")),
		CreatedAt: r.time("createdAt")}
	if err := json.Unmarshal([]byte(r.str("items")), &out.Items); err != nil {
		return nil, cyberlotse.Errorf(cyberlotse.EINTERNAL, "advisory alert %s: items: %v", id, err)
	}
	return out, nil
}

const alertProjection = `al {.id, .kind, .dueAt, .state, .attempts, .nextAttemptAt, .sentAt, .lastError}`

func alertReminderFrom(r row) *cyberlotse.Reminder {
	return &cyberlotse.Reminder{ID: r.str("id"), Kind: r.str("kind"), DueAt: r.time("dueAt"),
		State: cyberlotse.ReminderState(r.str("state")), Attempts: r.int("attempts"),
		NextAttemptAt: r.timePtr("nextAttemptAt"), SentAt: r.timePtr("sentAt"), LastError: r.str("lastError")}
}

// ClaimDue leases due alerts as ReminderService.ClaimDue leases
// reminders (see there for the two statements). Alerts whose subscription
// is gone are skipped, and so are immediate alerts of an advisory that
// was withdrawn or replaced by a newer version since (that version gets
// its own alert).
func (s *AdvisoryAlertService) ClaimDue(ctx context.Context, owner string, now time.Time, p cyberlotse.ReminderPolicy) ([]*cyberlotse.DueReminder, error) {
	var claimed []row
	err := s.db.writeTx(ctx, "neo4j.ClaimDueAlerts", func(tx neo4j.ManagedTransaction) error {
		claimed = nil
		if err := run(ctx, tx, `
			MATCH (al:AdvisoryAlert {state: 'PENDING'}) WHERE al.dueAt <= $now
			OPTIONAL MATCH (s:AdvisoryAlertSubscription {id: al.subscription})
			OPTIONAL MATCH (a:Advisory {key: al.advisoryKey})
			WITH al, s, a
			WHERE s IS NULL OR (al.kind = $immediate AND (a IS NULL OR a.withdrawn OR a.version <> al.version))
			WITH al ORDER BY al.id
			SET al.state = 'SKIPPED', al.skippedAt = $now`,
			map[string]any{"now": instant(now), "immediate": cyberlotse.AlertImmediate}); err != nil {
			return err
		}
		var err error
		claimed, err = s.lease(ctx, tx, owner, now, p, "al", alertProjection)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*cyberlotse.DueReminder, 0, len(claimed))
	for _, c := range claimed {
		out = append(out, &cyberlotse.DueReminder{Reminder: alertReminderFrom(c)})
	}
	return out, nil
}

// AlertStatesForTest returns the state of each alert of a municipality.
func (s *AdvisoryAlertService) AlertStatesForTest(ctx context.Context, ags cyberlotse.AGS) (map[string]string, error) {
	recs, err := s.db.read(ctx, "neo4j.AlertStatesForTest", `
		MATCH (al:AdvisoryAlert {ags: $ags}) RETURN al {.id, .state} AS al`, map[string]any{"ags": string(ags)})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, r := range rowsOf(recs, "al") {
		out[r.str("id")] = r.str("state")
	}
	return out, nil
}

// DeleteAdvisoryAlertsForTest removes a municipality's products, marks,
// alert subscriptions and everything the alerts recorded for them.
func DeleteAdvisoryAlertsForTest(ctx context.Context, db *DB, ags cyberlotse.AGS) error {
	_, err := db.write(ctx, "neo4j.DeleteAdvisoryAlertsForTest", `
		OPTIONAL MATCH (s:AdvisoryAlertSubscription {ags: $ags})
		WITH collect(s) AS subs, collect(s.id) AS ids
		CALL (ids) { MATCH (x:AdvisoryAlertSent) WHERE x.subscription IN ids DETACH DELETE x }
		CALL (ids) { MATCH (x:AdvisoryDigestSlot) WHERE x.subscription IN ids DETACH DELETE x }
		CALL (ids) { MATCH (x:AdvisoryAlert) WHERE x.subscription IN ids DETACH DELETE x }
		CALL () { MATCH (x:AdvisoryMark {ags: $ags}) DETACH DELETE x }
		CALL () { MATCH (:Municipality {ags: $ags})-[:USES]->(p:MunicipalityProduct) DETACH DELETE p }
		FOREACH (s IN subs | DETACH DELETE s)`, map[string]any{"ags": string(ags)})
	return err
}
