package neo4j

import (
	"context"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var (
	_ cyberlotse.EventService     = (*EventService)(nil)
	_ cyberlotse.EventCountSource = (*EventService)(nil)
)

// EventService implements cyberlotse.EventService.
type EventService struct{ db *DB }

func NewEventService(db *DB) *EventService { return &EventService{db: db} }

// The projections sort lists of related keys: the order of a node's
// relationships changes whenever a seed or import writes them again, and
// an answer must not depend on it (the read models compare equal).
const eventProjection = `e {.id, .title, .description, .startsAt, .endsAt, .format, .mode, .venue, .onlineUrl,
	.capacity, .status, .registrationNote, .sample, .source, .sequence, .reminderOffsets, .audiences,
	confirmed: coalesce(e.confirmedCount, 0), waitlisted: coalesce(e.waitlistedCount, 0),
	ags: [(e)-[:TAKES_PLACE_IN]->(m:Municipality) | m.ags][0],
	organizer: [(e)-[:ORGANIZED_BY]->(o:Organization) | o.id][0],
	regions: COLLECT { MATCH (e)-[:FOR_REGION]->(r:Region) RETURN r.id ORDER BY r.id },
	measures: COLLECT { MATCH (e)-[:ADDRESSES]->(m:Measure) RETURN m.code ORDER BY m.code },
	topics: COLLECT { MATCH (e)-[:ABOUT]->(t:Topic) RETURN t.id ORDER BY t.id }}`

func eventFrom(r row) *cyberlotse.Event {
	return &cyberlotse.Event{
		ID: r.str("id"), Title: r.str("title"), Description: r.str("description"),
		StartsAt: r.time("startsAt"), EndsAt: r.timePtr("endsAt"),
		Format: cyberlotse.EventFormat(r.str("format")), Mode: cyberlotse.EventMode(r.str("mode")),
		Venue: r.str("venue"), AGS: cyberlotse.AGS(r.str("ags")), OnlineURL: r.str("onlineUrl"),
		Capacity: r.intPtr("capacity"), Status: cyberlotse.EventStatus(r.str("status")),
		RegistrationNote: r.str("registrationNote"), OrganizerID: r.str("organizer"),
		Sequence: r.int("sequence"), ReminderOffsets: offsetsFrom(r.strs("reminderOffsets")),
		Confirmed: r.int("confirmed"), Waitlisted: r.int("waitlisted"),
		RegionIDs: r.strs("regions"), MeasureCodes: r.strs("measures"), TopicIDs: r.strs("topics"),
		Audiences: audiencesFrom(r.strs("audiences")), Provenance: r.provenance(),
	}
}

// audiencesFrom reads an event's audiences; nil (companies only) when unset.
func audiencesFrom(ss []string) []cyberlotse.Audience {
	if len(ss) == 0 {
		return nil
	}
	out := make([]cyberlotse.Audience, len(ss))
	for i, s := range ss {
		out[i] = cyberlotse.Audience(s)
	}
	return out
}

// eventWhere is the filter shared by Find and Count, assembled from fixed
// clauses for the filters that are set (values stay parameters): a
// clause such as "$from IS NULL OR …" would keep the planner from using
// the index on startsAt for the range and the order. The planner uses a
// composite index only with a predicate on each of its properties, hence
// "e.id IS NOT NULL" for the index on (startsAt, id): without it, the
// first page of upcoming events scanned all 20,000 events of the scale
// data (63,000 db hits) instead of reading 21 index entries.
func eventWhere(f cyberlotse.EventFilter) string {
	clauses := []string{"e.id IS NOT NULL"}
	add := func(set bool, clause string) {
		if set {
			clauses = append(clauses, clause)
		}
	}
	add(f.From != nil, "e.startsAt >= $from")
	add(f.To != nil, "e.startsAt < $to")
	add(f.Format != nil, "e.format = $format")
	add(f.Mode != nil, "(e.mode = $mode OR ($mode = 'ONLINE' AND e.mode = 'HYBRID'))")
	add(f.AGS != nil, "EXISTS { (e)-[:TAKES_PLACE_IN]->(:Municipality {ags: $ags}) }")
	add(f.Measure != nil, "EXISTS { (e)-[:ADDRESSES]->(:Measure {code: $measure}) }")
	add(f.Region != nil, `(EXISTS { (e)-[:FOR_REGION]->(:Region {id: $region}) }
	       OR EXISTS { (e)-[:TAKES_PLACE_IN]->(:Municipality)<-[:COVERS]-(:Region {id: $region}) })`)
	match := "\n\tMATCH (e:Event)"
	if f.Near != nil {
		// From the municipalities in the radius (point index) to their
		// events: a few thousand rows to order, never all events.
		match = `
	MATCH (at:Municipality)
	WHERE point.distance(at.location, point({latitude: $nearLat, longitude: $nearLon})) <= $nearMeters
	MATCH (e:Event)-[:TAKES_PLACE_IN]->(at)`
	}
	return match + "\n\tWHERE " + strings.Join(clauses, "\n\t  AND ")
}

func eventParams(f cyberlotse.EventFilter) map[string]any {
	params := map[string]any{
		"from": optTime(f.From), "to": optTime(f.To), "format": optString(f.Format), "mode": optString(f.Mode),
		"ags": optString(f.AGS), "measure": f.Measure, "region": f.Region,
	}
	if f.Near != nil {
		params["nearLat"], params["nearLon"] = f.Near.Place.Location.Lat, f.Near.Place.Location.Lon
		params["nearMeters"] = f.Near.RadiusKm * 1000
	}
	return params
}

// checkNear refuses a near filter whose place was not resolved: the
// resolver finds the municipality, the store only measures from it.
func checkNear(f cyberlotse.EventFilter) error {
	if f.Near != nil && f.Near.Place == nil {
		return cyberlotse.Invalid("near.place", "bitte einen Ort angeben.")
	}
	return nil
}

func (s *EventService) FindEvents(ctx context.Context, f cyberlotse.EventFilter, p cyberlotse.Page) ([]*cyberlotse.Event, bool, error) {
	if err := checkNear(f); err != nil {
		return nil, false, err
	}
	params := eventParams(f)
	where := eventWhere(f)
	if p.After != nil {
		t, err := time.Parse(time.RFC3339Nano, p.After.Key(0))
		if err != nil {
			return nil, false, cyberlotse.Errorf(cyberlotse.EINVALID, "Der Cursor „after“ passt nicht zu dieser Liste.")
		}
		params["afterStart"], params["afterID"] = instant(t), p.After.Key(1)
		// The range on startsAt alone lets the index seek past the cursor.
		where += "\n\t  AND e.startsAt >= $afterStart AND (e.startsAt > $afterStart OR e.id > $afterID)"
	}
	params["limit"] = p.First + 1
	// Order and limit before the projection, so that the index on
	// (startsAt, id) can provide the order.
	recs, err := s.db.read(ctx, "neo4j.FindEvents", where+`
	WITH e ORDER BY e.startsAt, e.id LIMIT $limit
	RETURN `+eventProjection+` AS e`, params)
	if err != nil {
		return nil, false, err
	}
	items := mapRows(recs, "e", eventFrom)
	more := len(items) > p.First
	if more {
		items = items[:p.First]
	}
	return items, more, nil
}

func (s *EventService) CountEvents(ctx context.Context, f cyberlotse.EventFilter) (int, error) {
	if err := checkNear(f); err != nil {
		return 0, err
	}
	recs, err := s.db.read(ctx, "neo4j.CountEvents", eventWhere(f)+` RETURN count(e) AS n`, eventParams(f))
	return count(recs), err
}

func (s *EventService) EventsByIDs(ctx context.Context, ids []string) ([]*cyberlotse.Event, error) {
	recs, err := s.db.read(ctx, "neo4j.EventsByIDs",
		`MATCH (e:Event) WHERE e.id IN $ids RETURN `+eventProjection+` AS e`, map[string]any{"ids": ids})
	return mapRows(recs, "e", eventFrom), err
}

// EventCounts reads the registration counts of the events with ids.
func (s *EventService) EventCounts(ctx context.Context, ids []string) (map[string]cyberlotse.EventCounts, error) {
	recs, err := s.db.read(ctx, "neo4j.EventCounts", `
		MATCH (e:Event) WHERE e.id IN $ids
		RETURN {id: e.id, confirmed: coalesce(e.confirmedCount, 0), waitlisted: coalesce(e.waitlistedCount, 0)} AS e`,
		map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make(map[string]cyberlotse.EventCounts, len(recs))
	for _, r := range rowsOf(recs, "e") {
		out[r.str("id")] = cyberlotse.EventCounts{Confirmed: r.int("confirmed"), Waitlisted: r.int("waitlisted")}
	}
	return out, nil
}

// offsetsFrom reads stored reminder offsets; nil (the defaults) when the
// event has none of its own.
func offsetsFrom(ss []string) []cyberlotse.ReminderOffset {
	if len(ss) == 0 {
		return nil
	}
	out := make([]cyberlotse.ReminderOffset, 0, len(ss))
	for _, s := range ss {
		if o, err := cyberlotse.ParseReminderOffset(s); err == nil {
			out = append(out, o)
		}
	}
	return out
}

func optTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return instant(*t)
}

// instant normalizes a time to UTC before it reaches Cypher. Cypher
// compares DateTimes of different zones inconsistently (12:00 Berlin and
// 11:00 UTC are not "="), so the graph stores and queries instants in UTC;
// the API renders them in Europe/Berlin.
func instant(t time.Time) time.Time { return t.UTC() }
