package graph

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// Validation of GraphQL inputs into domain filters: every bad value gets a
// BAD_USER_INPUT error that says what a good one looks like.

func municipalityFilter(in *model.MunicipalityFilter) (cyberlotse.MunicipalityFilter, error) {
	var f cyberlotse.MunicipalityFilter
	if in == nil {
		return f, nil
	}
	f.NameStartsWith, f.GovRegion = in.NameStartsWith, in.GovRegion
	if in.Postcode != nil {
		pc, err := cyberlotse.ParsePostcode(*in.Postcode)
		if err != nil {
			return f, err
		}
		f.Postcode = &pc
	}
	if in.District != nil {
		d, err := cyberlotse.ParseDistrictKey(*in.District)
		if err != nil {
			return f, err
		}
		f.District = &d
	}
	return f, nil
}

func eventFilter(in *model.EventFilter) (cyberlotse.EventFilter, error) {
	var f cyberlotse.EventFilter
	if in == nil {
		return f, nil
	}
	f.Region, f.From, f.To, f.Format, f.Mode = in.Region, in.From, in.To, in.Format, in.Mode
	if in.Ags != nil {
		a, err := cyberlotse.ParseAGS(*in.Ags)
		if err != nil {
			return f, err
		}
		f.AGS = &a
	}
	if in.Measure != nil {
		c, err := cyberlotse.ParseMeasureCode(*in.Measure)
		if err != nil {
			return f, err
		}
		f.Measure = &c
	}
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		return f, cyberlotse.Invalid("to", "„to“ muss nach „from“ liegen.")
	}
	if in.Near != nil {
		km := float64(cyberlotse.DefaultNearKm)
		if in.Near.RadiusKm != nil {
			km = *in.Near.RadiusKm
		}
		if km < 1 || km > cyberlotse.MaxNearKm || math.IsNaN(km) {
			return f, cyberlotse.Invalid("near.radiusKm", fmt.Sprintf("der Umkreis muss zwischen 1 und %d km liegen.", cyberlotse.MaxNearKm))
		}
		f.Near = &cyberlotse.Near{RadiusKm: km}
	}
	return f, nil
}

// nearPlace resolves the place of filter.near to one municipality, with
// the errors of matchmaking for unknown or ambiguous places.
// The schema makes place required, so in is never nil.
func (r *Resolver) nearPlace(ctx context.Context, in *model.PlaceInput) (*cyberlotse.Municipality, error) {
	q, err := placeQuery(*in)
	if err != nil {
		return nil, underField("near", err)
	}
	place, _, err := cyberlotse.ResolvePlace(ctx, r.Match.Store, q)
	return place, underField("near", err)
}

// underField puts the field an input error names under its parent input
// ("place" becomes "near.place"), so that a client can mark the right field.
func underField(parent string, err error) error {
	var e *cyberlotse.Error
	if !errors.As(err, &e) || e.Details == nil {
		return err
	}
	field, ok := e.Details["field"].(string)
	if !ok {
		return err
	}
	out := *e
	out.Details = maps.Clone(e.Details)
	out.Details["field"] = parent + "." + field
	return &out
}

func castStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
