package graph

import (
	"math"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/generated"
	"github.com/cyberlotse/cyberlotse/graph/model"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Complexity weighs the fields of the schema by what they cost, so that
// Limits.MaxComplexity bounds the work of one request and not merely its
// number of fields (500 aliases of matchmaking are 500 graph walks).
//
// The unit is a field answered from memory, about 10 µs of server time
// with its share of the JSON. A field that runs Neo4j queries of its own
// weighs about its measured p50 in that unit (README, "Performance":
// 2-core machine, 100,000 companies); a list multiplies the weight of its
// items by how many it returns. References resolved through the
// request's loaders (an event's organizer, a municipality's district, the
// root lookups event, region, organization, municipality, measure, node)
// count like fields from memory: they cost one batched round trip per
// level, however many objects and aliases ask.
//
//	field                          weight
//	any other field                1 + child (gqlgen's default)
//	matchmaking                    4000 + s × child, s = largest first.* / 5 rounded up (1 by default)
//	MatchResult's four lists       5 × item each
//	search                         3500 + first × child (first: default 20, at most 50)
//	emergencyHelp                  1000 + child
//	suggest                        150 + first × child (first: default 8, at most 20)
//	events                         700 (+ 100 with filter.near) + first × child (default 20, at most 100)
//	municipalities                 200 + first × child (default 20, at most 100)
//	rolloutMatrix                  500 + 100 × regionIds + rows × child (rows = regionIds, or 20 without)
//	RolloutRow.cells               13 × item
//	nodes                          ids × (100 + child), at most 100 ids
//	measures                       100 + 13 × item
//	topics, offers, regions        100 + 25 × item
//	govRegions                     100 + 5 × item
//	districts                      100 + 53 × item (15 × item with govRegion)
//	organizations, contacts        100 + 100 × item (unpaged lists that grow with the data)
//	GovRegion.districts            15 × item
//	District.municipalities        24 × item
//	registrations (organizers)     100 + 100 × item
//	myRegistrations                200 + 10 × item
//	myData                         200 + child; PersonalData.registrations 10 × item
//	myRegistration, rolloutHistory 100 + child
//	every mutation                 500 + child
//	selfCheck, sharedSelfCheck,
//	selfCheckExport                100 + child
//	SelfCheck.nextActions          4000 + n × s × child, n = requirements (default 5, at most 27),
//	                               s = largest first.* / 3 rounded up; its lists 3 × item each
//	selfCheckStatistics            100 + 100 × regionIds + rows × child (rows as rolloutMatrix)
//	the check's lists              their catalogue length × item (27 requirements, 6 areas, 5 status questions)
//	advisories (admins)            200 + first × child (default 20, at most 100): the page and its count
//	municipalityAdvisories         300 + first × child: the matching, the marks, the page's products
//	municipalityProducts           100 + 50 × item (a planning figure; at most 500)
//	productSuggestions             200 + first × child (default 10, at most 50): a scan of the affected products
//	regionAdvisorySummary          200 + 100 × 25 municipalities (the matching of each) + child
//	advisoryAlertSettings          100 + 5 × item
//	Advisory.affectedProducts      10 × item; Advisory.remediations 5 × item
//	setMunicipalityProducts        500 + 50 × item; the other advisory mutations 500 + child
//
// "child" is the weight of the field's selection, "item" that of one list
// element; a list field adds 1 for itself. A connection's child holds its
// pageInfo and totalCount, so they count per item too: a little more than
// they cost, never less; the base of events and municipalities includes
// the count query of totalCount. Page sizes out of range count as the
// nearest allowed size: the resolver rejects them before any work.
func Complexity() generated.ComplexityRoot {
	var c generated.ComplexityRoot
	weighExpensive(&c)
	weighConnections(&c)
	weighLists(&c)
	weighRegistrations(&c)
	weighMutations(&c)
	weighSelfChecks(&c)
	weighAdvisories(&c)
	return c
}

// Weights in units of a field from memory (about 10 µs); see Complexity.
const (
	costQuery         = 100  // one Cypher query of its own, about 1 ms
	costWrite         = 500  // a write transaction with its mails and outbox entries
	costMatchmaking   = 4000 // p50 41 ms: place, one graph walk over the radius and year, scoring
	costSearch        = 3500 // p50 35–42 ms: full-text query with typos, facets over 1,000 hits
	costEmergencyHelp = 1000 // p50 11 ms: place and the graph walk without events
	costSuggest       = 150  // p50 1.4 ms
	costEvents        = 700  // p50 7–9 ms for a page with distances, and the count of totalCount
	costNearPlace     = 100  // resolving filter.near's place
	costMunicipality  = 200  // a page of the 396 municipalities and its count
	costRolloutMatrix = 500  // the regions and their cells (from memory; a region without reach snapshot computes one)
)

// Sizes of lists without a page argument, from the public record or as
// planning figures for lists that grow with the data.
const (
	sizeGovRegions       = 5   // Regierungsbezirke
	sizeDistricts        = 53  // Kreise and kreisfreie Städte
	sizeDistrictsOfGov   = 15  // the most in one Regierungsbezirk (Düsseldorf)
	sizeMunisOfDistrict  = 24  // the most in one Kreis (Steinfurt)
	sizeMeasures         = 13  // the measure proposals, one cell each per matrix row
	sizeCatalogue        = 25  // topics (24), offers, regions
	sizeDirectory        = 100 // organizations, contacts, an event's registrations: a full page
	sizeOwnRegistrations = 10  // one person's registrations
	matrixRowsDefault    = 20  // regions an admin sees without regionIds (benchmark scale)
	suggestDefault       = 8   // suggestions without first (Query.suggest uses these two)
	suggestMost          = 20  // the most Query.suggest returns
)

// weighExpensive gives the root fields with heavy work their weights, and
// the lists whose length they fix.
func weighExpensive(c *generated.ComplexityRoot) {
	c.Query.Matchmaking = func(child int, in model.MatchInput) int {
		return satAdd(costMatchmaking, satMul(matchScale(in.First), child))
	}
	for _, list := range []*func(int) int{&c.MatchResult.Contacts, &c.MatchResult.Events,
		&c.MatchResult.Measures, &c.MatchResult.Offers} {
		*list = listOf(cyberlotse.DefaultMatchLimit)
	}
	c.Query.EmergencyHelp = func(child int, _ model.PlaceInput, _ cyberlotse.EmergencyKind) int {
		return satAdd(costEmergencyHelp, child)
	}
	c.Query.Search = func(child int, _ string, _ []search.Type, _ *model.SearchFilter, first *int, _ *string) int {
		return satAdd(costSearch, satMul(pageSize(first, search.DefaultPageSize, search.MaxPageSize), child))
	}
	c.Query.Suggest = func(child int, _ string, first *int) int {
		return satAdd(costSuggest, satMul(pageSize(first, suggestDefault, suggestMost), child))
	}
	c.Query.RolloutMatrix = func(child int, regionIDs []string) int {
		rows := len(regionIDs)
		if rows == 0 {
			rows = matrixRowsDefault
		}
		// Named regions are looked up one by one to check the caller may manage them.
		return satAdd(satAdd(costRolloutMatrix, satMul(costQuery, len(regionIDs))), satMul(rows, child))
	}
	c.RolloutRow.Cells = listOf(sizeMeasures)
	c.Query.RolloutHistory = func(child int, _, _ string) int { return satAdd(costQuery, child) }
}

// matchScale is how many times the default length the longest of the
// matchmaking lists may be; the lists count their default length.
func matchScale(first *model.MatchLimitsInput) int {
	longest := cyberlotse.DefaultMatchLimit
	if first != nil {
		for _, n := range []*int{first.Contacts, first.Events, first.Measures, first.Offers} {
			longest = max(longest, pageSize(n, cyberlotse.DefaultMatchLimit, cyberlotse.MaxMatchLimit))
		}
	}
	return (longest + cyberlotse.DefaultMatchLimit - 1) / cyberlotse.DefaultMatchLimit
}

// weighConnections weighs the Relay connections by their page size.
func weighConnections(c *generated.ComplexityRoot) {
	c.Query.Events = func(child int, filter *model.EventFilter, first *int, _ *string) int {
		base := costEvents
		if filter != nil && filter.Near != nil {
			base += costNearPlace
		}
		return satAdd(base, satMul(pageSize(first, cyberlotse.DefaultPageSize, cyberlotse.MaxPageSize), child))
	}
	c.Query.Municipalities = func(child int, _ *model.MunicipalityFilter, first *int, _ *string) int {
		return satAdd(costMunicipality, satMul(pageSize(first, cyberlotse.DefaultPageSize, cyberlotse.MaxPageSize), child))
	}
	c.Query.Nodes = func(child int, ids []string) int {
		// The IDs are loaded one after the other.
		return satMul(min(len(ids), cyberlotse.MaxPageSize), satAdd(costQuery, child))
	}
}

// weighLists weighs the root lists, each one query, by their length, and
// the geography lists whose nesting multiplies.
func weighLists(c *generated.ComplexityRoot) {
	c.Query.Measures = func(child int) int { return satAdd(costQuery, satMul(sizeMeasures, child)) }
	c.Query.Topics = func(child int) int { return satAdd(costQuery, satMul(sizeCatalogue, child)) }
	c.Query.Offers = func(child int) int { return satAdd(costQuery, satMul(sizeCatalogue, child)) }
	c.Query.Regions = func(child int, _ *cyberlotse.RegionKind) int { return satAdd(costQuery, satMul(sizeCatalogue, child)) }
	c.Query.GovRegions = func(child int) int { return satAdd(costQuery, satMul(sizeGovRegions, child)) }
	c.Query.Districts = func(child int, govRegion *string) int {
		n := sizeDistricts
		if govRegion != nil {
			n = sizeDistrictsOfGov
		}
		return satAdd(costQuery, satMul(n, child))
	}
	c.Query.Organizations = func(child int, _ *model.OrganizationFilter) int {
		return satAdd(costQuery, satMul(sizeDirectory, child))
	}
	c.Query.Contacts = func(child int, _ *model.ContactFilter) int {
		return satAdd(costQuery, satMul(sizeDirectory, child))
	}
	c.GovRegion.Districts = listOf(sizeDistrictsOfGov)
	c.District.Municipalities = listOf(sizeMunisOfDistrict)
}

// weighRegistrations weighs the registration lists: a token or the event
// is checked first, then the registrations are read.
func weighRegistrations(c *generated.ComplexityRoot) {
	c.Query.Registrations = func(child int, _ string) int { return satAdd(costQuery, satMul(sizeDirectory, child)) }
	c.Query.MyRegistration = func(child int, _ string) int { return satAdd(costQuery, child) }
	c.Query.MyRegistrations = func(child int, _ string) int {
		return satAdd(2*costQuery, satMul(sizeOwnRegistrations, child))
	}
	c.Query.MyData = func(child int, _ string) int { return satAdd(2*costQuery, child) }
	c.PersonalData.Registrations = listOf(sizeOwnRegistrations)
}

// weighMutations gives every mutation the weight of a write.
func weighMutations(c *generated.ComplexityRoot) {
	m := &c.Mutation
	m.RegisterForEvent = func(child int, _ string, _ model.AttendeeInput, _ bool) int { return satAdd(costWrite, child) }
	m.CancelRegistration = func(child int, _ string) int { return satAdd(costWrite, child) }
	m.DeleteMyData = func(child int, _ string) int { return satAdd(costWrite, child) }
	m.CreateEvent = func(child int, _ model.EventInput) int { return satAdd(costWrite, child) }
	m.UpdateEvent = func(child int, _ string, _ model.EventUpdateInput) int { return satAdd(costWrite, child) }
	m.CancelEvent = func(child int, _ string, _ *string) int { return satAdd(costWrite, child) }
	m.UpdateRollout = func(child int, _, _ string, _ model.RolloutInput) int { return satAdd(costWrite, child) }
	m.AddSatellite = func(child int, _, _ string) int { return satAdd(costWrite, child) }
}

// weighSelfChecks weighs the self-check: opening a check by its token is
// one query, its next actions one matchmaking walk (the candidates are
// collected once) ranked per requirement, its lists as long as the
// catalogue's.
func weighSelfChecks(c *generated.ComplexityRoot) {
	byToken := func(child int, _ string) int { return satAdd(costQuery, child) }
	c.Query.SelfCheck, c.Query.SharedSelfCheck, c.Query.SelfCheckExport = byToken, byToken, byToken
	c.Query.SelfCheckStatistics = func(child int, regionIDs []string) int {
		rows := len(regionIDs)
		if rows == 0 {
			rows = matrixRowsDefault
		}
		return satAdd(satAdd(costQuery, satMul(costQuery, len(regionIDs))), satMul(rows, child))
	}
	c.SelfCheck.NextActions = func(child int, requirements *int, first *model.CheckActionLimitsInput) int {
		n := pageSize(requirements, DefaultCheckActionRequirements, checkRequirements)
		return satAdd(costMatchmaking, satMul(satMul(n, actionScale(first)), child))
	}
	for _, list := range []*func(int) int{&c.RequirementActions.Events, &c.RequirementActions.Contacts,
		&c.RequirementActions.Offers, &c.RequirementActions.Measures} {
		*list = listOf(cyberlotse.DefaultActionLimits.Events)
	}
	c.CheckActions.Regions = listOf(2)
	for _, list := range []*func(int) int{&c.CheckCatalogue.Requirements, &c.CheckResult.OpenRequirements,
		&c.CheckResult.Recommendations, &c.SelfCheck.Answers} {
		*list = listOf(checkRequirements)
	}
	for _, list := range []*func(int) int{&c.CheckCatalogue.Areas, &c.CheckResult.Areas, &c.SelfCheckStatistics.Areas} {
		*list = listOf(len(cyberlotse.CheckAreas))
	}
	for _, list := range []*func(int) int{&c.CheckCatalogue.Statuses, &c.SelfCheck.StatusAnswers} {
		*list = listOf(len(cyberlotse.StatusQuestions))
	}
	m := &c.Mutation
	m.StartSelfCheck = func(child int, _ *model.SelfCheckProfileInput) int { return satAdd(costWrite, child) }
	m.AnswerSelfCheck = func(child int, _ string, _ model.SelfCheckAnswersInput) int { return satAdd(costWrite, child) }
	m.UpdateSelfCheckProfile = func(child int, _ string, _ model.SelfCheckProfileInput) int { return satAdd(costWrite, child) }
	write := func(child int, _ string) int { return satAdd(costWrite, child) }
	m.PauseSelfCheck, m.ResumeSelfCheck, m.FinishSelfCheck, m.UnshareSelfCheck = write, write, write, write
	m.ShareSelfCheck, m.DeleteSelfCheck = write, write
}

// Sizes of the advisory lists without a page argument (planning figures).
const (
	sizeMunicipalityProducts = 50 // a municipality's product list (at most 500)
	sizeAffectedProducts     = 10 // an advisory's affected products
	sizeRemediations         = 5  // an advisory's remedies
	sizeAlertSubscriptions   = 5  // a municipality's alert subscriptions
	sizeRegionMunicipalities = 25 // a model region with its satellites
)

// weighAdvisories weighs the advisory fields: the admins' list and a
// municipality's matches by their page size, the region summary by the
// matching of each of its municipalities.
func weighAdvisories(c *generated.ComplexityRoot) {
	c.Query.Advisories = func(child int, _ *model.AdvisoryFilter, first *int, _ *string) int {
		return satAdd(2*costQuery, satMul(pageSize(first, cyberlotse.DefaultPageSize, cyberlotse.MaxPageSize), child))
	}
	c.Query.MunicipalityAdvisories = func(child int, _ string, _ *model.MunicipalityAdvisoryFilter, first *int, _ *string) int {
		return satAdd(3*costQuery, satMul(pageSize(first, cyberlotse.DefaultPageSize, cyberlotse.MaxPageSize), child))
	}
	c.Query.MunicipalityProducts = func(child int, _ string) int {
		return satAdd(costQuery, satMul(sizeMunicipalityProducts, child))
	}
	c.Query.ProductSuggestions = func(child int, _ string, first *int) int {
		return satAdd(2*costQuery, satMul(pageSize(first, cyberlotse.DefaultProductSuggest, cyberlotse.MaxProductSuggest), child))
	}
	c.Query.RegionAdvisorySummary = func(child int, _ string) int {
		return satAdd(satAdd(2*costQuery, satMul(costQuery, sizeRegionMunicipalities)), child)
	}
	c.Query.AdvisoryAlertSettings = func(child int, _ string) int {
		return satAdd(costQuery, satMul(sizeAlertSubscriptions, child))
	}
	c.Advisory.AffectedProducts = listOf(sizeAffectedProducts)
	c.Advisory.Remediations = listOf(sizeRemediations)
	m := &c.Mutation
	m.SetMunicipalityProducts = func(child int, _ string, _ []*model.MunicipalityProductInput) int {
		return satAdd(costWrite, satMul(sizeMunicipalityProducts, child))
	}
	m.MarkAdvisory = func(child int, _ string, _ model.AdvisoryRefInput, _ cyberlotse.AdvisoryMarkState, _ *string) int {
		return satAdd(costWrite, child)
	}
	m.ClearAdvisoryMark = func(child int, _ string, _ model.AdvisoryRefInput) int { return satAdd(costWrite, child) }
	m.SetAdvisoryAlerts = func(child int, _, _ string, _ *float64, _ *bool) int { return satAdd(costWrite, child) }
	m.RemoveAdvisoryAlerts = func(child int, _, _ string) int { return satAdd(costWrite, child) }
}

// checkRequirements is the number of requirements of the self-check.
var checkRequirements = len(cyberlotse.CheckCatalogue.Requirements)

// actionScale is how many times the default length the longest list of
// next actions may be.
func actionScale(first *model.CheckActionLimitsInput) int {
	def := cyberlotse.DefaultActionLimits.Events
	longest := def
	if first != nil {
		for _, n := range []*int{first.Events, first.Contacts, first.Offers, first.Measures} {
			longest = max(longest, pageSize(n, def, cyberlotse.MaxActionLimit))
		}
	}
	return (longest + def - 1) / def
}

// listOf weighs a list field of n items.
func listOf(n int) func(child int) int {
	return func(child int) int { return satAdd(1, satMul(n, child)) }
}

// pageSize is the number of items a first argument asks for, within the
// bounds the resolver enforces.
func pageSize(first *int, def, most int) int {
	if first == nil {
		return def
	}
	return min(max(*first, 1), most)
}

// satAdd and satMul saturate instead of overflowing: a wrapped, negative weight
// would let gqlgen fall back to counting one per field.
func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

func satMul(n, child int) int {
	if n != 0 && child > math.MaxInt/n {
		return math.MaxInt
	}
	return n * child
}
