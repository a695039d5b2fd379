package cyberlotse

import (
	"context"
	"time"
)

// EventFormat is what kind of meeting an event is.
type EventFormat string

const (
	FormatInfoEvening EventFormat = "INFO_EVENING"
	FormatLunchtalk   EventFormat = "LUNCHTALK"
	FormatTabletop    EventFormat = "TABLETOP"
	FormatKickoff     EventFormat = "KICKOFF"
	FormatWorkshop    EventFormat = "WORKSHOP"
	FormatConference  EventFormat = "CONFERENCE"
)

// EventMode says where people take part.
type EventMode string

const (
	ModeOnsite EventMode = "ONSITE"
	ModeOnline EventMode = "ONLINE"
	ModeHybrid EventMode = "HYBRID"
)

// EventStatus is the life-cycle state of an event.
type EventStatus string

const (
	EventScheduled EventStatus = "SCHEDULED"
	EventCancelled EventStatus = "CANCELLED"
)

// Event is an information evening, a Lunchtalk, a tabletop exercise or
// another meeting of the network.
type Event struct {
	ID               string
	Title            string
	Description      string
	StartsAt         time.Time
	EndsAt           *time.Time
	Format           EventFormat
	Mode             EventMode
	Venue            string
	AGS              AGS // where it takes place; empty for online events
	OnlineURL        string
	Capacity         *int // nil: unlimited
	Status           EventStatus
	RegistrationNote string
	// Sequence counts changes, for iCalendar SEQUENCE; starts at 0.
	Sequence int
	// ReminderOffsets of the event's reminders; nil: the defaults.
	ReminderOffsets []ReminderOffset
	// Confirmed and Waitlisted count the active registrations.
	Confirmed, Waitlisted int
	OrganizerID           string
	RegionIDs             []string
	MeasureCodes          []string
	TopicIDs              []string
	// Audiences are whom the event is for: companies, municipalities
	// (and other public bodies), or both. Empty reads as companies only.
	Audiences []Audience
	Provenance
}

// For reports whether the event is meant for audience a.
func (e *Event) For(a Audience) bool {
	if len(e.Audiences) == 0 {
		return a == AudienceCompany
	}
	for _, x := range e.Audiences {
		if x == a {
			return true
		}
	}
	return false
}

// EventFilter narrows FindEvents; nil fields do not filter. Region matches
// events for the region or taking place in one of its municipalities.
type EventFilter struct {
	Region  *string
	AGS     *AGS
	From    *time.Time // events starting at or after From
	To      *time.Time // events starting before To
	Format  *EventFormat
	Mode    *EventMode // ONLINE also matches HYBRID: both can be joined online
	Measure *string
	Near    *Near // on site or hybrid within a radius of a municipality
}

// Near narrows events to those taking place within RadiusKm of a
// municipality (its centre), which ResolvePlace found.
type Near struct {
	Place    *Municipality
	RadiusKm float64
}

// Bounds of Near.RadiusKm: NRW is about 250 km across.
const (
	DefaultNearKm = 25
	MaxNearKm     = 300
)

// EventService reads events. Anyone may call it.
type EventService interface {
	// FindEvents returns a page of events ordered by start time, then id,
	// and whether more follow. EINVALID for a bad filter or cursor.
	FindEvents(ctx context.Context, f EventFilter, p Page) ([]*Event, bool, error)
	// CountEvents returns how many events match f.
	CountEvents(ctx context.Context, f EventFilter) (int, error)
	// EventsByIDs returns the events with the given ids; unknown ids are
	// left out.
	EventsByIDs(ctx context.Context, ids []string) ([]*Event, error)
}

// EventCursor is the keyset position of e in the start-time order.
func EventCursor(e *Event) Cursor {
	return Cursor{Keys: []string{e.StartsAt.UTC().Format(time.RFC3339Nano), e.ID}}
}
