package cyberlotse

import (
	"errors"
	"strings"
	"testing"
	"time"
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

// Asking as a municipality: only events and offers for public bodies, the
// municipal event first even when a company event is nearer and sooner;
// a requested offer behind every available one, with its status reason.
// Asking as a company sees none of them.
func TestMatchAsMunicipality(t *testing.T) {
	c := baseCandidates()
	at := func(days int) time.Time { return now.AddDate(0, 0, days) }
	c.Events = []EventCandidate{
		{Event: &Event{ID: "company", StartsAt: at(3), Mode: ModeOnsite, AGS: "05766036"}, DistanceKm: ptrTo(0.0)},
		{Event: &Event{ID: "both", StartsAt: at(60), Mode: ModeOnline, Audiences: []Audience{AudienceCompany, AudienceMunicipality}}},
		{Event: &Event{ID: "municipal", StartsAt: at(90), Mode: ModeOnsite, AGS: "05315000", Audiences: []Audience{AudienceMunicipality}}, DistanceKm: ptrTo(150.0)},
	}
	c.Offers = []*Offer{
		{ID: "digi-sos", Name: "Digi-SOS", Kind: "INCIDENT_RESPONSE", Eligibility: EligiblePublicBody, Status: OfferAvailable},
		{ID: "mirt", Name: "A-MIRT", Kind: "INCIDENT_RESPONSE", Eligibility: EligiblePublicBody, Status: OfferRequested, StatusDate: "2023-11"},
		{ID: "zac", Name: "ZAC", Eligibility: EligibleAll},
		{ID: "sme", Name: "Beratung", Eligibility: EligibleSME},
	}
	ids := func(ms []Match[*Event]) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.Item.ID)
		}
		return strings.Join(s, ",")
	}
	in := MatchInput{RadiusKm: 200, From: &now, To: ptrTo(now.Add(DefaultEventWindow)), Audience: AudienceMunicipality}
	municipal := DefaultWeights.scoreEvents(c, in, now, MaxMatchLimit, nil)
	if ids(municipal) != "both,municipal" && ids(municipal) != "municipal,both" || municipal[0].Reasons[0].Code != ReasonForPublicBodies {
		t.Errorf("events as a municipality: %v %+v", ids(municipal), municipal)
	}
	in.Audience = AudienceCompany
	if got := ids(DefaultWeights.scoreEvents(c, in, now, MaxMatchLimit, nil)); got != "company,both" {
		t.Errorf("events as a company: %v", got)
	}
	in.Audience = ""
	if got := ids(DefaultWeights.scoreEvents(c, in, now, MaxMatchLimit, nil)); got != "company,both" {
		t.Errorf("events without an audience (as a company): %v", got)
	}

	offers := DefaultWeights.scoreOffers(c, nil, nil, AudienceMunicipality)
	var order []string
	for _, m := range offers {
		order = append(order, m.Item.ID)
	}
	if strings.Join(order, ",") != "digi-sos,zac,mirt" {
		t.Errorf("offers as a municipality: %v", order)
	}
	if r := offers[2].Reasons[0]; r.Code != ReasonOfferRequested || r.Text != "Beantragt, noch nicht verfügbar (Stand: November 2023)" {
		t.Errorf("the requested offer's reason: %+v", offers[2].Reasons)
	}
	order = nil
	for _, m := range DefaultWeights.scoreOffers(c, nil, nil, AudienceCompany) {
		order = append(order, m.Item.ID)
	}
	if strings.Join(order, ",") != "zac,sme" {
		t.Errorf("offers as a company: %v", order)
	}
	if err := (&MatchInput{Audience: AudienceCitizen}).normalize(now); ErrorCode(err) != EINVALID {
		t.Errorf("audience CITIZEN: %v", err)
	}
}
