package cyberlotse

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// ReminderOffset is how long before an event a reminder goes out: whole
// days keep the wall-clock time in Europe/Berlin (a reminder "1 day before"
// an 18:00 event goes out at 18:00 the day before, also across a clock
// change), hours and minutes are exact durations.
type ReminderOffset struct {
	Days     int
	Duration time.Duration
}

// DefaultReminderOffsets: 7 days, 1 day and 2 hours before.
var DefaultReminderOffsets = []ReminderOffset{{Days: 7}, {Days: 1}, {Duration: 2 * time.Hour}}

var offsetPattern = regexp.MustCompile(`^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$`)

// ParseReminderOffset reads an ISO 8601 duration of days, hours and
// minutes: P7D, P1D, PT2H, PT30M, P1DT12H.
func ParseReminderOffset(s string) (ReminderOffset, error) {
	m := offsetPattern.FindStringSubmatch(s)
	if m == nil || s == "P" || s == "PT" {
		return ReminderOffset{}, Invalid("reminderOffsets", fmt.Sprintf("„%s“ ist keine Dauer wie P7D, P1D oder PT2H.", s))
	}
	// Atoi saturates numbers that do not fit; each part is bounded before
	// the sum, so that no duration overflows ("PT7000000H" once wrapped
	// around to PT1875904H25M).
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	const maxMinutes = 60 * 24 * 60
	days, hours, minutes := n(1), n(2), n(3)
	if days > 60 || hours > 60*24 || minutes > maxMinutes || days*24*60+hours*60+minutes > maxMinutes ||
		days+hours+minutes == 0 {
		return ReminderOffset{}, Invalid("reminderOffsets", "eine Erinnerung liegt zwischen einer Minute und 60 Tagen vor Beginn.")
	}
	return ReminderOffset{Days: days, Duration: time.Duration(hours)*time.Hour + time.Duration(minutes)*time.Minute}, nil
}

// String is the ISO 8601 form, also the reminder's kind.
func (o ReminderOffset) String() string {
	s := "P"
	if o.Days > 0 {
		s += strconv.Itoa(o.Days) + "D"
	}
	if o.Duration > 0 {
		s += "T"
		if h := int(o.Duration / time.Hour); h > 0 {
			s += strconv.Itoa(h) + "H"
		}
		if m := int(o.Duration % time.Hour / time.Minute); m > 0 {
			s += strconv.Itoa(m) + "M"
		}
	}
	return s
}

// DueAt is when a reminder with offset o is due for an event at start.
func (o ReminderOffset) DueAt(start time.Time, loc *time.Location) time.Time {
	return start.In(loc).AddDate(0, 0, -o.Days).Add(-o.Duration)
}

// ReminderState is the life cycle of a reminder.
type ReminderState string

const (
	ReminderPending ReminderState = "PENDING"
	ReminderSent    ReminderState = "SENT"
	ReminderFailed  ReminderState = "FAILED"  // gave up after retries; visible to the organizer
	ReminderSkipped ReminderState = "SKIPPED" // its time had long passed, or the registration or event was cancelled
)

// Reminder is one scheduled reminder mail for a confirmed registration.
type Reminder struct {
	ID             string
	RegistrationID string
	Kind           string // the offset, e.g. "P7D"
	DueAt          time.Time
	State          ReminderState
	Attempts       int
	NextAttemptAt  *time.Time
	SentAt         *time.Time
	LastError      string
}

// PlanReminders returns the reminders for a registration confirmed at now
// for an event at start. Reminders whose time has already passed are not
// planned: a late registration gets only those still ahead.
func PlanReminders(registrationID string, start time.Time, offsets []ReminderOffset, now time.Time, loc *time.Location) []*Reminder {
	var out []*Reminder
	for _, o := range offsets {
		due := o.DueAt(start, loc)
		if !due.After(now) {
			continue
		}
		out = append(out, &Reminder{ID: registrationID + "-" + o.String(), RegistrationID: registrationID,
			Kind: o.String(), DueAt: due, State: ReminderPending})
	}
	return out
}

// DueReminder is a claimed reminder with what its mail needs.
type DueReminder struct {
	Reminder     *Reminder
	Registration *Registration
	Event        *Event
	Organizer    *Organization
}

// ReminderPolicy bounds delivery: retries back off exponentially up to
// MaxAttempts; a reminder more than Stale past its due time is skipped,
// not sent late.
type ReminderPolicy struct {
	// Lease is how long a claim is exclusive unless its holder renews it;
	// the holder renews it while it works, so a replica that dies blocks
	// its claims for at most one Lease.
	Lease       time.Duration
	MaxAttempts int
	BaseBackoff time.Duration
	MaxBackoff  time.Duration
	Stale       time.Duration
	Batch       int
}

var DefaultReminderPolicy = ReminderPolicy{
	Lease: 20 * time.Second, MaxAttempts: 6, BaseBackoff: time.Minute, MaxBackoff: time.Hour,
	Stale: 6 * time.Hour, Batch: 200,
}

// Backoff is the wait before attempt number attempts+1.
func (p ReminderPolicy) Backoff(attempts int) time.Duration {
	d := p.BaseBackoff
	for i := 1; i < attempts && d < p.MaxBackoff; i++ {
		d *= 2
	}
	if d > p.MaxBackoff {
		d = p.MaxBackoff
	}
	return d
}

// ReminderService stores reminders and hands them out exactly once.
// Only the reminder job calls it.
type ReminderService interface {
	// ClaimDue leases up to p.Batch due reminders to owner in one
	// transaction; a reminder leased by another owner is not returned
	// until the lease expires. Due reminders of cancelled registrations
	// or events, and those more than p.Stale late, are marked SKIPPED.
	ClaimDue(ctx context.Context, owner string, now time.Time, p ReminderPolicy) ([]*DueReminder, error)
	// RenewLeases extends owner's leases on ids until until and returns
	// the ids whose lease owner still holds; another owner has claimed the
	// others after their lease expired, or they are settled.
	RenewLeases(ctx context.Context, owner string, ids []string, until time.Time) ([]string, error)
	// ReleaseLeases gives up owner's leases on ids before they expire, on
	// a replica's orderly shutdown; the attempt their claim counted is
	// taken back, since nothing was tried.
	ReleaseLeases(ctx context.Context, owner string, ids []string) error
	// MarkSent records delivery; it fails with ECONFLICT unless owner
	// still holds the lease.
	MarkSent(ctx context.Context, id, owner string, now time.Time) error
	// MarkFailed records a failed attempt: retried at retryAt, or FAILED
	// for good when retryAt is nil.
	MarkFailed(ctx context.Context, id, owner string, now time.Time, retryAt *time.Time, reason string) error
	// RemindersOfEvent lists the reminders of an event, for its organizer.
	RemindersOfEvent(ctx context.Context, eventID string) ([]*Reminder, error)
	// RemindersOfRegistrations returns, per registration id, its reminders.
	RemindersOfRegistrations(ctx context.Context, ids []string) (map[string][]*Reminder, error)
}

// Notification kinds: mails about a registration or its event, sent
// through the same exactly-once pipeline as the reminders before an event.
const (
	NoticeConfirmation   = "CONFIRMATION"
	NoticeWaitlisted     = "WAITLISTED"
	NoticePromoted       = "PROMOTED"
	NoticeUpdated        = "UPDATED"
	NoticeEventCancelled = "EVENT_CANCELLED"
	NoticeCancelled      = "CANCELLED"
)

// Notices lists the notification kinds; every other kind is a reminder
// offset such as P7D.
var Notices = []string{NoticeConfirmation, NoticeWaitlisted, NoticePromoted, NoticeUpdated, NoticeEventCancelled, NoticeCancelled}

// NoticesVoidIfCancelled are the notices that make no sense once the
// registration or the event is cancelled; they are skipped, not sent.
var NoticesVoidIfCancelled = []string{NoticeConfirmation, NoticeWaitlisted, NoticePromoted, NoticeUpdated}

// IsNotice reports whether kind is a notification, not a reminder.
func IsNotice(kind string) bool {
	for _, n := range Notices {
		if n == kind {
			return true
		}
	}
	return false
}

// NoticeID is the id of a notification: stable, so that writing the same
// notice twice (a retried transaction) creates it once.
func NoticeID(registrationID, kind string, sequence int) string {
	return fmt.Sprintf("%s-%s-%d", registrationID, kind, sequence)
}
