package cyberlotse

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The officers' network (issue 17): a municipality's information security
// officer (MUNICIPAL_ISB) keeps a profile and finds peers in the same
// district, in municipalities of similar size, and working on the same
// topic. Profiles are seen only by officers and admins, never by the
// public; an officer writes only the profiles of the own AGS.

// IsbFunction is what the person does in the municipality.
type IsbFunction string

const (
	FunctionISB            IsbFunction = "ISB"
	FunctionITManagement   IsbFunction = "IT_MANAGEMENT"
	FunctionDataProtection IsbFunction = "DATA_PROTECTION"
	FunctionDigitalization IsbFunction = "DIGITALIZATION"
	FunctionOther          IsbFunction = "OTHER"
)

// IsbShare is something an officer offers to share with peers (opt-in).
type IsbShare string

const (
	ShareTemplatesPolicies IsbShare = "TEMPLATES_POLICIES"
	ShareEmergencyExercise IsbShare = "EMERGENCY_EXERCISE"
	ShareTenderDocuments   IsbShare = "TENDER_DOCUMENTS"
	ShareWiBAExperience    IsbShare = "WIBA_EXPERIENCE"
	ShareAwarenessMaterial IsbShare = "AWARENESS_MATERIAL"
)

// IsbProfile is one municipality's profile in the network. Only what the
// officer entered is stored; DisplayName and Contact are what they chose
// to publish to peers (both optional).
type IsbProfile struct {
	AGS         AGS
	Function    IsbFunction
	TopicIDs    []string
	Shares      []IsbShare
	DisplayName string
	Contact     string
	UpdatedAt   time.Time
	// UpdatedBy is the subject of the token that saved it; never shown.
	UpdatedBy string
}

// Limits of a profile.
const (
	MaxIsbTopics      = 10
	MaxIsbDisplayName = 80
	MaxIsbContact     = 200
)

// Validate checks a profile before it is stored; it normalises spaces and
// drops duplicates. EINVALID with the field.
func (p *IsbProfile) Validate() error {
	switch p.Function {
	case FunctionISB, FunctionITManagement, FunctionDataProtection, FunctionDigitalization, FunctionOther:
	default:
		return Invalid("function", msgIsbFunction)
	}
	p.TopicIDs = uniqueStrings(p.TopicIDs)
	if len(p.TopicIDs) > MaxIsbTopics {
		return Invalid("topics", fmt.Sprintf(msgIsbTopicsTooMany, MaxIsbTopics))
	}
	var shares []IsbShare
	for _, s := range p.Shares {
		switch s {
		case ShareTemplatesPolicies, ShareEmergencyExercise, ShareTenderDocuments, ShareWiBAExperience, ShareAwarenessMaterial:
		default:
			return Invalid("shares", msgIsbShare)
		}
		if !slices.Contains(shares, s) {
			shares = append(shares, s)
		}
	}
	p.Shares = shares
	for _, f := range []struct {
		name string
		v    *string
		max  int
	}{{"displayName", &p.DisplayName, MaxIsbDisplayName}, {"contact", &p.Contact, MaxIsbContact}} {
		*f.v = strings.Join(strings.Fields(*f.v), " ")
		if n := utf8.RuneCountInString(*f.v); n > f.max {
			return Invalid(f.name, fmt.Sprintf(msgIsbTextTooLong, n, f.max))
		}
		if strings.IndexFunc(*f.v, unicode.IsControl) >= 0 {
			return Invalid(f.name, msgIsbTextControl)
		}
	}
	return nil
}

func uniqueStrings(xs []string) []string {
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// PeerCriterion is one way of being a peer.
type PeerCriterion string

const (
	PeerByDistrict    PeerCriterion = "DISTRICT"
	PeerBySimilarSize PeerCriterion = "SIMILAR_SIZE"
	PeerByTopic       PeerCriterion = "TOPIC"
	// PeerByWiBAChecklist: both municipalities work on a WiBA checklist,
	// that is, have answered at least one of its questions.
	PeerByWiBAChecklist PeerCriterion = "WIBA_CHECKLIST"
)

// AllPeerCriteria are the criteria used when none is asked for.
var AllPeerCriteria = []PeerCriterion{PeerByDistrict, PeerBySimilarSize, PeerByTopic, PeerByWiBAChecklist}

// PeerReasonCode says why a profile is a peer.
type PeerReasonCode string

const (
	PeerSameDistrict  PeerReasonCode = "SAME_DISTRICT"
	PeerSimilarSize   PeerReasonCode = "SIMILAR_SIZE"
	PeerSameTopic     PeerReasonCode = "SAME_TOPIC"
	PeerWiBAChecklist PeerReasonCode = "WIBA_CHECKLIST"
)

// PeerReason explains a peer in a short German sentence.
type PeerReason struct {
	Code PeerReasonCode
	Text string
}

// PopulationBounds split municipalities into size classes: a class is the
// number of bounds at or below the population (0: under 10,000 … 5:
// 500,000 and more), after the size classes of the official statistics.
var PopulationBounds = []int{10000, 20000, 50000, 100000, 500000}

// PopulationClass returns the size class of a population.
func PopulationClass(population int) int {
	n := 0
	for _, b := range PopulationBounds {
		if population >= b {
			n++
		}
	}
	return n
}

// PopulationClassName names a size class in German.
func PopulationClassName(class int) string {
	if class < 0 || class >= len(populationClassNames) {
		return ""
	}
	return populationClassNames[class]
}

// PeerQuery asks for peers of the officer's municipality AGS.
type PeerQuery struct {
	AGS AGS
	By  []PeerCriterion
	// Topic narrows TOPIC to one topic id; empty: any topic of the own
	// profile.
	Topic string
	Page  Page
}

// PeerCandidate is a profile the store found for a PeerQuery, with the
// facts the reasons rest on.
type PeerCandidate struct {
	Profile      *IsbProfile
	Municipality *Municipality
	DistrictName string
	SameDistrict bool
	SameSize     bool
	SharedTopics []string // topic names, sorted
	// SharedChecklists are the titles of the WiBA checklists both work
	// on, in the catalogue's order.
	SharedChecklists []string
}

// PeerPage is a page of peers of one municipality.
type PeerPage struct {
	Municipality *Municipality
	SizeClass    int
	Peers        []Peer
	HasNext      bool
}

// Peer is a profile with the reasons it matched.
type Peer struct {
	Profile      *IsbProfile
	Municipality *Municipality
	Reasons      []PeerReason
	// Cursor is the keyset position of this peer in the ordering.
	Cursor Cursor
}

// PeerReasons builds the reasons of a candidate for the criteria asked.
func PeerReasons(c PeerCandidate, by []PeerCriterion, own *Municipality) []PeerReason {
	var out []PeerReason
	if c.SameDistrict && slices.Contains(by, PeerByDistrict) {
		out = append(out, PeerReason{PeerSameDistrict, fmt.Sprintf(txtPeerSameDistrict, c.DistrictName)})
	}
	if c.SameSize && slices.Contains(by, PeerBySimilarSize) {
		out = append(out, PeerReason{PeerSimilarSize, fmt.Sprintf(txtPeerSimilarSize,
			PopulationClassName(PopulationClass(c.Municipality.Population)))})
	}
	if len(c.SharedTopics) > 0 && slices.Contains(by, PeerByTopic) {
		out = append(out, PeerReason{PeerSameTopic, fmt.Sprintf(txtPeerSameTopic, strings.Join(c.SharedTopics, ", "))})
	}
	if len(c.SharedChecklists) > 0 && slices.Contains(by, PeerByWiBAChecklist) {
		out = append(out, PeerReason{PeerWiBAChecklist, fmt.Sprintf(txtPeerSameChecklist, strings.Join(c.SharedChecklists, ", "))})
	}
	return out
}

// IsbNetworkStore keeps the profiles. The caller (the GraphQL layer) has
// checked CanUseIsbNetwork or CanEditIsbProfile before.
type IsbNetworkStore interface {
	// Profile returns the profile of ags, or nil when there is none.
	Profile(ctx context.Context, ags AGS) (*IsbProfile, error)
	// SaveProfile creates or replaces the profile of p.AGS. ENOTFOUND for
	// an unknown municipality, EINVALID for an unknown topic.
	SaveProfile(ctx context.Context, p IsbProfile) (*IsbProfile, error)
	// DeleteProfile removes the profile and all it holds; false when there
	// was none.
	DeleteProfile(ctx context.Context, ags AGS) (bool, error)
	// Peers returns candidates of q in order (number of criteria matched,
	// then municipality name and AGS), one more than q.Page.First to tell
	// whether more follow. ENOTFOUND for an unknown municipality, EINVALID
	// for an unknown topic.
	Peers(ctx context.Context, q PeerQuery) (*Municipality, []PeerCandidate, error)
}

// CanUseIsbNetwork says whether id may see profiles and peers from the
// point of view of municipality ags: admins always, officers for their own
// municipalities (peers are officers of other municipalities).
func CanUseIsbNetwork(id *Identity, ags AGS) error {
	return officerOf(id, ags, msgNotIsbOfMunicipality)
}

// IsbNetwork answers the officers' network over an IsbNetworkStore.
type IsbNetwork struct {
	Store IsbNetworkStore
	Now   func() time.Time
}

// Save validates p and stores it for the caller id. EUNAUTH, EFORBIDDEN,
// EINVALID, ENOTFOUND.
func (n *IsbNetwork) Save(ctx context.Context, id *Identity, p IsbProfile) (*IsbProfile, error) {
	if err := CanUseIsbNetwork(id, p.AGS); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.UpdatedAt, p.UpdatedBy = n.Now().UTC().Truncate(time.Millisecond), id.Subject
	return n.Store.SaveProfile(ctx, p)
}

// Peers finds the peers of q.AGS. EUNAUTH, EFORBIDDEN, EINVALID, ENOTFOUND.
func (n *IsbNetwork) Peers(ctx context.Context, id *Identity, q PeerQuery) (*PeerPage, error) {
	if err := CanUseIsbNetwork(id, q.AGS); err != nil {
		return nil, err
	}
	if len(q.By) == 0 {
		q.By = AllPeerCriteria
	}
	for _, b := range q.By {
		if !slices.Contains(AllPeerCriteria, b) {
			return nil, Invalid("by", msgPeerCriterion)
		}
	}
	q.Topic = strings.TrimSpace(q.Topic)
	if q.Topic != "" && !slices.Contains(q.By, PeerByTopic) {
		return nil, Invalid("topic", msgPeerTopicWithoutBy)
	}
	own, cands, err := n.Store.Peers(ctx, q)
	if err != nil {
		return nil, err
	}
	page := &PeerPage{Municipality: own, SizeClass: PopulationClass(own.Population)}
	if len(cands) > q.Page.First {
		cands, page.HasNext = cands[:q.Page.First], true
	}
	for _, c := range cands {
		page.Peers = append(page.Peers, Peer{Profile: c.Profile, Municipality: c.Municipality,
			Reasons: PeerReasons(c, q.By, own), Cursor: PeerCursor(len(PeerReasons(c, q.By, own)), c.Municipality)})
	}
	return page, nil
}

// PeerCursor is the keyset position of a peer: matched criteria (more
// first), then municipality name and AGS.
func PeerCursor(matched int, m *Municipality) Cursor {
	return Cursor{Keys: []string{fmt.Sprint(matched), m.Name, string(m.AGS)}}
}
