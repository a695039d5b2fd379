package cyberlotse

import (
	"strings"
	"testing"
	"time"
)

func TestDigestSlot(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ now, want time.Time }{
		{time.Date(2026, 12, 2, 5, 59, 59, 0, time.UTC), time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)},
		{time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC), time.Date(2026, 12, 2, 6, 0, 0, 0, time.UTC)},
		// last Sunday of March: 7:00 CEST is 5:00 UTC; the day before 7:00 CET is 6:00 UTC
		{time.Date(2027, 3, 28, 4, 59, 0, 0, time.UTC), time.Date(2027, 3, 27, 6, 0, 0, 0, time.UTC)},
		{time.Date(2027, 3, 28, 5, 0, 0, 0, time.UTC), time.Date(2027, 3, 28, 5, 0, 0, 0, time.UTC)},
		// last Sunday of October: 7:00 CET is 6:00 UTC; the day before 7:00 CEST is 5:00 UTC
		{time.Date(2027, 10, 31, 5, 0, 0, 0, time.UTC), time.Date(2027, 10, 30, 5, 0, 0, 0, time.UTC)},
		{time.Date(2027, 10, 31, 6, 0, 0, 0, time.UTC), time.Date(2027, 10, 31, 6, 0, 0, 0, time.UTC)},
	} {
		if got := DigestSlot(tc.now, berlin); !got.Equal(tc.want) {
			t.Errorf("DigestSlot(%v) = %v, want %v", tc.now, got.UTC(), tc.want)
		}
	}
}

func TestKnownExploit(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "Ausnutzung beobachtet": true, "Exploit code is publicly available": true,
		"No known exploit": false, "Es ist keine Ausnutzung bekannt.": false, "Zurzeit nicht bekannt": false,
		"CISA KEV: known exploited": true,
	} {
		if got := KnownExploit(&Advisory{ExploitStatus: s}); got != want {
			t.Errorf("KnownExploit(%q) = %v, want %v", s, got, want)
		}
	}
	if !Urgent(&Advisory{CVSSScore: 9.0}) || Urgent(&Advisory{CVSSScore: 8.9}) {
		t.Error("Urgent does not draw the line at CVSS 9.0")
	}
}

func TestAlertItems(t *testing.T) {
	mp := MunicipalityProduct{Vendor: "Acme", Name: "Gateway", Version: "2.1"}
	adv := func(id, version string, cvss float64) *Advisory {
		return &Advisory{Publisher: "https://p.example", TrackingID: id, Version: version, Title: id, CVSSScore: cvss,
			SourceURL: "https://p.example/" + id + ".json"}
	}
	ms := []ProductMatch{
		{Advisory: adv("A", "1", 5.0), Product: mp, Reason: "r1"},
		{Advisory: adv("B", "2", 9.5), Product: mp, Reason: "r2"},
		{Advisory: adv("B", "2", 9.5), Product: MunicipalityProduct{Vendor: "Acme", Name: "Gateway", Version: "2.2"}, Reason: "r3"},
		{Advisory: adv("C", "1", 3.0), Product: mp, Reason: "r4"},
		{Advisory: adv("D", "3", 8.0), Product: mp, Reason: "r5"},
		{Advisory: adv("E", "3", 8.0), Product: mp, Reason: "r6"},
	}
	marks := []AdvisoryMark{
		{AdvisoryKey: "https://p.example#D", State: AdvisoryMarkHandled, Version: "3"},     // settles D 3
		{AdvisoryKey: "https://p.example#E", State: AdvisoryMarkNotAffected, Version: "2"}, // older than E 3
		{AdvisoryKey: "https://p.example#A", State: "OPEN", Version: "1"},
	}
	got := AlertItems(&AdvisoryAlertSubscription{ID: "s", MinCVSS: 4}, ms, marks, nil)
	var keys []string
	for _, it := range got {
		keys = append(keys, it.TrackingID+"/"+it.Version)
	}
	if want := "B/2 E/3 A/1"; strings.Join(keys, " ") != want {
		t.Fatalf("items %v, want %s", keys, want)
	}
	if len(got[0].Products) != 2 || got[0].Products[1] != (AlertProduct{Name: "Acme Gateway 2.2", Reason: "r3"}) || !got[0].Urgent {
		t.Errorf("B: %+v", got[0])
	}
	if got[0].SentKey("s") != "s|https://p.example#B|2" || got[0].AlertID("s") == got[1].AlertID("s") {
		t.Errorf("keys %q %q", got[0].SentKey("s"), got[0].AlertID("s"))
	}
	if urgent := AlertItems(&AdvisoryAlertSubscription{ID: "s"}, ms, marks, Urgent); len(urgent) != 1 || urgent[0].TrackingID != "B" {
		t.Errorf("urgent items %+v", urgent)
	}
}
