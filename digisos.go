package cyberlotse

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Digi-SOS: the state's incident-response framework contract (MHKBD, since
// 14 April 2025). Eligible public bodies call off a provider themselves.
// This file holds who is eligible (from what the graph knows), the
// incident record a municipality's officer keeps, and the handover links:
// secret, expiring, revocable links to a read-only summary that the body
// passes to the provider, CERT NRW and the police.

// DigiSOSStatus says whether a body may call off Digi-SOS.
type DigiSOSStatus string

const (
	Eligible      DigiSOSStatus = "ELIGIBLE"
	NotEligible   DigiSOSStatus = "NOT_ELIGIBLE"
	Undetermined  DigiSOSStatus = "UNDETERMINED"
	subjectMun                  = "MUNICIPALITY"
	subjectDist                 = "DISTRICT"
	subjectOrgKnd               = "ORGANIZATION"
)

// EligibilitySubject is what the graph knows about the body asked about:
// a municipality, a district, or an organization with its kind.
type EligibilitySubject struct {
	// Kind: MUNICIPALITY, DISTRICT or ORGANIZATION.
	Kind         string
	Key          string
	Name         string
	DistrictKind DistrictKind
	OrgKind      OrganizationKind
}

// DigiSOSEligibility is the answer with its reason: never a guess. Where
// the graph cannot tell, the status is Undetermined and Check says what
// to look up.
type DigiSOSEligibility struct {
	Status  DigiSOSStatus
	Subject EligibilitySubject
	Reason  string
	Check   string
	Source  string
}

// DigiSOSSource is the public source of the circle of eligible bodies.
const DigiSOSSource = "Land NRW, Pressemitteilung 14.04.2025, https://land.nrw/pressemitteilung/ministerin-scharrenbach-schnelle-hilfe-bei-it-angriffen-mit-digi-sos-ministerium"

// EligibilityOf derives eligibility from what the graph holds. The press
// release names Kommunal- und Landesbehörden, kommunale Körperschaften,
// Anstalten und Stiftungen des öffentlichen Rechts and Unternehmen der
// Kommunen und der Landesverwaltung in NRW.
func EligibilityOf(s EligibilitySubject) DigiSOSEligibility {
	e := DigiSOSEligibility{Subject: s, Source: DigiSOSSource}
	switch s.Kind {
	case subjectMun:
		e.Status, e.Reason = Eligible, txtEligibleMunicipality(s.Name, s.Key)
	case subjectDist:
		e.Status, e.Reason = Eligible, txtEligibleDistrict(s.Name, s.DistrictKind)
	case subjectOrgKnd:
		switch s.OrgKind {
		case OrgMunicipality:
			e.Status, e.Reason = Eligible, txtEligibleMunicipalOrg(s.Name)
		case OrgPolice, OrgLKA:
			e.Status, e.Reason = Eligible, txtEligiblePolice(s.Name)
		case OrgInternational:
			e.Status, e.Reason = NotEligible, txtNotEligibleInternational(s.Name)
		default:
			e.Status, e.Reason, e.Check = Undetermined, txtUndeterminedOrg(s.Name, s.OrgKind), txtUndeterminedCheck(s.OrgKind)
		}
	}
	return e
}

// EligibilitySubjects say who may be asked about as subjects of the
// eligibility check.
func MunicipalitySubject(ags AGS, name string) EligibilitySubject {
	return EligibilitySubject{Kind: subjectMun, Key: string(ags), Name: name}
}

func DistrictSubject(key, name string, kind DistrictKind) EligibilitySubject {
	return EligibilitySubject{Kind: subjectDist, Key: key, Name: name, DistrictKind: kind}
}

func OrganizationSubject(id, name string, kind OrganizationKind) EligibilitySubject {
	return EligibilitySubject{Kind: subjectOrgKnd, Key: id, Name: name, OrgKind: kind}
}

// IncidentParty is whom a body has reached about an incident.
type IncidentParty string

const (
	PartyCERTNRW        IncidentParty = "CERT_NRW"
	PartyPolice         IncidentParty = "POLICE"
	PartyITProvider     IncidentParty = "IT_PROVIDER"
	PartyDigiSOS        IncidentParty = "DIGISOS_PROVIDER"
	PartyDataProtection IncidentParty = "DATA_PROTECTION"
)

// IncidentParties in the order the form shows them.
var IncidentParties = []IncidentParty{PartyCERTNRW, PartyPolice, PartyDigiSOS, PartyITProvider, PartyDataProtection}

// Notification records that a party was reached, and when.
type Notification struct {
	Party IncidentParty
	At    time.Time
}

// Incident is a municipality's record of a security incident, kept by its
// information security officers.
type Incident struct {
	ID          string
	AGS         AGS
	What        string
	Since       time.Time
	Systems     string
	Reached     []Notification
	ReachedNote string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	CreatedBy   string
	UpdatedBy   string
	// Version counts the changes; an update naming an older one is a CONFLICT.
	Version int
}

// IncidentInput is what the officer enters.
type IncidentInput struct {
	What        string
	Since       time.Time
	Systems     string
	Reached     []Notification
	ReachedNote string
}

const (
	maxIncidentWhat    = 2000
	maxIncidentSystems = 1000
	maxIncidentNote    = 1000
	maxHandoverLabel   = 80
	// MaxHandoverLinks bounds the links of one incident.
	MaxHandoverLinks = 20
	// HandoverValidity is how long a handover link opens the page.
	HandoverValidity = 7 * 24 * time.Hour
	// clockSkew is how far in the future a time may be entered (clocks of
	// officers' computers drift).
	clockSkew = 5 * time.Minute
)

// Validate checks and normalizes the input: trimmed texts within their
// limits, times not in the future, each party at most once, in form order.
func (in *IncidentInput) Validate(now time.Time) error {
	in.What, in.Systems, in.ReachedNote = strings.TrimSpace(in.What), strings.TrimSpace(in.Systems), strings.TrimSpace(in.ReachedNote)
	switch {
	case in.What == "":
		return Invalid("what", msgIncidentWhatEmpty)
	case utf8.RuneCountInString(in.What) > maxIncidentWhat:
		return Invalid("what", msgTooLong(maxIncidentWhat))
	case utf8.RuneCountInString(in.Systems) > maxIncidentSystems:
		return Invalid("systems", msgTooLong(maxIncidentSystems))
	case utf8.RuneCountInString(in.ReachedNote) > maxIncidentNote:
		return Invalid("reachedNote", msgTooLong(maxIncidentNote))
	case in.Since.IsZero():
		return Invalid("since", msgIncidentSinceMissing)
	case in.Since.After(now.Add(clockSkew)):
		return Invalid("since", msgIncidentFuture)
	}
	seen := map[IncidentParty]bool{}
	for _, n := range in.Reached {
		switch {
		case !slices.Contains(IncidentParties, n.Party):
			return Invalid("reached", msgIncidentParty)
		case seen[n.Party]:
			return Invalid("reached", msgIncidentPartyTwice)
		case n.At.IsZero():
			return Invalid("reached", msgIncidentReachedAt)
		case n.At.After(now.Add(clockSkew)):
			return Invalid("reached", msgIncidentFuture)
		}
		seen[n.Party] = true
	}
	slices.SortFunc(in.Reached, func(a, b Notification) int {
		return slices.Index(IncidentParties, a.Party) - slices.Index(IncidentParties, b.Party)
	})
	return nil
}

// HandoverToken is the secret of a handover link: 256 random bits, shown
// once; the store keeps only its hash.
type HandoverToken string

// NewHandoverToken returns a fresh random token.
func NewHandoverToken() HandoverToken {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // never happens on supported platforms
	}
	return HandoverToken(base64.RawURLEncoding.EncodeToString(b))
}

// Hash is what the store keeps. A token not of the canonical form hashes
// to "" and so matches nothing.
func (t HandoverToken) Hash() string {
	s := strings.TrimSpace(string(t))
	if b, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(b) != 32 || base64.RawURLEncoding.EncodeToString(b) != s {
		return ""
	}
	sum := sha256.Sum256([]byte("handover:" + s))
	return hex.EncodeToString(sum[:])
}

// HandoverState is whether a link still opens the page.
type HandoverState string

const (
	HandoverActive  HandoverState = "ACTIVE"
	HandoverRevoked HandoverState = "REVOKED"
	HandoverExpired HandoverState = "EXPIRED"
)

// HandoverLink is one secret link to an incident's handover page, meant
// for one recipient (its label).
type HandoverLink struct {
	ID         string
	IncidentID string
	Label      string
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time
	CreatedBy  string
	RevokedBy  string
	// Views, newest first.
	Views []time.Time
}

// State at now: revoked wins over expired; a link is valid up to and
// including its expiry instant.
func (l *HandoverLink) State(now time.Time) HandoverState {
	switch {
	case !l.RevokedAt.IsZero():
		return HandoverRevoked
	case now.After(l.ExpiresAt):
		return HandoverExpired
	}
	return HandoverActive
}

// NewHandoverLink makes a link for the incident with a fresh token.
func NewHandoverLink(id, incidentID, label, by string, now time.Time) (*HandoverLink, HandoverToken, error) {
	label = strings.TrimSpace(label)
	switch {
	case label == "":
		return nil, "", Invalid("label", msgHandoverLabelEmpty)
	case utf8.RuneCountInString(label) > maxHandoverLabel:
		return nil, "", Invalid("label", msgTooLong(maxHandoverLabel))
	}
	token := NewHandoverToken()
	return &HandoverLink{ID: id, IncidentID: incidentID, Label: label, TokenHash: token.Hash(), CreatedAt: now,
		ExpiresAt: now.Add(HandoverValidity), CreatedBy: by}, token, nil
}

// The stable codes of a handover link that no longer opens the page.
const (
	EHANDOVERREVOKED Code = "HANDOVER_REVOKED"
	EHANDOVEREXPIRED Code = "HANDOVER_EXPIRED"
)

// HandoverRefusal is the error for a link in state s (nil when active).
// An unknown token is UNAUTHENTICATED, like a forged manage link.
func HandoverRefusal(s HandoverState) error {
	switch s {
	case HandoverRevoked:
		return Errorf(EHANDOVERREVOKED, "%s", msgHandoverRevoked)
	case HandoverExpired:
		return Errorf(EHANDOVEREXPIRED, "%s", msgHandoverExpired)
	}
	return nil
}

// ErrHandoverUnknown is the answer to a token that opens nothing.
func ErrHandoverUnknown() error { return Errorf(EUNAUTH, "%s", msgHandoverUnknown) }

// Handover is what a valid link shows: the incident and the link it was
// opened with.
type Handover struct {
	Incident *Incident
	Link     *HandoverLink
}

// DigiSOSService keeps incidents and handover links. Callers check the
// officer's scope (CanHandleMunicipalityAdvisories) before calling; the
// service checks that ids belong together.
type DigiSOSService interface {
	// Eligibility looks the subject up in the graph (exactly one of ags,
	// districtKey, organizationID). ENOTFOUND if the graph has no such body.
	Eligibility(ctx context.Context, ags AGS, districtKey, organizationID string) (*DigiSOSEligibility, error)
	// Incidents of a municipality, newest first.
	Incidents(ctx context.Context, ags AGS) ([]*Incident, error)
	// Incident by id; ENOTFOUND.
	Incident(ctx context.Context, id string) (*Incident, error)
	// CreateIncident stores a validated incident.
	CreateIncident(ctx context.Context, in *Incident) error
	// UpdateIncident replaces what the officer entered; ENOTFOUND,
	// ECONFLICT if version is set and not the stored one.
	UpdateIncident(ctx context.Context, id string, in IncidentInput, version *int, by string, now time.Time) (*Incident, error)
	// DeleteIncident removes the incident with its links and their views;
	// its links then open nothing. ENOTFOUND.
	DeleteIncident(ctx context.Context, id string) error
	// CreateHandoverLink stores the link; ECONFLICT beyond MaxHandoverLinks.
	CreateHandoverLink(ctx context.Context, l *HandoverLink) error
	// HandoverLinks of an incident with their views, newest first.
	HandoverLinks(ctx context.Context, incidentID string) ([]*HandoverLink, error)
	// HandoverLink by id; ENOTFOUND.
	HandoverLink(ctx context.Context, id string) (*HandoverLink, error)
	// RevokeHandoverLink revokes the link (a second revoke keeps the first time).
	RevokeHandoverLink(ctx context.Context, id, by string, now time.Time) (*HandoverLink, error)
	// OpenHandover finds the link by token hash and, if it is active at
	// now, logs one view (its time, nothing about the viewer) in the same
	// transaction. Unknown: ErrHandoverUnknown; revoked or expired:
	// HandoverRefusal, with nothing of the incident.
	OpenHandover(ctx context.Context, tokenHash string, now time.Time) (*Handover, error)
}

// DigiSOSStep is one step of the call-off, as public sources describe it
// (IsSample: our own advice, not the framework's wording).
type DigiSOSStep struct {
	Title    string
	Text     string
	Source   string
	IsSample bool
}

// DigiSOSProvider is a provider of the framework contract as named in a
// public source.
type DigiSOSProvider struct {
	Name   string
	Source string
}

// DigiSOSFramework is the seeded description of the framework contract.
type DigiSOSFramework struct {
	OfferID   string
	CallOff   string
	Steps     []DigiSOSStep
	Providers []DigiSOSProvider
}
