package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// RetentionReport counts what AnonymizeRegistrations did: registrations
// made anonymous and people deleted because none of their registrations
// was left.
type RetentionReport struct{ Registrations, People int }

// AnonymizeRegistrations makes the registrations of every event that ended
// before endedBefore anonymous, batch by batch, and deletes the people
// left without registrations. Only the retention job calls it.
//
// Anonymous, not deleted: the registration loses the link to its person,
// the name, company name and municipality given, and its reminders (their
// last error may quote the address), and keeps its status and the event.
// So everything that counts registrations counts the same afterwards
// without a special case: the event's confirmedCount and waitlistedCount
// (and RecountRegistrations), and the reach snapshots of the rollout
// matrix. The reach counts a confirmed registration's companies through
// its person; the anonymous registration keeps them as (r)-[:REACHED]->
// (Company), which RefreshReach counts as well. Companies are businesses,
// not people, and stay. Anonymous registrations are not shown any more
// (RegistrationsByIDs, RegistrationsOfEvent) and get no notices.
//
// Each batch is one transaction: a batch is anonymized whole or not at
// all, and running again (also after a failure) continues with what is
// left and changes nothing once everything is done.
func (s *RegistrationService) AnonymizeRegistrations(ctx context.Context, endedBefore, now time.Time) (RetentionReport, error) {
	size := s.RetentionBatch
	if size <= 0 {
		size = 500
	}
	var total RetentionReport
	for ctx.Err() == nil {
		var batch RetentionReport
		selected := 0
		err := s.db.writeTx(ctx, "neo4j.AnonymizeRegistrations", func(tx neo4j.ManagedTransaction) error {
			batch, selected = RetentionReport{}, 0
			rows, err := collectRows(ctx, tx, "x", `
				MATCH (e:Event) WHERE e.startsAt < $before AND coalesce(e.endsAt, e.startsAt) < $before
				MATCH (r:Registration)-[:FOR]->(e) WHERE r.anonymizedAt IS NULL
				WITH r LIMIT $batch
				RETURN {ids: collect(r.id)} AS x`,
				map[string]any{"before": instant(endedBefore), "batch": size})
			if err != nil || len(rows) == 0 {
				return err
			}
			ids := rows[0].strs("ids")
			if selected = len(ids); selected == 0 {
				return nil
			}
			// Lock first, then — in the next statement, which sees what
			// others committed while we waited — check again and change.
			if err := run(ctx, tx, `MATCH (r:Registration) WHERE r.id IN $ids SET r.lockSeq = coalesce(r.lockSeq, 0) + 1`,
				map[string]any{"ids": ids}); err != nil {
				return err
			}
			rows, err = collectRows(ctx, tx, "x", `
				MATCH (r:Registration) WHERE r.id IN $ids AND r.anonymizedAt IS NULL
				OPTIONAL MATCH (p:Person)-[link:REGISTERED]->(r)
				CALL (r, p) {
				  WITH r, p WHERE p IS NOT NULL AND r.status = 'CONFIRMED'
				  MATCH (p)-[:WORKS_AT]->(c:Company)
				  MERGE (r)-[:REACHED]->(c)
				}
				CALL (r) {
				  MATCH (rem:Reminder)-[:FOR]->(r)
				  DETACH DELETE rem
				}
				DELETE link
				SET r.anonymizedAt = $now
				REMOVE r.name, r.companyName, r.ags
				WITH r, p
				MATCH (r)-[:FOR]->(e:Event)
				RETURN {anonymized: count(DISTINCT r), events: collect(DISTINCT e.id), people: collect(DISTINCT p.id)} AS x`,
				map[string]any{"ids": ids, "now": instant(now)})
			if err != nil || len(rows) == 0 {
				return err
			}
			batch.Registrations = rows[0].int("anonymized")
			events, people := rows[0].strs("events"), rows[0].strs("people")
			if len(people) > 0 {
				// A person registering for another event right now holds
				// the person's lock (Register sets the name); taking it
				// first means the check below sees that registration.
				if err := run(ctx, tx, `MATCH (p:Person) WHERE p.id IN $people SET p.lockSeq = coalesce(p.lockSeq, 0) + 1`,
					map[string]any{"people": people}); err != nil {
					return err
				}
				gone, err := collectRows(ctx, tx, "x", `
					MATCH (p:Person) WHERE p.id IN $people AND NOT (p)-[:REGISTERED]->()
					DETACH DELETE p
					RETURN {deleted: count(*)} AS x`, map[string]any{"people": people})
				if err != nil || len(gone) == 0 {
					return err
				}
				batch.People = gone[0].int("deleted")
			}
			// The read model shows the events' counts, which stay; the
			// counts are logged all the same, so that no replica keeps a
			// copy of an event whose registrations changed.
			return logChanges(ctx, tx, eventCountsChanged(events...))
		})
		if err != nil {
			return total, err
		}
		total.Registrations += batch.Registrations
		total.People += batch.People
		if selected < size || batch.Registrations == 0 {
			return total, nil
		}
	}
	return total, ctx.Err()
}
