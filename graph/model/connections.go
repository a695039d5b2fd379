package model

import cyberlotse "github.com/cyberlotse/cyberlotse"

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
}
