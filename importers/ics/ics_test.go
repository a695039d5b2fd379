package ics

import (
	"os"
	"strings"
	"testing"
	"time"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04Z", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWeeklySeriesWithExdateAcrossDaylightSaving(t *testing.T) {
	f, err := os.Open("../testdata/kalletal-v1.ics")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feed, err := Parse(f, Options{From: time.Date(2097, 1, 10, 12, 0, 0, 0, berlin), Horizon: 365 * 24 * time.Hour, Berlin: berlin})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	byUID := map[string]int{}
	for _, o := range feed.Occurrences {
		byUID[o.UID]++
		if strings.HasPrefix(o.UID, "stammtisch") {
			got = append(got, o.Start.UTC().Format("2006-01-02T15:04Z")+" "+o.Start.In(berlin).Format("15:04"))
			if o.End == nil || o.End.Sub(o.Start) != 90*time.Minute {
				t.Errorf("%s: end %v", o.Key, o.End)
			}
		}
	}
	// 18:00 in Berlin every Thursday; 28 March excluded; summer time from 31 March.
	want := []string{"2097-03-07T17:00Z 18:00", "2097-03-14T17:00Z 18:00", "2097-03-21T17:00Z 18:00",
		"2097-04-04T16:00Z 18:00", "2097-04-11T16:00Z 18:00", "2097-04-18T16:00Z 18:00", "2097-04-25T16:00Z 18:00"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("series\n got %v\nwant %v", got, want)
	}
	if len(feed.Occurrences) != 11 || feed.Events != 7 || len(feed.UIDs) != 7 {
		t.Fatalf("%d occurrences of %d events (%d UIDs), want 11 of 7", len(feed.Occurrences), feed.Events, len(feed.UIDs))
	}
	if byUID["rueckblick-2020@veranstaltungen.kalletal.example"] != 0 {
		t.Fatal("past events must be left out")
	}
	if len(feed.Rejected) != 1 || feed.Rejected[0].Field != "RRULE" || !strings.Contains(feed.Rejected[0].Reason, "FREQ=YEARLY") {
		t.Fatalf("rejected %+v, want the yearly series", feed.Rejected)
	}
	for _, o := range feed.Occurrences {
		switch {
		case strings.HasPrefix(o.UID, "aktionstag"):
			// All day: the whole 23 September in Berlin (summer time).
			if !o.AllDay || !o.Start.Equal(utc("2097-09-22T22:00Z")) || !o.End.Equal(utc("2097-09-23T22:00Z")) || o.Key != o.UID {
				t.Errorf("all-day event %+v", o)
			}
		case strings.HasPrefix(o.UID, "lunchtalk"):
			if !o.Start.Equal(utc("2097-06-10T10:00Z")) || o.URL == "" {
				t.Errorf("UTC event %+v", o)
			}
		case strings.HasPrefix(o.UID, "stammtisch"):
			if !strings.HasSuffix(o.Key, "Z") || !strings.Contains(o.Key, "|2097") || o.Location != "Bürgerbegegnungszentrum am Schulzentrum, Hohenhausen, 32689 Kalletal" {
				t.Errorf("instance key %q location %q", o.Key, o.Location)
			}
			if !strings.Contains(o.Description, "aktuelle Betrugsmaschen, Erfahrungen") {
				t.Errorf("unfolded description %q", o.Description)
			}
		}
	}
}

func TestRules(t *testing.T) {
	start := time.Date(2097, 1, 31, 9, 30, 0, 0, berlin)
	to := time.Date(2098, 1, 1, 0, 0, 0, 0, berlin)
	dates := func(rule string, start time.Time) string {
		r, err := ParseRule(rule, berlin)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		ts, err := r.Expand(start, to)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		var out []string
		for _, x := range ts {
			out = append(out, x.Format("01-02 15:04"))
		}
		return strings.Join(out, " ")
	}
	for rule, want := range map[string]string{
		"FREQ=DAILY;INTERVAL=2;COUNT=4":      "01-31 09:30 02-02 09:30 02-04 09:30 02-06 09:30",
		"FREQ=MONTHLY;COUNT=4":               "01-31 09:30 03-31 09:30 05-31 09:30 07-31 09:30", // months without a 31st are skipped
		"FREQ=WEEKLY;UNTIL=20970214T083000Z": "01-31 09:30 02-07 09:30 02-14 09:30",
		"FREQ=WEEKLY;UNTIL=20970213":         "01-31 09:30 02-07 09:30",
	} {
		if got := dates(rule, start); got != want {
			t.Errorf("%s:\n got %s\nwant %s", rule, got, want)
		}
	}
	tue := time.Date(2097, 1, 8, 18, 0, 0, 0, berlin) // the second Tuesday of January 2097
	if got, want := dates("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", tue), "01-08 18:00 02-12 18:00 03-12 18:00"; got != want {
		t.Errorf("second Tuesday: got %s want %s", got, want)
	}
	if got, want := dates("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", time.Date(2097, 1, 25, 12, 0, 0, 0, berlin)), "01-25 12:00 02-22 12:00 03-29 12:00"; got != want {
		t.Errorf("last Friday: got %s want %s", got, want)
	}
	mon := time.Date(2097, 1, 7, 8, 0, 0, 0, berlin) // a Monday
	if got, want := dates("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=5", mon), "01-07 08:00 01-09 08:00 01-21 08:00 01-23 08:00 02-04 08:00"; got != want {
		t.Errorf("every other week: got %s want %s", got, want)
	}
	for _, bad := range []string{"FREQ=YEARLY", "FREQ=HOURLY", "FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=WEEKLY;BYSETPOS=1",
		"FREQ=DAILY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=2MO", "FREQ=WEEKLY;COUNT=2;UNTIL=20970101", "INTERVAL=2"} {
		if _, err := ParseRule(bad, berlin); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestZonesAndDurations(t *testing.T) {
	for _, z := range []string{"Europe/Berlin", "W. Europe Standard Time", "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin"} {
		if loc, err := LoadZone(z); err != nil || loc.String() != "Europe/Berlin" {
			t.Errorf("LoadZone(%q) = %v, %v", z, loc, err)
		}
	}
	if _, err := LoadZone("Mars/Olympus"); err == nil {
		t.Error("unknown zone must fail")
	}
	for in, want := range map[string]time.Duration{"PT1H30M": 90 * time.Minute, "P1D": 24 * time.Hour, "P1W": 168 * time.Hour, "-PT15M": -15 * time.Minute} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v", in, got, err)
		}
	}
}

func TestOverridesAndTimezones(t *testing.T) {
	feed, err := Parse(strings.NewReader(strings.ReplaceAll(`BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//DE
BEGIN:VEVENT
UID:serie@x
DTSTART;TZID=W. Europe Standard Time:20970106T100000
DURATION:PT2H
RRULE:FREQ=DAILY;COUNT=3
END:VEVENT
BEGIN:VEVENT
UID:serie@x
RECURRENCE-ID;TZID=W. Europe Standard Time:20970107T100000
DTSTART;TZID=W. Europe Standard Time:20970107T140000
DTEND;TZID=W. Europe Standard Time:20970107T150000
SUMMARY:Verschoben
SEQUENCE:2
END:VEVENT
BEGIN:VEVENT
UID:unbekannt@x
DTSTART;TZID=Mars/Olympus:20970106T100000
SUMMARY:Falsche Zone
END:VEVENT
END:VCALENDAR
`, "\n", "\r\n")), Options{From: time.Date(2097, 1, 1, 0, 0, 0, 0, berlin), Horizon: 30 * 24 * time.Hour, Berlin: berlin})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range feed.Occurrences {
		got = append(got, o.Key+" "+o.Start.In(berlin).Format("02. 15:04")+" "+o.Summary)
	}
	want := "serie@x|20970106T090000Z 06. 10:00 ,serie@x|20970107T090000Z 07. 14:00 Verschoben,serie@x|20970108T090000Z 08. 10:00 "
	if strings.Join(got, ",") != want {
		t.Fatalf("got  %q\nwant %q", strings.Join(got, ","), want)
	}
	if len(feed.Rejected) != 1 || !strings.Contains(feed.Rejected[0].Reason, "Mars/Olympus") {
		t.Fatalf("rejected %+v", feed.Rejected)
	}
}
