package cyberlotse

import (
	"testing"
	"time"
)

func TestParseReminderOffset(t *testing.T) {
	for in, want := range map[string]ReminderOffset{
		"P7D": {Days: 7}, "P1D": {Days: 1}, "PT2H": {Duration: 2 * time.Hour},
		"PT30M": {Duration: 30 * time.Minute}, "P1DT12H": {Days: 1, Duration: 12 * time.Hour},
	} {
		got, err := ParseReminderOffset(in)
		if err != nil || got != want || got.String() != in {
			t.Errorf("%s: %+v %v (String %s)", in, got, err, got.String())
		}
	}
	for _, bad := range []string{"", "P", "PT", "7D", "P1W", "P61D", "-P1D"} {
		if _, err := ParseReminderOffset(bad); ErrorCode(err) != EINVALID {
			t.Errorf("%q accepted", bad)
		}
	}
}

// On 25 October 2026 the clocks go back from 03:00 CEST to 02:00 CET.
// Day offsets keep the wall-clock time, hour offsets are exact durations.
func TestPlanRemindersAcrossTheClockChange(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	start := time.Date(2026, 10, 25, 10, 0, 0, 0, berlin) // 09:00 UTC, CET
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	got := PlanReminders("r1", start, DefaultReminderOffsets, now, berlin)
	want := map[string]string{
		"P7D":  "2026-10-18T08:00:00Z", // 10:00 CEST a week before
		"P1D":  "2026-10-24T08:00:00Z", // 10:00 CEST the day before: 25 hours before
		"PT2H": "2026-10-25T07:00:00Z", // 08:00 CET
	}
	if len(got) != 3 {
		t.Fatalf("planned %d reminders", len(got))
	}
	for _, r := range got {
		if r.DueAt.UTC().Format(time.RFC3339) != want[r.Kind] || r.ID != "r1-"+r.Kind || r.State != ReminderPending {
			t.Errorf("%s due %s, want %s", r.Kind, r.DueAt.UTC().Format(time.RFC3339), want[r.Kind])
		}
	}
	// A late registration gets only the reminders still ahead.
	late := PlanReminders("r2", start, DefaultReminderOffsets, time.Date(2026, 10, 24, 12, 0, 0, 0, berlin), berlin)
	if len(late) != 1 || late[0].Kind != "PT2H" {
		t.Errorf("late registration planned %+v", late)
	}
}

func TestBackoffDoublesUpToTheCap(t *testing.T) {
	p := DefaultReminderPolicy
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 32 * time.Minute, time.Hour, time.Hour}
	for i, w := range want {
		if got := p.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}
