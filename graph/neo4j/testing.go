package neo4j

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// DeleteEventForTest removes a test event with its registrations, their
// reminders, the people who have no other registration and the companies
// only they (or the event's anonymous registrations) had recorded by
// registering. Only tests call it (through neo4jtest); production never
// deletes events.
func DeleteEventForTest(ctx context.Context, db *DB, id string) error {
	return db.writeLogged(ctx, "neo4j.DeleteEventForTest", `
		MATCH (e:Event {id: $id})
		OPTIONAL MATCH (r:Registration)-[:FOR]->(e)
		OPTIONAL MATCH (rem:Reminder)-[:FOR]->(r)
		OPTIONAL MATCH (p:Person)-[:REGISTERED]->(r)
		OPTIONAL MATCH (r)-[:REACHED]->(rc:Company {source: 'Anmeldung'})
		OPTIONAL MATCH (o:SearchOutbox {documentId: 'EVENT-' + $id})
		DETACH DELETE rem, r, e, o
		WITH collect(DISTINCT p) AS people, collect(DISTINCT rc) AS reached
		CALL (people) {
		  UNWIND people AS p
		  WITH p WHERE NOT (p)-[:REGISTERED]->()
		  OPTIONAL MATCH (p)-[:WORKS_AT]->(c:Company {source: 'Anmeldung'})
		  DETACH DELETE p
		  RETURN collect(DISTINCT c) AS worked
		}
		UNWIND reached + worked AS c
		WITH DISTINCT c WHERE NOT ()-[:WORKS_AT]->(c) AND NOT ()-[:REACHED]->(c)
		DETACH DELETE c`, map[string]any{"id": id}, eventsChanged(id))
}

// DeleteRolloutForTest removes a rollout and its history, so that the
// pair is unrecorded again. Only tests call it.
func DeleteRolloutForTest(ctx context.Context, db *DB, regionID, code string) error {
	return db.writeLogged(ctx, "neo4j.DeleteRolloutForTest", `
		MATCH (ro:Rollout {key: $key}) OPTIONAL MATCH (c:RolloutChange)-[:CHANGED]->(ro)
		DETACH DELETE c, ro`, map[string]any{"key": rolloutKey(regionID, code)}, cyberlotse.Change{Kind: cyberlotse.ChangedRollouts})
}

// CreateModelRegionForTest stores a model region without members, managed
// by org, for tests that add satellites without touching the seeded ones.
func CreateModelRegionForTest(ctx context.Context, db *DB, id, name, org string) error {
	return db.writeLogged(ctx, "neo4j.CreateModelRegionForTest", `
		MATCH (o:Organization {id: $org})
		CREATE (r:Region {id: $id, name: $name, kind: 'MODEL_REGION', sample: true, source: 'Test'})-[:MANAGED_BY]->(o)`,
		map[string]any{"id": id, "name": name, "org": org}, cyberlotse.Change{Kind: cyberlotse.ChangedNetwork})
}

// DeleteRegionsForTest removes test regions with their rollouts and
// their history. Only tests call it.
func DeleteRegionsForTest(ctx context.Context, db *DB, ids ...string) error {
	return db.writeLogged(ctx, "neo4j.DeleteRegionsForTest", `
		MATCH (r:Region) WHERE r.id IN $ids
		OPTIONAL MATCH (ro:Rollout)-[:IN]->(r)
		OPTIONAL MATCH (c:RolloutChange)-[:CHANGED]->(ro)
		OPTIONAL MATCH (rc:Reach) WHERE rc.key STARTS WITH r.id + '|'
		DETACH DELETE c, ro, rc, r`, map[string]any{"ids": ids}, cyberlotse.Change{Kind: cyberlotse.ChangedNetwork})
}

// RegistrationRecordsForTest returns what the graph holds of the given
// registrations, by id: their properties, whether a person registered
// them ("person"), the companies they reached ("reached", ids) and the
// number of their reminders ("reminders"). Only tests call it.
func RegistrationRecordsForTest(ctx context.Context, db *DB, ids []string) (map[string]map[string]any, error) {
	recs, err := db.read(ctx, "neo4j.RegistrationRecordsForTest", `
		MATCH (r:Registration) WHERE r.id IN $ids
		RETURN r.id AS id, r {.*, person: EXISTS { (:Person)-[:REGISTERED]->(r) },
		       reached: [(r)-[:REACHED]->(c:Company) | c.id], reminders: COUNT { (:Reminder)-[:FOR]->(r) }} AS r`,
		map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	for _, rec := range recs {
		id, _ := rec.Get("id")
		r, _ := rec.Get("r")
		out[id.(string)] = asMap(r)
	}
	return out, nil
}
