package ics

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// Calendar feeds come from other servers: any bytes parse or are
// refused, and series expand within the horizon and the instance bound.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"kalletal-v1.ics", "kalletal-v2.ics"} {
		data, err := os.ReadFile("../testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20270101T100000Z\r\nRRULE:FREQ=DAILY;INTERVAL=0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		feed, err := Parse(bytes.NewReader(data), Options{From: from, Horizon: 365 * 24 * time.Hour, Berlin: berlin})
		if err != nil || feed == nil {
			return
		}
		if n := len(feed.Occurrences); n > maxInstances*max(feed.Events, 1) {
			t.Fatalf("%d occurrences of %d events", n, feed.Events)
		}
	})
}
