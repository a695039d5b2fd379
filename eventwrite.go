package cyberlotse

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// EventInput is a new event from an organizer.
type EventInput struct {
	Title, Description string
	StartsAt           time.Time
	EndsAt             *time.Time
	Format             EventFormat
	Mode               EventMode
	Venue              string
	AGS                AGS
	OnlineURL          string
	Capacity           *int
	OrganizerID        string
	RegionIDs          []string
	MeasureCodes       []string
	TopicIDs           []string
	ReminderOffsets    []ReminderOffset
	RegistrationNote   string
}

// Event validates the input at now and returns the event to store.
func (in EventInput) Event(id string, now time.Time) (*Event, error) {
	e := &Event{ID: id, Title: strings.TrimSpace(in.Title), Description: in.Description, StartsAt: in.StartsAt,
		EndsAt: in.EndsAt, Format: in.Format, Mode: in.Mode, Venue: in.Venue, AGS: in.AGS, OnlineURL: in.OnlineURL,
		Capacity: in.Capacity, Status: EventScheduled, RegistrationNote: in.RegistrationNote, OrganizerID: in.OrganizerID,
		RegionIDs: in.RegionIDs, MeasureCodes: in.MeasureCodes, TopicIDs: in.TopicIDs, ReminderOffsets: in.ReminderOffsets}
	if e.Title == "" || len(e.Title) > 200 {
		return nil, Invalid("title", "bitte einen Titel mit höchstens 200 Zeichen angeben.")
	}
	if !e.StartsAt.After(now) {
		return nil, Invalid("startsAt", "eine neue Veranstaltung muss in der Zukunft beginnen.")
	}
	return e, validateEvent(e)
}

func validateEvent(e *Event) error {
	switch {
	case e.EndsAt != nil && !e.EndsAt.After(e.StartsAt):
		return Invalid("endsAt", "das Ende muss nach dem Beginn liegen.")
	case e.Capacity != nil && (*e.Capacity < 1 || *e.Capacity > 100000):
		return Invalid("capacity", "die Zahl der Plätze liegt zwischen 1 und 100000 (ohne Angabe: unbegrenzt).")
	case e.Mode != ModeOnline && e.AGS == "":
		return Invalid("ags", "Veranstaltungen vor Ort brauchen den Gemeindeschlüssel des Veranstaltungsorts.")
	case e.Mode == ModeOnline && e.AGS != "":
		return Invalid("ags", "reine Online-Veranstaltungen haben keinen Ort; lassen Sie ags weg oder wählen Sie HYBRID.")
	case e.OnlineURL != "" && !strings.HasPrefix(e.OnlineURL, "https://"):
		return Invalid("onlineUrl", "der Link muss mit https:// beginnen.")
	}
	for _, code := range e.MeasureCodes {
		if _, err := ParseMeasureCode(code); err != nil {
			return err
		}
	}
	return nil
}

// EventUpdate changes some fields of an event; nil fields stay.
type EventUpdate struct {
	Title, Description, Venue, OnlineURL, RegistrationNote *string
	StartsAt, EndsAt                                       *time.Time
	AGS                                                    *AGS
	Capacity                                               *int
}

// Apply changes e and reports whether anything changed and whether the
// change concerns when or where the event is, which everyone registered
// must be told with an updated calendar entry.
func (u EventUpdate) Apply(e *Event) (changed, notify bool, err error) {
	set := func(dst *string, v *string, tellPeople bool) {
		if v != nil && *v != *dst {
			*dst, changed = *v, true
			notify = notify || tellPeople
		}
	}
	if u.Title != nil && strings.TrimSpace(*u.Title) == "" {
		return false, false, Invalid("title", "der Titel darf nicht leer sein.")
	}
	set(&e.Title, u.Title, false)
	set(&e.Description, u.Description, false)
	set(&e.Venue, u.Venue, true)
	set(&e.OnlineURL, u.OnlineURL, true)
	set(&e.RegistrationNote, u.RegistrationNote, false)
	if u.AGS != nil && *u.AGS != e.AGS {
		e.AGS, changed, notify = *u.AGS, true, true
	}
	if u.StartsAt != nil && !u.StartsAt.Equal(e.StartsAt) {
		e.StartsAt, changed, notify = *u.StartsAt, true, true
	}
	if u.EndsAt != nil && (e.EndsAt == nil || !u.EndsAt.Equal(*e.EndsAt)) {
		e.EndsAt, changed, notify = u.EndsAt, true, true
	}
	if u.Capacity != nil && (e.Capacity == nil || *u.Capacity != *e.Capacity) {
		if *u.Capacity < e.Confirmed {
			return false, false, Invalid("capacity", fmt.Sprintf("es sind bereits %d Personen bestätigt; weniger Plätze sind nicht möglich.", e.Confirmed))
		}
		e.Capacity, changed = u.Capacity, true
	}
	if changed {
		e.Sequence++
	}
	return changed, notify, validateEvent(e)
}

// Slug makes a readable ASCII id from a name: "Bad Oeynhausen" →
// "bad-oeynhausen", umlauts spelled out, at most about 60 characters.
func Slug(name string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")
	var b strings.Builder
	dash := false
	for _, c := range r.Replace(strings.ToLower(name)) {
		if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// EventSlug makes an event id from its title and start date:
// "Planspiel Ransomware" on 2027-06-16 → "planspiel-ransomware-2027-06-16".
func EventSlug(title string, start time.Time, loc *time.Location) string {
	return Slug(title) + "-" + start.In(loc).Format(time.DateOnly)
}

// EventWriter changes events; only organizers of the event's organization
// and admins call it (checked by the caller with CanManageEvent).
type EventWriter interface {
	// CreateEvent stores a new event. ECONFLICT when the id is taken.
	CreateEvent(ctx context.Context, e *Event) error
	// UpdateEvent applies u in one transaction; when time or place change,
	// every confirmed registration gets an UPDATED notification. Raised
	// capacity promotes from the waitlist. ENOTFOUND unknown event.
	UpdateEvent(ctx context.Context, id string, u EventUpdate, now time.Time) (*Event, *RegistrationChange, error)
	// CancelEvent cancels the event, skips its pending reminders and
	// queues an EVENT_CANCELLED notification for every active registration.
	CancelEvent(ctx context.Context, id, reason string, now time.Time) (*Event, error)
}
