package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

// Retention is how long registrations are kept after their event ended
// (REGISTRATION_RETENTION): a number of calendar months ("6mo", the
// default), of days ("180d") or a Go duration ("4320h"). After it the
// retention job makes them anonymous.
type Retention struct {
	Months, Days int
	Duration     time.Duration
}

// DefaultRetention keeps registrations for six months after the event.
var DefaultRetention = Retention{Months: 6}

var retentionPattern = regexp.MustCompile(`^([0-9]{1,4})(mo|d)$`)

// ParseRetention reads a retention: "6mo", "180d" or "4320h". Less than
// a day is refused: "6m" is six minutes in Go, not six months.
func ParseRetention(s string) (Retention, error) {
	bad := fmt.Errorf("REGISTRATION_RETENTION must be a number of months (6mo), days (180d) or hours (4320h), at least one day, not %q", s)
	var r Retention
	if m := retentionPattern.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if m[2] == "mo" {
			r.Months = n
		} else {
			r.Days = n
		}
		if n == 0 {
			return r, bad
		}
		return r, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 24*time.Hour || d > 100*365*24*time.Hour {
		return r, bad
	}
	return Retention{Duration: d}, nil
}

// Cutoff is the end an event must have passed for its registrations to
// go: now less the retention, months and days counted on the calendar in
// Berlin.
func (r Retention) Cutoff(now time.Time) time.Time {
	return now.In(berlin).AddDate(0, -r.Months, -r.Days).Add(-r.Duration)
}

func (r Retention) String() string {
	switch {
	case r.Months > 0:
		return fmt.Sprintf("%dmo", r.Months)
	case r.Days > 0:
		return fmt.Sprintf("%dd", r.Days)
	}
	return r.Duration.String()
}

// ApplyRetention makes the registrations of the events that ended longer
// than the retention ago anonymous and deletes the people left without
// registrations (store.RegistrationService.AnonymizeRegistrations). It
// logs counts, never who.
func (m *Main) ApplyRetention(ctx context.Context, keep Retention) (store.RetentionReport, error) {
	start := time.Now()
	now := m.Now()
	regs := store.NewRegistrationService(m.DB, m.NewID, berlin)
	rep, err := regs.AnonymizeRegistrations(ctx, keep.Cutoff(now), now)
	if err != nil {
		m.Logger.Error("registration retention", "err", err, "anonymized", rep.Registrations, "people_deleted", rep.People)
		return rep, err
	}
	level := m.Logger.Debug
	if rep != (store.RetentionReport{}) {
		level = m.Logger.Info
	}
	level("registration retention", "retention", keep.String(), "ended_before", keep.Cutoff(now).Format(time.RFC3339),
		"anonymized", rep.Registrations, "people_deleted", rep.People, "took", time.Since(start).Round(time.Millisecond))
	return rep, nil
}

// ScheduleRetention applies the retention (and deletes abandoned
// self-checks, ApplyCheckRetention) at start and then every
// interval (REGISTRATION_RETENTION_INTERVAL, daily), on one replica at a
// time: at start too, so that replicas restarted more often than the
// interval still run it. Nothing left to do costs one query.
func (m *Main) ScheduleRetention(s *Scheduler, keep Retention, every time.Duration) error {
	return s.Every("registration-retention", every, func(ctx context.Context) {
		_, _ = m.ApplyRetention(ctx, keep)
		_, _ = m.ApplyCheckRetention(ctx)
	})
}
