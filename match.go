package cyberlotse

import (
	"context"
	"time"
)

// PlaceQuery names where a company (or municipality, or citizen) is: an
// AGS, a postcode, a town name, a postcode with a town, or a stored company.
type PlaceQuery struct {
	AGS       *AGS
	Postcode  *Postcode
	Town      *string
	CompanyID *string
}

// MatchInput asks for the contacts, events, measures and offers that fit
// a company. Zero values get the defaults below.
type MatchInput struct {
	Place     PlaceQuery
	Sector    string // WZ 2008 code, e.g. "62.01"
	Employees *int
	Topics    []string // topic ids of interest
	RadiusKm  float64  // travel radius for on-site events; default 50
	From, To  *time.Time
	Limits    MatchLimits
	// Audience asks as a company (the default) or as a municipality or
	// other public body: then events and offers for public bodies come
	// first and those for companies only are left out.
	Audience Audience
}

// MatchLimits are the page sizes of the four lists.
type MatchLimits struct{ Contacts, Events, Measures, Offers int }

const (
	DefaultRadiusKm   = 50
	MaxRadiusKm       = 500
	DefaultMatchLimit = 5
	MaxMatchLimit     = 50
	// DefaultEventWindow is how far ahead matchmaking looks for events.
	DefaultEventWindow = 365 * 24 * time.Hour
)

// ReasonCode classifies a reason for machines; Text says it to people.
type ReasonCode string

const (
	ReasonResponsibleMunicipality ReasonCode = "RESPONSIBLE_MUNICIPALITY"
	ReasonResponsibleDistrict     ReasonCode = "RESPONSIBLE_DISTRICT"
	ReasonResponsibleGovRegion    ReasonCode = "RESPONSIBLE_GOV_REGION"
	ReasonRegionalManagement      ReasonCode = "REGIONAL_MANAGEMENT"
	ReasonCybercrimeTeam          ReasonCode = "CYBERCRIME_TEAM"
	ReasonLocalPolice             ReasonCode = "LOCAL_POLICE"
	ReasonStatewide               ReasonCode = "STATEWIDE"
	ReasonAvailable247            ReasonCode = "AVAILABLE_24_7"
	ReasonTopic                   ReasonCode = "TOPIC"
	ReasonOwnRegion               ReasonCode = "OWN_REGION"
	ReasonDistance                ReasonCode = "DISTANCE"
	ReasonOnline                  ReasonCode = "ONLINE"
	ReasonSoon                    ReasonCode = "SOON"
	ReasonWaitlist                ReasonCode = "WAITLIST"
	ReasonRollout                 ReasonCode = "ROLLOUT"
	ReasonEventsAddress           ReasonCode = "EVENTS_ADDRESS"
	ReasonEligibleSize            ReasonCode = "ELIGIBLE_SIZE"
	ReasonEligibleAll             ReasonCode = "ELIGIBLE_ALL"
	ReasonRegionalOffer           ReasonCode = "REGIONAL_OFFER"
	ReasonImplementsMeasure       ReasonCode = "IMPLEMENTS_MEASURE"
	ReasonEmergencyNumber         ReasonCode = "EMERGENCY_NUMBER"
	ReasonIncidentResponse        ReasonCode = "INCIDENT_RESPONSE"
	ReasonWarningService          ReasonCode = "WARNING_SERVICE"
	ReasonFunding                 ReasonCode = "FUNDING"
	// Matchmaking as a municipality, and the status of offers.
	ReasonForPublicBodies ReasonCode = "FOR_PUBLIC_BODIES"
	ReasonOfferRequested  ReasonCode = "OFFER_REQUESTED"
	ReasonOfferAnnounced  ReasonCode = "OFFER_ANNOUNCED"
)

// Reason explains a match in a short German sentence.
type Reason struct {
	Code ReasonCode
	Text string
}

// Match is one ranked item with its score (0..1) and reasons.
type Match[T any] struct {
	Item    T
	Score   float64
	Reasons []Reason
	// Extra facts the item's reasons rest on.
	DistanceKm *float64 // events: from the company's municipality
	Status     string   // measures: rollout status in the company's region, if known
}

// MatchResult is the answer of Match.
type MatchResult struct {
	Municipality *Municipality
	Regions      []*Region // the company's own regions and their model regions
	SizeClass    *SizeClass
	Contacts     []Match[*Contact]
	Events       []Match[*Event]
	Measures     []Match[*Measure]
	Offers       []Match[*Offer]
}

// Relation says how a contact candidate is connected to the place.
type Relation string

const (
	ViaMunicipality Relation = "MUNICIPALITY"
	ViaDistrict     Relation = "DISTRICT"
	ViaGovRegion    Relation = "GOV_REGION"
	ViaRegion       Relation = "REGION"
	ViaCybercrimeHQ Relation = "CYBERCRIME"
	ViaPolice       Relation = "POLICE"
	ViaState        Relation = "STATE"
)

// Candidates is what the graph knows around one municipality: the raw
// material of matchmaking and emergency help, before scoring.
type Candidates struct {
	Municipality *Municipality
	District     *District
	Regions      []RegionLink
	Police       PoliceChain
	Contacts     []ContactCandidate
	Events       []EventCandidate
	Measures     []MeasureCandidate
	Offers       []*Offer
	// Topics names every topic by id, for reasons.
	Topics map[string]string
}

// RegionLink is a region of the place: covering it directly, or the model
// region of a satellite that covers it.
type RegionLink struct {
	Region       *Region
	ViaSatellite *Region // set when Region is reached through this satellite
}

// PoliceChain is the police responsibility for the place (KPB-VO, KHSt-VO).
type PoliceChain struct {
	Authority, Kriminalhauptstelle, CybercrimeHQ *Organization
}

type ContactCandidate struct {
	Contact      *Contact
	Organization *Organization
	Via          Relation
	RegionID     string // for ViaRegion
}

type EventCandidate struct {
	Event        *Event
	DistanceKm   *float64 // nil for events without a place
	ForOwnRegion bool
	Confirmed    int // confirmed registrations
}

type MeasureCandidate struct {
	Measure  *Measure
	Status   string // rollout status in one of the place's regions, "" if none
	Progress int
	RegionID string
}

// CandidateQuery bounds the candidates the store collects.
type CandidateQuery struct {
	AGS      AGS
	RadiusKm float64
	From, To time.Time
	// SkipEvents leaves out events and their distances (emergency help).
	SkipEvents bool
}

// MatchStore is what matchmaking needs from the graph. Anyone may call it.
type MatchStore interface {
	// Places returns the municipalities matching q: one for an AGS or a
	// unique postcode or town, several when ambiguous, none when unknown.
	// A CompanyID resolves to the company's municipality; ENOTFOUND when
	// the company does not exist.
	Places(ctx context.Context, q PlaceQuery) ([]*Municipality, *Company, error)
	// Candidates collects everything around q.AGS in one query.
	Candidates(ctx context.Context, q CandidateQuery) (*Candidates, error)
}

// Company is a company of the network (imported or sample data).
type Company struct {
	ID        string
	Name      string
	Sector    string
	Employees *int
	AGS       AGS
	Provenance
}
