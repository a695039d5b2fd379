package cyberlotse

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ptrTo[T any](v T) *T { return &v }

// fakeStore is a function-field fake for the pure logic of Matchmaker;
// the graph walks themselves are tested against Neo4j in graph/neo4j.
type fakeStore struct {
	PlacesFn     func(context.Context, PlaceQuery) ([]*Municipality, *Company, error)
	CandidatesFn func(context.Context, CandidateQuery) (*Candidates, error)
}

var _ MatchStore = (*fakeStore)(nil)

func (f *fakeStore) Places(ctx context.Context, q PlaceQuery) ([]*Municipality, *Company, error) {
	return f.PlacesFn(ctx, q)
}
func (f *fakeStore) Candidates(ctx context.Context, q CandidateQuery) (*Candidates, error) {
	return f.CandidatesFn(ctx, q)
}

var (
	kalletal  = &Municipality{AGS: "05766036", Name: "Kalletal", DistrictKey: "05766"}
	lippe     = &District{Key: "05766", Name: "Kreis Lippe", Kind: Kreis, GovRegionKey: "Detmold"}
	satellite = &Region{ID: "kalletal", Name: "Satellit Kalletal", Kind: Satellite}
	model     = &Region{ID: "bergisches-staedtedreieck", Name: "Modellregion Cyber Security Bergisches Städtedreieck", Kind: ModelRegion}
	now       = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
)

func baseCandidates() *Candidates {
	return &Candidates{
		Municipality: kalletal, District: lippe,
		Regions: []RegionLink{{Region: satellite}, {Region: model, ViaSatellite: satellite}},
		Topics:  map[string]string{"phishing": "Phishing", "backup": "Backup"},
	}
}

func TestSizeClassOf(t *testing.T) {
	for employees, want := range map[int]SizeClass{0: Micro, 9: Micro, 10: Small, 49: Small, 50: Medium, 249: Medium, 250: Large} {
		if got := SizeClassOf(employees); got != want {
			t.Errorf("SizeClassOf(%d) = %s, want %s", employees, got, want)
		}
	}
}

func TestScoreContactsOrdersLocalFirstAndMergesReasons(t *testing.T) {
	c := baseCandidates()
	company := []Audience{AudienceCompany}
	c.Contacts = []ContactCandidate{
		{Contact: &Contact{ID: "zac", Name: "ZAC", Availability: "24/7", Audiences: company}, Via: ViaState},
		{Contact: &Contact{ID: "mgr", Name: "Regionalmanagement", Audiences: company}, Via: ViaRegion, RegionID: "kalletal"},
		{Contact: &Contact{ID: "mgr", Name: "Regionalmanagement", Audiences: company}, Via: ViaRegion, RegionID: "bergisches-staedtedreieck"},
		{Contact: &Contact{ID: "idt", Name: "Interventionsteam Digitale Tatorte – Polizeipräsidium Bielefeld", Audiences: company, TopicIDs: []string{"phishing"}}, Via: ViaCybercrimeHQ},
		{Contact: &Contact{ID: "cert", Name: "CERT", Audiences: []Audience{AudienceMunicipality}}, Via: ViaState},
	}
	got := DefaultWeights.scoreContacts(c, []string{"phishing"}, AudienceCompany)
	var ids []string
	for _, m := range got {
		ids = append(ids, m.Item.ID)
	}
	if strings.Join(ids, ",") != "idt,mgr,zac" {
		t.Fatalf("order = %v, want idt,mgr,zac (municipal-only CERT left out)", ids)
	}
	if got[0].Score != 0.95 || got[1].Score != 0.85 || got[2].Score != 0.65 {
		t.Errorf("scores = %v %v %v", got[0].Score, got[1].Score, got[2].Score)
	}
	if len(got[1].Reasons) != 2 || !strings.Contains(got[1].Reasons[1].Text, "Kalletal ist Satellit der Modellregion") {
		t.Errorf("manager reasons = %+v", got[1].Reasons)
	}
	if got[0].Reasons[0].Text != "Interventionsteam Digitale Tatorte – Polizeipräsidium Bielefeld, zuständig für den Kreis Lippe (KHSt-VO § 4)" {
		t.Errorf("IDT reason = %q", got[0].Reasons[0].Text)
	}
}

func TestScoreEvents(t *testing.T) {
	c := baseCandidates()
	at := func(days int) time.Time { return now.AddDate(0, 0, days) }
	c.Events = []EventCandidate{
		{Event: &Event{ID: "own", StartsAt: at(100), Mode: ModeOnsite, AGS: "05766036", RegionIDs: []string{"kalletal"}}, DistanceKm: ptrTo(0.0)},
		{Event: &Event{ID: "far-same-topic", StartsAt: at(10), Mode: ModeOnsite, AGS: "05315000", TopicIDs: []string{"phishing"}}, DistanceKm: ptrTo(150.0)},
		{Event: &Event{ID: "online", StartsAt: at(30), Mode: ModeOnline, TopicIDs: []string{"phishing"}}},
		{Event: &Event{ID: "full", StartsAt: at(30), Mode: ModeOnline, TopicIDs: []string{"phishing"}, Capacity: ptrTo(10)}, Confirmed: 10},
	}
	in := MatchInput{Topics: []string{"phishing"}, RadiusKm: 200, From: &now, To: ptrTo(now.Add(DefaultEventWindow))}
	got := DefaultWeights.scoreEvents(c, in, now, MaxMatchLimit, nil)
	order := []string{}
	for _, m := range got {
		order = append(order, m.Item.ID)
	}
	if strings.Join(order, ",") != "own,online,full,far-same-topic" {
		t.Errorf("order = %v", order)
	}
	byID := map[string]Match[*Event]{}
	for _, m := range got {
		byID[m.Item.ID] = m
	}
	texts := func(id string) string {
		var s []string
		for _, r := range byID[id].Reasons {
			s = append(s, r.Text)
		}
		return strings.Join(s, " | ")
	}
	if want := "Veranstaltung für Ihre Region: Satellit Kalletal | Termin in Ihrer Gemeinde"; texts("own") != want {
		t.Errorf("own reasons = %q", texts("own"))
	}
	if want := "Termin 150 km entfernt | Passt zu Ihrem Thema Phishing | Schon in 10 Tagen"; texts("far-same-topic") != want {
		t.Errorf("far reasons = %q", texts("far-same-topic"))
	}
	if !strings.Contains(texts("full"), "Warteliste") || byID["full"].Score >= byID["online"].Score {
		t.Errorf("full event: %q score %v vs %v", texts("full"), byID["full"].Score, byID["online"].Score)
	}
}

// The best limit come with the same scores and reasons as in the full
// ranking; keep leaves events out before the limit applies; a tie on the
// score is broken by the start, then the id.
func TestScoreEventsLimitAndKeep(t *testing.T) {
	c := baseCandidates()
	at := func(days int) time.Time { return now.AddDate(0, 0, days) }
	c.Events = []EventCandidate{
		{Event: &Event{ID: "b-online", StartsAt: at(30), Mode: ModeOnline, TopicIDs: []string{"phishing"}}},
		{Event: &Event{ID: "own", StartsAt: at(100), Mode: ModeOnsite, AGS: "05766036", RegionIDs: []string{"kalletal"}}, DistanceKm: ptrTo(0.0)},
		{Event: &Event{ID: "a-online", StartsAt: at(30), Mode: ModeOnline, TopicIDs: []string{"phishing"}}},
		{Event: &Event{ID: "early-online", StartsAt: at(30).Add(-time.Second), Mode: ModeOnline, TopicIDs: []string{"phishing"}}},
	}
	in := MatchInput{Topics: []string{"phishing"}, RadiusKm: 200, From: &now, To: ptrTo(now.Add(DefaultEventWindow))}
	all := DefaultWeights.scoreEvents(c, in, now, MaxMatchLimit, nil)
	ids := func(ms []Match[*Event]) string {
		var s []string
		for _, m := range ms {
			s = append(s, m.Item.ID)
		}
		return strings.Join(s, ",")
	}
	if got := ids(all); got != "own,early-online,a-online,b-online" {
		t.Fatalf("full ranking = %s", got)
	}
	best := DefaultWeights.scoreEvents(c, in, now, 2, nil)
	if ids(best) != "own,early-online" || !reflect.DeepEqual(best, all[:2]) {
		t.Errorf("best 2 = %+v, want the first two of %+v", best, all)
	}
	online := DefaultWeights.scoreEvents(c, in, now, 2, func(e *Event) bool { return e.Mode == ModeOnline })
	if ids(online) != "early-online,a-online" || !reflect.DeepEqual(online, all[1:3]) {
		t.Errorf("online only = %+v", online)
	}
}

func TestScoreOffersEligibility(t *testing.T) {
	c := baseCandidates()
	c.Offers = []*Offer{
		{ID: "kwid", Name: "KWID", Eligibility: EligiblePublicBody},
		{ID: "zac", Name: "ZAC-Hotline", Eligibility: EligibleAll},
		{ID: "sme", Name: "Beratung", Eligibility: EligibleSME, SizeClasses: []SizeClass{Micro, Small}},
		{ID: "region", Name: "Anlaufstelle", Eligibility: EligibleSME, RegionIDs: []string{"bergisches-staedtedreieck"}},
		{ID: "elsewhere", Name: "Anderswo", Eligibility: EligibleSME, RegionIDs: []string{"other"}},
	}
	ids := func(size *SizeClass) string {
		var s []string
		for _, m := range DefaultWeights.scoreOffers(c, nil, size, AudienceCompany) {
			s = append(s, m.Item.ID)
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		size *SizeClass
		want string
	}{
		{ptrTo(Small), "region,sme,zac"},
		{ptrTo(Medium), "region,zac"}, // "sme" only for micro and small
		{ptrTo(Large), "zac"},
		{nil, "region,zac,sme"}, // size unknown: SME offers rank lower
	}
	for _, tt := range tests {
		if got := ids(tt.size); got != tt.want {
			t.Errorf("size %v: %s, want %s", tt.size, got, tt.want)
		}
	}
}

func TestMatchNormalizesInputAndUsesCompanyFacts(t *testing.T) {
	var asked CandidateQuery
	store := &fakeStore{
		PlacesFn: func(_ context.Context, q PlaceQuery) ([]*Municipality, *Company, error) {
			return []*Municipality{kalletal}, &Company{ID: "acme", Employees: ptrTo(300)}, nil
		},
		CandidatesFn: func(_ context.Context, q CandidateQuery) (*Candidates, error) {
			asked = q
			c := baseCandidates()
			c.Offers = []*Offer{{ID: "sme", Eligibility: EligibleSME}}
			return c, nil
		},
	}
	mm := &Matchmaker{Store: store, Now: func() time.Time { return now }, Weights: DefaultWeights}
	res, err := mm.Match(context.Background(), MatchInput{Place: PlaceQuery{CompanyID: ptrTo("acme")}})
	if err != nil {
		t.Fatal(err)
	}
	if asked.RadiusKm != 50 || !asked.From.Equal(now) || !asked.To.Equal(now.Add(DefaultEventWindow)) {
		t.Errorf("defaults: %+v", asked)
	}
	if res.SizeClass == nil || *res.SizeClass != Large || len(res.Offers) != 0 {
		t.Errorf("a company of 300 is large and gets no SME offer: %v %v", res.SizeClass, res.Offers)
	}
	for _, bad := range []MatchInput{
		{RadiusKm: 501},
		{Employees: ptrTo(-1)},
		{From: ptrTo(now), To: ptrTo(now.Add(-time.Hour))},
		{Limits: MatchLimits{Events: 51}},
	} {
		bad.Place = PlaceQuery{Town: ptrTo("Kalletal")}
		if _, err := mm.Match(context.Background(), bad); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: err = %v", bad, err)
		}
	}
}

func TestEmergencyContactsOrder(t *testing.T) {
	c := baseCandidates()
	lka := &Organization{ID: "lka-nrw", Kind: OrgLKA, Website: "https://lka.polizei.nrw"}
	cert := &Organization{ID: "cert-nrw", Kind: OrgCERT}
	both := []Audience{AudienceCompany, AudienceMunicipality}
	c.Police.Authority = &Organization{ID: "lr-lippe", Name: "Landrat als Kreispolizeibehörde Lippe"}
	c.Contacts = []ContactCandidate{
		{Contact: &Contact{ID: "idt", Name: "IDT", Audiences: both}, Organization: &Organization{ID: "pp-bielefeld"}, Via: ViaCybercrimeHQ},
		{Contact: &Contact{ID: "cert-kwid", Name: "CERT NRW", Audiences: []Audience{AudienceMunicipality}}, Organization: cert, Via: ViaState},
		{Contact: &Contact{ID: "zac", Name: "ZAC", Audiences: both}, Organization: lka, Via: ViaState},
	}
	c.Offers = []*Offer{{ID: "digi-sos", Name: "Digi-SOS", Kind: "INCIDENT_RESPONSE", Eligibility: EligiblePublicBody}}
	names := func(kind EmergencyKind) string {
		var s []string
		for _, ec := range emergencyContacts(c, kind) {
			s = append(s, ec.Name)
		}
		return strings.Join(s, ",")
	}
	for kind, want := range map[EmergencyKind]string{
		EmergencyCompany:      "ZAC,IDT,Landrat als Kreispolizeibehörde Lippe,Polizeinotruf",
		EmergencyMunicipality: "CERT NRW,Digi-SOS,ZAC,IDT,Polizeinotruf",
		EmergencyCitizen:      "Polizeinotruf,Landrat als Kreispolizeibehörde Lippe",
	} {
		if got := names(kind); got != want {
			t.Errorf("%s: %s, want %s", kind, got, want)
		}
	}
}
