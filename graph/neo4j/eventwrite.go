package neo4j

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

var _ cyberlotse.EventWriter = (*RegistrationService)(nil)

// eventProps are the stored properties of an event; relationships are
// written separately.
func eventProps(e *cyberlotse.Event) map[string]any {
	props := map[string]any{
		"title": e.Title, "description": emptyToNil(e.Description), "startsAt": instant(e.StartsAt), "endsAt": nil,
		"format": string(e.Format), "mode": string(e.Mode), "venue": emptyToNil(e.Venue),
		"onlineUrl": emptyToNil(e.OnlineURL), "capacity": nil, "status": string(e.Status),
		"registrationNote": emptyToNil(e.RegistrationNote), "sequence": e.Sequence, "reminderOffsets": nil,
		"sample": e.Sample, "source": emptyToNil(e.Source),
	}
	if e.EndsAt != nil {
		props["endsAt"] = instant(*e.EndsAt)
	}
	if e.Capacity != nil {
		props["capacity"] = *e.Capacity
	}
	if e.ReminderOffsets != nil {
		offs := make([]string, len(e.ReminderOffsets))
		for i, o := range e.ReminderOffsets {
			offs[i] = o.String()
		}
		props["reminderOffsets"] = offs
	}
	return props
}

// CreateEvent writes a new event with its relationships; unknown
// organizations, municipalities, regions, measures or topics are EINVALID.
func (s *RegistrationService) CreateEvent(ctx context.Context, e *cyberlotse.Event) error {
	return s.db.writeTx(ctx, "neo4j.CreateEvent", func(tx neo4j.ManagedTransaction) error {
		rows, err := collectRows(ctx, tx, "check", `
			RETURN {
			  organizer: EXISTS { (:Organization {id: $organizer}) },
			  place: $ags IS NULL OR EXISTS { (:Municipality {ags: $ags}) },
			  regions: size([id IN $regions WHERE EXISTS { (:Region {id: id}) }]) = size($regions),
			  measures: size([c IN $measures WHERE EXISTS { (:Measure {code: c}) }]) = size($measures),
			  topics: size([t IN $topics WHERE EXISTS { (:Topic {id: t}) }]) = size($topics)
			} AS check`, eventRelParams(e))
		if err != nil {
			return err
		}
		for field, ok := range rows[0] {
			if ok != true {
				return cyberlotse.Invalid(field, "unbekannter Schlüssel; siehe Query.organizations, regions, measures und topics.")
			}
		}
		params := eventRelParams(e)
		params["id"], params["props"] = e.ID, eventProps(e)
		_, err = tx.Run(ctx, `
			CREATE (e:Event {id: $id}) SET e += $props
			WITH e MATCH (o:Organization {id: $organizer}) CREATE (e)-[:ORGANIZED_BY]->(o)
			WITH e CALL (e) { MATCH (m:Municipality {ags: $ags}) CREATE (e)-[:TAKES_PLACE_IN]->(m) }
			WITH e CALL (e) { UNWIND $regions AS rid MATCH (r:Region {id: rid}) CREATE (e)-[:FOR_REGION]->(r) }
			WITH e CALL (e) { UNWIND $measures AS code MATCH (m:Measure {code: code}) CREATE (e)-[:ADDRESSES]->(m) }
			WITH e CALL (e) { UNWIND $topics AS tid MATCH (t:Topic {id: tid}) CREATE (e)-[:ABOUT]->(t) }`, params)
		if err != nil {
			return err
		}
		return recordChanges(ctx, tx, map[search.Type][]string{search.TypeEvent: {e.ID}}, s.db.SearchOutbox)
	})
}

func eventRelParams(e *cyberlotse.Event) map[string]any {
	return map[string]any{"organizer": e.OrganizerID, "ags": emptyToNil(string(e.AGS)),
		"regions": nonNil(e.RegionIDs), "measures": nonNil(e.MeasureCodes), "topics": nonNil(e.TopicIDs)}
}

func (s *RegistrationService) UpdateEvent(ctx context.Context, id string, u cyberlotse.EventUpdate, now time.Time) (*cyberlotse.Event, *cyberlotse.RegistrationChange, error) {
	defer s.events.lock(id)()
	var (
		updated *cyberlotse.Event
		change  *cyberlotse.RegistrationChange
	)
	err := s.db.writeTx(ctx, "neo4j.UpdateEvent", func(tx neo4j.ManagedTransaction) error {
		change = &cyberlotse.RegistrationChange{}
		e, _, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Status == cyberlotse.EventCancelled {
			return cyberlotse.Errorf(cyberlotse.ECONFLICT, "Die Veranstaltung ist abgesagt und kann nicht mehr geändert werden.")
		}
		changed, notify, err := u.Apply(e)
		if err != nil || !changed {
			updated = e
			return err
		}
		if _, err := tx.Run(ctx, `
			MATCH (e:Event {id: $id}) SET e += $props
			WITH e OPTIONAL MATCH (e)-[old:TAKES_PLACE_IN]->() DELETE old
			WITH e CALL (e) { MATCH (m:Municipality {ags: $ags}) CREATE (e)-[:TAKES_PLACE_IN]->(m) }`,
			map[string]any{"id": id, "props": eventProps(e), "ags": emptyToNil(string(e.AGS))}); err != nil {
			return err
		}
		if notify {
			if err := s.noticeAll(ctx, tx, e, cyberlotse.NoticeUpdated, now); err != nil {
				return err
			}
			if err := s.replanReminders(ctx, tx, e, now); err != nil {
				return err
			}
		}
		if change.Promoted, err = s.promote(ctx, tx, e, now); err != nil {
			return err
		}
		if err := recordChanges(ctx, tx, map[search.Type][]string{search.TypeEvent: {id}}, s.db.SearchOutbox); err != nil {
			return err
		}
		updated, _, err = lockEvent(ctx, tx, id)
		return err
	})
	return updated, change, err
}

func (s *RegistrationService) CancelEvent(ctx context.Context, id, reason string, now time.Time) (*cyberlotse.Event, error) {
	defer s.events.lock(id)()
	var out *cyberlotse.Event
	err := s.db.writeTx(ctx, "neo4j.CancelEvent", func(tx neo4j.ManagedTransaction) error {
		e, _, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if e.Status == cyberlotse.EventCancelled {
			out = e
			return nil
		}
		e.Status, e.Sequence = cyberlotse.EventCancelled, e.Sequence+1
		if _, err := tx.Run(ctx, `
			MATCH (e:Event {id: $id}) SET e.status = 'CANCELLED', e.sequence = $seq, e.cancelledAt = $now, e.cancelReason = $reason
			WITH e MATCH (rem:Reminder {state: 'PENDING'})-[:FOR]->(:Registration)-[:FOR]->(e) SET rem.state = 'SKIPPED'`,
			map[string]any{"id": id, "seq": e.Sequence, "now": instant(now), "reason": emptyToNil(reason)}); err != nil {
			return err
		}
		if err := s.noticeAll(ctx, tx, e, cyberlotse.NoticeEventCancelled, now); err != nil {
			return err
		}
		if err := recordChanges(ctx, tx, map[search.Type][]string{search.TypeEvent: {id}}, s.db.SearchOutbox); err != nil {
			return err
		}
		out, _, err = lockEvent(ctx, tx, id)
		return err
	})
	return out, err
}

// noticeAll queues a notice of kind to the active registrations of e:
// updates go to the confirmed (the waitlisted have no calendar entry yet
// and get the current one when they move up), a cancellation to all.
func (s *RegistrationService) noticeAll(ctx context.Context, tx neo4j.ManagedTransaction, e *cyberlotse.Event, kind string, now time.Time) error {
	statuses := []string{string(cyberlotse.Confirmed), string(cyberlotse.Waitlisted)}
	if kind == cyberlotse.NoticeUpdated {
		statuses = statuses[:1]
	}
	_, err := tx.Run(ctx, `
		MATCH (r:Registration)-[:FOR]->(:Event {id: $event}) WHERE r.status IN $statuses AND r.anonymizedAt IS NULL
		MERGE (rem:Reminder {id: r.id + '-' + $kind + '-' + toString($seq)})
		ON CREATE SET rem.kind = $kind, rem.dueAt = $now, rem.state = 'PENDING', rem.attempts = 0
		MERGE (rem)-[:FOR]->(r)`, map[string]any{"event": e.ID, "kind": kind, "seq": e.Sequence, "now": instant(now), "statuses": statuses})
	return err
}

// replanReminders moves the pending reminders of confirmed registrations
// to the event's new time (and drops those now in the past).
func (s *RegistrationService) replanReminders(ctx context.Context, tx neo4j.ManagedTransaction, e *cyberlotse.Event, now time.Time) error {
	offsets := e.ReminderOffsets
	if offsets == nil {
		offsets = cyberlotse.DefaultReminderOffsets
	}
	var plan []map[string]any
	for _, o := range offsets {
		plan = append(plan, map[string]any{"kind": o.String(), "dueAt": instant(o.DueAt(e.StartsAt, s.Berlin))})
	}
	_, err := tx.Run(ctx, `
		MATCH (r:Registration {status: 'CONFIRMED'})-[:FOR]->(:Event {id: $event}) WHERE r.anonymizedAt IS NULL
		UNWIND $plan AS p
		MERGE (rem:Reminder {id: r.id + '-' + p.kind})
		ON CREATE SET rem.kind = p.kind, rem.attempts = 0
		MERGE (rem)-[:FOR]->(r)
		WITH rem, p WHERE rem.state IS NULL OR rem.state = 'PENDING'
		SET rem.dueAt = p.dueAt, rem.state = CASE WHEN p.dueAt > $now THEN 'PENDING' ELSE 'SKIPPED' END`,
		map[string]any{"event": e.ID, "plan": plan, "now": instant(now)})
	return err
}
