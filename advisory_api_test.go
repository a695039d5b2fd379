package cyberlotse

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func codeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func TestNewAdvisoryMark(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	m, err := NewAdvisoryMark("05762004", "https://x#A", MarkHandled, "  "+strings.Repeat("ä", MaxMarkNote)+" ", "isb", at)
	if err != nil || len([]rune(m.Note)) != MaxMarkNote || m.By != "isb" || !m.At.Equal(at) {
		t.Fatalf("a note of 1,000 characters: %+v %v", m, err)
	}
	_, err = NewAdvisoryMark("05762004", "https://x#A", MarkNotAffected, strings.Repeat("a", MaxMarkNote+1), "isb", at)
	if codeOf(err) != EINVALID || !strings.Contains(ErrorMessage(err), "1001 Zeichen") {
		t.Errorf("a note of 1,001 characters: %v", err)
	}
	if _, err := NewAdvisoryMark("05762004", "k#1", "OPEN", "", "isb", at); codeOf(err) != EINVALID {
		t.Errorf("state OPEN: %v", err)
	}
	if !(&MunicipalityMark{Version: "1"}).Changed("2") || (&MunicipalityMark{Version: "1.0"}).Changed("1.0") {
		t.Error("Changed compares the marked and the current version")
	}
}

func TestAdvisoryRef(t *testing.T) {
	for _, c := range []struct {
		ref  AdvisoryRef
		want string
	}{
		{AdvisoryRef{Key: "https://p.example#WID-1"}, "https://p.example#WID-1"},
		{AdvisoryRef{Publisher: " https://p.example ", TrackingID: "WID-1"}, "https://p.example#WID-1"},
		{AdvisoryRef{}, ""},
		{AdvisoryRef{Key: "no-hash"}, ""},
		{AdvisoryRef{Publisher: "https://p.example"}, ""},
		{AdvisoryRef{Key: "https://p.example#WID-1", TrackingID: "WID-1"}, ""},
	} {
		got, err := c.ref.Resolve()
		if got != c.want || (c.want == "") != (codeOf(err) == EINVALID) {
			t.Errorf("%+v: %q %v, want %q", c.ref, got, err, c.want)
		}
	}
}

func TestNewAdvisoryAlertSettings(t *testing.T) {
	s, err := NewAdvisoryAlertSettings("05762004", "ISB@Bad-Driburg.de", 7, true)
	if err != nil || s.Email != "isb@bad-driburg.de" || s.MinCVSS != 7 || !s.Immediate {
		t.Fatalf("%+v %v", s, err)
	}
	for _, c := range []struct {
		email string
		min   float64
		field string
	}{{"kein-at", 0, "email"}, {"a@b.de", -0.1, "minCvss"}, {"a@b.de", 10.1, "minCvss"}} {
		_, err := NewAdvisoryAlertSettings("05762004", c.email, c.min, false)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Details["field"] != c.field {
			t.Errorf("%q %v: %v", c.email, c.min, err)
		}
	}
}

// A municipality's list: the filter by mark and severity, open ones first,
// then by severity and score.
func TestListMunicipalityAdvisories(t *testing.T) {
	adv := func(id string, score float64) *Advisory {
		return &Advisory{Publisher: "https://p", TrackingID: id, Version: "2", CVSSScore: score}
	}
	p := MunicipalityProduct{Vendor: "V", Name: "N"}
	matches := []ProductMatch{{Advisory: adv("LOW", 3.1), Product: p}, {Advisory: adv("CRIT", 9.8), Product: p},
		{Advisory: adv("HIGH", 7.5), Product: p}, {Advisory: adv("DONE", 10), Product: p}, {Advisory: adv("NA", 8), Product: p}}
	marks := map[string]MunicipalityMark{"https://p#DONE": {State: MarkHandled, Version: "1"}, "https://p#NA": {State: MarkNotAffected, Version: "2"}}
	ids := func(l []MunicipalityAdvisory) string {
		var out []string
		for _, m := range l {
			out = append(out, m.Advisory.TrackingID)
		}
		return strings.Join(out, ",")
	}
	for _, c := range []struct {
		f    MunicipalityAdvisoryFilter
		want string
	}{
		{MunicipalityAdvisoryFilter{}, "CRIT,HIGH,LOW"},
		{MunicipalityAdvisoryFilter{Handling: HandlingAll}, "CRIT,HIGH,LOW,DONE,NA"},
		{MunicipalityAdvisoryFilter{Handling: HandlingHandled}, "DONE"},
		{MunicipalityAdvisoryFilter{Handling: HandlingNotAffected}, "NA"},
		{MunicipalityAdvisoryFilter{Handling: HandlingAll, Severities: []Severity{SeverityHigh, SeverityCritical}}, "CRIT,HIGH,DONE,NA"},
	} {
		if got := ids(ListMunicipalityAdvisories(matches, marks, c.f)); got != c.want {
			t.Errorf("%+v: %s, want %s", c.f, got, c.want)
		}
	}
	all := ListMunicipalityAdvisories(matches, marks, MunicipalityAdvisoryFilter{Handling: HandlingAll})
	if !all[3].Mark.Changed(all[3].Advisory.Version) || all[4].Mark.Changed(all[4].Advisory.Version) {
		t.Error("DONE was marked on version 1 of version 2; NA on version 2")
	}
	s := SummarizeRegion("r", []AGS{"1", "2", "3"}, map[AGS]bool{"1": true, "2": true},
		map[AGS][]MunicipalityAdvisory{"1": all, "2": all[3:]})
	if s != (RegionAdvisorySummary{RegionID: "r", Municipalities: 3, WithProducts: 2, OpenCritical: 1, OpenHigh: 1}) {
		t.Errorf("summary %+v", s)
	}
}

func TestCanHandleMunicipalityAdvisories(t *testing.T) {
	isb := &Identity{Roles: []Role{RoleMunicipalISB}, AGS: []AGS{"05762004"}}
	for _, c := range []struct {
		id   *Identity
		ags  AGS
		want Code
	}{
		{nil, "05762004", EUNAUTH},
		{isb, "05762004", ""},
		{isb, "05762008", EFORBIDDEN},
		{&Identity{Roles: []Role{RoleAdmin}}, "05762008", ""},
		{&Identity{Roles: []Role{RoleRegionalManager}, RegionIDs: []string{"r"}}, "05762004", EFORBIDDEN},
	} {
		if got := codeOf(CanHandleMunicipalityAdvisories(c.id, c.ags)); got != c.want {
			t.Errorf("%+v %s: %s, want %s", c.id, c.ags, got, c.want)
		}
	}
	mgr := &Identity{Roles: []Role{RoleRegionalManager}, RegionIDs: []string{"model"}}
	if CanSeeRegionAdvisorySummary(mgr, "sat", "model") != nil || codeOf(CanSeeRegionAdvisorySummary(mgr, "other", "")) != EFORBIDDEN ||
		codeOf(CanSeeRegionAdvisorySummary(isb, "model", "")) != EFORBIDDEN {
		t.Error("the summary is for the region's managers")
	}
}
