package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Scale data: synthetic companies, events, contacts, registrations and
// rollouts on top of the real geography, for benchmarks. Everything it
// writes carries sample: true and scale: true, so it is shown as sample
// data and can be told apart (and removed) as a whole.

// ScaleMarker returns the parameters of the scale data already loaded
// ("" when none), so that `make bench` loads it once.
func (db *DB) ScaleMarker(ctx context.Context) (string, error) {
	recs, err := db.read(ctx, "neo4j.ScaleMarker", `MATCH (s:ScaleData) RETURN s.params AS p`, nil)
	if err != nil || len(recs) == 0 {
		return "", err
	}
	p, _ := recs[0].Get("p")
	s, _ := p.(string)
	return s, nil
}

// SetScaleMarker records the parameters of the loaded scale data and
// makes every replica reload its read model: the scale rows log nothing
// themselves but their events.
func (db *DB) SetScaleMarker(ctx context.Context, params string) error {
	return db.writeLogged(ctx, "neo4j.SetScaleMarker", `MERGE (s:ScaleData {name: 'scale'}) SET s.params = $p, s.at = datetime()`,
		map[string]any{"p": params}, cyberlotse.Change{Kind: cyberlotse.ChangedAll})
}

// ScaleWriter writes rows of synthetic data in batches, one transaction
// per batch.
type ScaleWriter struct{ DB *DB }

var scaleStatements = map[string]string{
	"companies": `UNWIND $rows AS row
		MATCH (m:Municipality {ags: row.ags})
		MERGE (c:Company {id: row.id})
		SET c.key = row.id, c.name = row.name, c.sector = row.sector, c.employees = row.employees,
		    c.sizeClass = row.sizeClass, c.sample = true, c.scale = true, c.source = 'Skalierungsdaten (erfunden)'
		MERGE (c)-[:LOCATED_IN]->(m)`,
	"contacts": `UNWIND $rows AS row
		MATCH (o:Organization {id: row.org}), (d:District {key: row.district})
		MERGE (c:Contact {id: row.id})
		SET c.name = row.name, c.role = row.role, c.audiences = ['COMPANY'], c.sample = true, c.scale = true,
		    c.source = 'Skalierungsdaten (erfunden)', c.statewide = false
		MERGE (c)-[:WORKS_FOR]->(o)
		MERGE (c)-[:RESPONSIBLE_FOR {as: 'DISTRICT'}]->(d)`,
	"events": `UNWIND $rows AS row
		MATCH (o:Organization {id: row.org})
		MERGE (e:Event {id: row.id})
		SET e.title = row.title, e.description = row.description, e.startsAt = row.startsAt, e.endsAt = row.endsAt,
		    e.format = row.format, e.mode = row.mode, e.venue = row.venue, e.capacity = row.capacity,
		    e.status = 'SCHEDULED', e.sequence = 0, e.sample = true, e.scale = true, e.source = 'Skalierungsdaten (erfunden)'
		MERGE (e)-[:ORGANIZED_BY]->(o)
		WITH e, row
		CALL (e, row) { MATCH (m:Municipality {ags: row.ags}) MERGE (e)-[:TAKES_PLACE_IN]->(m) }
		CALL (e, row) { UNWIND row.measures AS code MATCH (x:Measure {code: code}) MERGE (e)-[:ADDRESSES]->(x) }
		CALL (e, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (e)-[:ABOUT]->(t) }
		CALL (e, row) { UNWIND row.regions AS rid MATCH (r:Region {id: rid}) MERGE (e)-[:FOR_REGION]->(r) }`,
	"registrations": `UNWIND $rows AS row
		MATCH (e:Event {id: row.event}), (c:Company {id: row.company})
		MERGE (p:Person {email: row.email})
		ON CREATE SET p.id = row.person, p.name = row.name, p.createdAt = row.at, p.scale = true
		MERGE (p)-[:WORKS_AT]->(c)
		CREATE (p)-[:REGISTERED]->(:Registration {id: row.id, status: 'CONFIRMED', createdAt: row.at, seq: row.seq,
		        name: row.name, scale: true})-[:FOR]->(e)
		WITH e, count(*) AS n
		SET e.confirmedCount = coalesce(e.confirmedCount, 0) + n`,
	"regions": `UNWIND $rows AS row
		MATCH (o:Organization {id: row.manager})
		MERGE (r:Region {id: row.id})
		SET r.name = row.name, r.kind = row.kind, r.sample = true, r.scale = true, r.source = 'Skalierungsdaten (erfunden)'
		MERGE (r)-[:MANAGED_BY]->(o)
		WITH r, row
		CALL (r, row) { UNWIND row.members AS ags MATCH (m:Municipality {ags: ags}) MERGE (r)-[:COVERS]->(m) }
		CALL (r, row) { MATCH (model:Region {id: row.satelliteOf}) MERGE (r)-[:SATELLITE_OF]->(model) }`,
	"rollouts": `UNWIND $rows AS row
		MATCH (r:Region {id: row.region}), (m:Measure {code: row.code})
		MERGE (ro:Rollout {key: row.region + '|' + row.code})
		SET ro.status = row.status, ro.progress = row.progress, ro.version = 1, ro.milestones = '[]',
		    ro.updatedAt = datetime(), ro.updatedBy = 'scale', ro.scale = true
		MERGE (ro)-[:IN]->(r) MERGE (ro)-[:OF]->(m)`,
}

// Write writes one batch of rows of kind; events get their search fields.
func (w *ScaleWriter) Write(ctx context.Context, kind string, rows []map[string]any) error {
	stmt, ok := scaleStatements[kind]
	if !ok {
		return fmt.Errorf("scale: unknown kind %q", kind)
	}
	for _, r := range rows {
		for k, v := range r {
			if t, ok := v.(time.Time); ok {
				r[k] = instant(t)
			}
		}
	}
	return w.DB.writeTx(ctx, "neo4j.Scale."+kind, func(tx neo4j.ManagedTransaction) error {
		if _, err := tx.Run(ctx, stmt, map[string]any{"rows": rows}); err != nil {
			return err
		}
		if kind != "events" {
			return nil
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r["id"].(string)
		}
		return recordChanges(ctx, tx, map[search.Type][]string{search.TypeEvent: ids}, w.DB.SearchOutbox)
	})
}
