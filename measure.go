package cyberlotse

import (
	"context"
	"regexp"
)

// MeasureCategory groups the measure proposals.
type MeasureCategory string

// Measure is one of the 13 measure proposals of the state initiative
// WIRTSCHAFT.DIGITAL.SICHER.NRW, coded M01 to M13.
type Measure struct {
	Code     string
	Title    string
	Summary  string
	Category MeasureCategory
	TopicIDs []string
	Provenance
}

var measureCodePattern = regexp.MustCompile(`^M(0[1-9]|1[0-3])$`)

// ParseMeasureCode validates s as a measure code M01…M13.
func ParseMeasureCode(s string) (string, error) {
	if !measureCodePattern.MatchString(s) {
		return "", Invalid("measure", "Maßnahmen haben die Codes M01 bis M13.")
	}
	return s, nil
}

// MeasureService reads the measure catalogue. Anyone may call it.
type MeasureService interface {
	// Measures returns the catalogue ordered by code.
	Measures(ctx context.Context) ([]*Measure, error)
	// MeasuresByCodes returns the measures with the given codes; unknown
	// codes are left out.
	MeasuresByCodes(ctx context.Context, codes []string) ([]*Measure, error)
}
