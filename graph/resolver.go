// Package graph is the GraphQL face of Cyberlotse: thin resolvers over the
// domain services, per-request dataloaders, error presentation and limits.
package graph

import cyberlotse "github.com/cyberlotse/cyberlotse"

// Resolver is the root resolver; it holds the domain services.
type Resolver struct {
	Geo      cyberlotse.GeoService
	Network  cyberlotse.NetworkService
	Events   cyberlotse.EventService
	Measures cyberlotse.MeasureService
	Match    *cyberlotse.Matchmaker
}
