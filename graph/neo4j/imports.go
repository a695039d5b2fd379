package neo4j

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

var _ cyberlotse.ImportService = (*ImportService)(nil)

// ImportService implements cyberlotse.ImportService. Each batch is one
// transaction of three steps: read the stored content hashes (importHash)
// of the batch's keys, classify every row as created, updated or
// unchanged in Go, and write only the created and updated rows with one
// UNWIND statement per kind. A second run of the same input therefore
// only reads. Hashes cover the content, not the provenance's import
// date, so a re-run on another day changes nothing either.
type ImportService struct {
	db *DB
	// Berlin is the zone of reminder wall-clock arithmetic.
	Berlin *time.Location
}

func NewImportService(db *DB, berlin *time.Location) *ImportService {
	return &ImportService{db: db, Berlin: berlin}
}

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("dry run: roll back")

// importTx runs fn in one write transaction; in a dry run the same
// statements run and the transaction is rolled back.
func (s *ImportService) importTx(ctx context.Context, op string, dryRun bool, fn func(tx neo4j.ManagedTransaction) error) error {
	err := s.db.writeTx(ctx, op, func(tx neo4j.ManagedTransaction) error {
		if err := fn(tx); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if dryRun && errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

// contentHash is the hash of what an import writes, in canonical JSON
// (maps have sorted keys; times are UTC).
func contentHash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("contentHash: %v", err)) // only maps of plain values reach it
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// run runs one statement and consumes its result, so that its errors
// surface here and not at commit.
func run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) error {
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	return err
}

// stored reads, for the keys, what the store holds: a row per existing node.
func stored(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, keys []string) (map[string]row, error) {
	rows, err := collectRows(ctx, tx, "x", cypher, map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	out := make(map[string]row, len(rows))
	for _, r := range rows {
		out[r.str("key")] = r
	}
	return out, nil
}

// changed looks the rows up with the lookup query and returns those to
// write (new, or with another content hash), counting every row in res.
func changed(ctx context.Context, tx neo4j.ManagedTransaction, lookup string, rows []map[string]any, res *cyberlotse.ImportResult) ([]map[string]any, error) {
	existing, err := stored(ctx, tx, lookup, keysOf(rows))
	if err != nil {
		return nil, err
	}
	return classify(rows, existing, res), nil
}

// classify counts rows against what is stored and returns the rows to
// write, each marked "new".
func classify(rows []map[string]any, existing map[string]row, res *cyberlotse.ImportResult) []map[string]any {
	var write []map[string]any
	for _, r := range rows {
		key := r["key"].(string)
		ex, ok := existing[key]
		switch {
		case !ok:
			res.Created++
			r["new"] = true
			res.IDs[key] = r["id"].(string)
		case ex.str("hash") == r["hash"]:
			res.Unchanged++
			continue
		default:
			res.Updated++
			r["new"] = false
			res.IDs[key] = ex.str("id")
		}
		write = append(write, r)
	}
	return write
}

// upsertChanged runs one batch in a transaction: it looks the rows up
// with lookup, counts them, and lets write store the new and changed ones.
// The result is rebuilt when the driver retries the transaction.
func (s *ImportService) upsertChanged(ctx context.Context, op string, dryRun bool, lookup string, rows []map[string]any,
	write func(tx neo4j.ManagedTransaction, rows []map[string]any, res *cyberlotse.ImportResult) error) (*cyberlotse.ImportResult, error) {
	var res *cyberlotse.ImportResult
	err := s.importTx(ctx, op, dryRun, func(tx neo4j.ManagedTransaction) error {
		res = newResult()
		rows, err := changed(ctx, tx, lookup, rows, res)
		if err != nil || len(rows) == 0 {
			return err
		}
		return write(tx, rows, res)
	})
	return res, err
}

func newResult() *cyberlotse.ImportResult {
	return &cyberlotse.ImportResult{IDs: map[string]string{}}
}

func keysOf(rows []map[string]any) []string {
	keys := make([]string, len(rows))
	for i, r := range rows {
		keys[i] = r["key"].(string)
	}
	return keys
}

// ImportCompanies upserts companies by key, with LOCATED_IN their
// municipality (looked up by AGS through its unique index).
func (s *ImportService) ImportCompanies(ctx context.Context, batch []*cyberlotse.CompanyRecord, dryRun bool) (*cyberlotse.ImportResult, error) {
	rows := make([]map[string]any, len(batch))
	for i, c := range batch {
		props := map[string]any{"name": c.Name, "registerNumber": emptyToNil(c.RegisterNumber),
			"registerCourt": emptyToNil(c.RegisterCourt), "sector": emptyToNil(c.Sector), "employees": nil,
			"sizeClass": nil, "postcode": emptyToNil(string(c.Postcode)), "sample": c.Sample}
		if c.Employees != nil {
			props["employees"] = *c.Employees
			props["sizeClass"] = string(*c.SizeClass())
		}
		hash := contentHash(map[string]any{"props": props, "ags": c.AGS})
		props["source"] = c.Source
		rows[i] = map[string]any{"key": c.Key, "id": c.ID, "ags": string(c.AGS), "hash": hash, "props": props}
	}
	return s.upsertChanged(ctx, "neo4j.ImportCompanies", dryRun, `
		UNWIND $keys AS k MATCH (c:Company {key: k})
		RETURN {key: k, id: c.id, hash: c.importHash} AS x`, rows,
		func(tx neo4j.ManagedTransaction, write []map[string]any, _ *cyberlotse.ImportResult) error {
			var created, updated []map[string]any
			for _, r := range write {
				if r["new"].(bool) {
					created = append(created, r)
				} else {
					updated = append(updated, r)
				}
			}
			// New companies: one CREATE with every property (no MERGE look-ups
			// on the municipality's many relationships, no second write of the
			// properties); this is what makes 100,000 rows take seconds.
			if err := run(ctx, tx, `
			UNWIND $rows AS row
			MATCH (m:Municipality {ags: row.ags})
			CREATE (c:Company {key: row.key, id: row.id, importHash: row.hash, name: row.props.name,
			  registerNumber: row.props.registerNumber, registerCourt: row.props.registerCourt,
			  sector: row.props.sector, employees: row.props.employees, sizeClass: row.props.sizeClass,
			  postcode: row.props.postcode, sample: row.props.sample, source: row.props.source})-[:LOCATED_IN]->(m)`, map[string]any{"rows": nonNilMaps(created)}); err != nil {
				return err
			}
			return run(ctx, tx, `
			UNWIND $rows AS row
			MATCH (c:Company {key: row.key})
			SET c += row.props, c.importHash = row.hash
			WITH c, row
			CALL (c, row) {
			  MATCH (c)-[old:LOCATED_IN]->(m0:Municipality) WHERE m0.ags <> row.ags
			  DELETE old
			}
			WITH c, row
			MATCH (m:Municipality {ags: row.ags})
			MERGE (c)-[:LOCATED_IN]->(m)`, map[string]any{"rows": nonNilMaps(updated)})
		})
}

// ImportContacts upserts contacts by key with WORKS_FOR, RESPONSIBLE_FOR
// (their municipality, if any) and EXPERT_IN, and refreshes their search
// documents.
func (s *ImportService) ImportContacts(ctx context.Context, batch []*cyberlotse.ContactRecord, dryRun bool) (*cyberlotse.ImportResult, error) {
	rows := make([]map[string]any, len(batch))
	for i, c := range batch {
		props := map[string]any{"name": c.Name, "role": emptyToNil(c.Role), "email": emptyToNil(c.Email),
			"phone": emptyToNil(c.Phone), "availability": emptyToNil(c.Availability), "audiences": castAll(c.Audiences),
			"statewide": false, "sample": c.Sample}
		rel := map[string]any{"org": c.OrganizationID, "ags": emptyToNil(string(c.AGS)), "topics": nonNil(c.TopicIDs)}
		hash := contentHash(map[string]any{"props": props, "rel": rel})
		props["source"] = c.Source
		rows[i] = map[string]any{"key": c.Key, "id": c.ID, "hash": hash, "props": props,
			"org": rel["org"], "ags": rel["ags"], "topics": rel["topics"]}
	}
	return s.upsertChanged(ctx, "neo4j.ImportContacts", dryRun, `
		UNWIND $keys AS k MATCH (c:Contact {key: k})
		RETURN {key: k, id: c.id, hash: c.importHash} AS x`, rows,
		func(tx neo4j.ManagedTransaction, write []map[string]any, res *cyberlotse.ImportResult) error {
			if err := run(ctx, tx, `
			UNWIND $rows AS row
			MERGE (c:Contact {key: row.key})
			ON CREATE SET c.id = row.id
			SET c += row.props, c.importHash = row.hash
			WITH c, row
			CALL (c) { OPTIONAL MATCH (c)-[old:WORKS_FOR|RESPONSIBLE_FOR|EXPERT_IN]->() DELETE old }
			WITH c, row
			MATCH (o:Organization {id: row.org}) MERGE (c)-[:WORKS_FOR]->(o)
			WITH c, row
			CALL (c, row) { MATCH (m:Municipality {ags: row.ags}) MERGE (c)-[:RESPONSIBLE_FOR {as: 'MUNICIPALITY'}]->(m) }
			CALL (c, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (c)-[:EXPERT_IN]->(t) }`,
				map[string]any{"rows": write}); err != nil {
				return err
			}
			return recordChanges(ctx, tx, map[search.Type][]string{search.TypeContact: idsOf(write, res)}, s.db.SearchOutbox)
		})
}

// idsOf returns the ids of written rows.
func idsOf(write []map[string]any, res *cyberlotse.ImportResult) []string {
	ids := make([]string, len(write))
	for i, r := range write {
		ids[i] = res.IDs[r["key"].(string)]
	}
	return ids
}

// ImportMeasures upserts measures by code with their ABOUT topics and
// refreshes their search documents. Measures written by the seed have no
// hash yet: the first import counts them as updated.
func (s *ImportService) ImportMeasures(ctx context.Context, batch []*cyberlotse.Measure, dryRun bool) (*cyberlotse.ImportResult, error) {
	rows := make([]map[string]any, len(batch))
	for i, m := range batch {
		props := map[string]any{"title": m.Title, "summary": emptyToNil(m.Summary), "category": string(m.Category),
			"sample": m.Sample, "source": emptyToNil(m.Source)}
		hash := contentHash(map[string]any{"props": props, "topics": nonNil(m.TopicIDs)})
		rows[i] = map[string]any{"key": m.Code, "id": m.Code, "hash": hash, "props": props, "topics": nonNil(m.TopicIDs)}
	}
	return s.upsertChanged(ctx, "neo4j.ImportMeasures", dryRun, `
		UNWIND $keys AS k MATCH (m:Measure {code: k})
		RETURN {key: k, id: m.code, hash: m.importHash} AS x`, rows,
		func(tx neo4j.ManagedTransaction, write []map[string]any, res *cyberlotse.ImportResult) error {
			if err := run(ctx, tx, `
			UNWIND $rows AS row
			MERGE (m:Measure {code: row.key})
			SET m += row.props, m.importHash = row.hash
			WITH m, row
			CALL (m) { OPTIONAL MATCH (m)-[old:ABOUT]->() DELETE old }
			CALL (m, row) { UNWIND row.topics AS tid MATCH (t:Topic {id: tid}) MERGE (m)-[:ABOUT]->(t) }`,
				map[string]any{"rows": write}); err != nil {
				return err
			}
			return recordChanges(ctx, tx, map[search.Type][]string{search.TypeMeasure: idsOf(write, res)}, s.db.SearchOutbox)
		})
}

// feedEventRow is an event of a feed ready for Cypher.
func feedEventRow(feed string, fe *cyberlotse.FeedEvent) map[string]any {
	e := fe.Event
	props := map[string]any{"title": e.Title, "description": emptyToNil(e.Description), "startsAt": instant(e.StartsAt),
		"endsAt": nil, "format": string(e.Format), "mode": string(e.Mode), "venue": emptyToNil(e.Venue),
		"onlineUrl": emptyToNil(e.OnlineURL), "status": string(e.Status), "sample": e.Sample}
	if e.EndsAt != nil {
		props["endsAt"] = instant(*e.EndsAt)
	}
	hash := contentHash(map[string]any{"props": props, "ags": e.AGS, "organizer": e.OrganizerID, "uid": fe.UID,
		"sequence": fe.Sequence, "feed": feed})
	props["source"] = e.Source
	return map[string]any{"key": fe.Key, "uid": fe.UID, "seq": fe.Sequence, "id": e.ID, "hash": hash, "props": props,
		"ags": emptyToNil(string(e.AGS)), "organizer": e.OrganizerID}
}

// ImportFeedEvents upserts a feed's events by key (UID, or UID and
// instance start). A stored SEQUENCE higher than the feed's marks the
// feed's version stale: it is left out. New events get their proposed
// slug, with "-2", "-3" … when another event has it. The event's own
// sequence (for the invitations Cyberlotse sends) rises with every
// change. People registered for an event whose time or place changed get
// an update notice and re-planned reminders; for an event the feed
// cancels, the cancellation notice.
func (s *ImportService) ImportFeedEvents(ctx context.Context, feed string, batch []*cyberlotse.FeedEvent, now time.Time, dryRun bool) (*cyberlotse.ImportResult, error) {
	rows := make([]map[string]any, len(batch))
	for i, fe := range batch {
		rows[i] = feedEventRow(feed, fe)
	}
	var res *cyberlotse.ImportResult
	err := s.importTx(ctx, "neo4j.ImportFeedEvents", dryRun, func(tx neo4j.ManagedTransaction) error {
		res = newResult()
		existing, err := stored(ctx, tx, `
			UNWIND $keys AS k MATCH (e:Event {sourceKey: k})
			RETURN {key: k, id: e.id, hash: e.importHash, seq: e.sourceSequence, sequence: e.sequence,
			  startsAt: e.startsAt, endsAt: e.endsAt, venue: e.venue, status: e.status,
			  ags: [(e)-[:TAKES_PLACE_IN]->(m:Municipality) | m.ags][0],
			  active: COUNT { (r:Registration)-[:FOR]->(e) WHERE r.status IN ['CONFIRMED', 'WAITLISTED'] }} AS x`, keysOf(rows))
		if err != nil {
			return err
		}
		var fresh []map[string]any
		for _, r := range rows {
			if ex, ok := existing[r["key"].(string)]; ok && ex.int("seq") > r["seq"].(int) {
				res.Unchanged++
				res.Stale = append(res.Stale, r["key"].(string))
				continue
			}
			fresh = append(fresh, r)
		}
		write := classify(fresh, existing, res)
		if len(write) == 0 {
			return nil
		}
		if err := s.assignEventIDs(ctx, tx, write, res); err != nil {
			return err
		}
		var cancelled, moved []string
		for _, r := range write {
			props := r["props"].(map[string]any)
			r["cancelledNow"] = false
			if r["new"].(bool) {
				r["sequence"] = r["seq"]
				continue
			}
			ex := existing[r["key"].(string)]
			r["sequence"] = max(ex.int("sequence")+1, r["seq"].(int))
			if props["status"] == string(cyberlotse.EventCancelled) && ex.str("status") != string(cyberlotse.EventCancelled) {
				r["cancelledNow"] = true
				if ex.int("active") > 0 {
					cancelled = append(cancelled, ex.str("id"))
				}
				continue
			}
			if ex.int("active") > 0 && props["status"] == string(cyberlotse.EventScheduled) && placeOrTimeChanged(ex, r) {
				moved = append(moved, ex.str("id"))
			}
		}
		if err := run(ctx, tx, `
			UNWIND $rows AS row
			MERGE (e:Event {sourceKey: row.key})
			ON CREATE SET e.id = row.id, e.createdAt = $now
			SET e += row.props, e.importHash = row.hash, e.sourceUid = row.uid, e.sourceSequence = row.seq,
			    e.importFeed = $feed, e.sequence = row.sequence,
			    e.cancelledAt = CASE WHEN row.cancelledNow THEN $now WHEN row.props.status = 'CANCELLED' THEN e.cancelledAt END,
			    e.cancelReason = CASE WHEN row.cancelledNow THEN 'Vom Veranstalter im Kalender abgesagt'
			                          WHEN row.props.status = 'CANCELLED' THEN e.cancelReason END
			WITH e, row
			CALL (e) { OPTIONAL MATCH (e)-[old:ORGANIZED_BY|TAKES_PLACE_IN]->() DELETE old }
			WITH e, row
			MATCH (o:Organization {id: row.organizer}) MERGE (e)-[:ORGANIZED_BY]->(o)
			WITH e, row
			CALL (e, row) { MATCH (m:Municipality {ags: row.ags}) MERGE (e)-[:TAKES_PLACE_IN]->(m) }`,
			map[string]any{"rows": write, "feed": feed, "now": instant(now)}); err != nil {
			return err
		}
		regs := &RegistrationService{db: s.db, Berlin: s.Berlin}
		for _, id := range cancelled {
			if err := s.noticeCancelled(ctx, tx, regs, id, now); err != nil {
				return err
			}
		}
		for _, id := range moved {
			e, _, err := lockEvent(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := regs.noticeAll(ctx, tx, e, cyberlotse.NoticeUpdated, now); err != nil {
				return err
			}
			if err := regs.replanReminders(ctx, tx, e, now); err != nil {
				return err
			}
		}
		return recordChanges(ctx, tx, map[search.Type][]string{search.TypeEvent: idsOf(write, res)}, s.db.SearchOutbox)
	})
	return res, err
}

// placeOrTimeChanged reports whether an update moves the event in time
// or place, which registered people must be told.
func placeOrTimeChanged(ex row, r map[string]any) bool {
	props := r["props"].(map[string]any)
	sameTime := func(a *time.Time, b any) bool {
		t, ok := b.(time.Time)
		if a == nil || !ok {
			return a == nil && !ok
		}
		return a.Equal(t)
	}
	start := ex.time("startsAt")
	venue, _ := props["venue"].(string)
	ags, _ := r["ags"].(string)
	return !sameTime(&start, props["startsAt"]) || !sameTime(ex.timePtr("endsAt"), props["endsAt"]) ||
		ex.str("venue") != venue || ex.str("ags") != ags || ex.str("status") == string(cyberlotse.EventCancelled)
}

// assignEventIDs gives each new event its proposed slug, or the slug with
// the first free suffix "-2", "-3" … ; an existing event keeps its id.
func (s *ImportService) assignEventIDs(ctx context.Context, tx neo4j.ManagedTransaction, write []map[string]any, res *cyberlotse.ImportResult) error {
	var bases []string
	for _, r := range write {
		if r["new"].(bool) {
			bases = append(bases, r["id"].(string))
		}
	}
	if len(bases) == 0 {
		return nil
	}
	taken, err := collectRows(ctx, tx, "x", `
		UNWIND $bases AS b MATCH (e:Event) WHERE e.id = b OR e.id STARTS WITH b + '-'
		RETURN DISTINCT {id: e.id} AS x`, map[string]any{"bases": bases})
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for _, t := range taken {
		used[t.str("id")] = true
	}
	for _, r := range write {
		if !r["new"].(bool) {
			continue
		}
		base := r["id"].(string)
		id := base
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = true
		r["id"] = id
		res.IDs[r["key"].(string)] = id
	}
	return nil
}

// noticeCancelled skips the pending reminders of an event just cancelled
// and queues the cancellation notice to everyone registered.
func (s *ImportService) noticeCancelled(ctx context.Context, tx neo4j.ManagedTransaction, regs *RegistrationService, id string, now time.Time) error {
	e, _, err := lockEvent(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := run(ctx, tx, `
		MATCH (rem:Reminder {state: 'PENDING'})-[:FOR]->(:Registration)-[:FOR]->(:Event {id: $id})
		WHERE rem.kind <> $cancelled
		SET rem.state = 'SKIPPED'`, map[string]any{"id": id, "cancelled": cyberlotse.NoticeEventCancelled}); err != nil {
		return err
	}
	return regs.noticeAll(ctx, tx, e, cyberlotse.NoticeEventCancelled, now)
}

// CancelMissingFeedEvents cancels the feed's future events it no longer
// lists, one statement to find them and then each under its lock, with
// the notices to registered people. The import hash is cleared, so that
// an event that comes back counts as updated and is scheduled again.
func (s *ImportService) CancelMissingFeedEvents(ctx context.Context, feed string, seen cyberlotse.FeedSeen, now time.Time, dryRun bool) ([]string, error) {
	var ids []string
	err := s.importTx(ctx, "neo4j.CancelMissingFeedEvents", dryRun, func(tx neo4j.ManagedTransaction) error {
		ids = nil
		rows, err := collectRows(ctx, tx, "x", `
			MATCH (e:Event {importFeed: $feed})
			WHERE e.startsAt >= $now AND e.status <> 'CANCELLED'
			  AND NOT e.sourceKey IN $keys AND NOT e.sourceUid IN $kept
			  AND (NOT e.sourceUid IN $uids OR e.startsAt < $horizonEnd)
			RETURN {id: e.id} AS x ORDER BY e.startsAt, e.id`,
			map[string]any{"feed": feed, "now": instant(now), "keys": nonNil(seen.Keys), "kept": nonNil(seen.Kept),
				"uids": nonNil(seen.UIDs), "horizonEnd": instant(seen.HorizonEnd)})
		if err != nil {
			return err
		}
		regs := &RegistrationService{db: s.db, Berlin: s.Berlin}
		for _, r := range rows {
			id := r.str("id")
			if err := run(ctx, tx, `
				MATCH (e:Event {id: $id})
				SET e.status = 'CANCELLED', e.sequence = coalesce(e.sequence, 0) + 1, e.cancelledAt = $now,
				    e.cancelReason = 'Nicht mehr im Kalender des Veranstalters', e.importHash = null`,
				map[string]any{"id": id, "now": instant(now)}); err != nil {
				return err
			}
			if err := s.noticeCancelled(ctx, tx, regs, id, now); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return recordChanges(ctx, tx, map[search.Type][]string{search.TypeEvent: ids}, s.db.SearchOutbox)
	})
	return ids, err
}

// Test helpers: tests clean up exactly what they imported. Production
// never deletes imported companies, contacts or events.

// DeleteCompaniesForTest removes the companies whose key starts with
// prefix, 10,000 per transaction. Only tests call it.
func DeleteCompaniesForTest(ctx context.Context, db *DB, keyPrefix string) error {
	if !strings.HasPrefix(keyPrefix, "reg:") && !strings.HasPrefix(keyPrefix, "name:") || len(keyPrefix) < 12 {
		return fmt.Errorf("DeleteCompaniesForTest: prefix %q is too broad", keyPrefix)
	}
	for {
		recs, err := db.write(ctx, "neo4j.DeleteCompaniesForTest", `
			MATCH (c:Company) WHERE c.key STARTS WITH $prefix
			WITH c LIMIT 10000 DETACH DELETE c RETURN count(*) AS n`, map[string]any{"prefix": keyPrefix})
		if err != nil {
			return err
		}
		if count(recs) == 0 {
			return nil
		}
	}
}

// DeleteCompanyKeysForTest removes the companies with the given keys.
func DeleteCompanyKeysForTest(ctx context.Context, db *DB, keys []string) error {
	_, err := db.write(ctx, "neo4j.DeleteCompanyKeysForTest",
		`UNWIND $keys AS k MATCH (c:Company {key: k}) DETACH DELETE c`, map[string]any{"keys": keys})
	return err
}

// DeleteContactKeysForTest removes imported contacts with the given keys
// and their search outbox entries.
func DeleteContactKeysForTest(ctx context.Context, db *DB, keys []string) error {
	return db.writeLogged(ctx, "neo4j.DeleteContactKeysForTest", `
		UNWIND $keys AS k MATCH (c:Contact {key: k})
		OPTIONAL MATCH (o:SearchOutbox {documentId: 'CONTACT-' + c.id})
		DETACH DELETE c, o`, map[string]any{"keys": keys}, cyberlotse.Change{Kind: cyberlotse.ChangedNetwork})
}

// DeleteFeedEventsForTest removes every event imported from feed, with
// their registrations, reminders and outbox entries.
func DeleteFeedEventsForTest(ctx context.Context, db *DB, feed string) error {
	recs, err := db.read(ctx, "neo4j.DeleteFeedEventsForTest",
		`MATCH (e:Event {importFeed: $feed}) RETURN e.id AS id`, map[string]any{"feed": feed})
	if err != nil {
		return err
	}
	for _, r := range recs {
		id, _ := r.Get("id")
		if err := DeleteEventForTest(ctx, db, id.(string)); err != nil {
			return err
		}
	}
	return nil
}

// FeedEventKeysForTest returns, per sourceKey, the id and status of the
// events of feed.
func FeedEventKeysForTest(ctx context.Context, db *DB, feed string) (map[string][2]string, error) {
	recs, err := db.read(ctx, "neo4j.FeedEventKeysForTest",
		`MATCH (e:Event {importFeed: $feed}) RETURN {key: e.sourceKey, id: e.id, status: e.status} AS x`, map[string]any{"feed": feed})
	if err != nil {
		return nil, err
	}
	out := map[string][2]string{}
	for _, r := range rowsOf(recs, "x") {
		out[r.str("key")] = [2]string{r.str("id"), r.str("status")}
	}
	return out, nil
}
