package neo4j

import (
	"context"
	"errors"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

var _ cyberlotse.ChangeLog = (*ChangeLog)(nil)

// ChangeLog implements cyberlotse.ChangeLog on (:Change) nodes.
type ChangeLog struct{ db *DB }

func NewChangeLog(db *DB) *ChangeLog { return &ChangeLog{db: db} }

// logChanges appends changes to the log inside the caller's transaction.
// The counter is read and raised in one SET, which takes its write lock
// before reading (a read in an earlier WITH could lose an update): so the
// numbers have no gaps and follow commit order. Call it last in a
// transaction, so that the counter's lock is held only while committing.
func logChanges(ctx context.Context, tx runner, changes ...cyberlotse.Change) error {
	entries := make([]map[string]any, 0, len(changes))
	for _, c := range changes {
		if (c.Kind == cyberlotse.ChangedEvents || c.Kind == cyberlotse.ChangedEventCounts) && len(c.Keys) == 0 {
			continue
		}
		entries = append(entries, map[string]any{"kind": string(c.Kind), "keys": nonNil(c.Keys)})
	}
	if len(entries) == 0 {
		return nil
	}
	if t, ok := tx.(*loggedTx); ok {
		t.logged = true
		for _, c := range changes {
			t.search = t.search || c.Kind != cyberlotse.ChangedEventCounts && c.Kind != cyberlotse.ChangedRollouts
		}
	}
	// MATCH, not MERGE: MERGE's shared lock on the constraint's index
	// entry, upgraded by the SET, deadlocked concurrent writers (retried
	// by the driver after a back-off of a second and more). Migration
	// 0009 creates the counter.
	rows, err := collectRows(ctx, tx, "n", `
		MATCH (k:ChangeCounter {name: 'changes'})
		SET k.seq = k.seq + size($rows)
		WITH k.seq - size($rows) AS base
		UNWIND range(0, size($rows) - 1) AS i
		CREATE (:Change {seq: base + i + 1, kind: $rows[i].kind, keys: $rows[i].keys, at: datetime()})
		RETURN {logged: count(*)} AS n`, map[string]any{"rows": entries})
	if err != nil {
		return err
	}
	if len(rows) == 0 || rows[0].int("logged") == 0 {
		return errors.New("neo4j.logChanges: the change counter is missing; run the migrations")
	}
	return nil
}

// writeLogged runs one statement and logs its change in one transaction.
func (db *DB) writeLogged(ctx context.Context, op, cypher string, params map[string]any, change cyberlotse.Change) error {
	return db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		if err := run(ctx, tx, cypher, params); err != nil {
			return err
		}
		return logChanges(ctx, tx, change)
	})
}

// eventsChanged is the change of the events with the given ids.
func eventsChanged(ids ...string) cyberlotse.Change {
	return cyberlotse.Change{Kind: cyberlotse.ChangedEvents, Keys: ids}
}

// eventCountsChanged is the change of the registration counts of the
// events with the given ids.
func eventCountsChanged(ids ...string) cyberlotse.Change {
	return cyberlotse.Change{Kind: cyberlotse.ChangedEventCounts, Keys: ids}
}

// changesOf maps the objects whose search fields a write refreshed to the
// changes of the read model: events one by one, everything else is part
// of the reference network.
func changesOf(keys map[search.Type][]string) []cyberlotse.Change {
	var out []cyberlotse.Change
	network := false
	for t, ks := range keys {
		switch {
		case len(ks) == 0:
		case t == search.TypeEvent:
			out = append(out, eventsChanged(ks...))
		default:
			network = true
		}
	}
	if network {
		out = append(out, cyberlotse.Change{Kind: cyberlotse.ChangedNetwork})
	}
	return out
}

// recordChanges is what every write of searchable objects ends with: it
// refreshes their search fields (and the outbox) and logs the change for
// the replicas' read models, all in the writer's transaction.
func recordChanges(ctx context.Context, tx runner, keys map[search.Type][]string, outbox bool) error {
	if err := reindexTypes(ctx, tx, keys, outbox); err != nil {
		return err
	}
	return logChanges(ctx, tx, changesOf(keys)...)
}

// loggedTx marks a transaction that appended to the change log, so that
// writeTx can tell the local read model after the commit, and the local
// search (searchDocs) when the change may have touched search documents.
type loggedTx struct {
	neo4j.ManagedTransaction
	logged, search bool
}

func (l *ChangeLog) Head(ctx context.Context) (int64, error) {
	recs, err := l.db.read(ctx, "neo4j.ChangeHead",
		`OPTIONAL MATCH (k:ChangeCounter {name: 'changes'}) RETURN coalesce(k.seq, 0) AS n`, nil)
	if err != nil || len(recs) == 0 {
		return 0, err
	}
	n, _ := recs[0].Get("n")
	head, _ := n.(int64)
	return head, nil
}

func (l *ChangeLog) ChangesAfter(ctx context.Context, after int64, limit int) ([]cyberlotse.Change, int64, error) {
	recs, err := l.db.read(ctx, "neo4j.ChangesAfter", `
		OPTIONAL MATCH (k:ChangeCounter {name: 'changes'})
		// The head first, so that it counts no commit after the scan.
		WITH coalesce(k.seq, 0) AS head
		CALL () {
		  MATCH (c:Change) WHERE c.seq > $after
		  WITH c ORDER BY c.seq LIMIT $limit
		  RETURN collect(c {.seq, .kind, .keys}) AS changes
		}
		RETURN head, changes`, map[string]any{"after": after, "limit": limit})
	if err != nil || len(recs) == 0 {
		return nil, 0, err
	}
	h, _ := recs[0].Get("head")
	head, _ := h.(int64)
	list, _ := recs[0].Get("changes")
	items, _ := list.([]any)
	out := make([]cyberlotse.Change, 0, len(items))
	for _, it := range items {
		r := row(asMap(it))
		seq, _ := r["seq"].(int64)
		out = append(out, cyberlotse.Change{Seq: seq, Kind: cyberlotse.ChangeKind(r.str("kind")), Keys: r.strs("keys")})
	}
	return out, head, nil
}

// Prune deletes changes older than keep, in batches; a replica that was
// away longer than keep notices the gap and reloads everything.
func (l *ChangeLog) Prune(ctx context.Context, now time.Time, keep time.Duration) (int, error) {
	total := 0
	for {
		recs, err := l.db.write(ctx, "neo4j.PruneChanges", `
			MATCH (c:Change) WHERE c.at < $cutoff
			WITH c LIMIT 5000 DELETE c RETURN count(*) AS n`, map[string]any{"cutoff": instant(now.Add(-keep))})
		if err != nil {
			return total, err
		}
		n := count(recs)
		total += n
		if n < 5000 {
			return total, nil
		}
	}
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
