// Package search is Cyberlotse's discovery search: one Backend interface
// with two implementations — Neo4j full-text indexes (the default, no
// extra service) and Meilisearch (production, when MEILI_URL is set) —
// and one behaviour suite both must pass (searchtest).
package search

import (
	"context"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Type is a kind of searchable object.
type Type string

const (
	TypeEvent        Type = "EVENT"
	TypeContact      Type = "CONTACT"
	TypeOrganization Type = "ORGANIZATION"
	TypeMunicipality Type = "MUNICIPALITY"
	TypeRegion       Type = "REGION"
	TypeMeasure      Type = "MEASURE"
	TypeOffer        Type = "OFFER"
)

// Types lists every searchable type.
var Types = []Type{TypeEvent, TypeContact, TypeOrganization, TypeMunicipality, TypeRegion, TypeMeasure, TypeOffer}

// Limits on queries.
const (
	MaxQueryLength  = 200
	DefaultPageSize = 20
	MaxPageSize     = 50
	// MaxHits bounds how deep a query is ranked and counted; the facets
	// and the estimated total are over at most this many hits.
	MaxHits = 1000
)

// Near limits hits to a circle around a point.
type Near struct {
	Lat, Lon, RadiusKm float64
}

// Query is a search request. Text is plain text: no operator or special
// character of either backend has any meaning in it.
type Query struct {
	Text  string
	Types []Type // empty: all types

	AGS      *cyberlotse.AGS         // objects in this municipality
	District *cyberlotse.DistrictKey // objects in this district
	Region   *string                 // objects in one of the region's municipalities, or for the region
	From, To *time.Time              // events starting in [From, To)
	Format   *cyberlotse.EventFormat // events of this format
	Measure  *string                 // events, offers and measures about this measure code
	Near     *Near                   // objects with a place within the radius

	First  int // page size
	Offset int // hits to skip (the cursor)
}

// Highlight is a field's text with the matched words wrapped in <em>…</em>;
// everything else in it is HTML-escaped.
type Highlight struct {
	Field   string
	Snippet string
}

// Hit is one found object: its type and key (slug, AGS or measure code).
type Hit struct {
	Type       Type
	Key        string
	Score      float64 // relevance, higher is better; comparable within one result
	Highlights []Highlight
}

// Facets count the hits of the whole result (not just the page) per value.
type Facets struct {
	Types     map[Type]int
	Formats   map[string]int
	Districts map[string]int // district key → hits
	Measures  map[string]int // measure code → hits
}

// Result is a page of hits.
type Result struct {
	Hits           []Hit
	EstimatedTotal int
	Facets         Facets
}

// SuggestionKind says what a suggestion completes to.
type SuggestionKind string

const (
	SuggestMunicipality SuggestionKind = "MUNICIPALITY"
	SuggestPostcode     SuggestionKind = "POSTCODE"
	SuggestRegion       SuggestionKind = "REGION"
)

// Suggestion completes what a person is typing.
type Suggestion struct {
	Kind  SuggestionKind
	Text  string // what to show, e.g. "32689 Kalletal"
	Key   string // AGS for municipalities and postcodes, the slug for regions
	Value string // what to put into the field, e.g. "32689" or "Kalletal"
}

// Backend searches. Implementations must pass searchtest.Run.
type Backend interface {
	// Search returns ranked hits with facets. EINVALID for a bad query;
	// ESEARCH when the search service is unreachable.
	Search(ctx context.Context, q Query) (*Result, error)
	// Suggest completes towns, postcodes and regions for a prefix.
	Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error)
}

// Document is what a backend indexes for one object, built from the graph
// by the store (graph/neo4j) and fed to Meilisearch through the outbox.
type Document struct {
	ID    string // "<type>-<key>", unique across types; Meilisearch's primary key
	Type  Type
	Key   string
	Title string
	Text  string // description and other body text
	// Keywords: names of places, organizers, topics and synonyms, so that
	// "Planspiel Ransomware Wuppertal" finds a tabletop exercise in Wuppertal.
	Keywords  []string
	AGS       []string // municipalities the object is in or responsible for
	Districts []string
	Regions   []string
	Format    string   // events
	Measures  []string // measure codes
	StartsAt  *time.Time
	Status    string // events: SCHEDULED or CANCELLED
	Lat, Lon  *float64
	Postcodes []string // municipalities
	Sample    bool
}

// DocumentID is the document id of an object.
func DocumentID(t Type, key string) string { return string(t) + "-" + key }
