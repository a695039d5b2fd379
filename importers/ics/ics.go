// Package ics reads iCalendar feeds (RFC 5545) with
// github.com/arran4/golang-ical and turns their events into occurrences:
// single events, and the instances of recurring series expanded over a
// horizon, with exceptions (EXDATE), extra dates (RDATE) and changed
// instances (RECURRENCE-ID) applied.
//
// Times: UTC ("Z"), TZID with any IANA zone (and the common Windows names
// Outlook writes), floating times as Europe/Berlin, all-day dates as the
// whole day in Europe/Berlin. Recurrence follows wall-clock time in the
// zone of DTSTART, so a weekly 18:00 stays 18:00 across daylight saving.
//
// Supported RRULE parts: FREQ=DAILY, WEEKLY or MONTHLY; INTERVAL; COUNT;
// UNTIL; BYDAY for WEEKLY (e.g. MO,WE) and for MONTHLY with an ordinal
// (2TU, -1FR); WKST. Everything else — FREQ=YEARLY and finer than daily,
// BYMONTH, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYSETPOS, BYHOUR, BYMINUTE,
// BYSECOND, BYDAY with DAILY, EXRULE, RDATE periods and
// RECURRENCE-ID;RANGE=THISANDFUTURE — rejects the event with a reason
// instead of guessing.
package ics

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones without a system database

	ical "github.com/arran4/golang-ical"
)

// Occurrence is one event at one time: a single event or one instance of
// a series.
type Occurrence struct {
	// Key is the UID for a single event, "UID|<instance start>" for an
	// instance of a series, the instance start written as in RECURRENCE-ID
	// ("20970105T170000Z"; all-day "20970105").
	Key      string
	UID      string
	Sequence int
	Start    time.Time
	End      *time.Time
	AllDay   bool

	Summary, Description, Location, URL string
	// Status is the STATUS property: TENTATIVE, CONFIRMED, CANCELLED or "".
	Status     string
	Categories []string
}

// Rejected is an event that cannot be imported, with a German reason.
type Rejected struct {
	UID     string
	Summary string
	Field   string // the iCalendar property, e.g. RRULE
	Value   string
	Reason  string
}

// Feed is a parsed calendar.
type Feed struct {
	Occurrences []Occurrence
	Rejected    []Rejected
	// UIDs lists every UID in the feed, also of rejected events.
	UIDs []string
	// Events counts the VEVENT components.
	Events int
}

// Options bound the expansion.
type Options struct {
	// From: occurrences ending before it are left out (past events).
	From time.Time
	// Horizon: series are expanded up to From+Horizon.
	Horizon time.Duration
	// Berlin is the zone of floating times and all-day dates.
	Berlin *time.Location
}

// maxInstances bounds the expansion of one series.
const maxInstances = 5000

// Parse reads a feed and expands it.
func Parse(r io.Reader, opt Options) (*Feed, error) {
	cal, err := ical.ParseCalendarWithOptions(r, ical.WithUnknownPropertyHandler(ical.AcceptUnknownPropertyHandler))
	if err != nil {
		return nil, fmt.Errorf("kein gültiger iCalendar-Feed: %w", err)
	}
	if opt.Berlin == nil {
		if opt.Berlin, err = time.LoadLocation("Europe/Berlin"); err != nil {
			return nil, err
		}
	}
	to := opt.From.Add(opt.Horizon)
	feed := &Feed{}
	// Group the components by UID: the master (no RECURRENCE-ID) and its
	// changed instances.
	type group struct {
		master    *ical.VEvent
		overrides []*ical.VEvent
	}
	groups := map[string]*group{}
	var order []string
	for _, ev := range cal.Events() {
		feed.Events++
		uid := value(ev, ical.ComponentPropertyUniqueId)
		if uid == "" {
			feed.Rejected = append(feed.Rejected, Rejected{Summary: value(ev, ical.ComponentPropertySummary),
				Field: "UID", Reason: "Termin ohne UID – ohne UID lässt er sich bei einem erneuten Import nicht wiederfinden"})
			continue
		}
		g := groups[uid]
		if g == nil {
			g = &group{}
			groups[uid] = g
			order = append(order, uid)
		}
		if ev.GetProperty(ical.ComponentPropertyRecurrenceId) != nil {
			g.overrides = append(g.overrides, ev)
		} else if g.master != nil {
			// Two versions of one event: the higher SEQUENCE wins.
			if sequence(ev) > sequence(g.master) {
				g.master = ev
			}
		} else {
			g.master = ev
		}
	}
	feed.UIDs = order
	for _, uid := range order {
		g := groups[uid]
		occs, rej := expandGroup(uid, g.master, g.overrides, opt.From, to, opt.Berlin)
		feed.Rejected = append(feed.Rejected, rej...)
		feed.Occurrences = append(feed.Occurrences, occs...)
	}
	sort.SliceStable(feed.Occurrences, func(i, j int) bool { return feed.Occurrences[i].Start.Before(feed.Occurrences[j].Start) })
	return feed, nil
}

// rejectError carries the property and reason of a rejected event.
type rejectError struct{ field, value, reason string }

func (e *rejectError) Error() string { return e.field + ": " + e.reason }

func reject(field, value, format string, args ...any) error {
	return &rejectError{field: field, value: value, reason: fmt.Sprintf(format, args...)}
}

func rejectedOf(uid string, ev *ical.VEvent, err error) Rejected {
	r := Rejected{UID: uid, Summary: value(ev, ical.ComponentPropertySummary), Reason: err.Error()}
	var re *rejectError
	if errors.As(err, &re) {
		r.Field, r.Value, r.Reason = re.field, re.value, re.reason
	}
	return r
}

func expandGroup(uid string, master *ical.VEvent, overrides []*ical.VEvent, from, to time.Time, berlin *time.Location) ([]Occurrence, []Rejected) {
	var out []Occurrence
	var rejected []Rejected
	// Changed instances by their RECURRENCE-ID.
	changed := map[string]Occurrence{}
	for _, ov := range overrides {
		p := ov.GetProperty(ical.ComponentPropertyRecurrenceId)
		if rng := param(p, "RANGE"); strings.EqualFold(rng, "THISANDFUTURE") {
			rejected = append(rejected, rejectedOf(uid, ov, reject("RECURRENCE-ID", p.Value,
				"RANGE=THISANDFUTURE (Änderung aller folgenden Termine) wird nicht unterstützt")))
			continue
		}
		rid, allDay, err := parseTime(p, berlin)
		if err != nil {
			rejected = append(rejected, rejectedOf(uid, ov, err))
			continue
		}
		occ, err := single(uid, ov, berlin)
		if err != nil {
			rejected = append(rejected, rejectedOf(uid, ov, err))
			continue
		}
		occ.Key = uid + "|" + instanceID(rid, allDay)
		changed[occ.Key] = occ
	}
	if master == nil {
		// Only changed instances (the series itself is not in the feed).
		for _, occ := range changed {
			if keep(occ, from) {
				out = append(out, occ)
			}
		}
		return out, rejected
	}
	base, err := single(uid, master, berlin)
	if err != nil {
		return nil, append(rejected, rejectedOf(uid, master, err))
	}
	rrules := master.GetProperties(ical.ComponentPropertyRrule)
	rdates := master.GetProperties(ical.ComponentPropertyRdate)
	if len(rrules) == 0 && len(rdates) == 0 {
		if keep(base, from) {
			out = append(out, base)
		}
		return out, rejected
	}
	if p := master.GetProperty(ical.ComponentPropertyExrule); p != nil {
		return nil, append(rejected, rejectedOf(uid, master, reject("EXRULE", p.Value, "EXRULE ist veraltet und wird nicht unterstützt")))
	}
	if len(rrules) > 1 {
		return nil, append(rejected, rejectedOf(uid, master, reject("RRULE", rrules[1].Value, "mehrere RRULE in einem Termin werden nicht unterstützt")))
	}
	var starts []time.Time
	if len(rrules) == 1 {
		rule, err := ParseRule(rrules[0].Value, berlin)
		if err != nil {
			return nil, append(rejected, rejectedOf(uid, master, err))
		}
		starts, err = rule.Expand(base.Start, to)
		if err != nil {
			return nil, append(rejected, rejectedOf(uid, master, err))
		}
	} else {
		starts = []time.Time{base.Start}
	}
	for _, p := range rdates {
		if strings.EqualFold(param(p, "VALUE"), "PERIOD") || strings.Contains(p.Value, "/") {
			return nil, append(rejected, rejectedOf(uid, master, reject("RDATE", p.Value, "RDATE mit Zeiträumen (PERIOD) wird nicht unterstützt")))
		}
		ts, err := parseTimes(p, berlin, base.Start.Location())
		if err != nil {
			return nil, append(rejected, rejectedOf(uid, master, err))
		}
		starts = append(starts, ts...)
	}
	excluded := map[string]bool{}
	for _, p := range master.GetProperties(ical.ComponentPropertyExdate) {
		ts, err := parseTimes(p, berlin, base.Start.Location())
		if err != nil {
			return nil, append(rejected, rejectedOf(uid, master, err))
		}
		for _, t := range ts {
			excluded[instanceID(t, base.AllDay)] = true
		}
	}
	var dur *time.Duration
	if base.End != nil {
		d := base.End.Sub(base.Start)
		dur = &d
	}
	seen := map[string]bool{}
	for _, s := range starts {
		id := instanceID(s, base.AllDay)
		if excluded[id] || seen[id] || !s.Before(to) {
			continue
		}
		seen[id] = true
		occ := base
		occ.Key = uid + "|" + id
		if c, ok := changed[occ.Key]; ok {
			occ = c
			delete(changed, occ.Key)
		} else {
			occ.Start = s
			if dur != nil {
				end := endAfter(s, *dur, base.AllDay, berlin)
				occ.End = &end
			}
		}
		if keep(occ, from) {
			out = append(out, occ)
		}
	}
	// Changed instances moved to a RECURRENCE-ID the rule does not
	// produce (or beyond the horizon) still count.
	for _, occ := range changed {
		if keep(occ, from) && occ.Start.Before(to) {
			out = append(out, occ)
		}
	}
	return out, rejected
}

// endAfter adds a duration to an instance start; all-day instances keep
// whole days across daylight saving.
func endAfter(start time.Time, d time.Duration, allDay bool, berlin *time.Location) time.Time {
	if allDay {
		days := int((d + 12*time.Hour) / (24 * time.Hour))
		s := start.In(berlin)
		return time.Date(s.Year(), s.Month(), s.Day()+days, 0, 0, 0, 0, berlin)
	}
	return start.Add(d)
}

// keep leaves out occurrences that are over before from.
func keep(o Occurrence, from time.Time) bool {
	end := o.Start
	if o.End != nil {
		end = *o.End
	}
	return !end.Before(from)
}

func instanceID(t time.Time, allDay bool) string {
	if allDay {
		return t.Format("20060102")
	}
	return t.UTC().Format("20060102T150405Z")
}

// single reads the fields of one VEVENT.
func single(uid string, ev *ical.VEvent, berlin *time.Location) (Occurrence, error) {
	o := Occurrence{Key: uid, UID: uid, Sequence: sequence(ev),
		Summary: strings.TrimSpace(value(ev, ical.ComponentPropertySummary)), Description: strings.TrimSpace(value(ev, ical.ComponentPropertyDescription)),
		Location: strings.TrimSpace(value(ev, ical.ComponentPropertyLocation)), URL: strings.TrimSpace(value(ev, ical.ComponentPropertyUrl)),
		Status: strings.ToUpper(strings.TrimSpace(value(ev, ical.ComponentPropertyStatus)))}
	for _, p := range ev.GetProperties(ical.ComponentPropertyCategories) {
		for _, c := range strings.Split(p.Value, ",") {
			if c = strings.TrimSpace(c); c != "" {
				o.Categories = append(o.Categories, c)
			}
		}
	}
	startProp := ev.GetProperty(ical.ComponentPropertyDtStart)
	if startProp == nil {
		return o, reject("DTSTART", "", "Beginn (DTSTART) fehlt")
	}
	start, allDay, err := parseTime(startProp, berlin)
	if err != nil {
		return o, err
	}
	o.Start, o.AllDay = start, allDay
	if p := ev.GetProperty(ical.ComponentPropertyDtEnd); p != nil {
		end, _, err := parseTime(p, berlin)
		if err != nil {
			return o, err
		}
		if !end.After(start) {
			return o, reject("DTEND", p.Value, "das Ende liegt nicht nach dem Beginn")
		}
		o.End = &end
	} else if p := ev.GetProperty(ical.ComponentPropertyDuration); p != nil {
		d, err := ParseDuration(p.Value)
		if err != nil {
			return o, reject("DURATION", p.Value, "Dauer nicht lesbar: %v", err)
		}
		if d > 0 {
			end := endAfter(start, d, allDay, berlin)
			o.End = &end
		}
	} else if allDay {
		end := endAfter(start, 24*time.Hour, true, berlin)
		o.End = &end
	}
	return o, nil
}

func value(ev *ical.VEvent, p ical.ComponentProperty) string {
	if prop := ev.GetProperty(p); prop != nil {
		return prop.Value
	}
	return ""
}

func sequence(ev *ical.VEvent) int {
	n, _ := strconv.Atoi(strings.TrimSpace(value(ev, ical.ComponentPropertySequence)))
	return n
}

func param(p *ical.IANAProperty, name string) string {
	if p == nil {
		return ""
	}
	if vs := p.ICalParameters[name]; len(vs) > 0 {
		return strings.Trim(vs[0], `"`)
	}
	return ""
}

// parseTime reads a DATE or DATE-TIME property value. DATE values are
// midnight in Berlin (all-day); UTC values end in Z; TZID names the zone;
// floating times are read in Berlin.
func parseTime(p *ical.IANAProperty, berlin *time.Location) (time.Time, bool, error) {
	ts, allDay, err := parseValues(p, berlin, nil)
	if err != nil {
		return time.Time{}, false, err
	}
	if len(ts) != 1 {
		return time.Time{}, false, reject(p.IANAToken, p.Value, "genau ein Zeitpunkt erwartet")
	}
	return ts[0], allDay, nil
}

// parseTimes reads a list property (EXDATE, RDATE); values without zone
// take the zone of the series' start.
func parseTimes(p *ical.IANAProperty, berlin, seriesZone *time.Location) ([]time.Time, error) {
	ts, _, err := parseValues(p, berlin, seriesZone)
	return ts, err
}

func parseValues(p *ical.IANAProperty, berlin, floating *time.Location) ([]time.Time, bool, error) {
	loc := floating
	if loc == nil {
		loc = berlin
	}
	if tzid := param(p, "TZID"); tzid != "" {
		l, err := LoadZone(tzid)
		if err != nil {
			return nil, false, reject(p.IANAToken, p.Value, "Zeitzone „%s“ ist unbekannt", tzid)
		}
		loc = l
	}
	var out []time.Time
	allDay := false
	for _, v := range strings.Split(p.Value, ",") {
		v = strings.TrimSpace(v)
		var t time.Time
		var err error
		switch {
		case len(v) == 8 || strings.EqualFold(param(p, "VALUE"), "DATE"):
			allDay = true
			t, err = time.ParseInLocation("20060102", v, berlin)
		case strings.HasSuffix(v, "Z"):
			t, err = time.ParseInLocation("20060102T150405Z", v, time.UTC)
		default:
			t, err = time.ParseInLocation("20060102T150405", v, loc)
		}
		if err != nil {
			return nil, false, reject(p.IANAToken, p.Value, "Zeitangabe nicht lesbar")
		}
		out = append(out, t)
	}
	return out, allDay, nil
}

// windowsZones maps the zone names Outlook and Exchange write to IANA zones.
var windowsZones = map[string]string{
	"W. Europe Standard Time":        "Europe/Berlin",
	"Central Europe Standard Time":   "Europe/Budapest",
	"Central European Standard Time": "Europe/Warsaw",
	"Romance Standard Time":          "Europe/Paris",
	"GMT Standard Time":              "Europe/London",
	"Greenwich Standard Time":        "Atlantic/Reykjavik",
	"E. Europe Standard Time":        "Europe/Chisinau",
	"FLE Standard Time":              "Europe/Kiev",
	"UTC":                            "UTC",
	"Coordinated Universal Time":     "UTC",
}

// LoadZone resolves a TZID: an IANA name ("Europe/Berlin"), a Windows
// name ("W. Europe Standard Time"), or a vendor-prefixed IANA name
// ("/freeassociation.sourceforge.net/Tzfile/Europe/Berlin").
func LoadZone(tzid string) (*time.Location, error) {
	tzid = strings.Trim(strings.TrimSpace(tzid), `"`)
	if name, ok := windowsZones[tzid]; ok {
		return time.LoadLocation(name)
	}
	if loc, err := time.LoadLocation(tzid); err == nil {
		return loc, nil
	}
	if parts := strings.Split(strings.Trim(tzid, "/"), "/"); len(parts) >= 2 {
		for i := len(parts) - 2; i >= 0; i-- {
			if loc, err := time.LoadLocation(strings.Join(parts[i:], "/")); err == nil {
				return loc, nil
			}
		}
	}
	return nil, fmt.Errorf("unknown zone %q", tzid)
}

// ParseDuration reads an iCalendar duration: P1D, PT1H30M, P1W, -PT15M.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToUpper(s))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, errors.New("erwartet z. B. PT1H30M")
	}
	var d time.Duration
	inTime := false
	num := ""
	for _, c := range s[1:] {
		switch {
		case c >= '0' && c <= '9':
			num += string(c)
		case c == 'T':
			inTime = true
		default:
			n, err := strconv.Atoi(num)
			if err != nil {
				return 0, errors.New("Zahl fehlt")
			}
			num = ""
			unit := map[rune]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
			if inTime {
				unit = map[rune]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
			}
			u, ok := unit[c]
			if !ok {
				return 0, fmt.Errorf("Einheit %q unbekannt", c)
			}
			d += time.Duration(n) * u
		}
	}
	if num != "" {
		return 0, errors.New("Einheit fehlt")
	}
	if neg {
		d = -d
	}
	return d, nil
}
