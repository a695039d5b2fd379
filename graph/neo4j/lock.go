package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// TryLock takes the named scheduler lock for owner until now+ttl, unless
// another owner holds it unexpired; the holder calls it again to renew.
// Several server replicas use it so that a scheduled job runs on one of
// them at a time.
func (db *DB) TryLock(ctx context.Context, name, owner string, now time.Time, ttl time.Duration) (bool, error) {
	var ok bool
	err := db.writeTx(ctx, "neo4j.TryLock", func(tx neo4j.ManagedTransaction) error {
		// Take the node's write lock first; read the holder in a second
		// statement, which sees what a competing replica committed.
		if _, err := tx.Run(ctx, `MERGE (l:SchedulerLock {name: $name}) SET l.seq = coalesce(l.seq, 0) + 1`,
			map[string]any{"name": name}); err != nil {
			return err
		}
		rows, err := collectRows(ctx, tx, "l", `
			MATCH (l:SchedulerLock {name: $name})
			WHERE l.until IS NULL OR l.until <= $now OR l.owner = $owner
			SET l.owner = $owner, l.until = $until
			RETURN l {.owner} AS l`,
			map[string]any{"name": name, "owner": owner, "now": instant(now), "until": instant(now.Add(ttl))})
		ok = len(rows) == 1
		return err
	})
	return ok, err
}

// Unlock releases the lock if owner holds it.
func (db *DB) Unlock(ctx context.Context, name, owner string) error {
	_, err := db.write(ctx, "neo4j.Unlock",
		`MATCH (l:SchedulerLock {name: $name, owner: $owner}) SET l.until = null`,
		map[string]any{"name": name, "owner": owner})
	return err
}

// LockHolder returns who holds the named scheduler lock and until when;
// "" and the zero time when nobody does (never taken, or released).
func (db *DB) LockHolder(ctx context.Context, name string) (string, time.Time, error) {
	recs, err := db.read(ctx, "neo4j.LockHolder",
		`MATCH (l:SchedulerLock {name: $name}) WHERE l.until IS NOT NULL RETURN l {.owner, .until} AS l`,
		map[string]any{"name": name})
	if err != nil || len(recs) == 0 {
		return "", time.Time{}, err
	}
	r := rowOf(recs[0], "l")
	return r.str("owner"), r.time("until"), nil
}
