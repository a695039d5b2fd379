package graph_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

type reason struct{ Code, Text string }

type matchResponse struct {
	Matchmaking struct {
		Municipality struct{ Name string }
		Regions      []struct{ Slug string }
		SizeClass    string
		Contacts     []struct {
			Contact struct{ Slug string }
			Score   float64
			Reasons []reason
		}
		Events []struct {
			Event struct {
				Slug     string
				StartsAt string
				Regions  []struct{ Slug string }
			}
			Score      float64
			DistanceKm *float64
			Reasons    []reason
		}
		Offers []struct {
			Offer   struct{ Slug string }
			Reasons []reason
		}
	}
}

const matchQuery = `query($place: PlaceInput!, $topics: [String!], $radius: Float, $employees: Int) {
  matchmaking(input: {place: $place, topics: $topics, radiusKm: $radius, employees: $employees,
                      first: {contacts: 5, events: 50, offers: 20}}) {
    municipality { name } regions { slug } sizeClass
    contacts { contact { slug } score reasons { code text } }
    events { event { slug startsAt regions { slug } } score distanceKm reasons { code text } }
    offers { offer { slug } reasons { code text } }
  }
}`

func rank(t *testing.T, slugs []string, want string) int {
	t.Helper()
	for i, s := range slugs {
		if s == want {
			return i
		}
	}
	t.Fatalf("%s not among %v", want, slugs)
	return -1
}

func TestMatchmakingKalletal(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp matchResponse
	mustPost(t, c, matchQuery, &resp, client.Var("place", map[string]any{"town": "Kalletal"}),
		client.Var("topics", []string{"notfallmanagement"}), client.Var("radius", 200), client.Var("employees", 12))
	m := resp.Matchmaking
	if m.Municipality.Name != "Kalletal" || m.SizeClass != "SMALL" || len(m.Regions) != 2 {
		t.Fatalf("place %+v size %s regions %v", m.Municipality, m.SizeClass, m.Regions)
	}

	// The regional manager and the Interventionsteam Digitale Tatorte of the
	// PP Bielefeld (responsible for Kreis Lippe) are among the top contacts.
	var contacts []string
	reasons := map[string][]reason{}
	for _, cm := range m.Contacts {
		contacts = append(contacts, cm.Contact.Slug)
		reasons[cm.Contact.Slug] = cm.Reasons
		if cm.Score <= 0 || cm.Score > 1 {
			t.Errorf("%s score %v outside 0..1", cm.Contact.Slug, cm.Score)
		}
	}
	rank(t, contacts, "modellregion-regionalmanagement")
	rank(t, contacts, "idt-pp-bielefeld")
	if r := reasons["idt-pp-bielefeld"]; len(r) == 0 || r[0].Code != "CYBERCRIME_TEAM" ||
		!strings.Contains(r[0].Text, "Polizeipräsidium Bielefeld") || !strings.Contains(r[0].Text, "den Kreis Lippe") {
		t.Errorf("IDT reasons = %+v", r)
	}
	found := false
	for _, r := range reasons["modellregion-regionalmanagement"] {
		found = found || (r.Code == "REGIONAL_MANAGEMENT" && strings.Contains(r.Text, "Kalletal ist Satellit der Modellregion"))
	}
	if !found {
		t.Errorf("regional manager reasons = %+v", reasons["modellregion-regionalmanagement"])
	}
	if rank(t, contacts, "idt-pp-bielefeld") > rank(t, contacts, "zac-nrw") {
		t.Error("the local Interventionsteam must rank before the statewide ZAC")
	}

	// The next event for its own region ranks before same-topic events far away.
	var events []string
	var own string
	for _, em := range m.Events {
		events = append(events, em.Event.Slug)
		forOwn := false
		for _, r := range em.Event.Regions {
			forOwn = forOwn || r.Slug == "kalletal" || r.Slug == "bergisches-staedtedreieck"
		}
		if forOwn && own == "" {
			own = em.Event.Slug
		}
		if em.Event.StartsAt < time.Now().Format(time.RFC3339) {
			t.Errorf("past event %s matched", em.Event.Slug)
		}
	}
	if own != "kalletal-infoabend-2027-03-18" || rank(t, events, own) != 0 {
		t.Errorf("first own-region event %q at rank %d; ranking %v", own, rank(t, events, own), events)
	}
	far := 0
	for _, em := range m.Events {
		if em.DistanceKm != nil && *em.DistanceKm > 100 && hasCode(em.Reasons, "TOPIC") && !hasCode(em.Reasons, "OWN_REGION") {
			far++
			if rank(t, events, em.Event.Slug) < rank(t, events, own) {
				t.Errorf("%s (%.0f km) ranks before the own-region event", em.Event.Slug, *em.DistanceKm)
			}
		}
	}
	if far == 0 {
		t.Fatal("the seeded data should hold a same-topic event more than 100 km from Kalletal")
	}

	// Offers: the model region's office is offered (Kalletal is a satellite),
	// municipal-only offers such as Digi-SOS and KWID are not.
	var offers []string
	for _, o := range m.Offers {
		offers = append(offers, o.Offer.Slug)
	}
	rank(t, offers, "modellregion-anlaufstelle")
	for _, public := range []string{"digi-sos", "kwid"} {
		for _, o := range offers {
			if o == public {
				t.Errorf("%s is for public bodies only, offered to a company", public)
			}
		}
	}
}

func hasCode(rs []reason, code string) bool {
	for _, r := range rs {
		if r.Code == code {
			return true
		}
	}
	return false
}

func TestMatchmakingWuppertal(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp matchResponse
	mustPost(t, c, matchQuery, &resp, client.Var("place", map[string]any{"postcode": "42103"}))
	m := resp.Matchmaking
	if m.Municipality.Name != "Wuppertal" || len(m.Regions) != 1 || m.Regions[0].Slug != "bergisches-staedtedreieck" {
		t.Fatalf("Wuppertal: %+v regions %v", m.Municipality, m.Regions)
	}
	var contacts []string
	for _, cm := range m.Contacts {
		contacts = append(contacts, cm.Contact.Slug)
	}
	rank(t, contacts, "idt-pp-duesseldorf")
	rank(t, contacts, "modellregion-regionalmanagement")
	for _, s := range contacts {
		if s == "idt-pp-bielefeld" {
			t.Error("Bielefeld's team is not responsible for Wuppertal")
		}
	}
}

// Equal input gives equal output, including the order of ties.
func TestMatchmakingIsDeterministic(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var a, b matchResponse
	vars := []client.Option{client.Var("place", map[string]any{"ags": "05122000"}), client.Var("topics", []string{"ransomware", "phishing"})}
	mustPost(t, c, matchQuery, &a, vars...)
	mustPost(t, c, matchQuery, &b, vars...)
	key := func(r matchResponse) string {
		var s []string
		for _, e := range r.Matchmaking.Events {
			s = append(s, e.Event.Slug)
		}
		for _, x := range r.Matchmaking.Contacts {
			s = append(s, x.Contact.Slug)
		}
		return strings.Join(s, ",")
	}
	if key(a) != key(b) {
		t.Errorf("two runs differ:\n%s\n%s", key(a), key(b))
	}
	scores := make([]float64, len(a.Matchmaking.Events))
	for i, e := range a.Matchmaking.Events {
		scores[i] = e.Score
	}
	if !sort.SliceIsSorted(scores, func(i, j int) bool { return scores[i] > scores[j] }) {
		t.Errorf("events not ordered by score: %v", scores)
	}
}

func TestMatchmakingPlaceErrors(t *testing.T) {
	h := newHandler(neo4jtest.MustOpenDB(t))
	tests := []struct{ name, place, reason, message string }{
		{"ambiguous postcode", `{postcode: "40721"}`, "AMBIGUOUS_PLACE", "Düsseldorf (ags 05111000), Hilden (ags 05158016)"},
		{"unknown town", `{town: "Hohenhausen"}`, "UNKNOWN_PLACE", "Gemeindeschlüssel (ags, z. B. 05766036), eine Postleitzahl"},
		{"unknown postcode", `{postcode: "99999"}`, "UNKNOWN_PLACE", "Die Postleitzahl 99999 ist in Nordrhein-Westfalen nicht bekannt"},
		{"no place", `{}`, "", "Bitte geben Sie den Ort an"},
		{"two forms", `{ags: "05766036", town: "Kalletal"}`, "", "nur eine Form"},
		{"bad postcode", `{postcode: "123"}`, "", "genau 5 Ziffern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := rawPost(t, h, `{ matchmaking(input: {place: `+tt.place+`}) { municipality { name } } }`)
			if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, tt.message) ||
				(tt.reason != "" && errs[0].Extensions["reason"] != tt.reason) {
				t.Errorf("errors = %+v", errs)
			}
		})
	}
	_, errs := rawPost(t, h, `{ matchmaking(input: {place: {postcode: "40721"}}) { municipality { name } } }`)
	cands, _ := errs[0].Extensions["candidates"].([]any)
	if len(cands) != 2 {
		t.Errorf("ambiguity candidates = %v", errs[0].Extensions["candidates"])
	}
}

func TestEmergencyHelp(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	type help struct {
		EmergencyHelp struct {
			Municipality struct{ Name string }
			Steps        []string
			Contacts     []struct {
				Name    string
				Phone   *string
				Reason  reason
				Contact *struct{ Slug string }
				Offer   *struct{ Slug string }
			}
		}
	}
	const q = `query($place: PlaceInput!, $kind: EmergencyKind!) { emergencyHelp(place: $place, kind: $kind) {
		municipality { name } steps contacts { name phone reason { code text } contact { slug } offer { slug } } } }`

	var company help
	mustPost(t, c, q, &company, client.Var("place", map[string]any{"postcode": "32689"}), client.Var("kind", "COMPANY"))
	cs := company.EmergencyHelp.Contacts
	if len(cs) < 3 || cs[0].Contact == nil || cs[0].Contact.Slug != "zac-nrw" {
		t.Fatalf("company contacts: %+v", cs)
	}
	if cs[1].Contact == nil || cs[1].Contact.Slug != "idt-pp-bielefeld" {
		t.Errorf("second contact = %+v, want the IDT of PP Bielefeld", cs[1])
	}
	last := cs[len(cs)-1]
	if last.Phone == nil || *last.Phone != "110" || last.Reason.Code != "EMERGENCY_NUMBER" {
		t.Errorf("110 missing: %+v", last)
	}
	if len(company.EmergencyHelp.Steps) < 5 || !strings.Contains(strings.Join(company.EmergencyHelp.Steps, " "), "110") {
		t.Errorf("steps = %v", company.EmergencyHelp.Steps)
	}

	var municipality help
	mustPost(t, c, q, &municipality, client.Var("place", map[string]any{"ags": "05124000"}), client.Var("kind", "MUNICIPALITY"))
	var codes, slugs []string
	for _, x := range municipality.EmergencyHelp.Contacts {
		codes = append(codes, x.Reason.Code)
		if x.Offer != nil {
			slugs = append(slugs, x.Offer.Slug)
		}
		if x.Contact != nil {
			slugs = append(slugs, x.Contact.Slug)
		}
	}
	if codes[0] != "WARNING_SERVICE" || codes[1] != "INCIDENT_RESPONSE" {
		t.Errorf("municipality contacts start with %v", codes)
	}
	rank(t, slugs, "digi-sos")
	rank(t, slugs, "cert-nrw-kwid")

	var citizen help
	mustPost(t, c, q, &citizen, client.Var("place", map[string]any{"town": "Solingen"}), client.Var("kind", "CITIZEN"))
	if cc := citizen.EmergencyHelp.Contacts; len(cc) != 2 || *cc[0].Phone != "110" || cc[1].Name != "Polizeipräsidium Wuppertal" {
		t.Errorf("citizen contacts = %+v", cc)
	}
}
