package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// Matchmaking and emergency help as a municipality, over HTTP against the
// seeded graph (Drolshagen, Kreis Olpe): the municipal event comes first
// and company-only events are left out; offers for public bodies come
// first, the municipal associations' asks carry "beantragt, noch nicht
// verfügbar" behind every available offer, and none of them is ever among
// emergencyHelp's contacts to call now. Asking as a company sees neither.
func TestMunicipalMatchmakingAndOfferStatus(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	_, h := newTestMain(t, c, srv)
	ask := func(query string, vars map[string]any, out any) {
		t.Helper()
		res := rmAsk(t, h, "", query, vars)
		if len(res.Errors) > 0 {
			t.Fatalf("%+v", res.Errors)
		}
		if err := json.Unmarshal(res.Data, out); err != nil {
			t.Fatal(err)
		}
	}
	type reason struct{ Code, Text string }
	type match struct {
		Matchmaking struct {
			Events []struct {
				Event struct {
					Slug      string
					Audiences []string
				}
				Score   float64
				Reasons []reason
			}
			Offers []struct {
				Offer struct {
					Slug, Status, Eligibility string
					StatusDate                *string
				}
				Score   float64
				Reasons []reason
			}
		}
	}
	const q = `query($in: MatchInput!) { matchmaking(input: $in) {
		events { event { slug audiences } score reasons { code text } }
		offers { offer { slug status statusDate eligibility } score reasons { code text } } } }`
	const municipalEvent = "informationssicherheitstag-kommunen-2027-03-04"
	asked := func(audience string) match {
		in := map[string]any{"place": map[string]any{"ags": "05966008"}, "first": map[string]any{"events": 50, "offers": 50}}
		if audience != "" {
			in["audience"] = audience
		}
		var m match
		ask(q, map[string]any{"in": in}, &m)
		return m
	}

	municipal := asked("MUNICIPALITY")
	ev := municipal.Matchmaking.Events
	if len(ev) == 0 || ev[0].Event.Slug != municipalEvent || ev[0].Reasons[0] != (reason{"FOR_PUBLIC_BODIES", "Für Kommunen und öffentliche Stellen"}) {
		t.Fatalf("events as a municipality: %+v", ev)
	}
	for _, e := range ev {
		if !slices.Contains(e.Event.Audiences, "MUNICIPALITY") {
			t.Errorf("a company-only event for a municipality: %+v", e)
		}
	}
	offers := municipal.Matchmaking.Offers
	var slugs []string
	lowestAvailable, highestRequested := 2.0, -1.0
	for _, o := range offers {
		slugs = append(slugs, o.Offer.Slug)
		if o.Offer.Eligibility == "SME" {
			t.Errorf("an offer for companies only, as a municipality: %s", o.Offer.Slug)
		}
		switch o.Offer.Status {
		case "AVAILABLE":
			lowestAvailable = min(lowestAvailable, o.Score)
			for _, r := range o.Reasons {
				if r.Code == "OFFER_REQUESTED" || r.Code == "OFFER_ANNOUNCED" {
					t.Errorf("an available offer with a status reason: %+v", o)
				}
			}
		case "REQUESTED":
			highestRequested = max(highestRequested, o.Score)
			if o.Reasons[0] != (reason{"OFFER_REQUESTED", "Beantragt, noch nicht verfügbar (Stand: November 2023)"}) ||
				o.Offer.StatusDate == nil || *o.Offer.StatusDate != "2023-11" {
				t.Errorf("a requested offer: %+v", o)
			}
		}
	}
	for _, want := range []string{"digi-sos", "kwid", "zac-hotline", "mirt-kommunen", "landes-soc-kommunen", "isms-beratung-kommunen", "wiba-foerderung-kommunen"} {
		if !slices.Contains(slugs, want) {
			t.Errorf("offers as a municipality lack %s: %v", want, slugs)
		}
	}
	if !(highestRequested >= 0 && highestRequested < lowestAvailable) {
		t.Errorf("requested offers (best %.3f) must rank after every available one (worst %.3f): %v", highestRequested, lowestAvailable, slugs)
	}
	// The first offer is one for public bodies that exists.
	if o := offers[0]; o.Offer.Eligibility != "PUBLIC_BODY" || o.Offer.Status != "AVAILABLE" || o.Reasons[0].Code != "FOR_PUBLIC_BODIES" {
		t.Errorf("first offer as a municipality: %+v", o)
	}

	// As a company (the default): the municipal event and every offer for
	// public bodies, requested ones included, are left out.
	company := asked("")
	for _, e := range company.Matchmaking.Events {
		if e.Event.Slug == municipalEvent || !slices.Contains(e.Event.Audiences, "COMPANY") {
			t.Errorf("as a company: %+v", e)
		}
	}
	if len(company.Matchmaking.Events) == 0 {
		t.Error("as a company: no events")
	}
	for _, o := range company.Matchmaking.Offers {
		if o.Offer.Status != "AVAILABLE" || o.Offer.Eligibility == "PUBLIC_BODY" {
			t.Errorf("as a company: %+v", o)
		}
	}

	// Emergency help: only what exists is someone to call.
	type help struct {
		EmergencyHelp struct {
			Contacts []struct {
				Name  string
				Offer *struct{ Slug, Status string }
			}
			NotYetAvailable []struct{ Slug, Status, Name string }
		}
	}
	const eq = `query($kind: EmergencyKind!) { emergencyHelp(place: {ags: "05966008"}, kind: $kind) {
		contacts { name offer { slug status } } notYetAvailable { slug status name } } }`
	var hm help
	ask(eq, map[string]any{"kind": "MUNICIPALITY"}, &hm)
	var called, notYet []string
	for _, c := range hm.EmergencyHelp.Contacts {
		if c.Offer != nil {
			called = append(called, c.Offer.Slug)
			if c.Offer.Status != "AVAILABLE" {
				t.Errorf("an offer that does not exist among the contacts to call: %+v", c)
			}
		}
	}
	for _, o := range hm.EmergencyHelp.NotYetAvailable {
		notYet = append(notYet, o.Slug)
		if o.Status != "REQUESTED" {
			t.Errorf("not yet available: %+v", o)
		}
	}
	slices.Sort(notYet)
	if !slices.Equal(called, []string{"digi-sos"}) || !slices.Equal(notYet, []string{"landes-soc-kommunen", "mirt-kommunen"}) {
		t.Errorf("emergency help for a municipality: call %v, not yet %v", called, notYet)
	}
	for _, kind := range []string{"COMPANY", "CITIZEN"} {
		var hc help
		ask(eq, map[string]any{"kind": kind}, &hc)
		if len(hc.EmergencyHelp.NotYetAvailable) != 0 {
			t.Errorf("%s: not yet available %+v", kind, hc.EmergencyHelp.NotYetAvailable)
		}
		for _, c := range hc.EmergencyHelp.Contacts {
			if c.Offer != nil && c.Offer.Status != "AVAILABLE" {
				t.Errorf("%s: %+v", kind, c)
			}
		}
	}

	// The offers list says the status with its source and date.
	var all struct {
		Offers []struct {
			Slug, Status string
			StatusSource *string
			StatusDate   *string
			IsSample     bool
		}
	}
	ask(`{ offers { slug status statusSource statusDate isSample } }`, nil, &all)
	seen := 0
	for _, o := range all.Offers {
		if o.StatusSource == nil || *o.StatusSource == "" {
			t.Errorf("offer without a status source: %+v", o)
		}
		switch o.Slug {
		case "kwid":
			seen++
			if o.Status != "AVAILABLE" || o.StatusDate == nil || *o.StatusDate != "2022-02" || o.IsSample {
				t.Errorf("kwid: %+v", o)
			}
		case "mirt-kommunen":
			seen++
			if o.Status != "REQUESTED" || !strings.Contains(*o.StatusSource, "November 2023") || !o.IsSample {
				t.Errorf("MIRT: %+v", o)
			}
		}
	}
	if seen != 2 {
		t.Errorf("offers: %+v", all.Offers)
	}
}
