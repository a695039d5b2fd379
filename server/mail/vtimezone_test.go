package mail

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// The VTIMEZONE's two rules, read from the lines we write, predict every
// change of the clocks that Go's tzdata knows for Berlin from 1996 to 2037.
func TestVTimezoneMatchesTZData(t *testing.T) {
	type rule struct {
		from, to int // offsets in seconds
		month    time.Month
		clock    time.Duration // local time of day of the change, before it
	}
	var rules []rule
	var cur *rule
	for _, l := range vtimezone {
		name, value, _ := strings.Cut(l, ":")
		switch name {
		case "BEGIN":
			if value == "STANDARD" || value == "DAYLIGHT" {
				rules = append(rules, rule{})
				cur = &rules[len(rules)-1]
			}
		case "TZOFFSETFROM":
			cur.from = parseOffset(t, value)
		case "TZOFFSETTO":
			cur.to = parseOffset(t, value)
		case "DTSTART":
			d, err := time.Parse("20060102T150405", value)
			if err != nil {
				t.Fatal(err)
			}
			cur.clock = time.Duration(d.Hour())*time.Hour + time.Duration(d.Minute())*time.Minute
		case "RRULE":
			if !strings.HasSuffix(value, ";BYDAY=-1SU") || !strings.HasPrefix(value, "FREQ=YEARLY;BYMONTH=") {
				t.Fatalf("unexpected rule %q", value)
			}
			m, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(value, "FREQ=YEARLY;BYMONTH="), ";BYDAY=-1SU"))
			if err != nil {
				t.Fatal(err)
			}
			cur.month = time.Month(m)
		}
	}
	if len(rules) != 2 {
		t.Fatalf("%d rules, want STANDARD and DAYLIGHT", len(rules))
	}

	changes := 0
	for year := 1996; year <= 2037; year++ {
		for _, r := range rules {
			// last Sunday of the month
			day := time.Date(year, r.month+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
			for day.Weekday() != time.Sunday {
				day = day.AddDate(0, 0, -1)
			}
			at := day.Add(r.clock).Add(-time.Duration(r.from) * time.Second) // UTC instant of the change
			if _, off := at.Add(-time.Second).In(berlin).Zone(); off != r.from {
				t.Errorf("%v: offset %d before the change, want %d", at, off, r.from)
			}
			if _, off := at.In(berlin).Zone(); off != r.to {
				t.Errorf("%v: offset %d after the change, want %d", at, off, r.to)
			}
			changes++
		}
	}
	// and tzdata knows no other changes in these years
	seen := 0
	for u := time.Date(1996, 1, 1, 0, 0, 0, 0, time.UTC); u.Year() < 2038; u = u.Add(time.Hour) {
		_, a := u.In(berlin).Zone()
		_, b := u.Add(time.Hour).In(berlin).Zone()
		if a != b {
			seen++
		}
	}
	if seen != changes {
		t.Errorf("tzdata has %d changes, the VTIMEZONE %d", seen, changes)
	}
}

func parseOffset(t *testing.T, s string) int {
	t.Helper()
	if len(s) != 5 {
		t.Fatalf("offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil {
		t.Fatalf("offset %q", s)
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off
}

func TestFoldBoundaries(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"75 octets stay", strings.Repeat("a", 75), []string{strings.Repeat("a", 75)}},
		{"76 fold", strings.Repeat("a", 76), []string{strings.Repeat("a", 75), " a"}},
		{"continuations hold 74 plus the space", strings.Repeat("a", 75+74+1),
			[]string{strings.Repeat("a", 75), " " + strings.Repeat("a", 74), " a"}},
		{"a 2-octet character at the fold moves down", strings.Repeat("a", 74) + "ü",
			[]string{strings.Repeat("a", 74), " ü"}},
		{"a 3-octet character at the fold moves down", strings.Repeat("a", 73) + "€b",
			[]string{strings.Repeat("a", 73), " €b"}},
		{"a 4-octet character ending at 75 stays", strings.Repeat("a", 71) + "😀b",
			[]string{strings.Repeat("a", 71) + "😀", " b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w icalWriter
			w.line(tc.in)
			got := strings.Split(strings.TrimSuffix(w.buf.String(), "\r\n"), "\r\n")
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
