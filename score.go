package cyberlotse

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Weights tune the ranking; the Cypher only collects candidates, so the
// ranking can change without touching a query.
type Weights struct {
	// Contacts: a base score per relation to the place.
	ContactBase     map[Relation]float64
	ContactTopic    float64 // × share of the company's topics the contact covers
	ContactAlwaysOn float64 // 24/7 availability
	// Events: the parts add up to 1.
	EventRegion, EventDistance, EventTopic, EventSoon float64
	OnlineReach                                       float64 // proximity credit of an online event
	FullPenalty                                       float64 // factor for booked-out events (waitlist)
	// Measures.
	MeasureStatus map[string]float64
	MeasureEvents float64 // × min(1, events/3)
	MeasureTopic  float64
	// Offers.
	OfferEligible, OfferOpenToAll, OfferSizeUnknown, OfferRegional, OfferTopic, OfferMeasure float64
	// Asking as a municipality: the credit of an event for public bodies.
	EventForPublic float64
	// Factors for offers that do not exist yet: they rank after every
	// available one of the same kind of fit.
	OfferAnnouncedFactor, OfferRequestedFactor float64
}

// DefaultWeights rank local before statewide and the own region first.
var DefaultWeights = Weights{
	ContactBase: map[Relation]float64{
		ViaMunicipality: 0.9, ViaRegion: 0.85, ViaCybercrimeHQ: 0.85, ViaDistrict: 0.75,
		ViaPolice: 0.7, ViaGovRegion: 0.65, ViaState: 0.6,
	},
	ContactTopic: 0.1, ContactAlwaysOn: 0.05,
	EventRegion: 0.35, EventDistance: 0.25, EventTopic: 0.25, EventSoon: 0.15,
	OnlineReach: 0.8, FullPenalty: 0.9,
	MeasureStatus: map[string]float64{"LIVE": 0.5, "IN_PROGRESS": 0.5, "EVALUATED": 0.4, "PLANNED": 0.35, "PAUSED": 0.15, "NOT_STARTED": 0.1},
	MeasureEvents: 0.3, MeasureTopic: 0.2,
	OfferEligible: 0.6, OfferOpenToAll: 0.55, OfferSizeUnknown: 0.5, OfferRegional: 0.2, OfferTopic: 0.15, OfferMeasure: 0.05,
	EventForPublic: 0.3, OfferAnnouncedFactor: 0.5, OfferRequestedFactor: 0.3,
}

// Matchmaker answers matchmaking and emergency help from the graph.
type Matchmaker struct {
	Store   MatchStore
	Now     func() time.Time
	Weights Weights
}

// NewMatchmaker returns a Matchmaker with the real clock and default weights.
func NewMatchmaker(store MatchStore) *Matchmaker {
	return &Matchmaker{Store: store, Now: time.Now, Weights: DefaultWeights}
}

// Match ranks contacts, events, measures and offers for a company.
// Anyone may call it. EINVALID for a bad input or an unknown or ambiguous
// place; ENOTFOUND for an unknown company.
func (mm *Matchmaker) Match(ctx context.Context, in MatchInput) (*MatchResult, error) {
	now := mm.Now()
	if err := in.normalize(now); err != nil {
		return nil, err
	}
	place, company, err := ResolvePlace(ctx, mm.Store, in.Place)
	if err != nil {
		return nil, err
	}
	if company != nil {
		if in.Employees == nil {
			in.Employees = company.Employees
		}
		if in.Sector == "" {
			in.Sector = company.Sector
		}
	}
	c, err := mm.Store.Candidates(ctx, CandidateQuery{AGS: place.AGS, RadiusKm: in.RadiusKm, From: *in.From, To: *in.To})
	if err != nil {
		return nil, err
	}
	res := &MatchResult{Municipality: c.Municipality}
	for _, l := range c.Regions {
		res.Regions = append(res.Regions, l.Region)
	}
	var size *SizeClass
	if in.Employees != nil {
		s := SizeClassOf(*in.Employees)
		size, res.SizeClass = &s, &s
	}
	w := mm.Weights
	res.Contacts = top(w.scoreContacts(c, in.Topics, in.Audience), in.Limits.Contacts)
	res.Events = w.scoreEvents(c, in, now, in.Limits.Events, nil)
	res.Measures = top(w.scoreMeasures(c, in.Topics), in.Limits.Measures)
	res.Offers = top(w.scoreOffers(c, in.Topics, size, in.Audience), in.Limits.Offers)
	return res, nil
}

func (in *MatchInput) normalize(now time.Time) error {
	switch in.Audience {
	case "":
		in.Audience = AudienceCompany
	case AudienceCompany, AudienceMunicipality:
	default:
		return Invalid("audience", "erlaubt sind COMPANY und MUNICIPALITY.")
	}
	if in.RadiusKm == 0 {
		in.RadiusKm = DefaultRadiusKm
	}
	if in.RadiusKm < 0 || in.RadiusKm > MaxRadiusKm {
		return Invalid("radiusKm", fmt.Sprintf("der Umkreis muss zwischen 1 und %d km liegen.", MaxRadiusKm))
	}
	if in.Employees != nil && *in.Employees < 0 {
		return Invalid("employees", "die Zahl der Beschäftigten kann nicht negativ sein.")
	}
	if in.From == nil {
		in.From = &now
	}
	if in.To == nil {
		to := in.From.Add(DefaultEventWindow)
		in.To = &to
	}
	if !in.To.After(*in.From) {
		return Invalid("to", "„to“ muss nach „from“ liegen.")
	}
	for _, n := range []*int{&in.Limits.Contacts, &in.Limits.Events, &in.Limits.Measures, &in.Limits.Offers} {
		if *n == 0 {
			*n = DefaultMatchLimit
		}
		if *n < 1 || *n > MaxMatchLimit {
			return Invalid("first", fmt.Sprintf("jede Liste darf zwischen 1 und %d Einträge haben.", MaxMatchLimit))
		}
	}
	return nil
}

// SizeClassOf is the EU SME class by head count (Recommendation
// 2003/361/EC); turnover and balance sheet are not known here.
func SizeClassOf(employees int) SizeClass {
	switch {
	case employees < 10:
		return Micro
	case employees < 50:
		return Small
	case employees < 250:
		return Medium
	}
	return Large
}

func (w Weights) scoreContacts(c *Candidates, topics []string, audience Audience) []Match[*Contact] {
	best := map[string]*Match[*Contact]{}
	var order []string
	for _, cc := range c.Contacts {
		if !hasAudience(cc.Contact.Audiences, audience) {
			continue
		}
		reason, ok := contactReason(c, cc)
		if !ok {
			continue
		}
		score := w.ContactBase[cc.Via]
		m, seen := best[cc.Contact.ID]
		if !seen {
			m = &Match[*Contact]{Item: cc.Contact}
			best[cc.Contact.ID] = m
			order = append(order, cc.Contact.ID)
		}
		if score > m.Score {
			m.Score = score
			m.Reasons = append([]Reason{reason}, m.Reasons...)
		} else if !hasReason(m.Reasons, reason) {
			m.Reasons = append(m.Reasons, reason)
		}
	}
	out := make([]Match[*Contact], 0, len(order))
	for _, id := range order {
		m := best[id]
		if m.Item.Availability == "24/7" {
			m.Score += w.ContactAlwaysOn
			m.Reasons = append(m.Reasons, Reason{ReasonAvailable247, txtAvailable247})
		}
		if frac, r, ok := topicReason(c.Topics, topics, m.Item.TopicIDs); ok {
			m.Score += w.ContactTopic * frac
			m.Reasons = append(m.Reasons, r)
		}
		m.Score = clamp(m.Score)
		out = append(out, *m)
	}
	sortMatches(out, compareContacts)
	return out
}

func contactReason(c *Candidates, cc ContactCandidate) (Reason, bool) {
	switch cc.Via {
	case ViaMunicipality:
		return Reason{ReasonResponsibleMunicipality, fmt.Sprintf(txtResponsibleMunicipality, c.Municipality.Name)}, true
	case ViaDistrict:
		return Reason{ReasonResponsibleDistrict, fmt.Sprintf(txtResponsibleDistrict, districtPhrase(c.District))}, true
	case ViaGovRegion:
		return Reason{ReasonResponsibleGovRegion, fmt.Sprintf(txtResponsibleGovRegion, c.District.GovRegionKey)}, true
	case ViaRegion:
		for _, l := range c.Regions {
			if l.Region.ID != cc.RegionID {
				continue
			}
			if l.ViaSatellite != nil {
				return Reason{ReasonRegionalManagement, fmt.Sprintf(txtRegionalManagementSat, c.Municipality.Name, l.Region.Name)}, true
			}
			return Reason{ReasonRegionalManagement, fmt.Sprintf(txtRegionalManagementOwn, l.Region.Name)}, true
		}
	case ViaCybercrimeHQ:
		return Reason{ReasonCybercrimeTeam, fmt.Sprintf(txtCybercrimeTeam, cc.Contact.Name, districtPhrase(c.District))}, true
	case ViaPolice:
		return Reason{ReasonLocalPolice, fmt.Sprintf(txtLocalPolice, cc.Organization.Name)}, true
	case ViaState:
		return Reason{ReasonStatewide, txtStatewide}, true
	}
	return Reason{}, false
}

// scoreEvents ranks the candidate events that keep accepts (nil: all) and
// returns the best limit of them with their reasons. The reasons are put
// into words only for those: formatting them for each of the hundreds of
// candidates cost more than the scoring itself.
func (w Weights) scoreEvents(c *Candidates, in MatchInput, now time.Time, limit int, keep func(*Event) bool) []Match[*Event] {
	if limit <= 0 {
		return nil
	}
	s := eventScorer{w: w, c: c, in: in, now: now, ownRegions: map[string]*Region{}}
	for _, l := range c.Regions {
		s.ownRegions[l.Region.ID] = l.Region
	}
	s.window = in.To.Sub(*in.From).Hours() / 24
	if s.in.Audience == "" {
		s.in.Audience = AudienceCompany
	}
	// The best limit are kept in order while the candidates are scored:
	// a few hundred candidates for a handful of places.
	type ranked struct {
		score float64 // rounded
		cand  *EventCandidate
	}
	before := func(a, b ranked) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return compareEvents(a.cand.Event, b.cand.Event) < 0
	}
	best := make([]ranked, 0, limit)
	for i := range c.Events {
		ec := &c.Events[i]
		if !ec.Event.For(s.in.Audience) {
			continue // asking as a company: events for public bodies only; as a municipality: for companies only
		}
		if keep != nil && !keep(ec.Event) {
			continue
		}
		r := ranked{round(s.match(ec, false).Score), ec}
		if len(best) == limit && !before(r, best[limit-1]) {
			continue
		}
		at := len(best)
		for at > 0 && before(r, best[at-1]) {
			at--
		}
		if len(best) < limit {
			best = append(best, ranked{})
		}
		copy(best[at+1:], best[at:])
		best[at] = r
	}
	out := make([]Match[*Event], len(best))
	for i, r := range best {
		out[i] = s.match(r.cand, true)
	}
	return out
}

// eventScorer scores one candidate event for one question.
type eventScorer struct {
	w          Weights
	c          *Candidates
	in         MatchInput
	now        time.Time
	ownRegions map[string]*Region
	window     float64 // days between in.From and in.To
}

// match scores ec, with its reasons when explain is set; the score is the
// same either way.
func (s eventScorer) match(ec *EventCandidate, explain bool) Match[*Event] {
	w, e := s.w, ec.Event
	m := Match[*Event]{Item: e, DistanceKm: ec.DistanceKm}
	reason := func(code ReasonCode, text func() string) {
		if explain {
			m.Reasons = append(m.Reasons, Reason{code, text()})
		}
	}
	if s.in.Audience == AudienceMunicipality {
		m.Score += w.EventForPublic
		reason(ReasonForPublicBodies, func() string { return txtEventForPublicBodies })
	}
	for _, id := range e.RegionIDs {
		if r, ok := s.ownRegions[id]; ok {
			m.Score += w.EventRegion
			reason(ReasonOwnRegion, func() string { return fmt.Sprintf(txtOwnRegionEvent, r.Name) })
			break
		}
	}
	proximity := 0.0
	if ec.DistanceKm != nil && e.Mode != ModeOnline {
		proximity = math.Max(0, 1-*ec.DistanceKm/s.in.RadiusKm)
		if e.AGS == s.c.Municipality.AGS {
			reason(ReasonDistance, func() string { return txtDistanceHere })
		} else {
			reason(ReasonDistance, func() string { return fmt.Sprintf(txtDistance, int(math.Round(*ec.DistanceKm))) })
		}
	}
	switch e.Mode {
	case ModeOnline:
		proximity = w.OnlineReach
		reason(ReasonOnline, func() string { return txtOnline })
	case ModeHybrid:
		proximity = math.Max(proximity, w.OnlineReach)
		reason(ReasonOnline, func() string { return txtHybrid })
	}
	m.Score += w.EventDistance * proximity
	if frac, r, ok := topicReason(s.c.Topics, s.in.Topics, e.TopicIDs); ok {
		m.Score += w.EventTopic * frac
		reason(r.Code, func() string { return r.Text })
	}
	days := e.StartsAt.Sub(s.now).Hours() / 24
	if s.window > 0 {
		m.Score += w.EventSoon * math.Max(0, 1-days/s.window)
	}
	switch {
	case days >= 0 && days < 1.5 && e.StartsAt.Sub(s.now) > 0:
		reason(ReasonSoon, func() string { return txtSoonTomorrow })
	case days >= 1.5 && days <= 14:
		reason(ReasonSoon, func() string { return fmt.Sprintf(txtSoonDays, int(math.Round(days))) })
	}
	if e.Capacity != nil && ec.Confirmed >= *e.Capacity {
		m.Score *= w.FullPenalty
		reason(ReasonWaitlist, func() string { return txtWaitlist })
	}
	m.Score = clamp(m.Score)
	return m
}

func (w Weights) scoreMeasures(c *Candidates, topics []string) []Match[*Measure] {
	byCode := map[string]*Match[*Measure]{}
	var order []string
	regionName := map[string]string{}
	for _, l := range c.Regions {
		regionName[l.Region.ID] = l.Region.Name
	}
	for _, mc := range c.Measures {
		m, ok := byCode[mc.Measure.Code]
		if !ok {
			m = &Match[*Measure]{Item: mc.Measure}
			byCode[mc.Measure.Code] = m
			order = append(order, mc.Measure.Code)
		}
		if mc.Status != "" && w.MeasureStatus[mc.Status] > w.MeasureStatus[m.Status] {
			m.Status = mc.Status
			m.Reasons = append(m.Reasons, Reason{ReasonRollout,
				fmt.Sprintf(txtRollout, regionName[mc.RegionID], rolloutStatusNames[mc.Status])})
		}
	}
	events := map[string]int{}
	for _, ec := range c.Events {
		for _, code := range ec.Event.MeasureCodes {
			events[code]++
		}
	}
	var out []Match[*Measure]
	for _, code := range order {
		m := byCode[code]
		m.Score = w.MeasureStatus[m.Status]
		if n := events[code]; n > 0 {
			m.Score += w.MeasureEvents * math.Min(1, float64(n)/3)
			text := txtEventsAddress1
			if n > 1 {
				text = fmt.Sprintf(txtEventsAddressN, n)
			}
			m.Reasons = append(m.Reasons, Reason{ReasonEventsAddress, text})
		}
		if frac, r, ok := topicReason(c.Topics, topics, m.Item.TopicIDs); ok {
			m.Score += w.MeasureTopic * frac
			m.Reasons = append(m.Reasons, r)
		}
		if m.Score > 0 {
			m.Score = clamp(m.Score)
			out = append(out, *m)
		}
	}
	sortMatches(out, compareMeasures)
	return out
}

func (w Weights) scoreOffers(c *Candidates, topics []string, size *SizeClass, audience Audience) []Match[*Offer] {
	ownRegions := map[string]*Region{}
	for _, l := range c.Regions {
		ownRegions[l.Region.ID] = l.Region
	}
	inRollout := map[string]bool{}
	for _, mc := range c.Measures {
		if mc.Status != "" {
			inRollout[mc.Measure.Code] = true
		}
	}
	var out []Match[*Offer]
	for _, o := range c.Offers {
		m := Match[*Offer]{Item: o}
		switch {
		case audience == AudienceMunicipality && o.Eligibility == EligiblePublicBody:
			m.Score = w.OfferEligible
			m.Reasons = append(m.Reasons, Reason{ReasonForPublicBodies, txtOfferForPublicBodies})
		case audience == AudienceMunicipality && o.Eligibility == EligibleAll:
			m.Score = w.OfferOpenToAll
			m.Reasons = append(m.Reasons, Reason{ReasonEligibleAll, txtEligibleAllBodies})
		case audience == AudienceMunicipality:
			continue // for companies only
		case o.Eligibility == EligibleAll:
			m.Score = w.OfferOpenToAll
			m.Reasons = append(m.Reasons, Reason{ReasonEligibleAll, txtEligibleAll})
		case o.Eligibility == EligibleSME && size == nil:
			m.Score = w.OfferSizeUnknown
			m.Reasons = append(m.Reasons, Reason{ReasonEligibleSize, txtEligibleSME})
		case o.Eligibility == EligibleSME && *size != Large && (len(o.SizeClasses) == 0 || hasSize(o.SizeClasses, *size)):
			m.Score = w.OfferEligible
			m.Reasons = append(m.Reasons, Reason{ReasonEligibleSize, fmt.Sprintf(txtEligibleSize, sizeClassNames[*size])})
		default:
			continue // public bodies only, or the company's size does not qualify
		}
		if len(o.RegionIDs) > 0 {
			r := firstOwn(o.RegionIDs, ownRegions)
			if r == nil {
				continue // a regional offer outside the company's regions
			}
			m.Score += w.OfferRegional
			m.Reasons = append(m.Reasons, Reason{ReasonRegionalOffer, fmt.Sprintf(txtRegionalOffer, r.Name)})
		}
		if frac, r, ok := topicReason(c.Topics, topics, o.TopicIDs); ok {
			m.Score += w.OfferTopic * frac
			m.Reasons = append(m.Reasons, r)
		}
		for _, code := range o.MeasureCodes {
			if inRollout[code] {
				m.Score += w.OfferMeasure
				m.Reasons = append(m.Reasons, Reason{ReasonImplementsMeasure, fmt.Sprintf(txtImplementsMeasure, code)})
				break
			}
		}
		if r, ok := OfferStatusReason(o); ok {
			if o.Status == OfferRequested {
				m.Score *= w.OfferRequestedFactor
			} else {
				m.Score *= w.OfferAnnouncedFactor
			}
			m.Reasons = append([]Reason{r}, m.Reasons...)
		}
		m.Score = clamp(m.Score)
		out = append(out, m)
	}
	sortMatches(out, compareOffers)
	return out
}

// topicReason returns the share of wanted topics that have covers and a
// reason naming the shared topics; ok is false when none are shared.
func topicReason(names map[string]string, wanted, has []string) (float64, Reason, bool) {
	if len(wanted) == 0 || len(has) == 0 {
		return 0, Reason{}, false
	}
	set := map[string]bool{}
	for _, t := range has {
		set[t] = true
	}
	var shared []string
	for _, t := range wanted {
		if set[t] {
			name := names[t]
			if name == "" {
				name = t
			}
			shared = append(shared, name)
		}
	}
	if len(shared) == 0 {
		return 0, Reason{}, false
	}
	text := fmt.Sprintf(txtTopic, shared[0])
	if len(shared) > 1 {
		text = fmt.Sprintf(txtTopics, strings.Join(shared, ", "))
	}
	return float64(len(shared)) / float64(len(wanted)), Reason{ReasonTopic, text}, true
}

// sortMatches orders by score, then by a deterministic tie-breaker.
func sortMatches[T any](ms []Match[T], tie func(a, b T) int) {
	slices.SortStableFunc(ms, func(a, b Match[T]) int { return compareMatches(a, b, tie) })
}

// compareMatches puts the higher score first and breaks ties with tie.
func compareMatches[T any](a, b Match[T], tie func(a, b T) int) int {
	if c := cmp.Compare(round(b.Score), round(a.Score)); c != 0 {
		return c
	}
	return tie(a.Item, b.Item)
}

// The tie-breakers: events by start (to the second) and id, the others by
// name or code and id.
func compareEvents(a, b *Event) int {
	return cmp.Or(cmp.Compare(a.StartsAt.Unix(), b.StartsAt.Unix()), cmp.Compare(a.ID, b.ID))
}

func compareContacts(a, b *Contact) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
}

func compareMeasures(a, b *Measure) int { return cmp.Compare(a.Code, b.Code) }

func compareOffers(a, b *Offer) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
}

// round makes scores that differ only by float noise compare equal, so
// that the tie-breaker decides and the order is deterministic.
func round(f float64) float64 { return math.Round(f*1e6) / 1e6 }

func top[T any](ms []Match[T], n int) []Match[T] {
	if len(ms) > n {
		return ms[:n]
	}
	return ms
}

func clamp(f float64) float64 { return math.Max(0, math.Min(1, round(f))) }

func hasAudience(as []Audience, a Audience) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

func hasSize(ss []SizeClass, s SizeClass) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func hasReason(rs []Reason, r Reason) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

func firstOwn(ids []string, own map[string]*Region) *Region {
	for _, id := range ids {
		if r, ok := own[id]; ok {
			return r
		}
	}
	return nil
}

// OfferStatusReason says that an offer does not exist yet ("beantragt,
// noch nicht verfügbar"), with the date of the status' source; ok is false
// for an available offer.
func OfferStatusReason(o *Offer) (Reason, bool) {
	switch o.Status {
	case OfferRequested:
		return Reason{ReasonOfferRequested, txtOfferRequested + statusAsOf(o.StatusDate)}, true
	case OfferAnnounced:
		return Reason{ReasonOfferAnnounced, txtOfferAnnounced + statusAsOf(o.StatusDate)}, true
	}
	return Reason{}, false
}

// statusAsOf renders a source date of the precision the source has:
// " (Stand: 2024)", " (Stand: November 2023)", " (Stand: 14.04.2025)".
func statusAsOf(date string) string {
	for _, layout := range []struct{ in, out string }{{"2006-01-02", "02.01.2006"}, {"2006-01", "01/2006"}, {"2006", "2006"}} {
		t, err := time.Parse(layout.in, date)
		if err != nil {
			continue
		}
		if layout.in == "2006-01" {
			return fmt.Sprintf(txtStatusAsOf, monthNames[t.Month()-1]+" "+t.Format("2006"))
		}
		return fmt.Sprintf(txtStatusAsOf, t.Format(layout.out))
	}
	return ""
}

var monthNames = [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}

// ValidStatusDate reports whether s is YYYY, YYYY-MM or YYYY-MM-DD.
func ValidStatusDate(s string) bool {
	for _, l := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(l, s); err == nil && t.Format(l) == s {
			return true
		}
	}
	return false
}
