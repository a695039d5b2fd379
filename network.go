package cyberlotse

import (
	"context"
	"time"
)

// Provenance says where a fact comes from. Sample marks invented data
// (example companies, placeholder titles, example dates): it must be shown
// as such and never presented as real.
type Provenance struct {
	Sample bool
	Source string
}

// RegionKind distinguishes model regions from their satellites.
type RegionKind string

const (
	ModelRegion RegionKind = "MODEL_REGION"
	Satellite   RegionKind = "SATELLITE"
)

// Region is a model region of the state initiative or a satellite that
// joined one.
type Region struct {
	ID            string
	Name          string
	Kind          RegionKind
	Since         *time.Time // a date, midnight Europe/Berlin
	Description   string
	ManagerID     string   // Organization that manages the region
	SatelliteOfID string   // for satellites: the model region
	PartnerIDs    []string // Organizations the region cooperates with
	Provenance
}

// OrganizationKind classifies organizations.
type OrganizationKind string

const (
	OrgPolice              OrganizationKind = "POLICE"
	OrgLKA                 OrganizationKind = "LKA"
	OrgCERT                OrganizationKind = "CERT"
	OrgMinistry            OrganizationKind = "MINISTRY"
	OrgAssociation         OrganizationKind = "ASSOCIATION"
	OrgAlliance            OrganizationKind = "ALLIANCE"
	OrgInitiative          OrganizationKind = "INITIATIVE"
	OrgEconomicDevelopment OrganizationKind = "ECONOMIC_DEVELOPMENT"
	OrgMunicipality        OrganizationKind = "MUNICIPALITY"
	OrgInternational       OrganizationKind = "INTERNATIONAL"
	OrgChamber             OrganizationKind = "CHAMBER"
	OrgOther               OrganizationKind = "OTHER"
)

// Organization is an actor of the network. Police authorities
// (Kreispolizeibehörden) carry the next two levels of police
// responsibility: their Kriminalhauptstelle and, for the Kriminalhauptstellen,
// the headquarters for serious cybercrime.
type Organization struct {
	ID                    string
	Name                  string
	ShortName             string
	Kind                  OrganizationKind
	Website               string
	Description           string
	Seat                  string
	KriminalhauptstelleID string
	CybercrimeHQID        string
	TopicIDs              []string
	Provenance
}

// OrganizationFilter narrows Organizations; nil fields do not filter.
type OrganizationFilter struct {
	Kind *OrganizationKind
}

// Level is the level of territory a contact is responsible for.
type Level string

const (
	LevelState        Level = "STATE"
	LevelGovRegion    Level = "GOV_REGION"
	LevelDistrict     Level = "DISTRICT"
	LevelMunicipality Level = "MUNICIPALITY"
	LevelRegion       Level = "REGION"
)

// Responsibility is a territory a contact is responsible for.
type Responsibility struct {
	Level Level
	Key   string // "NW", a Regierungsbezirk, district key, AGS or region id
}

// Audience is whom a contact or an offer serves.
type Audience string

const (
	AudienceCompany      Audience = "COMPANY"
	AudienceMunicipality Audience = "MUNICIPALITY"
	AudienceCitizen      Audience = "CITIZEN"
)

// Contact is a functional contact: a desk or role of an organization.
type Contact struct {
	ID               string
	Name             string
	Role             string
	Email            string
	Phone            string
	Availability     string
	OrganizationID   string
	Audiences        []Audience
	Responsibilities []Responsibility
	TopicIDs         []string
	Provenance
}

// ContactFilter narrows Contacts; nil fields do not filter.
type ContactFilter struct {
	OrganizationID *string
	Audience       *Audience
	// Level and Key select contacts directly responsible for a territory.
	Level *Level
	Key   *string
}

// Eligibility says who may use an offer.
type Eligibility string

const (
	EligiblePublicBody Eligibility = "PUBLIC_BODY"
	EligibleSME        Eligibility = "SME"
	EligibleAll        Eligibility = "ALL"
)

// SizeClass is the EU SME size class (Recommendation 2003/361/EC).
type SizeClass string

const (
	Micro  SizeClass = "MICRO"
	Small  SizeClass = "SMALL"
	Medium SizeClass = "MEDIUM"
	Large  SizeClass = "LARGE"
)

// Offer is a service of the state or the network, e.g. KWID or Digi-SOS.
type Offer struct {
	ID           string
	Name         string
	Kind         string
	ProviderID   string
	Eligibility  Eligibility
	SizeClasses  []SizeClass
	Description  string
	URL          string
	MeasureCodes []string
	TopicIDs     []string
	// RegionIDs limit a regional offer to these regions; empty: statewide.
	RegionIDs []string
	// Status says whether the offer exists (AVAILABLE), is announced or
	// only requested; StatusSource and StatusDate name the source of that
	// status and its date (YYYY, YYYY-MM or YYYY-MM-DD, as precise as the
	// source is). An empty Status reads as AVAILABLE.
	Status       OfferStatus
	StatusSource string
	StatusDate   string
	Provenance
}

// OfferStatus is how far an offer is from being usable.
type OfferStatus string

const (
	// OfferAvailable: the offer exists and can be used now.
	OfferAvailable OfferStatus = "AVAILABLE"
	// OfferAnnounced: a provider announced it; not usable yet.
	OfferAnnounced OfferStatus = "ANNOUNCED"
	// OfferRequested: someone asked for it (e.g. the municipal
	// associations); it does not exist and nobody promised it.
	OfferRequested OfferStatus = "REQUESTED"
)

// Usable reports whether the offer can be used (called, booked) now.
func (o *Offer) Usable() bool { return o.Status == "" || o.Status == OfferAvailable }

// Topic is an entry of the topic vocabulary.
type Topic struct {
	ID       string
	Name     string
	Synonyms []string
}

// NetworkService reads regions, organizations, contacts, offers and
// topics. Anyone may call it; lists are ordered by name.
type NetworkService interface {
	Regions(ctx context.Context, kind *RegionKind) ([]*Region, error)
	RegionsByIDs(ctx context.Context, ids []string) ([]*Region, error)
	// RegionMembers returns, per region id, the covered municipalities.
	RegionMembers(ctx context.Context, ids []string) (map[string][]*Municipality, error)
	// Satellites returns, per model region id, its satellites.
	Satellites(ctx context.Context, ids []string) (map[string][]*Region, error)
	// RegionsOfMunicipalities returns, per AGS, the regions covering it.
	RegionsOfMunicipalities(ctx context.Context, keys []AGS) (map[AGS][]*Region, error)

	Organizations(ctx context.Context, f OrganizationFilter) ([]*Organization, error)
	OrganizationsByIDs(ctx context.Context, ids []string) ([]*Organization, error)

	Contacts(ctx context.Context, f ContactFilter) ([]*Contact, error)
	ContactsByIDs(ctx context.Context, ids []string) ([]*Contact, error)
	// ContactsOfOrganizations returns, per organization id, its contacts.
	ContactsOfOrganizations(ctx context.Context, ids []string) (map[string][]*Contact, error)

	Offers(ctx context.Context) ([]*Offer, error)
	OffersByIDs(ctx context.Context, ids []string) ([]*Offer, error)

	Topics(ctx context.Context) ([]*Topic, error)
	TopicsByIDs(ctx context.Context, ids []string) ([]*Topic, error)
}
