package model

import (
	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// PageInfo is the Relay page information.
type PageInfo struct {
	HasNextPage     bool
	HasPreviousPage bool
	StartCursor     *string
	EndCursor       *string
}

// MunicipalityConnection is a page of municipalities; TotalCount is
// resolved lazily from Filter, only when asked for.
type MunicipalityConnection struct {
	Edges    []*MunicipalityEdge
	Nodes    []*cyberlotse.Municipality
	PageInfo *PageInfo
	Filter   cyberlotse.MunicipalityFilter
}

type MunicipalityEdge struct {
	Cursor string
	Node   *cyberlotse.Municipality
}

// EventConnection is a page of events; TotalCount is resolved lazily.
type EventConnection struct {
	Edges    []*EventEdge
	Nodes    []*cyberlotse.Event
	PageInfo *PageInfo
	Filter   cyberlotse.EventFilter
}

type EventEdge struct {
	Cursor string
	Node   *cyberlotse.Event
	// Near is the place of filter.near, for distanceKm; nil without it.
	Near *cyberlotse.Municipality
}

// The ranked lists of matchmaking: the domain's generic Match[T] spelled
// out per type, as GraphQL has no generics.

type ContactMatch struct {
	Contact *cyberlotse.Contact
	Score   float64
	Reasons []*cyberlotse.Reason
}

type EventMatch struct {
	Event      *cyberlotse.Event
	Score      float64
	Reasons    []*cyberlotse.Reason
	DistanceKm *float64
}

type MeasureMatch struct {
	Measure       *cyberlotse.Measure
	Score         float64
	Reasons       []*cyberlotse.Reason
	RolloutStatus *string
}

type OfferMatch struct {
	Offer   *cyberlotse.Offer
	Score   float64
	Reasons []*cyberlotse.Reason
}

type MatchResult struct {
	Municipality *cyberlotse.Municipality
	Regions      []*cyberlotse.Region
	SizeClass    *cyberlotse.SizeClass
	Contacts     []*ContactMatch
	Events       []*EventMatch
	Measures     []*MeasureMatch
	Offers       []*OfferMatch
}

// SearchHit wraps a backend hit; its node is loaded by type and key.
type SearchHit struct {
	Hit search.Hit
}

type SearchEdge struct {
	Cursor string
	Node   *SearchHit
}

type SearchConnection struct {
	Edges          []*SearchEdge
	Hits           []*SearchHit
	PageInfo       *PageInfo
	EstimatedTotal int
	Facets         *SearchFacets
}

type SearchFacets struct {
	Types, Formats, Districts, Measures []*FacetValue
}

type FacetValue struct {
	Value string
	Label *string
	Count int
}
