package cyberlotse

import "context"

// EmergencyKind is who asks for emergency help.
type EmergencyKind string

const (
	EmergencyCompany      EmergencyKind = "COMPANY"
	EmergencyMunicipality EmergencyKind = "MUNICIPALITY"
	EmergencyCitizen      EmergencyKind = "CITIZEN"
)

// EmergencyContact is someone to call now. It is a seeded contact, an
// organization, an offer to call off, or the police emergency number.
type EmergencyContact struct {
	Name         string
	Role         string
	Phone        string
	Email        string
	Website      string
	Availability string
	Reason       Reason
	Contact      *Contact
	Organization *Organization
	Offer        *Offer
}

// EmergencyHelp is the one-screen answer to "we were hit — what now?".
type EmergencyHelp struct {
	Municipality *Municipality
	Kind         EmergencyKind
	Steps        []string
	Contacts     []EmergencyContact
	// NotYetAvailable are emergency offers for this kind of caller that
	// do not exist yet (requested or announced, e.g. a Mobile Incident
	// Response Team): information only, never among Contacts.
	NotYetAvailable []*Offer
}

// notYetKinds are the kinds of offer that would help in an emergency and
// so are named as "gibt es noch nicht" when they are only requested or
// announced; consulting and funding are not emergency help.
var notYetKinds = map[string]bool{"INCIDENT_RESPONSE": true, "MONITORING": true, "HOTLINE": true}

var policeEmergency = EmergencyContact{
	Name: "Polizeinotruf", Phone: "110", Availability: "24/7",
	Reason: Reason{ReasonEmergencyNumber, txtEmergencyNumber},
}

// EmergencyHelp returns the first steps and the ordered contacts for kind
// at place. Anyone may call it; it reads only the graph (no search, no
// mail), so it answers when those are down. EINVALID for a bad place.
func (mm *Matchmaker) EmergencyHelp(ctx context.Context, place PlaceQuery, kind EmergencyKind) (*EmergencyHelp, error) {
	steps, ok := emergencySteps[kind]
	if !ok {
		return nil, Invalid("kind", "erlaubt sind COMPANY, MUNICIPALITY und CITIZEN.")
	}
	m, _, err := ResolvePlace(ctx, mm.Store, place)
	if err != nil {
		return nil, err
	}
	c, err := mm.Store.Candidates(ctx, CandidateQuery{AGS: m.AGS, SkipEvents: true})
	if err != nil {
		return nil, err
	}
	help := &EmergencyHelp{Municipality: c.Municipality, Kind: kind, Steps: steps, Contacts: emergencyContacts(c, kind),
		NotYetAvailable: []*Offer{}}
	if kind == EmergencyMunicipality {
		for _, o := range c.Offers {
			if !o.Usable() && notYetKinds[o.Kind] && (o.Eligibility == EligiblePublicBody || o.Eligibility == EligibleAll) {
				help.NotYetAvailable = append(help.NotYetAvailable, o)
			}
		}
	}
	return help, nil
}

// emergencyContacts orders whom to call: for companies the ZAC first, then
// the responsible Interventionsteam Digitale Tatorte; for municipalities
// CERT NRW (KWID) and Digi-SOS first; for citizens 110 and their police.
func emergencyContacts(c *Candidates, kind EmergencyKind) []EmergencyContact {
	var out []EmergencyContact
	add := func(cands []ContactCandidate, reason Reason) {
		for _, cc := range cands {
			out = append(out, fromContact(cc, reason))
		}
	}
	zac := pickContacts(c, ViaState, OrgLKA, audienceFor(kind))
	idt := pickContacts(c, ViaCybercrimeHQ, "", audienceFor(kind))
	idtReason := func() Reason {
		if len(idt) == 0 {
			return Reason{}
		}
		r, _ := contactReason(c, idt[0])
		return r
	}()
	switch kind {
	case EmergencyCompany:
		add(zac, Reason{ReasonStatewide, txtEmergencyZAC})
		add(idt, idtReason)
		out = append(out, localPolice(c)...)
		out = append(out, policeEmergency)
	case EmergencyMunicipality:
		add(pickContacts(c, ViaState, OrgCERT, AudienceMunicipality), Reason{ReasonWarningService, txtEmergencyCERT})
		for _, o := range c.Offers {
			// Only what exists: a requested or announced team is nobody to call.
			if o.Kind == "INCIDENT_RESPONSE" && o.Eligibility == EligiblePublicBody && o.Usable() {
				out = append(out, EmergencyContact{Name: o.Name, Website: o.URL, Offer: o,
					Reason: Reason{ReasonIncidentResponse, txtEmergencyDigiSOS}})
			}
		}
		add(zac, Reason{ReasonStatewide, txtEmergencyZAC})
		add(idt, idtReason)
		out = append(out, policeEmergency)
	case EmergencyCitizen:
		out = append(out, policeEmergency)
		out = append(out, localPolice(c)...)
	}
	return out
}

func audienceFor(kind EmergencyKind) Audience {
	switch kind {
	case EmergencyMunicipality:
		return AudienceMunicipality
	case EmergencyCitizen:
		return AudienceCitizen
	}
	return AudienceCompany
}

// pickContacts selects candidates by relation, organization kind ("" for
// any) and audience, in candidate order.
func pickContacts(c *Candidates, via Relation, orgKind OrganizationKind, audience Audience) []ContactCandidate {
	var out []ContactCandidate
	for _, cc := range c.Contacts {
		if cc.Via != via || !hasAudience(cc.Contact.Audiences, audience) {
			continue
		}
		if orgKind != "" && (cc.Organization == nil || cc.Organization.Kind != orgKind) {
			continue
		}
		out = append(out, cc)
	}
	return out
}

func fromContact(cc ContactCandidate, reason Reason) EmergencyContact {
	ec := EmergencyContact{Name: cc.Contact.Name, Role: cc.Contact.Role, Phone: cc.Contact.Phone,
		Email: cc.Contact.Email, Availability: cc.Contact.Availability, Reason: reason,
		Contact: cc.Contact, Organization: cc.Organization}
	if cc.Organization != nil {
		ec.Website = cc.Organization.Website
	}
	return ec
}

func localPolice(c *Candidates) []EmergencyContact {
	p := c.Police.Authority
	if p == nil {
		return nil
	}
	return []EmergencyContact{{Name: p.Name, Website: p.Website, Organization: p,
		Reason: Reason{ReasonLocalPolice, txtEmergencyPoliceCitizen}}}
}
