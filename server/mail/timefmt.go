package mail

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Berlin without depending on the OS's zoneinfo
)

// berlin is the time zone of every time a mail shows or an invitation writes.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation(tzid)
	if err != nil {
		panic(err) // cannot happen: time/tzdata is linked in
	}
	return loc
}()

// FormatTime shows t in Europe/Berlin the German way, independent of the OS
// locale: "Donnerstag, 4. September 2025, 18:00 Uhr".
func FormatTime(t time.Time) string {
	return formatDay(t) + ", " + t.In(berlin).Format("15:04") + " " + textClock
}

// FormatTimeRange shows a start and an optional end: "Donnerstag,
// 4. September 2025, 18:00 bis 20:00 Uhr" on one day, both days in full
// otherwise, FormatTime(start) without an end.
func FormatTimeRange(start time.Time, end *time.Time) string {
	if end == nil {
		return FormatTime(start)
	}
	s, e := start.In(berlin), end.In(berlin)
	sy, sm, sd := s.Date()
	ey, em, ed := e.Date()
	if sy == ey && sm == em && sd == ed {
		return fmt.Sprintf("%s, %s %s %s %s", formatDay(s), s.Format("15:04"), textUntil, e.Format("15:04"), textClock)
	}
	return FormatTime(s) + " " + textUntil + " " + FormatTime(e)
}

// formatDay shows the date of t in Berlin: "Donnerstag, 4. September 2025".
func formatDay(t time.Time) string {
	t = t.In(berlin)
	return fmt.Sprintf("%s, %d. %s %d", weekdays[t.Weekday()], t.Day(), months[t.Month()-1], t.Year())
}
