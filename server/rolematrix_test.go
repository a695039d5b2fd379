package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// The role matrix: who may call what, for every field of the schema.
//
// TestRoleMatrix reads the schema by introspection and requires a row in
// roleRules for every field of every object type, Query and Mutation
// included: a field without a row fails the test by name, so that no new
// field goes out unreviewed. Then it checks the rows against the service:
//
//   - Every Query and Mutation field is called with valid arguments of the
//     test's own (rmCalls) as an anonymous caller and, unless its row says
//     public, as each of the six signed-in callers of rmCallerNames.
//     Allowed means an answer without any error; refused means
//     UNAUTHENTICATED for the anonymous caller, FORBIDDEN for the others,
//     and no data.
//   - A type anyone can reach (from a public root through public fields)
//     must have no inherited rows; its fields are called through the
//     shortest such path, so that a check in a field marked public shows.
//   - A type reached only through fields with a check must have only
//     inherited rows; the root calls select it in full.
//   - node and nodes answer nothing of such a type by global ID; an address
//     registered already gets nothing of that registration; a manager's
//     default matrix holds only the own regions.
//
// "Own" means the test's objects: an event of the Gemeinde Kalletal (the
// own organizer's organization) and a model region (the own manager's).
// Every field must be answered by at least one allowed call.

// roleRule says who may use a field.
type roleRule string

const (
	// rulePublic: everyone, anonymous callers included; nothing personal.
	rulePublic roleRule = "public"
	// ruleOwnInput: everyone; the answer holds only what the caller has
	// just entered. An address that is registered already gets neither
	// the stored registration's personal data nor its manage link.
	ruleOwnInput roleRule = "own-input"
	// ruleManageLink: whoever holds the person's manage link (the token
	// argument), signed in or not; UNAUTHENTICATED for a forged link.
	ruleManageLink roleRule = "manage-link"
	// ruleSignedIn: every valid bearer token.
	ruleSignedIn roleRule = "signed-in"
	// ruleOrganizerOfOwn: organizers of the event's organization, admins.
	ruleOrganizerOfOwn roleRule = "organizer-of-own"
	// ruleManagerOfOwn: regional managers of the region (or of its model
	// region), admins.
	ruleManagerOfOwn roleRule = "manager-of-own"
	// ruleAdmin: admins only.
	ruleAdmin roleRule = "admin"
	// ruleOfficerOfOwn: the information security officers of the
	// municipality (MUNICIPAL_ISB with its AGS), admins.
	ruleOfficerOfOwn roleRule = "officer-of-own"
	// ruleOfficer: every information security officer, admins.
	ruleOfficer roleRule = "officer"
	// ruleInherited: a field without a check of its own on a type that
	// only non-public fields return: whoever may see the object may see
	// the field. The test fails if anyone can reach the type.
	ruleInherited roleRule = "inherited"
)

// allows says whether the rule lets caller through.
func (r roleRule) allows(caller string) bool {
	switch r {
	case rulePublic, ruleOwnInput, ruleManageLink, ruleInherited:
		return true
	case ruleSignedIn:
		return caller != "anonymous"
	case ruleOrganizerOfOwn:
		return caller == "organizer-own" || caller == "admin"
	case ruleManagerOfOwn:
		return caller == "manager-own" || caller == "admin"
	case ruleAdmin:
		return caller == "admin"
	case ruleOfficerOfOwn:
		return caller == "isb-own" || caller == "admin"
	case ruleOfficer:
		return caller == "isb-own" || caller == "isb-other" || caller == "admin"
	}
	return false
}

// roleRules is the one table: every field of every object type of the
// schema, with the rule read from its resolver (graph/*.resolvers.go,
// the @hasRole directive in graph/directives.go and the scope checks
// CanManageEvent and CanManageRegion).
var roleRules = map[string]roleRule{
	// Mutations: registering is open to everyone (the answer holds only what
	// the caller entered); the manage link is the person's key; events are
	// their organizers' (CanManageEvent), rollouts their regions' managers'
	// (CanManageRegion); @hasRole turns away the other roles first.
	"Mutation.registerForEvent":   ruleOwnInput,
	"Mutation.cancelRegistration": ruleManageLink,
	"Mutation.deleteMyData":       ruleManageLink,
	"Mutation.createEvent":        ruleOrganizerOfOwn,
	"Mutation.updateEvent":        ruleOrganizerOfOwn,
	"Mutation.cancelEvent":        ruleOrganizerOfOwn,
	"Mutation.updateRollout":      ruleManagerOfOwn,
	"Mutation.addSatellite":       ruleManagerOfOwn,
	// The self-check: starting one is open to everyone (the answer holds
	// only the new check and its key); its resume key opens, changes,
	// shares and deletes it, its share key reads it; like a manage link,
	// a key that opens nothing is UNAUTHENTICATED.
	"Mutation.startSelfCheck":         ruleOwnInput,
	"Mutation.answerSelfCheck":        ruleManageLink,
	"Mutation.updateSelfCheckProfile": ruleManageLink,
	"Mutation.pauseSelfCheck":         ruleManageLink,
	"Mutation.resumeSelfCheck":        ruleManageLink,
	"Mutation.finishSelfCheck":        ruleManageLink,
	"Mutation.shareSelfCheck":         ruleManageLink,
	"Mutation.unshareSelfCheck":       ruleManageLink,
	"Mutation.deleteSelfCheck":        ruleManageLink,
	// Advisories (KWID): a municipality's product list, marks and alerts
	// are its officers' (CanHandleMunicipalityAdvisories).
	"Mutation.setMunicipalityProducts": ruleOfficerOfOwn,
	"Mutation.markAdvisory":            ruleOfficerOfOwn,
	"Mutation.clearAdvisoryMark":       ruleOfficerOfOwn,
	"Mutation.setAdvisoryAlerts":       ruleOfficerOfOwn,
	"Mutation.removeAdvisoryAlerts":    ruleOfficerOfOwn,
	// Live sessions: joining is open to everyone (the answer holds only
	// the new participant's token and what participants see); the
	// participant token is the key to asking, upvoting and voting, like a
	// manage link; opening, moderating and closing are the event's
	// organizers' (CanManageEvent).
	"Mutation.joinLiveSession":  ruleOwnInput,
	"Mutation.askQuestion":      ruleManageLink,
	"Mutation.upvoteQuestion":   ruleManageLink,
	"Mutation.votePoll":         ruleManageLink,
	"Mutation.openLiveSession":  ruleOrganizerOfOwn,
	"Mutation.setLiveMode":      ruleOrganizerOfOwn,
	"Mutation.closeLiveSession": ruleOrganizerOfOwn,
	"Mutation.moderateQuestion": ruleOrganizerOfOwn,
	"Mutation.startPoll":        ruleOrganizerOfOwn,
	"Mutation.endPoll":          ruleOrganizerOfOwn,
	// Digi-SOS: a municipality's incidents and their handover links are
	// its officers' (CanHandleMunicipalityAdvisories on the incident's
	// AGS); the handover link's secret opens the summary, like a manage
	// link, for whoever holds it (UNAUTHENTICATED for one that opens
	// nothing).
	"Mutation.createIncident":     ruleOfficerOfOwn,
	"Mutation.updateIncident":     ruleOfficerOfOwn,
	"Mutation.deleteIncident":     ruleOfficerOfOwn,
	"Mutation.createHandoverLink": ruleOfficerOfOwn,
	"Mutation.revokeHandoverLink": ruleOfficerOfOwn,
	"Mutation.openHandover":       ruleManageLink,

	// Queries: the network, the map, the events, matchmaking and search are
	// public; a person's own data goes with the manage link; registrations
	// with the event's organizer; the rollout with the region's manager.
	"Query.node":            rulePublic,
	"Query.nodes":           rulePublic,
	"Query.events":          rulePublic,
	"Query.event":           rulePublic,
	"Query.govRegions":      rulePublic,
	"Query.districts":       rulePublic,
	"Query.municipality":    rulePublic,
	"Query.municipalities":  rulePublic,
	"Query.matchmaking":     rulePublic,
	"Query.emergencyHelp":   rulePublic,
	"Query.measures":        rulePublic,
	"Query.measure":         rulePublic,
	"Query.regions":         rulePublic,
	"Query.region":          rulePublic,
	"Query.organizations":   rulePublic,
	"Query.organization":    rulePublic,
	"Query.contacts":        rulePublic,
	"Query.offers":          rulePublic,
	"Query.topics":          rulePublic,
	"Query.myRegistration":  ruleManageLink,
	"Query.myRegistrations": ruleManageLink,
	"Query.myData":          ruleManageLink,
	"Query.registrations":   ruleOrganizerOfOwn,
	"Query.rolloutMatrix":   ruleManagerOfOwn,
	"Query.rolloutHistory":  ruleManagerOfOwn,
	"Query.search":          rulePublic,
	"Query.suggest":         rulePublic,
	// The self-check's catalogue is public; a check goes with its keys;
	// the anonymised figures (hidden under five checks) with the region's
	// manager (CanManageRegion).
	"Query.selfCheckCatalogue":  rulePublic,
	"Query.selfCheck":           ruleManageLink,
	"Query.sharedSelfCheck":     ruleManageLink,
	"Query.selfCheckExport":     ruleManageLink,
	"Query.selfCheckStatistics": ruleManagerOfOwn,
	// Advisories: all of them for admins; a municipality's matches, product
	// list and alerts for its officers; product suggestions (words from
	// the advisories, nothing of a municipality) for every officer; counts
	// of a region for its manager (CanSeeRegionAdvisorySummary).
	"Query.advisories":             ruleAdmin,
	"Query.municipalityAdvisories": ruleOfficerOfOwn,
	"Query.municipalityProducts":   ruleOfficerOfOwn,
	"Query.advisoryAlertSettings":  ruleOfficerOfOwn,
	"Query.productSuggestions":     ruleOfficer,
	"Query.regionAdvisorySummary":  ruleManagerOfOwn,
	// Digi-SOS: eligibility (from public graph facts) and the framework
	// are public; incidents and the view log are the officers'.
	"Query.digiSosEligibility": rulePublic,
	"Query.digiSosFramework":   rulePublic,
	"Query.incidents":          ruleOfficerOfOwn,
	"Query.handoverViews":      ruleOfficerOfOwn,
	// A live session as participants see it, with their token; without one
	// the moderation's view is the event's organizers' (View). The
	// subscription makes the same checks (tested over graphql-ws and
	// graphql-sse in live_test.go; it cannot be called over POST here).
	"Query.liveSession":        ruleManageLink,
	"Subscription.liveSession": ruleManageLink,
	// node and nodes by the global ID of a type that only fields with a
	// check return (in parentheses): as the root field that lists it.
	"Query.node(Registration)": ruleOrganizerOfOwn,

	// Public types: facts about the network, its events and places, and
	// functional contacts (a post, not a person); no resolver of theirs
	// looks at the caller. An event's counts are numbers, not people.
	"Contact.id":                    rulePublic,
	"Contact.slug":                  rulePublic,
	"Contact.name":                  rulePublic,
	"Contact.role":                  rulePublic,
	"Contact.email":                 rulePublic,
	"Contact.phone":                 rulePublic,
	"Contact.availability":          rulePublic,
	"Contact.organization":          rulePublic,
	"Contact.audiences":             rulePublic,
	"Contact.responsibleFor":        rulePublic,
	"Contact.topics":                rulePublic,
	"Contact.isSample":              rulePublic,
	"Contact.source":                rulePublic,
	"ContactMatch.contact":          rulePublic,
	"ContactMatch.score":            rulePublic,
	"ContactMatch.reasons":          rulePublic,
	"District.id":                   rulePublic,
	"District.key":                  rulePublic,
	"District.name":                 rulePublic,
	"District.kind":                 rulePublic,
	"District.seat":                 rulePublic,
	"District.population":           rulePublic,
	"District.areaKm2":              rulePublic,
	"District.govRegion":            rulePublic,
	"District.municipalities":       rulePublic,
	"EmergencyContact.name":         rulePublic,
	"EmergencyContact.role":         rulePublic,
	"EmergencyContact.phone":        rulePublic,
	"EmergencyContact.email":        rulePublic,
	"EmergencyContact.website":      rulePublic,
	"EmergencyContact.availability": rulePublic,
	"EmergencyContact.reason":       rulePublic,
	"EmergencyContact.contact":      rulePublic,
	"EmergencyContact.organization": rulePublic,
	"EmergencyContact.offer":        rulePublic,
	"EmergencyHelp.municipality":    rulePublic,
	"EmergencyHelp.kind":            rulePublic,
	"EmergencyHelp.steps":           rulePublic,
	"EmergencyHelp.contacts":        rulePublic,
	"Event.id":                      rulePublic,
	"Event.slug":                    rulePublic,
	"Event.title":                   rulePublic,
	"Event.description":             rulePublic,
	"Event.startsAt":                rulePublic,
	"Event.endsAt":                  rulePublic,
	"Event.format":                  rulePublic,
	"Event.mode":                    rulePublic,
	"Event.venue":                   rulePublic,
	"Event.municipality":            rulePublic,
	"Event.onlineUrl":               rulePublic,
	"Event.capacity":                rulePublic,
	"Event.status":                  rulePublic,
	"Event.registrationNote":        rulePublic,
	"Event.organizer":               rulePublic,
	"Event.regions":                 rulePublic,
	"Event.measures":                rulePublic,
	"Event.topics":                  rulePublic,
	"Event.isSample":                rulePublic,
	"Event.source":                  rulePublic,
	"Event.confirmedCount":          rulePublic,
	"Event.freePlaces":              rulePublic,
	"Event.waitlistCount":           rulePublic,
	"Event.sequence":                rulePublic,
	"Event.calendarUrl":             rulePublic,
	// What stays of a live session: counts and poll results, public.
	"Event.liveSummary":     rulePublic,
	"LiveSummary.openedAt":  rulePublic,
	"LiveSummary.closedAt":  rulePublic,
	"LiveSummary.questions": rulePublic,
	"LiveSummary.answered":  rulePublic,
	"LiveSummary.polls":     rulePublic,
	"PollSummary.kind":      rulePublic,
	"PollSummary.question":  rulePublic,
	"PollSummary.options":   rulePublic,
	"PollSummary.result":    rulePublic,
	"PollResult.counts":     rulePublic,
	"PollResult.voters":     rulePublic,
	"PollResult.mean":       rulePublic,
	// A live session, its questions and polls: whoever holds a participant
	// token or moderates (the code only for the moderation, in View).
	"LiveJoin.token":                      ruleInherited,
	"LiveJoin.session":                    ruleInherited,
	"LiveSession.eventId":                 ruleInherited,
	"LiveSession.code":                    ruleInherited,
	"LiveSession.open":                    ruleInherited,
	"LiveSession.mode":                    ruleInherited,
	"LiveSession.version":                 ruleInherited,
	"LiveSession.questions":               ruleInherited,
	"LiveSession.currentPoll":             ruleInherited,
	"LiveSession.polls":                   ruleInherited,
	"LiveQuestion.id":                     ruleInherited,
	"LiveQuestion.text":                   ruleInherited,
	"LiveQuestion.askedAt":                ruleInherited,
	"LiveQuestion.votes":                  ruleInherited,
	"LiveQuestion.state":                  ruleInherited,
	"LiveQuestion.pinned":                 ruleInherited,
	"LiveQuestion.answered":               ruleInherited,
	"LiveQuestion.upvotedByMe":            ruleInherited,
	"LiveQuestion.mine":                   ruleInherited,
	"LivePoll.id":                         ruleInherited,
	"LivePoll.kind":                       ruleInherited,
	"LivePoll.question":                   ruleInherited,
	"LivePoll.options":                    ruleInherited,
	"LivePoll.open":                       ruleInherited,
	"LivePoll.startedAt":                  ruleInherited,
	"LivePoll.result":                     ruleInherited,
	"LivePoll.myVote":                     ruleInherited,
	"Event.reminderOffsets":               rulePublic,
	"EventConnection.edges":               rulePublic,
	"EventConnection.nodes":               rulePublic,
	"EventConnection.pageInfo":            rulePublic,
	"EventConnection.totalCount":          rulePublic,
	"EventEdge.cursor":                    rulePublic,
	"EventEdge.node":                      rulePublic,
	"EventEdge.distanceKm":                rulePublic,
	"EventMatch.event":                    rulePublic,
	"EventMatch.score":                    rulePublic,
	"EventMatch.reasons":                  rulePublic,
	"EventMatch.distanceKm":               rulePublic,
	"FacetValue.value":                    rulePublic,
	"FacetValue.label":                    rulePublic,
	"FacetValue.count":                    rulePublic,
	"GeoPoint.lat":                        rulePublic,
	"GeoPoint.lon":                        rulePublic,
	"GovRegion.id":                        rulePublic,
	"GovRegion.key":                       rulePublic,
	"GovRegion.name":                      rulePublic,
	"GovRegion.districts":                 rulePublic,
	"Highlight.field":                     rulePublic,
	"Highlight.snippet":                   rulePublic,
	"MatchResult.municipality":            rulePublic,
	"MatchResult.regions":                 rulePublic,
	"MatchResult.sizeClass":               rulePublic,
	"MatchResult.contacts":                rulePublic,
	"MatchResult.events":                  rulePublic,
	"MatchResult.measures":                rulePublic,
	"MatchResult.offers":                  rulePublic,
	"Measure.id":                          rulePublic,
	"Measure.code":                        rulePublic,
	"Measure.title":                       rulePublic,
	"Measure.summary":                     rulePublic,
	"Measure.category":                    rulePublic,
	"Measure.topics":                      rulePublic,
	"Measure.isSample":                    rulePublic,
	"Measure.source":                      rulePublic,
	"MeasureMatch.measure":                rulePublic,
	"MeasureMatch.score":                  rulePublic,
	"MeasureMatch.reasons":                rulePublic,
	"MeasureMatch.rolloutStatus":          rulePublic,
	"Municipality.id":                     rulePublic,
	"Municipality.ags":                    rulePublic,
	"Municipality.name":                   rulePublic,
	"Municipality.location":               rulePublic,
	"Municipality.population":             rulePublic,
	"Municipality.areaKm2":                rulePublic,
	"Municipality.postcodes":              rulePublic,
	"Municipality.district":               rulePublic,
	"Municipality.regions":                rulePublic,
	"Municipality.police":                 rulePublic,
	"MunicipalityConnection.edges":        rulePublic,
	"MunicipalityConnection.nodes":        rulePublic,
	"MunicipalityConnection.pageInfo":     rulePublic,
	"MunicipalityConnection.totalCount":   rulePublic,
	"MunicipalityEdge.cursor":             rulePublic,
	"MunicipalityEdge.node":               rulePublic,
	"Offer.id":                            rulePublic,
	"Offer.slug":                          rulePublic,
	"Offer.name":                          rulePublic,
	"Offer.kind":                          rulePublic,
	"Offer.provider":                      rulePublic,
	"Offer.eligibility":                   rulePublic,
	"Offer.sizeClasses":                   rulePublic,
	"Offer.description":                   rulePublic,
	"Offer.url":                           rulePublic,
	"Offer.measures":                      rulePublic,
	"Offer.topics":                        rulePublic,
	"Offer.isSample":                      rulePublic,
	"Offer.source":                        rulePublic,
	"OfferMatch.offer":                    rulePublic,
	"OfferMatch.score":                    rulePublic,
	"OfferMatch.reasons":                  rulePublic,
	"Organization.id":                     rulePublic,
	"Organization.slug":                   rulePublic,
	"Organization.name":                   rulePublic,
	"Organization.shortName":              rulePublic,
	"Organization.kind":                   rulePublic,
	"Organization.website":                rulePublic,
	"Organization.description":            rulePublic,
	"Organization.seat":                   rulePublic,
	"Organization.contacts":               rulePublic,
	"Organization.kriminalhauptstelle":    rulePublic,
	"Organization.cybercrimeHeadquarters": rulePublic,
	"Organization.topics":                 rulePublic,
	"Organization.isSample":               rulePublic,
	"Organization.source":                 rulePublic,
	"PageInfo.hasNextPage":                rulePublic,
	"PageInfo.hasPreviousPage":            rulePublic,
	"PageInfo.startCursor":                rulePublic,
	"PageInfo.endCursor":                  rulePublic,
	"Reason.code":                         rulePublic,
	"Reason.text":                         rulePublic,
	"Region.id":                           rulePublic,
	"Region.slug":                         rulePublic,
	"Region.name":                         rulePublic,
	"Region.kind":                         rulePublic,
	"Region.since":                        rulePublic,
	"Region.description":                  rulePublic,
	"Region.members":                      rulePublic,
	"Region.satellites":                   rulePublic,
	"Region.modelRegion":                  rulePublic,
	"Region.manager":                      rulePublic,
	"Region.partners":                     rulePublic,
	"Region.isSample":                     rulePublic,
	"Region.source":                       rulePublic,
	"Responsibility.level":                rulePublic,
	"Responsibility.key":                  rulePublic,
	"SearchConnection.edges":              rulePublic,
	"SearchConnection.hits":               rulePublic,
	"SearchConnection.pageInfo":           rulePublic,
	"SearchConnection.estimatedTotal":     rulePublic,
	"SearchConnection.facets":             rulePublic,
	"SearchEdge.cursor":                   rulePublic,
	"SearchEdge.node":                     rulePublic,
	"SearchFacets.types":                  rulePublic,
	"SearchFacets.formats":                rulePublic,
	"SearchFacets.districts":              rulePublic,
	"SearchFacets.measures":               rulePublic,
	"SearchHit.node":                      rulePublic,
	"SearchHit.type":                      rulePublic,
	"SearchHit.score":                     rulePublic,
	"SearchHit.highlights":                rulePublic,
	"Suggestion.kind":                     rulePublic,
	"Suggestion.text":                     rulePublic,
	"Suggestion.key":                      rulePublic,
	"Suggestion.value":                    rulePublic,
	"Topic.id":                            rulePublic,
	"Topic.slug":                          rulePublic,
	"Topic.name":                          rulePublic,
	"Topic.synonyms":                      rulePublic,

	// The self-check's catalogue: our own wording of a checklist, no one's data.
	"CheckCatalogue.name":            rulePublic,
	"CheckCatalogue.version":         rulePublic,
	"CheckCatalogue.modelledOn":      rulePublic,
	"CheckCatalogue.description":     rulePublic,
	"CheckCatalogue.areas":           rulePublic,
	"CheckCatalogue.statusQuestions": rulePublic,
	"CheckCatalogue.requirements":    rulePublic,
	"CheckCatalogue.isSample":        rulePublic,
	"CheckCatalogue.source":          rulePublic,
	"CheckAreaInfo.area":             rulePublic,
	"CheckAreaInfo.title":            rulePublic,
	"CheckAreaInfo.first":            rulePublic,
	"CheckAreaInfo.last":             rulePublic,
	"CheckStatusQuestion.question":   rulePublic,
	"CheckStatusQuestion.text":       rulePublic,
	"CheckStatusQuestion.hint":       rulePublic,
	"Requirement.number":             rulePublic,
	"Requirement.area":               rulePublic,
	"Requirement.top":                rulePublic,
	"Requirement.question":           rulePublic,
	"Requirement.hint":               rulePublic,
	"Requirement.recommendation":     rulePublic,
	"Requirement.topics":             rulePublic,
	"Requirement.needsStatus":        rulePublic,
	"Requirement.notMetWithout":      rulePublic,

	// A self-check and what is made of it: only the fields with its keys
	// (and, for the statistics, the region's manager) return them.
	"SelfCheck.status":                   ruleInherited,
	"SelfCheck.version":                  ruleInherited,
	"SelfCheck.createdAt":                ruleInherited,
	"SelfCheck.updatedAt":                ruleInherited,
	"SelfCheck.finishedAt":               ruleInherited,
	"SelfCheck.employees":                ruleInherited,
	"SelfCheck.sizeClass":                ruleInherited,
	"SelfCheck.sector":                   ruleInherited,
	"SelfCheck.municipality":             ruleInherited,
	"SelfCheck.statusAnswers":            ruleInherited,
	"SelfCheck.answers":                  ruleInherited,
	"SelfCheck.nextStatusQuestion":       ruleInherited,
	"SelfCheck.nextRequirement":          ruleInherited,
	"SelfCheck.result":                   ruleInherited,
	"SelfCheck.nextActions":              ruleInherited,
	"SelfCheck.shared":                   ruleInherited,
	"StatusAnswer.question":              ruleInherited,
	"StatusAnswer.answer":                ruleInherited,
	"RequirementAnswer.requirement":      ruleInherited,
	"RequirementAnswer.answer":           ruleInherited,
	"AreaScore.area":                     ruleInherited,
	"AreaScore.title":                    ruleInherited,
	"AreaScore.points":                   ruleInherited,
	"AreaScore.minPoints":                ruleInherited,
	"AreaScore.maxPoints":                ruleInherited,
	"AreaScore.percent":                  ruleInherited,
	"AreaScore.met":                      ruleInherited,
	"AreaScore.applicable":               ruleInherited,
	"AreaScore.notApplicable":            ruleInherited,
	"CheckRecommendation.rank":           ruleInherited,
	"CheckRecommendation.requirement":    ruleInherited,
	"CheckRecommendation.answer":         ruleInherited,
	"CheckRecommendation.implied":        ruleInherited,
	"CheckRecommendation.text":           ruleInherited,
	"CheckResult.points":                 ruleInherited,
	"CheckResult.minPoints":              ruleInherited,
	"CheckResult.maxPoints":              ruleInherited,
	"CheckResult.percent":                ruleInherited,
	"CheckResult.complete":               ruleInherited,
	"CheckResult.answered":               ruleInherited,
	"CheckResult.applicable":             ruleInherited,
	"CheckResult.openStatusQuestions":    ruleInherited,
	"CheckResult.openRequirements":       ruleInherited,
	"CheckResult.areas":                  ruleInherited,
	"CheckResult.recommendations":        ruleInherited,
	"RequirementActions.recommendation":  ruleInherited,
	"RequirementActions.events":          ruleInherited,
	"RequirementActions.contacts":        ruleInherited,
	"RequirementActions.offers":          ruleInherited,
	"RequirementActions.measures":        ruleInherited,
	"CheckActions.municipality":          ruleInherited,
	"CheckActions.regions":               ruleInherited,
	"CheckActions.hint":                  ruleInherited,
	"CheckActions.actions":               ruleInherited,
	"SelfCheckStartPayload.selfCheck":    ruleInherited,
	"SelfCheckStartPayload.token":        ruleInherited,
	"SelfCheckStartPayload.resumeUrl":    ruleInherited,
	"SelfCheckSharePayload.selfCheck":    ruleInherited,
	"SelfCheckSharePayload.shareToken":   ruleInherited,
	"SelfCheckSharePayload.shareUrl":     ruleInherited,
	"SelfCheckStatistics.region":         ruleInherited,
	"SelfCheckStatistics.hidden":         ruleInherited,
	"SelfCheckStatistics.finishedChecks": ruleInherited,
	"SelfCheckStatistics.percent":        ruleInherited,
	"SelfCheckStatistics.areas":          ruleInherited,
	"AreaStatistic.area":                 ruleInherited,
	"AreaStatistic.title":                ruleInherited,
	"AreaStatistic.percent":              ruleInherited,

	// Personal data (a registration and its attendee, reminders, a person's
	// data) and the rollout of a region: no check of their own; only the
	// root fields above return them.
	"Attendee.name":                         ruleInherited,
	"Attendee.email":                        ruleInherited,
	"Attendee.companyName":                  ruleInherited,
	"Attendee.municipality":                 ruleInherited,
	"Milestone.title":                       ruleInherited,
	"Milestone.due":                         ruleInherited,
	"Milestone.done":                        ruleInherited,
	"PersonalData.name":                     ruleInherited,
	"PersonalData.email":                    ruleInherited,
	"PersonalData.createdAt":                ruleInherited,
	"PersonalData.registrations":            ruleInherited,
	"Reach.events":                          ruleInherited,
	"Reach.registrations":                   ruleInherited,
	"Reach.companies":                       ruleInherited,
	"Reach.satellites":                      ruleInherited,
	"Reach.asOf":                            ruleInherited,
	"Registration.id":                       ruleInherited,
	"Registration.status":                   ruleInherited,
	"Registration.position":                 ruleInherited,
	"Registration.createdAt":                ruleInherited,
	"Registration.cancelledAt":              ruleInherited,
	"Registration.event":                    ruleInherited,
	"Registration.attendee":                 ruleInherited,
	"Registration.reminders":                ruleInherited,
	"RegistrationPayload.registration":      ruleInherited,
	"RegistrationPayload.alreadyRegistered": ruleInherited,
	"RegistrationPayload.manageToken":       ruleInherited,
	"RegistrationPayload.manageUrl":         ruleInherited,
	"Reminder.kind":                         ruleInherited,
	"Reminder.dueAt":                        ruleInherited,
	"Reminder.state":                        ruleInherited,
	"Reminder.attempts":                     ruleInherited,
	"Reminder.sentAt":                       ruleInherited,
	"Reminder.lastError":                    ruleInherited,
	"Rollout.region":                        ruleInherited,
	"Rollout.measure":                       ruleInherited,
	"Rollout.status":                        ruleInherited,
	"Rollout.nextStatuses":                  ruleInherited,
	"Rollout.progress":                      ruleInherited,
	"Rollout.responsibleContact":            ruleInherited,
	"Rollout.milestones":                    ruleInherited,
	"Rollout.notes":                         ruleInherited,
	"Rollout.version":                       ruleInherited,
	"Rollout.recorded":                      ruleInherited,
	"Rollout.updatedAt":                     ruleInherited,
	"Rollout.updatedBy":                     ruleInherited,
	"Rollout.reach":                         ruleInherited,
	"RolloutChange.at":                      ruleInherited,
	"RolloutChange.by":                      ruleInherited,
	"RolloutChange.from":                    ruleInherited,
	"RolloutChange.to":                      ruleInherited,
	"RolloutChange.progressFrom":            ruleInherited,
	"RolloutChange.progressTo":              ruleInherited,
	"RolloutChange.note":                    ruleInherited,
	"RolloutRow.region":                     ruleInherited,
	"RolloutRow.cells":                      ruleInherited,

	// Advisories and what a municipality keeps of them: only the fields
	// above with their checks return them.
	"Advisory.key":                         ruleInherited,
	"Advisory.publisher":                   ruleInherited,
	"Advisory.publisherName":               ruleInherited,
	"Advisory.trackingId":                  ruleInherited,
	"Advisory.title":                       ruleInherited,
	"Advisory.language":                    ruleInherited,
	"Advisory.severity":                    ruleInherited,
	"Advisory.cvssScore":                   ruleInherited,
	"Advisory.cvssVector":                  ruleInherited,
	"Advisory.publishedAt":                 ruleInherited,
	"Advisory.updatedAt":                   ruleInherited,
	"Advisory.version":                     ruleInherited,
	"Advisory.withdrawn":                   ruleInherited,
	"Advisory.cves":                        ruleInherited,
	"Advisory.exploitStatus":               ruleInherited,
	"Advisory.remediations":                ruleInherited,
	"Advisory.affectedProducts":            ruleInherited,
	"Advisory.url":                         ruleInherited,
	"AdvisoryConnection.edges":             ruleInherited,
	"AdvisoryConnection.nodes":             ruleInherited,
	"AdvisoryConnection.pageInfo":          ruleInherited,
	"AdvisoryConnection.totalCount":        ruleInherited,
	"AdvisoryEdge.cursor":                  ruleInherited,
	"AdvisoryEdge.node":                    ruleInherited,
	"AffectedProduct.vendor":               ruleInherited,
	"AffectedProduct.name":                 ruleInherited,
	"AffectedProduct.cpe":                  ruleInherited,
	"AffectedProduct.purl":                 ruleInherited,
	"AffectedProduct.version":              ruleInherited,
	"AffectedProduct.versionRange":         ruleInherited,
	"Remediation.category":                 ruleInherited,
	"Remediation.details":                  ruleInherited,
	"Remediation.url":                      ruleInherited,
	"AdvisoryMatch.advisory":               ruleInherited,
	"AdvisoryMatch.product":                ruleInherited,
	"AdvisoryMatch.reason":                 ruleInherited,
	"AdvisoryMatch.mark":                   ruleInherited,
	"AdvisoryMatchConnection.edges":        ruleInherited,
	"AdvisoryMatchConnection.nodes":        ruleInherited,
	"AdvisoryMatchConnection.pageInfo":     ruleInherited,
	"AdvisoryMatchConnection.totalCount":   ruleInherited,
	"AdvisoryMatchEdge.cursor":             ruleInherited,
	"AdvisoryMatchEdge.node":               ruleInherited,
	"AdvisoryMark.state":                   ruleInherited,
	"AdvisoryMark.note":                    ruleInherited,
	"AdvisoryMark.markedBy":                ruleInherited,
	"AdvisoryMark.markedAt":                ruleInherited,
	"AdvisoryMark.markedVersion":           ruleInherited,
	"AdvisoryMark.advisoryChanged":         ruleInherited,
	"MunicipalityProduct.vendor":           ruleInherited,
	"MunicipalityProduct.name":             ruleInherited,
	"MunicipalityProduct.version":          ruleInherited,
	"MunicipalityProduct.cpe":              ruleInherited,
	"MunicipalityProduct.purl":             ruleInherited,
	"ProductSuggestion.vendor":             ruleInherited,
	"ProductSuggestion.name":               ruleInherited,
	"ProductSuggestion.advisories":         ruleInherited,
	"RegionAdvisorySummary.regionId":       ruleInherited,
	"RegionAdvisorySummary.municipalities": ruleInherited,
	"RegionAdvisorySummary.withProducts":   ruleInherited,
	"RegionAdvisorySummary.openCritical":   ruleInherited,
	"RegionAdvisorySummary.openHigh":       ruleInherited,
	"AdvisoryAlertSubscription.id":         ruleInherited,
	"AdvisoryAlertSubscription.ags":        ruleInherited,
	"AdvisoryAlertSubscription.email":      ruleInherited,
	"AdvisoryAlertSubscription.minCvss":    ruleInherited,
	"AdvisoryAlertSubscription.immediate":  ruleInherited,
	"AdvisoryAlertSubscription.createdAt":  ruleInherited,
	"AdvisoryAlertSubscription.updatedAt":  ruleInherited,

	// The officers' network (issue 17): a municipality's profile and its
	// peers are its officers' (CanUseIsbNetwork); peers are profiles of
	// other officers, never public. Only the root fields return them.
	"Query.myIsbProfile":          ruleOfficerOfOwn,
	"Query.isbPeers":              ruleOfficerOfOwn,
	"Mutation.saveIsbProfile":     ruleOfficerOfOwn,
	"Mutation.deleteIsbProfile":   ruleOfficerOfOwn,
	"IsbProfile.municipality":     ruleInherited,
	"IsbProfile.function":         ruleInherited,
	"IsbProfile.topics":           ruleInherited,
	"IsbProfile.shares":           ruleInherited,
	"IsbProfile.displayName":      ruleInherited,
	"IsbProfile.contact":          ruleInherited,
	"IsbProfile.updatedAt":        ruleInherited,
	"IsbPeer.profile":             ruleInherited,
	"IsbPeer.reasons":             ruleInherited,
	"IsbPeerEdge.cursor":          ruleInherited,
	"IsbPeerEdge.node":            ruleInherited,
	"IsbPeerConnection.edges":     ruleInherited,
	"IsbPeerConnection.nodes":     ruleInherited,
	"IsbPeerConnection.pageInfo":  ruleInherited,
	"IsbPeerConnection.sizeClass": ruleInherited,
	"PeerReason.code":             ruleInherited,
	"PeerReason.text":             ruleInherited,
	// Offer status, event audiences and the emergency offers that do not
	// exist yet: facts about the network, public.
	"Offer.status":                  rulePublic,
	"Offer.statusSource":            rulePublic,
	"Offer.statusDate":              rulePublic,
	"Event.audiences":               rulePublic,
	"EmergencyHelp.notYetAvailable": rulePublic,
	// Digi-SOS: eligibility and the framework's steps and providers are
	// public facts; incidents, links, views and the handover page only
	// through the fields above with their checks.
	"DigiSosEligibility.status":      rulePublic,
	"DigiSosEligibility.subjectKind": rulePublic,
	"DigiSosEligibility.subjectKey":  rulePublic,
	"DigiSosEligibility.subjectName": rulePublic,
	"DigiSosEligibility.reason":      rulePublic,
	"DigiSosEligibility.check":       rulePublic,
	"DigiSosEligibility.source":      rulePublic,
	"DigiSosFramework.offer":         rulePublic,
	"DigiSosFramework.callOff":       rulePublic,
	"DigiSosFramework.steps":         rulePublic,
	"DigiSosFramework.providers":     rulePublic,
	"DigiSosStep.number":             rulePublic,
	"DigiSosStep.title":              rulePublic,
	"DigiSosStep.text":               rulePublic,
	"DigiSosStep.isSample":           rulePublic,
	"DigiSosStep.source":             rulePublic,
	"DigiSosProvider.name":           rulePublic,
	"DigiSosProvider.source":         rulePublic,
	"Incident.id":                    ruleInherited,
	"Incident.ags":                   ruleInherited,
	"Incident.municipality":          ruleInherited,
	"Incident.what":                  ruleInherited,
	"Incident.since":                 ruleInherited,
	"Incident.systems":               ruleInherited,
	"Incident.reached":               ruleInherited,
	"Incident.reachedNote":           ruleInherited,
	"Incident.createdAt":             ruleInherited,
	"Incident.updatedAt":             ruleInherited,
	"Incident.createdBy":             ruleInherited,
	"Incident.updatedBy":             ruleInherited,
	"Incident.version":               ruleInherited,
	"Incident.handoverLinks":         ruleInherited,
	"IncidentNotification.party":     ruleInherited,
	"IncidentNotification.at":        ruleInherited,
	"HandoverLink.id":                ruleInherited,
	"HandoverLink.label":             ruleInherited,
	"HandoverLink.state":             ruleInherited,
	"HandoverLink.createdAt":         ruleInherited,
	"HandoverLink.expiresAt":         ruleInherited,
	"HandoverLink.revokedAt":         ruleInherited,
	"HandoverLink.views":             ruleInherited,
	"HandoverLink.viewCount":         ruleInherited,
	"NewHandoverLink.link":           ruleInherited,
	"NewHandoverLink.url":            ruleInherited,
	"NewHandoverLink.token":          ruleInherited,
	"HandoverViewEntry.linkId":       ruleInherited,
	"HandoverViewEntry.label":        ruleInherited,
	"HandoverViewEntry.at":           ruleInherited,
	"HandoverIncident.what":          ruleInherited,
	"HandoverIncident.since":         ruleInherited,
	"HandoverIncident.systems":       ruleInherited,
	"HandoverIncident.reached":       ruleInherited,
	"HandoverIncident.reachedNote":   ruleInherited,
	"HandoverIncident.updatedAt":     ruleInherited,
	"Handover.municipality":          ruleInherited,
	"Handover.incident":              ruleInherited,
	"Handover.label":                 ruleInherited,
	"Handover.expiresAt":             ruleInherited,
	"Handover.contacts":              ruleInherited,
	"Handover.framework":             ruleInherited,
}

// The callers, each with the scope the fixture gives it.
var rmCallerNames = []string{"anonymous", "company-member", "organizer-other", "organizer-own",
	"manager-other", "manager-own", "isb-other", "isb-own", "admin"}

// rmCallers lists the callers a field with the rule is called as: public
// fields as anonymous callers (whom any check would refuse), the others
// as all nine.
func rmCallers(r roleRule) []string {
	if r == rulePublic {
		return rmCallerNames[:1]
	}
	return rmCallerNames
}

// rmFixture holds the test's own objects: an event of the Gemeinde
// Kalletal (the own organization), a model region of the own regional
// manager, and a registration with its manage link.
type rmFixture struct {
	t       *testing.T
	m       *Main
	ctx     context.Context
	now     func() time.Time
	regs    *store.RegistrationService
	event   string // own event
	region  string // own model region
	link    string // manage link of a registration for event
	tokens  map[string]string
	ownOrg  string
	satAGS  string // the municipality addSatellite makes a satellite of
	satSlug string
	check   string // resume key of a self-check in Kalletal with gaps
	shared  string // share key of another self-check
	// The own officer's municipality (Bad Driburg), with a product that
	// two advisories of the test's own publisher concern; the first one
	// is marked, the second is what markAdvisory and clearAdvisoryMark use.
	isbAGS      cyberlotse.AGS
	advPub      string
	advVendor   string
	isbEmail    string
	isbProducts []any
	// An open live session of an own online event, with a question and a
	// running poll.
	liveEvent, liveQuestion, livePoll string
	// An incident of the own officer's municipality with an active
	// handover link (its secret).
	incident, handover string
}

// newCheck starts a self-check in Kalletal (with its status questions
// answered and two gaps, or complete) and returns its resume key; it is
// deleted at the end.
func (f *rmFixture) newCheck(complete bool) string {
	f.t.Helper()
	c, token := neo4jtest.MustStartCheck(f.t, f.m.DB, "05766036", rmPtr(8))
	u := cyberlotse.CheckUpdate{Statuses: map[cyberlotse.StatusQuestion]bool{}, Answers: map[int]cyberlotse.CheckAnswer{
		5: cyberlotse.AnswerNo, 11: cyberlotse.AnswerNo, 12: cyberlotse.AnswerYes}}
	for _, q := range cyberlotse.StatusQuestions {
		u.Statuses[q] = true
	}
	if complete {
		for _, r := range cyberlotse.CheckCatalogue.Requirements {
			if _, ok := u.Answers[r.Number]; !ok {
				u.Answers[r.Number] = cyberlotse.AnswerUnknown
			}
		}
	}
	if _, err := store.NewSelfCheckService(f.m.DB).UpdateCheck(f.ctx, c.ID, u, cyberlotse.CheckInProgress, f.now()); err != nil {
		f.t.Fatal(err)
	}
	return string(token)
}

// deleteCheck deletes the self-check of a resume key.
func (f *rmFixture) deleteCheck(token cyberlotse.CheckToken) {
	f.t.Helper()
	checks := store.NewSelfCheckService(f.m.DB)
	c, err := checks.CheckByToken(f.ctx, token.Hash())
	if err == nil {
		err = checks.DeleteCheck(f.ctx, c.ID)
	}
	if err != nil {
		f.t.Errorf("delete self-check: %v", err)
	}
}

// newEvent stores a fresh event of the own organization, deleted at the end.
func (f *rmFixture) newEvent() string {
	return neo4jtest.MustCreateEvent(f.t, f.m.DB, neo4jtest.FarFuture, nil).ID
}

// newRegistration registers a fresh person for the own event and returns
// the registration with its manage link.
func (f *rmFixture) newRegistration(name string) (*cyberlotse.Registration, string) {
	f.t.Helper()
	ags := cyberlotse.AGS("05766036")
	ch, err := f.regs.Register(f.ctx, cyberlotse.RegisterInput{EventID: f.event, Consent: true, Attendee: cyberlotse.Attendee{
		Name: name, Email: cyberlotse.Email("rm-" + neo4jtest.NewID() + "@example.org"), CompanyName: "Geheim " + neo4jtest.NewID() + " GmbH", AGS: &ags}}, f.now())
	if err != nil {
		f.t.Fatalf("register: %v", err)
	}
	return ch.Registration, f.m.Tokens.Sign(ch.Registration.ID)
}

// rmCall is how to call a root field: its arguments (fresh for every
// call where the call uses them up) and what to undo after an allowed call.
type rmCall struct {
	args  func(f *rmFixture) map[string]any
	after func(f *rmFixture, answer map[string]any)
}

func rmGlobalID(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

// rmCalls gives every root field with required arguments valid ones.
var rmCalls = map[string]rmCall{
	"Mutation.registerForEvent": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.event, "consent": true, "attendee": map[string]any{"name": "Rolf Rolle",
			"email": "rm-" + neo4jtest.NewID() + "@example.org", "companyName": "Rollen GmbH", "ags": "05766036"}}
	}},
	"Mutation.cancelRegistration": {args: func(f *rmFixture) map[string]any {
		_, link := f.newRegistration("Carla Cancel")
		return map[string]any{"token": link}
	}},
	"Mutation.deleteMyData": {args: func(f *rmFixture) map[string]any {
		_, link := f.newRegistration("Dora Delete")
		return map[string]any{"token": link}
	}},
	"Mutation.createEvent": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"input": map[string]any{"title": "Rollenmatrix " + neo4jtest.NewID(), "startsAt": "2099-05-04T18:00:00+02:00",
			"format": "WORKSHOP", "mode": "ONLINE", "onlineUrl": "https://example.org/rollen", "organizer": f.ownOrg}}
	}, after: func(f *rmFixture, answer map[string]any) {
		ev, _ := answer["createEvent"].(map[string]any)
		slug, _ := ev["slug"].(string)
		neo4jtest.MustDeleteEvent(f.t, f.m.DB, slug)
	}},
	"Mutation.updateEvent": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"id": f.event, "input": map[string]any{"registrationNote": "Geändert " + neo4jtest.NewID()}}
	}},
	"Mutation.cancelEvent": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"id": f.newEvent(), "reason": "Rollenmatrix"}
	}},
	"Mutation.updateRollout": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"regionId": f.region, "measureCode": "M02", "input": map[string]any{"notes": "Rollenmatrix", "progress": 10}}
	}},
	"Mutation.addSatellite": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"modelRegionId": f.region, "ags": f.satAGS}
	}, after: func(f *rmFixture, _ map[string]any) {
		if err := store.DeleteRegionsForTest(f.ctx, f.m.DB, f.satSlug); err != nil {
			f.t.Fatal(err)
		}
	}},
	"Mutation.startSelfCheck": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"profile": map[string]any{"employees": 8, "place": map[string]any{"ags": "05766036"}}}
	}, after: func(f *rmFixture, answer map[string]any) {
		p, _ := answer["startSelfCheck"].(map[string]any)
		token, _ := p["token"].(string)
		f.deleteCheck(cyberlotse.CheckToken(token))
	}},
	"Mutation.answerSelfCheck": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"token": f.check, "input": map[string]any{"answers": []any{map[string]any{"number": 1, "answer": "YES"}}}}
	}},
	"Mutation.updateSelfCheckProfile": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"token": f.check, "profile": map[string]any{"employees": 12, "place": map[string]any{"ags": "05766036"}}}
	}},
	"Mutation.pauseSelfCheck":   {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.check} }},
	"Mutation.resumeSelfCheck":  {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.check} }},
	"Mutation.shareSelfCheck":   {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.check} }},
	"Mutation.unshareSelfCheck": {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.check} }},
	"Mutation.finishSelfCheck":  {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.newCheck(true)} }},
	"Mutation.deleteSelfCheck":  {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.newCheck(false)} }},
	"Query.selfCheck":           {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.check} }},
	"Query.selfCheckExport":     {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.check} }},
	"Query.sharedSelfCheck":     {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.shared} }},
	"Query.selfCheckStatistics": {args: func(f *rmFixture) map[string]any { return map[string]any{"regionIds": []string{f.region}} }},
	"Query.registrations":       {args: func(f *rmFixture) map[string]any { return map[string]any{"eventId": f.event} }},
	"Query.rolloutMatrix":       {args: func(f *rmFixture) map[string]any { return map[string]any{"regionIds": []string{f.region}} }},
	"Query.rolloutHistory":      {args: func(f *rmFixture) map[string]any { return map[string]any{"regionId": f.region, "measureCode": "M01"} }},
	"Query.myRegistration":      {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.link} }},
	"Query.myRegistrations":     {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.link} }},
	"Query.myData":              {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.link} }},
	"Query.event":               {args: func(f *rmFixture) map[string]any { return map[string]any{"id": f.event} }},
	"Query.region":              {args: func(f *rmFixture) map[string]any { return map[string]any{"id": "bergisches-staedtedreieck"} }},
	"Query.organization":        {args: func(f *rmFixture) map[string]any { return map[string]any{"id": f.ownOrg} }},
	"Query.municipality":        {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": "05766036"} }},
	"Query.measure":             {args: func(f *rmFixture) map[string]any { return map[string]any{"code": "M01"} }},
	"Query.node":                {args: func(f *rmFixture) map[string]any { return map[string]any{"id": rmGlobalID("Event", f.event)} }},
	"Query.nodes": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ids": []string{rmGlobalID("Event", f.event), rmGlobalID("Region", "kalletal")}}
	}},
	"Query.matchmaking": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"input": map[string]any{"place": map[string]any{"ags": "05766036"}, "topics": []string{"phishing"}}}
	}},
	"Query.emergencyHelp": {args: func(f *rmFixture) map[string]any { return map[string]any{"place": map[string]any{"ags": "05766036"}} }},
	"Query.search":        {args: func(f *rmFixture) map[string]any { return map[string]any{"query": "Kalletal"} }},
	"Query.suggest":       {args: func(f *rmFixture) map[string]any { return map[string]any{"prefix": "Kall"} }},
	"Query.advisories": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"filter": map[string]any{"product": f.advVendor}}
	}},
	"Query.municipalityAdvisories": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "filter": map[string]any{"handled": "ALL"}}
	}},
	"Query.municipalityProducts":  {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": string(f.isbAGS)} }},
	"Query.advisoryAlertSettings": {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": string(f.isbAGS)} }},
	"Query.productSuggestions":    {args: func(f *rmFixture) map[string]any { return map[string]any{"prefix": f.advVendor} }},
	"Query.regionAdvisorySummary": {args: func(f *rmFixture) map[string]any { return map[string]any{"regionId": f.region} }},
	"Mutation.setMunicipalityProducts": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "products": f.isbProducts}
	}},
	"Mutation.markAdvisory": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "advisory": map[string]any{"key": f.advPub + "#RM-2"},
			"state": "NOT_AFFECTED", "note": "Rollenmatrix"}
	}},
	"Mutation.clearAdvisoryMark": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "advisory": map[string]any{"publisher": f.advPub, "trackingId": "RM-2"}}
	}},
	"Mutation.removeAdvisoryAlerts": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "email": "weg-" + f.isbEmail}
	}},
	"Query.liveSession": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "token": f.liveToken()}
	}},
	"Subscription.liveSession": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "token": f.liveToken()}
	}},
	"Mutation.joinLiveSession": {args: func(f *rmFixture) map[string]any { return map[string]any{"eventIdOrCode": f.liveEvent} }},
	"Mutation.askQuestion": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "token": f.liveToken(), "text": "Gilt das auch für Vereine?"}
	}},
	"Mutation.upvoteQuestion": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "token": f.liveToken(), "questionId": f.liveQuestion}
	}},
	"Mutation.votePoll": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "token": f.liveToken(), "pollId": f.livePoll, "choices": []int{0}}
	}},
	"Mutation.openLiveSession": {args: func(f *rmFixture) map[string]any { return map[string]any{"eventId": f.liveEvent} }},
	"Mutation.setLiveMode": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "mode": "OPEN"}
	}},
	"Mutation.closeLiveSession": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.newLiveSession()}
	}},
	"Mutation.moderateQuestion": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "questionId": f.newLiveQuestion(), "action": "HIDE"}
	}},
	"Mutation.startPoll": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "poll": map[string]any{"kind": "SCALE", "question": "Wie sicher fühlen Sie sich?"}}
	}},
	"Mutation.endPoll": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"eventId": f.liveEvent, "pollId": f.newLivePoll()}
	}},
	"Query.digiSosEligibility": {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": "05766036"} }},
	"Query.incidents":          {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": string(f.isbAGS)} }},
	"Query.handoverViews":      {args: func(f *rmFixture) map[string]any { return map[string]any{"incidentId": f.incident} }},
	"Mutation.createIncident": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "input": rmIncidentInput}
	}},
	"Mutation.updateIncident": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"id": f.incident, "input": rmIncidentInput}
	}},
	"Mutation.deleteIncident": {args: func(f *rmFixture) map[string]any { return map[string]any{"id": f.newIncident()} }},
	"Mutation.createHandoverLink": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"incidentId": f.newIncident(), "label": "CERT NRW"}
	}},
	"Mutation.revokeHandoverLink": {args: func(f *rmFixture) map[string]any { return map[string]any{"id": f.newHandoverLink()} }},
	"Mutation.openHandover":       {args: func(f *rmFixture) map[string]any { return map[string]any{"token": f.handover} }},
	"Mutation.setAdvisoryAlerts": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "email": f.isbEmail, "minCvss": 7.0, "immediate": true}
	}},
	"Query.myIsbProfile": {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": string(f.isbAGS)} }},
	"Query.isbPeers": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "by": []string{"DISTRICT"}}
	}},
	"Mutation.saveIsbProfile": {args: func(f *rmFixture) map[string]any {
		return map[string]any{"ags": string(f.isbAGS), "input": map[string]any{"function": "ISB", "topics": []string{"isms"},
			"shares": []string{"TEMPLATES_POLICIES"}, "displayName": "Rollenmatrix", "contact": "isb@example.org"}}
	}},
	"Mutation.deleteIsbProfile": {args: func(f *rmFixture) map[string]any { return map[string]any{"ags": string(f.isbAGS)} }},
}

// isbNetwork stores a profile of the own officer's municipality (Bad
// Driburg) and one of a peer in the same district (Brakel); both are
// removed at the end.
func (f *rmFixture) isbNetwork() {
	f.t.Helper()
	s := store.NewIsbNetworkStore(f.m.DB)
	f.t.Cleanup(func() { store.DeleteIsbProfilesForTest(context.Background(), f.m.DB, f.isbAGS, "05762016") })
	for _, p := range []cyberlotse.IsbProfile{
		{AGS: f.isbAGS, Function: cyberlotse.FunctionISB, TopicIDs: []string{"isms"}, UpdatedAt: f.now(), UpdatedBy: "rm-fixture"},
		{AGS: "05762016", Function: cyberlotse.FunctionITManagement, TopicIDs: []string{"isms"},
			Shares: []cyberlotse.IsbShare{cyberlotse.ShareEmergencyExercise}, DisplayName: "IT Brakel", Contact: "it@example.org",
			UpdatedAt: f.now(), UpdatedBy: "rm-fixture"},
	} {
		if _, err := s.SaveProfile(f.ctx, p); err != nil {
			f.t.Fatal(err)
		}
	}
}

// live opens a session on a new online event of the own organization
// with a question and a poll, and stores a summary for the own event.
func (f *rmFixture) live() {
	f.t.Helper()
	f.liveEvent = f.newLiveSession()
	f.liveQuestion = f.newLiveQuestion()
	f.livePoll = f.newLivePoll()
	sum := cyberlotse.LiveSummary{EventID: f.event, OpenedAt: f.now(), ClosedAt: f.now(), Questions: 3, Answered: 2,
		Polls: []cyberlotse.PollSummary{{ID: "p", Kind: cyberlotse.PollScale, Question: "Wie hilfreich?", Options: []string{},
			StartedAt: f.now(), Result: cyberlotse.PollResult{Counts: []int{0, 0, 1, 1, 0}, Voters: 2, Mean: 3.5}}}}
	if err := store.NewLiveService(f.m.DB).SaveLiveSummary(f.ctx, sum); err != nil {
		f.t.Fatal(err)
	}
}

// organizer is a context of the own organizer, for the fixture's setup.
func (f *rmFixture) organizer() context.Context {
	return cyberlotse.NewContextWithIdentity(f.ctx, &cyberlotse.Identity{Subject: "rm-fixture",
		Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer}, OrganizationIDs: []string{f.ownOrg}})
}

// newLiveSession opens a session on a new online event of the own organization.
func (f *rmFixture) newLiveSession() string {
	f.t.Helper()
	e, _ := liveEvent(f.t, f.m)
	if _, err := f.m.Live.Open(f.organizer(), e.ID, cyberlotse.LiveOpen); err != nil {
		f.t.Fatal(err)
	}
	return e.ID
}

// liveToken is a new participant's token for the fixture's session.
func (f *rmFixture) liveToken() string {
	f.t.Helper()
	token, _, err := f.m.Live.Join(f.ctx, f.liveEvent)
	if err != nil {
		f.t.Fatal(err)
	}
	return token
}

func (f *rmFixture) newLiveQuestion() string {
	f.t.Helper()
	id, err := f.m.Live.Ask(f.ctx, f.liveToken(), f.liveEvent, "Was tun bei Ransomware?", "")
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *rmFixture) newLivePoll() string {
	f.t.Helper()
	id, err := f.m.Live.Moderate(f.organizer(), f.liveEvent, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted,
		Poll: &cyberlotse.PollSpec{Kind: cyberlotse.PollSingle, Question: "Backup getestet?", Options: []string{"Ja", "Nein"}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// advisories stores the fixture's advisories, the officer's product
// list, a mark and an alert subscription; all are removed at the end.
func (f *rmFixture) advisories() {
	f.t.Helper()
	id := strings.TrimPrefix(neo4jtest.NewID(), "test-")[:8]
	f.isbAGS, f.advPub, f.advVendor = "05762004", "https://rm-"+id+".example/csaf", "Rmvendor"+id
	f.isbEmail = "isb-" + id + "@example.org"
	f.t.Cleanup(func() {
		ctx := context.Background()
		store.DeleteAdvisoriesForTest(ctx, f.m.DB, f.advPub)
		store.DeleteMunicipalityProductsForTest(ctx, f.m.DB, f.isbAGS)
		store.DeleteAdvisoryDeskForTest(ctx, f.m.DB, f.isbAGS)
	})
	advs := store.NewAdvisoryService(f.m.DB)
	for i, score := range []float64{9.8, 7.5} {
		a := &cyberlotse.Advisory{Publisher: f.advPub, PublisherName: "Rollenmatrix-CERT", TrackingID: fmt.Sprintf("RM-%d", i+1),
			Version: "1", Title: "Rathaus-Server: Schwachstelle", Language: "de-DE", Status: "final", CVSSScore: score,
			CVSSVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", CVEs: []string{"CVE-2099-0001"},
			PublishedAt: time.Date(2099, 1, 1, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2099, 1, 2, 8, 0, 0, 0, time.UTC),
			Remediations: []cyberlotse.Remediation{{Category: "vendor_fix", Details: "Update auf 3.0", URL: "https://example.org/fix"}},
			SourceURL:    f.advPub + "/rm.json", SHA256: neo4jtest.NewID(),
			Products: []cyberlotse.AffectedProduct{{ProductID: "CSAFPID-1", Vendor: f.advVendor, Name: "Rathaus-Server",
				CPE: "cpe:2.3:a:" + strings.ToLower(f.advVendor) + ":rathaus_server:*:*:*:*:*:*:*:*", PURL: "pkg:generic/" + f.advVendor + "/rathaus-server",
				Range: "vers:generic/<3.0"}}}
		if _, _, err := advs.StoreAdvisory(f.ctx, a, f.now()); err != nil {
			f.t.Fatal(err)
		}
	}
	product := cyberlotse.MunicipalityProduct{Vendor: f.advVendor, Name: "Rathaus-Server", Version: "2.1"}
	f.isbProducts = []any{map[string]any{"vendor": product.Vendor, "name": product.Name, "version": product.Version}}
	if err := advs.SetMunicipalityProducts(f.ctx, f.isbAGS, []cyberlotse.MunicipalityProduct{product}); err != nil {
		f.t.Fatal(err)
	}
	desk := store.NewAdvisoryDesk(f.m.DB)
	mark, err := cyberlotse.NewAdvisoryMark(f.isbAGS, f.advPub+"#RM-1", cyberlotse.MarkHandled, "Gepatcht", "rm-fixture", f.now())
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := desk.SetMark(f.ctx, mark); err != nil {
		f.t.Fatal(err)
	}
	sub, err := cyberlotse.NewAdvisoryAlertSettings(f.isbAGS, f.isbEmail, 0, true)
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := desk.SetAlertSubscription(f.ctx, sub, f.now()); err != nil {
		f.t.Fatal(err)
	}
}

func TestRoleMatrix(t *testing.T) {
	start := time.Now()
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	ctx := context.Background()
	lap, laps := start, []string{}
	phase := func(name string) {
		laps = append(laps, fmt.Sprintf("%s %v", name, time.Since(lap).Round(time.Millisecond)))
		lap = time.Now()
	}
	phase("setup")
	s := rmIntrospect(t, h)

	// Every field has a row, and every row a field.
	var missing, stale []string
	for _, name := range s.objectTypes() {
		for _, fl := range s.types[name].Fields {
			if _, ok := roleRules[name+"."+fl.Name]; !ok {
				missing = append(missing, name+"."+fl.Name)
			}
		}
	}
	for key := range roleRules {
		typ, field, _ := strings.Cut(key, ".")
		if field, byID, ok := strings.Cut(field, "("); ok {
			if typ != s.query || field != "node" || !slices.Contains(s.objectsOf("Node"), strings.TrimSuffix(byID, ")")) {
				stale = append(stale, key)
			}
			continue
		}
		if s.field(typ, field) == nil {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("fields without a rule in roleRules (decide who may use each, from its resolver):\n\t%s",
			strings.Join(missing, "\n\t"))
	}
	if len(stale) > 0 {
		t.Errorf("rows in roleRules for fields the schema no longer has: %s", strings.Join(stale, ", "))
	}
	if t.Failed() {
		t.FailNow()
	}

	// Reachability decides between public and inherited: a row that says
	// otherwise fails.
	s.walkPublic()
	for _, name := range s.objectTypes() {
		if name == s.query || name == s.mutation || name == rmSubscription {
			continue
		}
		for _, fl := range s.types[name].Fields {
			key := name + "." + fl.Name
			switch rule := roleRules[key]; {
			case s.public[name] && rule == ruleInherited:
				t.Errorf("%s is marked inherited, but anyone reaches %s through %s: make it public or give it a check of its own",
					key, name, s.pathText(name))
			case !s.public[name] && rule != ruleInherited:
				t.Errorf("%s is %s, but %s is reached only through fields with an access check; mark it inherited", key, rule, name)
			}
		}
	}

	// The fixture.
	f := &rmFixture{t: t, m: m, ctx: ctx, now: c.Now, regs: store.NewRegistrationService(m.DB, neo4jtest.NewID, berlin),
		ownOrg: "gemeinde-kalletal", satAGS: "05766060", satSlug: "schieder-schwalenberg"}
	f.event = f.newEvent()
	f.region = neo4jtest.NewID()
	if err := store.CreateModelRegionForTest(ctx, m.DB, f.region, "Rollenmatrix "+f.region, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.DeleteRegionsForTest(ctx, m.DB, f.region, f.satSlug) })
	due := time.Date(2027, 3, 1, 0, 0, 0, 0, berlin)
	if _, err := store.NewRolloutService(m.DB, berlin).UpdateRollout(ctx, f.region, "M01", cyberlotse.RolloutUpdate{
		Status: rmPtr(cyberlotse.RolloutStatus("PLANNED")), Note: "Rollenmatrix", Milestones: &[]cyberlotse.Milestone{{Title: "Auftakt", Due: &due}}},
		"rm-fixture", c.Now()); err != nil {
		t.Fatal(err)
	}
	_, f.link = f.newRegistration("Erika Eigen")
	f.check = f.newCheck(false)
	f.advisories()
	f.live()
	f.isbNetwork()
	f.digisos()
	{
		sharedCheck, _ := neo4jtest.MustStartCheck(t, m.DB, "", nil)
		share := cyberlotse.NewCheckToken()
		if _, err := store.NewSelfCheckService(m.DB).SetShareToken(ctx, sharedCheck.ID, share.Hash(), c.Now()); err != nil {
			t.Fatal(err)
		}
		f.shared = string(share)
	}
	issue := func(id cyberlotse.Identity) string {
		tok, err := m.Auth.Issue(id, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	role := func(r cyberlotse.Role) []cyberlotse.Role { return []cyberlotse.Role{r} }
	f.tokens = map[string]string{
		"anonymous":       "",
		"company-member":  issue(cyberlotse.Identity{Subject: "rm-company", Roles: role(cyberlotse.RoleCompanyMember), CompanyID: neo4jtest.NewID()}),
		"organizer-other": issue(cyberlotse.Identity{Subject: "rm-org-other", Roles: role(cyberlotse.RoleOrganizer), OrganizationIDs: []string{"asw-west"}}),
		"organizer-own":   issue(cyberlotse.Identity{Subject: "rm-org-own", Roles: role(cyberlotse.RoleOrganizer), OrganizationIDs: []string{f.ownOrg}}),
		"manager-other":   issue(cyberlotse.Identity{Subject: "rm-mgr-other", Roles: role(cyberlotse.RoleRegionalManager), RegionIDs: []string{"bergisches-staedtedreieck"}}),
		"manager-own":     issue(cyberlotse.Identity{Subject: "rm-mgr-own", Roles: role(cyberlotse.RoleRegionalManager), RegionIDs: []string{f.region}}),
		"isb-other":       issue(cyberlotse.Identity{Subject: "rm-isb-other", Roles: role(cyberlotse.RoleMunicipalISB), AGS: []cyberlotse.AGS{"05762040"}}),
		"isb-own":         issue(cyberlotse.Identity{Subject: "rm-isb-own", Roles: role(cyberlotse.RoleMunicipalISB), AGS: []cyberlotse.AGS{f.isbAGS}}),
		"admin":           issue(cyberlotse.Identity{Subject: "rm-admin", Roles: role(cyberlotse.RoleAdmin)}),
	}

	answered := map[string]bool{}
	calls := 0

	phase("fixture")

	// Every root field, as every caller; subscriptions over graphql-sse,
	// up to their first event.
	for _, op := range []string{s.mutation, s.query, rmSubscription} {
		rmAsk := rmAsk
		if op == rmSubscription {
			rmAsk = rmAskStream
		}
		for _, fl := range s.types[op].Fields {
			key := op + "." + fl.Name
			spec, ok := rmCalls[key]
			if !ok && len(fl.requiredArgs()) > 0 {
				t.Errorf("%s has required arguments (%s) but no entry in rmCalls: give the test valid ones", key, strings.Join(fl.requiredArgs(), ", "))
				continue
			}
			rule := roleRules[key]
			for _, caller := range rmCallers(rule) {
				var vars map[string]any
				if spec.args != nil {
					vars = spec.args(f)
				}
				query := s.rootQuery(op, fl, vars)
				res := rmAsk(t, h, f.tokens[caller], query, vars)
				calls++
				data := map[string]any{}
				json.Unmarshal(res.Data, &data)
				if rule.allows(caller) {
					if len(res.Errors) > 0 {
						t.Errorf("%s (%s) as %s: want an answer, got %+v", key, rule, caller, res.Errors)
						continue
					}
					answered[key] = true
					rmAnswered(data, answered)
					if spec.after != nil {
						spec.after(f, data)
					}
					continue
				}
				want := "FORBIDDEN"
				if caller == "anonymous" {
					want = "UNAUTHENTICATED"
				}
				if !rmAllCodes(res, want) {
					t.Errorf("%s (%s) as %s: want %s, got %+v", key, rule, caller, want, res.Errors)
				}
				if data[fl.Name] != nil {
					t.Errorf("%s (%s) as %s: refused, but the answer holds data: %s", key, rule, caller, res.Data)
				}
			}
			if rule == ruleManageLink {
				// A forged link is refused whoever asks.
				vars := spec.args(f)
				vars["token"] = "Zm9yZ2Vk.bGluaw"
				for _, caller := range rmCallerNames {
					res := rmAsk(t, h, f.tokens[caller], s.rootQuery(op, fl, vars), vars)
					calls++
					data := map[string]any{}
					json.Unmarshal(res.Data, &data)
					if !rmAllCodes(res, "UNAUTHENTICATED") || data[fl.Name] != nil {
						t.Errorf("%s with a forged link as %s: want UNAUTHENTICATED and no data, got %s %+v", key, caller, res.Data, res.Errors)
					}
				}
			}
		}
	}

	phase("roots")

	// node and nodes by the global ID of an object of a type that only
	// fields with a check return: its row "Query.node(Type)" says who may
	// have it. Refused callers get no data (and, if an error, the code);
	// allowed ones no error.
	own, _ := f.newRegistration("Nora Node")
	ownKeys := map[string]string{"Registration": own.ID}
	for _, name := range s.objectsOf("Node") {
		key, rule := s.query+".node("+name+")", roleRules[s.query+".node("+name+")"]
		if s.public[name] {
			continue
		}
		if rule == "" || ownKeys[name] == "" {
			t.Errorf("%s implements Node, and only fields with a check return it: give it a row %q in roleRules and an object in ownKeys", name, key)
			continue
		}
		for _, caller := range rmCallers(rule) {
			res := rmAsk(t, h, f.tokens[caller], `query($id: ID!) { node(id: $id) { __typename id } nodes(ids: [$id]) { __typename id } }`,
				map[string]any{"id": rmGlobalID(name, ownKeys[name])})
			calls++
			var out struct {
				Node  any
				Nodes []any
			}
			json.Unmarshal(res.Data, &out)
			want := "FORBIDDEN"
			if caller == "anonymous" {
				want = "UNAUTHENTICATED"
			}
			switch {
			case rule.allows(caller):
				if len(res.Errors) > 0 {
					t.Errorf("%s (%s) as %s: want an answer, got %+v", key, rule, caller, res.Errors)
				}
			case out.Node != nil || len(out.Nodes) > 0 && out.Nodes[0] != nil:
				t.Errorf("%s (%s) as %s: refused, but the answer holds data: %s", key, rule, caller, res.Data)
			case len(res.Errors) > 0 && !rmAllCodes(res, want):
				t.Errorf("%s (%s) as %s: want %s, got %+v", key, rule, caller, want, res.Errors)
			}
		}
	}

	// Registering with an address that is registered already gives no
	// one the stored registration's personal data or its manage link.
	for _, caller := range rmCallerNames {
		victim, _ := f.newRegistration("Vera Vorher")
		vars := map[string]any{"eventId": f.event, "consent": true, "attendee": map[string]any{"name": "Max Mitleser",
			"email": string(victim.Attendee.Email)}}
		res := rmAsk(t, h, f.tokens[caller], `mutation($eventId: ID!, $attendee: AttendeeInput!, $consent: Boolean!) {
			registerForEvent(eventId: $eventId, attendee: $attendee, consent: $consent) { alreadyRegistered manageToken manageUrl
			registration { status position attendee { name email companyName municipality { ags } } reminders { kind sentAt lastError } } } }`, vars)
		calls++
		var out struct {
			RegisterForEvent struct {
				AlreadyRegistered      bool
				ManageToken, ManageURL string
				Registration           struct {
					Attendee  struct{ Name, Email string }
					Reminders []any
				}
			}
		}
		json.Unmarshal(res.Data, &out)
		p := out.RegisterForEvent
		switch {
		case len(res.Errors) > 0 || !p.AlreadyRegistered:
			t.Errorf("registering %s again as %s: want alreadyRegistered, got %s %+v", victim.Attendee.Email, caller, res.Data, res.Errors)
		case p.ManageToken != "" || p.ManageURL != "":
			t.Errorf("registering someone else's address as %s gives their manage link %q", caller, p.ManageURL)
		case strings.Contains(string(res.Data), "Vera Vorher") || strings.Contains(string(res.Data), victim.Attendee.CompanyName) ||
			len(p.Registration.Reminders) > 0:
			t.Errorf("registering someone else's address as %s shows their registration (attendee %+v, %d reminders)",
				caller, p.Registration.Attendee, len(p.Registration.Reminders))
		case p.Registration.Attendee.Name != "Max Mitleser":
			t.Errorf("registering again as %s: want the entered name back, got %s", caller, res.Data)
		}
	}

	// A manager's default matrix holds only the own regions.
	res := rmAsk(t, h, f.tokens["manager-other"], `{ rolloutMatrix { region { slug } } }`, nil)
	calls++
	if len(res.Errors) > 0 || strings.Contains(string(res.Data), f.region) || !strings.Contains(string(res.Data), "bergisches-staedtedreieck") {
		t.Errorf("the default matrix of another region's manager: %s %+v", res.Data, res.Errors)
	}

	phase("node, registering again, default matrix")

	// Every type anyone can reach, through its shortest public path.
	for _, name := range s.objectTypes() {
		if !s.public[name] || name == s.query || name == s.mutation {
			continue
		}
		p := s.paths[name]
		if p[0].op != s.query {
			t.Errorf("%s is reachable only through %s, which the test does not walk", name, s.pathText(name))
			continue
		}
		root := s.field(s.query, p[0].field)
		var vars map[string]any
		if spec := rmCalls[s.query+"."+root.Name]; spec.args != nil {
			vars = spec.args(f)
		}
		query := s.pathQuery(name, root, vars)
		callers := rmCallers(rulePublic)
		for _, fl := range s.types[name].Fields {
			if r := roleRules[name+"."+fl.Name]; r != rulePublic {
				callers = rmCallers(r)
			}
		}
		for _, caller := range callers {
			res := rmAsk(t, h, f.tokens[caller], query, vars)
			calls++
			data := map[string]any{}
			json.Unmarshal(res.Data, &data)
			seen := map[string]bool{}
			rmAnswered(data, seen)
			want := "FORBIDDEN"
			if caller == "anonymous" {
				want = "UNAUTHENTICATED"
			}
			// Errors only where a field refuses this caller, with the code.
			for _, e := range res.Errors {
				var field string
				if len(e.Path) > 0 {
					field, _ = e.Path[len(e.Path)-1].(string)
				}
				code, _ := e.Extensions["code"].(string)
				if r, ok := roleRules[name+"."+field]; !ok || r.allows(caller) || code != want {
					t.Errorf("%s through %s as %s: %s (%s) at %v", name, s.pathText(name), caller, e.Message, code, e.Path)
				}
			}
			for _, fl := range s.types[name].Fields {
				key := name + "." + fl.Name
				switch rule := roleRules[key]; {
				case rule.allows(caller) && seen[key]:
					answered[key] = true
				case !rule.allows(caller) && len(rmErrorsAt(res, fl.Name)) == 0:
					t.Errorf("%s (%s) as %s through %s: want %s, got an answer", key, rule, caller, s.pathText(name), want)
				}
			}
			if !seen[name+"."+s.types[name].Fields[0].Name] {
				t.Errorf("%s: %s as %s gave no object of the type: %s %+v", name, s.pathText(name), caller, res.Data, res.Errors)
			}
		}
	}

	phase("types")

	// Every field answered at least once.
	var never []string
	for _, name := range s.objectTypes() {
		for _, fl := range s.types[name].Fields {
			if key := name + "." + fl.Name; !answered[key] {
				never = append(never, key)
			}
		}
	}
	if len(never) > 0 {
		t.Errorf("fields no allowed call answered (give the test a way to reach them):\n\t%s", strings.Join(never, "\n\t"))
	}
	t.Logf("%d calls in %v (%s)", calls, time.Since(start).Round(time.Millisecond), strings.Join(laps, ", "))
}

func rmPtr[T any](v T) *T { return &v }

// rmResult is an answer with the paths of its errors.
type rmResult struct {
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Path       []any
		Extensions map[string]any
	}
}

// rmAsk posts a query to h as gql does, keeping the errors' paths.
func rmAsk(t *testing.T, h http.Handler, token, query string, vars map[string]any) rmResult {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var res rmResult
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatalf("%d %s", rec.Code, rec.Body.String())
	}
	return res
}

// rmAskStream subscribes over graphql-sse and returns the first event.
func rmAskStream(t *testing.T, h http.Handler, token, query string, vars map[string]any) rmResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	w := &rmFirstEvent{header: http.Header{}, done: cancel}
	h.ServeHTTP(w, req)
	var res rmResult
	if err := json.Unmarshal(w.first, &res); err != nil {
		t.Fatalf("no event: %s", w.buf.String())
	}
	return res
}

// rmFirstEvent is a ResponseWriter that keeps a stream's first event and
// then ends the request.
type rmFirstEvent struct {
	header http.Header
	buf    bytes.Buffer
	first  []byte
	done   func()
}

func (w *rmFirstEvent) Header() http.Header { return w.header }
func (w *rmFirstEvent) WriteHeader(int)     {}
func (w *rmFirstEvent) Flush()              {}

func (w *rmFirstEvent) Write(p []byte) (int, error) {
	w.buf.Write(p)
	if w.first == nil {
		for _, event := range strings.Split(w.buf.String(), "\n\n") {
			if data, ok := strings.CutPrefix(strings.TrimPrefix(event, "event: next\n"), "data: "); ok {
				w.first = []byte(data)
				w.done()
				break
			}
		}
	}
	return len(p), nil
}

// rmAllCodes says whether the answer has errors and all carry code.
func rmAllCodes(res rmResult, code string) bool {
	if len(res.Errors) == 0 {
		return false
	}
	for _, e := range res.Errors {
		if c, _ := e.Extensions["code"].(string); c != code {
			return false
		}
	}
	return true
}

// rmErrorsAt returns the codes of the errors whose path ends at field.
func rmErrorsAt(res rmResult, field string) []string {
	var out []string
	for _, e := range res.Errors {
		if len(e.Path) > 0 && e.Path[len(e.Path)-1] == field {
			c, _ := e.Extensions["code"].(string)
			out = append(out, c)
		}
	}
	return out
}

// rmAnswered marks Type.field for every field of every object with a
// __typename in v.
func rmAnswered(v any, answered map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		typ, _ := x["__typename"].(string)
		for k, sub := range x {
			if typ != "" && k != "__typename" {
				answered[typ+"."+k] = true
			}
			rmAnswered(sub, answered)
		}
	case []any:
		for _, sub := range x {
			rmAnswered(sub, answered)
		}
	}
}

// --- the schema, from introspection ---------------------------------------

// rmStep is one step of a path: a field, and for a field of an abstract
// type the object type picked with an inline fragment.
type rmStep struct{ op, field, on string }

// rmSubscription is the subscription root: its fields have rows like the
// other roots', but streams cannot be called over POST (live_test.go
// subscribes over graphql-ws and graphql-sse).
const rmSubscription = "Subscription"

type rmSchema struct {
	types           map[string]*schemaType
	query, mutation string
	public          map[string]bool     // object types anyone can reach
	paths           map[string][]rmStep // the shortest public path to each
}

func rmIntrospect(t *testing.T, h http.Handler) *rmSchema {
	t.Helper()
	types, query, mutation := introspectTypes(t, h)
	return &rmSchema{types: types, query: query, mutation: mutation}
}

// objectTypes lists the object types of the schema, introspection's own
// left out, sorted.
func (s *rmSchema) objectTypes() []string {
	var out []string
	for name, x := range s.types {
		if x.Kind == "OBJECT" && !strings.HasPrefix(name, "__") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func (s *rmSchema) field(typ, name string) *schemaField {
	x := s.types[typ]
	if x == nil {
		return nil
	}
	for i := range x.Fields {
		if x.Fields[i].Name == name {
			return &x.Fields[i]
		}
	}
	return nil
}

// objectsOf lists the object types a field of type name can return.
func (s *rmSchema) objectsOf(name string) []string {
	x := s.types[name]
	switch {
	case x == nil:
		return nil
	case x.Kind == "OBJECT":
		return []string{name}
	case x.Kind == "INTERFACE" || x.Kind == "UNION":
		var out []string
		for _, p := range x.PossibleTypes {
			out = append(out, p.Name)
		}
		sort.Strings(out)
		return out
	}
	return nil
}

// walkPublic finds the object types anyone can reach: from the public
// root fields (Query first), through public fields, breadth first, so
// each path is a shortest one. Fields of an interface type (node, nodes)
// answer what their argument names, not every type of the interface;
// TestRoleMatrix asks them for the others by global ID.
func (s *rmSchema) walkPublic() {
	s.public, s.paths = map[string]bool{}, map[string][]rmStep{}
	var queue []string
	visit := func(from []rmStep, op string, fl schemaField) {
		if roleRules[op+"."+fl.Name] != rulePublic || s.types[fl.Type.named()].Kind == "INTERFACE" {
			return
		}
		abstract := s.types[fl.Type.named()].Kind == "UNION"
		for _, obj := range s.objectsOf(fl.Type.named()) {
			if s.public[obj] {
				continue
			}
			step := rmStep{op: op, field: fl.Name}
			if abstract {
				step.on = obj
			}
			s.public[obj] = true
			s.paths[obj] = append(slices.Clone(from), step)
			queue = append(queue, obj)
		}
	}
	for _, op := range []string{s.query, s.mutation} {
		for _, fl := range s.types[op].Fields {
			visit(nil, op, fl)
		}
	}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		for _, fl := range s.types[name].Fields {
			if len(fl.requiredArgs()) == 0 {
				visit(s.paths[name], name, fl)
			}
		}
	}
}

func (s *rmSchema) pathText(name string) string {
	var parts []string
	for _, st := range s.paths[name] {
		p := st.op + "." + st.field
		if st.on != "" {
			p += " (… on " + st.on + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " → ")
}

// selection selects every field of the object type name: scalars as they
// are; objects anyone can reach by their __typename (the type walk
// answers their fields), the others in full, to a depth of six.
func (s *rmSchema) selection(name string, depth int) string {
	x := s.types[name]
	if x == nil || x.Kind == "SCALAR" || x.Kind == "ENUM" {
		return ""
	}
	if x.Kind != "OBJECT" || depth > 6 {
		return "{ __typename }"
	}
	var b strings.Builder
	b.WriteString("{ __typename")
	for _, fl := range x.Fields {
		if len(fl.requiredArgs()) > 0 {
			continue
		}
		b.WriteString(" " + fl.Name)
		sub := fl.Type.named()
		switch k := s.types[sub].Kind; {
		case k == "OBJECT" && !s.public[sub] && depth < 6:
			b.WriteString(" " + s.selection(sub, depth+1))
		case k == "OBJECT" || k == "INTERFACE" || k == "UNION":
			b.WriteString(" { __typename }")
		}
	}
	b.WriteString(" }")
	return b.String()
}

// rootQuery calls the root field fl of op with the variables in vars,
// declared with the argument types of the schema.
func (s *rmSchema) rootQuery(op string, fl schemaField, vars map[string]any) string {
	decl, args := s.arguments(fl, vars)
	kw := "query"
	switch op {
	case s.mutation:
		kw = "mutation"
	case rmSubscription:
		kw = "subscription"
	}
	return fmt.Sprintf("%s RoleMatrix%s { %s%s %s }", kw, decl, fl.Name, args, s.selection(fl.Type.named(), 0))
}

func (s *rmSchema) arguments(fl schemaField, vars map[string]any) (decl, args string) {
	var d, a []string
	for _, arg := range fl.Args {
		if _, ok := vars[arg.Name]; ok {
			d = append(d, "$"+arg.Name+": "+arg.Type.String())
			a = append(a, arg.Name+": $"+arg.Name)
		}
	}
	if len(d) == 0 {
		return "", ""
	}
	return "(" + strings.Join(d, ", ") + ")", "(" + strings.Join(a, ", ") + ")"
}

// pathQuery follows the public path to the type name from root, with
// __typename on every level, and selects all of the type's fields.
func (s *rmSchema) pathQuery(name string, root *schemaField, vars map[string]any) string {
	decl, args := s.arguments(*root, vars)
	p := s.paths[name]
	sel := s.selection(name, 0)
	for i := len(p) - 1; i >= 0; i-- {
		if p[i].on != "" {
			sel = "{ __typename ... on " + p[i].on + " " + sel + " }"
		}
		if i == 0 {
			sel = p[i].field + args + " " + sel
		} else {
			sel = "{ __typename " + p[i].field + " " + sel + " }"
		}
	}
	return "query RoleMatrix" + decl + " { " + sel + " }"
}
