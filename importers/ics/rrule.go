package ics

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Rule is a parsed RRULE within the supported subset (see the package
// documentation).
type Rule struct {
	Freq     string // DAILY, WEEKLY, MONTHLY
	Interval int
	Count    int        // 0: unlimited
	Until    *time.Time // inclusive
	untilDay bool       // UNTIL is a DATE: the whole day counts
	ByDay    []WeekdayNum
	Wkst     time.Weekday
}

// WeekdayNum is a BYDAY entry: a weekday with an optional ordinal (2TU:
// the second Tuesday of the month; -1FR: the last Friday).
type WeekdayNum struct {
	N   int
	Day time.Weekday
}

var weekdays = map[string]time.Weekday{"MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday, "SU": time.Sunday}

// ParseRule reads an RRULE value; parts outside the supported subset are
// an error with a German reason.
func ParseRule(s string, berlin *time.Location) (*Rule, error) {
	r := &Rule{Interval: 1, Wkst: time.Monday}
	for _, part := range strings.Split(strings.TrimPrefix(strings.TrimSpace(s), "RRULE:"), ";") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, reject("RRULE", s, "Teil „%s“ nicht lesbar", part)
		}
		k, v = strings.ToUpper(strings.TrimSpace(k)), strings.ToUpper(strings.TrimSpace(v))
		switch k {
		case "FREQ":
			switch v {
			case "DAILY", "WEEKLY", "MONTHLY":
				r.Freq = v
			default:
				return nil, reject("RRULE", s, "FREQ=%s wird nicht unterstützt (nur DAILY, WEEKLY, MONTHLY)", v)
			}
		case "INTERVAL":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, reject("RRULE", s, "INTERVAL=%s ist keine positive Zahl", v)
			}
			r.Interval = n
		case "COUNT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, reject("RRULE", s, "COUNT=%s ist keine positive Zahl", v)
			}
			r.Count = n
		case "UNTIL":
			var t time.Time
			var err error
			switch {
			case len(v) == 8:
				t, err = time.ParseInLocation("20060102", v, berlin)
				r.untilDay = true
			case strings.HasSuffix(v, "Z"):
				t, err = time.ParseInLocation("20060102T150405Z", v, time.UTC)
			default:
				t, err = time.ParseInLocation("20060102T150405", v, berlin)
			}
			if err != nil {
				return nil, reject("RRULE", s, "UNTIL=%s ist kein Datum", v)
			}
			r.Until = &t
		case "BYDAY":
			for _, d := range strings.Split(v, ",") {
				d = strings.TrimSpace(d)
				if len(d) < 2 {
					return nil, reject("RRULE", s, "BYDAY=%s nicht lesbar", v)
				}
				wd, ok := weekdays[d[len(d)-2:]]
				if !ok {
					return nil, reject("RRULE", s, "BYDAY=%s nicht lesbar", v)
				}
				n := 0
				if num := d[:len(d)-2]; num != "" {
					var err error
					if n, err = strconv.Atoi(num); err != nil || n == 0 || n < -5 || n > 5 {
						return nil, reject("RRULE", s, "BYDAY=%s nicht lesbar", v)
					}
				}
				r.ByDay = append(r.ByDay, WeekdayNum{N: n, Day: wd})
			}
		case "WKST":
			wd, ok := weekdays[v]
			if !ok {
				return nil, reject("RRULE", s, "WKST=%s nicht lesbar", v)
			}
			r.Wkst = wd
		default:
			return nil, reject("RRULE", s, "%s wird nicht unterstützt (unterstützt: FREQ, INTERVAL, COUNT, UNTIL, BYDAY, WKST)", k)
		}
	}
	switch {
	case r.Freq == "":
		return nil, reject("RRULE", s, "FREQ fehlt")
	case r.Count > 0 && r.Until != nil:
		return nil, reject("RRULE", s, "COUNT und UNTIL schließen einander aus")
	case r.Freq == "DAILY" && len(r.ByDay) > 0:
		return nil, reject("RRULE", s, "BYDAY bei FREQ=DAILY wird nicht unterstützt")
	}
	if r.Freq == "WEEKLY" {
		for _, d := range r.ByDay {
			if d.N != 0 {
				return nil, reject("RRULE", s, "BYDAY mit Ordnungszahl (%d) ist bei FREQ=WEEKLY nicht erlaubt", d.N)
			}
		}
	}
	return r, nil
}

// Expand returns the starts of the series beginning at start, up to (not
// including) to, in the zone of start: DTSTART first, then the rule's
// instances in order. COUNT counts from DTSTART, also instances before
// the caller's window.
func (r *Rule) Expand(start, to time.Time) ([]time.Time, error) {
	loc := start.Location()
	out := []time.Time{start}
	emit := func(t time.Time) bool { // false: stop
		if r.Count > 0 && len(out) >= r.Count {
			return false
		}
		if r.Until != nil && r.after(t) {
			return false
		}
		if !t.Before(to) {
			return false
		}
		if t.After(start) {
			out = append(out, t)
		}
		return true
	}
	y, m, d := start.Date()
	hh, mm, ss := start.Clock()
	at := func(y int, m time.Month, d int) time.Time {
		return time.Date(y, m, d, hh, mm, ss, start.Nanosecond(), loc)
	}
	for period := 0; period < maxPeriods; period++ {
		var cands []time.Time
		switch r.Freq {
		case "DAILY":
			cands = []time.Time{at(y, m, d+period*r.Interval)}
		case "WEEKLY":
			if len(r.ByDay) == 0 {
				cands = []time.Time{at(y, m, d+7*period*r.Interval)}
				break
			}
			// The week of start, beginning on WKST, then every INTERVAL weeks.
			back := (int(start.Weekday()) - int(r.Wkst) + 7) % 7
			weekStart := d - back + 7*period*r.Interval
			for _, bd := range r.ByDay {
				off := (int(bd.Day) - int(r.Wkst) + 7) % 7
				cands = append(cands, at(y, m, weekStart+off))
			}
		case "MONTHLY":
			first := time.Date(y, m+time.Month(period*r.Interval), 1, 0, 0, 0, 0, loc)
			my, mm := first.Year(), first.Month()
			days := daysIn(my, mm, loc)
			if len(r.ByDay) == 0 {
				if d <= days {
					cands = []time.Time{at(my, mm, d)}
				}
				break
			}
			for _, bd := range r.ByDay {
				for _, day := range weekdayDates(my, mm, days, bd, loc) {
					cands = append(cands, at(my, mm, day))
				}
			}
		}
		sort.Slice(cands, func(i, j int) bool { return cands[i].Before(cands[j]) })
		for _, c := range cands {
			if c.Before(start) || c.Equal(start) {
				continue
			}
			if !emit(c) {
				return out, nil
			}
		}
		if len(out) > maxInstances {
			break
		}
	}
	return nil, reject("RRULE", "", "die Serie hat mehr als %d Termine bis zum Ende des Zeitraums", maxInstances)
}

// maxPeriods bounds the days, weeks or months one expansion walks through.
const maxPeriods = 50000

func (r *Rule) after(t time.Time) bool {
	if r.untilDay {
		u := r.Until.In(t.Location())
		return t.After(time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, t.Location()))
	}
	return t.After(*r.Until)
}

func daysIn(y int, m time.Month, loc *time.Location) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, loc).Day()
}

// weekdayDates returns the days of the month that match a BYDAY entry:
// every such weekday (N = 0), the Nth (N > 0) or the Nth from the end.
func weekdayDates(y int, m time.Month, days int, bd WeekdayNum, loc *time.Location) []int {
	var all []int
	firstWd := time.Date(y, m, 1, 0, 0, 0, 0, loc).Weekday()
	for day := 1 + (int(bd.Day)-int(firstWd)+7)%7; day <= days; day += 7 {
		all = append(all, day)
	}
	switch {
	case bd.N == 0:
		return all
	case bd.N > 0 && bd.N <= len(all):
		return []int{all[bd.N-1]}
	case bd.N < 0 && -bd.N <= len(all):
		return []int{all[len(all)+bd.N]}
	}
	return nil
}
