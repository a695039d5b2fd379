package graph

import (
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
	return f, nil
}

func castStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
