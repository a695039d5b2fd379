package model

import (
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// AdvisoryMark is a municipality's mark on an advisory as the API shows
// it: with whether the advisory changed since.
type AdvisoryMark struct {
	State           cyberlotse.AdvisoryMarkState
	Note            *string
	MarkedBy        string
	MarkedAt        time.Time
	MarkedVersion   string
	AdvisoryChanged bool
}

// NewAdvisoryMark shows m for the advisory's current version.
func NewAdvisoryMark(m *cyberlotse.MunicipalityMark, current string) *AdvisoryMark {
	if m == nil {
		return nil
	}
	out := &AdvisoryMark{State: m.State, MarkedBy: m.By, MarkedAt: m.At, MarkedVersion: m.Version,
		AdvisoryChanged: m.Changed(current)}
	if m.Note != "" {
		out.Note = &m.Note
	}
	return out
}

// AdvisoryMatch is an advisory that concerns a municipality's product.
type AdvisoryMatch struct {
	Advisory *cyberlotse.Advisory
	Product  cyberlotse.MunicipalityProduct
	Reason   string
	Mark     *AdvisoryMark
}
