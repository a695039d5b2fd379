package cyberlotse

import (
	"errors"
	"testing"
)

func TestPopulationClass(t *testing.T) {
	for _, c := range []struct{ pop, class int }{{0, 0}, {9999, 0}, {10000, 1}, {19999, 1}, {20000, 2}, {99999, 3}, {100000, 4}, {618685, 5}} {
		if got := PopulationClass(c.pop); got != c.class {
			t.Errorf("PopulationClass(%d) = %d, want %d", c.pop, got, c.class)
		}
	}
	if PopulationClassName(1) != "10.000 bis 19.999 Einwohner" || PopulationClassName(6) != "" {
		t.Error(PopulationClassName(1), PopulationClassName(6))
	}
}

func TestIsbProfileValidate(t *testing.T) {
	p := IsbProfile{Function: FunctionISB, TopicIDs: []string{" isms", "isms", ""}, Shares: []IsbShare{ShareTenderDocuments, ShareTenderDocuments},
		DisplayName: "  A   B ", Contact: ""}
	if err := p.Validate(); err != nil || len(p.TopicIDs) != 1 || len(p.Shares) != 1 || p.DisplayName != "A B" {
		t.Fatalf("%v %+v", err, p)
	}
	for name, bad := range map[string]IsbProfile{
		"function": {Function: "CHEF"},
		"shares":   {Function: FunctionISB, Shares: []IsbShare{"GEHEIMNISSE"}},
		"contact":  {Function: FunctionISB, Contact: "a\u0007b"},
	} {
		var e *Error
		if err := bad.Validate(); !errors.As(err, &e) || e.Code != EINVALID || e.Details["field"] != name {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestOfferStatusReason(t *testing.T) {
	for _, c := range []struct {
		o    Offer
		want string
	}{
		{Offer{Status: OfferRequested, StatusDate: "2023-11"}, "Beantragt, noch nicht verfügbar (Stand: November 2023)"},
		{Offer{Status: OfferAnnounced, StatusDate: "2025-04-14"}, "Angekündigt, noch nicht verfügbar (Stand: 14.04.2025)"},
		{Offer{Status: OfferRequested, StatusDate: "2024"}, "Beantragt, noch nicht verfügbar (Stand: 2024)"},
		{Offer{Status: OfferRequested}, "Beantragt, noch nicht verfügbar"},
	} {
		if r, ok := OfferStatusReason(&c.o); !ok || r.Text != c.want {
			t.Errorf("%+v: %q", c.o, r.Text)
		}
	}
	if _, ok := OfferStatusReason(&Offer{Status: OfferAvailable}); ok {
		t.Error("an available offer has a status reason")
	}
	if !(&Offer{}).Usable() || (&Offer{Status: OfferRequested}).Usable() {
		t.Error("Usable")
	}
	for s, want := range map[string]bool{"2023": true, "2023-11": true, "2023-11-30": true, "2023-13": false, "23-11": false, "2023-11-31": false} {
		if ValidStatusDate(s) != want {
			t.Errorf("ValidStatusDate(%q) != %v", s, want)
		}
	}
}
