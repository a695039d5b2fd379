package neo4j_test

import (
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

func TestPlaces(t *testing.T) {
	s := store.NewMatchStore(neo4jtest.MustOpenDB(t))
	tests := []struct {
		name string
		q    cyberlotse.PlaceQuery
		want []string
	}{
		{"ags", cyberlotse.PlaceQuery{AGS: ptr(cyberlotse.AGS("05766036"))}, []string{"Kalletal"}},
		{"postcode", cyberlotse.PlaceQuery{Postcode: ptr(cyberlotse.Postcode("32689"))}, []string{"Kalletal"}},
		{"shared postcode", cyberlotse.PlaceQuery{Postcode: ptr(cyberlotse.Postcode("40721"))}, []string{"Düsseldorf", "Hilden"}},
		{"shared postcode with town", cyberlotse.PlaceQuery{Postcode: ptr(cyberlotse.Postcode("40721")), Town: ptr("hilden")}, []string{"Hilden"}},
		{"town, any case", cyberlotse.PlaceQuery{Town: ptr("WUPPERTAL")}, []string{"Wuppertal"}},
		{"town without umlaut", cyberlotse.PlaceQuery{Town: ptr("Muenster")}, []string{"Münster"}},
		{"exact name beats prefix", cyberlotse.PlaceQuery{Town: ptr("Halle (Westf.)")}, []string{"Halle (Westf.)"}},
		{"prefix lists candidates", cyberlotse.PlaceQuery{Town: ptr("Bad O")}, []string{"Bad Oeynhausen"}},
		{"unknown town", cyberlotse.PlaceQuery{Town: ptr("Hohenhausen")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, _, err := s.Places(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range ms {
				got = append(got, m.Name)
			}
			if len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) || (len(got) > 1 && got[1] != tt.want[1]) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if _, _, err := s.Places(ctx, cyberlotse.PlaceQuery{CompanyID: ptr("gibt-es-nicht")}); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Errorf("unknown company: %v", err)
	}
}

func TestCandidatesForKalletal(t *testing.T) {
	s := store.NewMatchStore(neo4jtest.MustOpenDB(t))
	from := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	c, err := s.Candidates(ctx, cyberlotse.CandidateQuery{AGS: "05766036", RadiusKm: 50, From: from, To: from.AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Municipality.Name != "Kalletal" || c.District.Name != "Kreis Lippe" || c.Police.Authority == nil || c.Police.Authority.ID != "lr-lippe" {
		t.Fatalf("place %+v district %+v police %+v", c.Municipality, c.District, c.Police)
	}
	var links []string
	for _, l := range c.Regions {
		via := ""
		if l.ViaSatellite != nil {
			via = "<-" + l.ViaSatellite.ID
		}
		links = append(links, l.Region.ID+via)
	}
	if len(links) != 2 || links[0] != "kalletal" || links[1] != "bergisches-staedtedreieck<-kalletal" {
		t.Errorf("region links = %v", links)
	}
	via := map[string][]cyberlotse.Relation{}
	for _, cc := range c.Contacts {
		via[cc.Contact.ID] = append(via[cc.Contact.ID], cc.Via)
	}
	if len(via["idt-pp-bielefeld"]) != 1 || via["idt-pp-bielefeld"][0] != cyberlotse.ViaCybercrimeHQ {
		t.Errorf("IDT Bielefeld via %v", via["idt-pp-bielefeld"])
	}
	if len(via["modellregion-regionalmanagement"]) != 2 || len(via["zac-nrw"]) != 1 || len(via["kalletal-gemeindeverwaltung"]) != 1 {
		t.Errorf("contacts via = %v", via)
	}
	if _, ok := via["idt-pp-duesseldorf"]; ok {
		t.Error("Düsseldorf's team is not responsible for Kalletal")
	}
	if len(c.Events) == 0 || len(c.Measures) < 13 || len(c.Offers) == 0 || c.Topics["phishing"] != "Phishing" {
		t.Errorf("events %d measures %d offers %d topics %v", len(c.Events), len(c.Measures), len(c.Offers), c.Topics)
	}
	for _, ec := range c.Events {
		if ec.Event.Mode == cyberlotse.ModeOnsite && (ec.DistanceKm == nil || *ec.DistanceKm > 50) {
			t.Errorf("%s is %v km away, outside the radius", ec.Event.ID, ec.DistanceKm)
		}
		if ec.Event.StartsAt.Before(from) {
			t.Errorf("%s is in the past", ec.Event.ID)
		}
	}
}

// The own regions' events come first among the candidates, but an own
// region's event on site beyond the radius must not take a place of the
// cut: Kalletal's model region lies 150 km away.
func TestCandidatesDropFarOwnRegionEventsBeforeTheCut(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	regs := store.NewRegistrationService(db, neo4jtest.NewID, neo4jtest.Berlin)
	day := func(d int) time.Time { return time.Date(2096, 3, d, 10, 0, 0, 0, time.UTC) }
	create := func(title string, ags cyberlotse.AGS, mode cyberlotse.EventMode, start time.Time, regions ...string) {
		e := &cyberlotse.Event{ID: neo4jtest.NewID(), Title: title, StartsAt: start, Format: cyberlotse.FormatWorkshop,
			Mode: mode, AGS: ags, Status: cyberlotse.EventScheduled, OrganizerID: "gemeinde-kalletal", RegionIDs: regions,
			Provenance: cyberlotse.Provenance{Sample: true, Source: "test"}}
		if err := regs.CreateEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, db, e.ID) })
	}
	create("Wuppertal vor Ort", "05124000", cyberlotse.ModeOnsite, day(1), "bergisches-staedtedreieck")
	create("Modellregion online", "", cyberlotse.ModeOnline, day(2), "bergisches-staedtedreieck")
	create("Lemgo vor Ort", "05766044", cyberlotse.ModeOnsite, day(3))

	s := store.NewMatchStore(db)
	s.MaxEvents = 2
	c, err := s.Candidates(ctx, cyberlotse.CandidateQuery{AGS: "05766036", RadiusKm: 50, From: day(1), To: day(4)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ec := range c.Events {
		got = append(got, ec.Event.Title)
	}
	if strings.Join(got, ",") != "Modellregion online,Lemgo vor Ort" {
		t.Errorf("candidates = %v, want the own region's online event, then Lemgo", got)
	}
}
