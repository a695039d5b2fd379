package neo4j

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// DeleteEventForTest removes a test event with its registrations, their
// reminders, the people who have no other registration and the companies
// only they had recorded by registering. Only tests call it (through
// neo4jtest); production never deletes events.
func DeleteEventForTest(ctx context.Context, db *DB, id string) error {
	return db.writeLogged(ctx, "neo4j.DeleteEventForTest", `
		MATCH (e:Event {id: $id})
		OPTIONAL MATCH (r:Registration)-[:FOR]->(e)
		OPTIONAL MATCH (rem:Reminder)-[:FOR]->(r)
		OPTIONAL MATCH (p:Person)-[:REGISTERED]->(r)
		OPTIONAL MATCH (o:SearchOutbox {documentId: 'EVENT-' + $id})
		DETACH DELETE rem, r, e, o
		WITH DISTINCT p WHERE p IS NOT NULL AND NOT (p)-[:REGISTERED]->()
		OPTIONAL MATCH (p)-[:WORKS_AT]->(c:Company {source: 'Anmeldung'})
		DETACH DELETE p
		WITH DISTINCT c WHERE c IS NOT NULL AND NOT ()-[:WORKS_AT]->(c)
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
