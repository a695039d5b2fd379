package cyberlotse

import (
	"regexp"
	"strings"
)

var (
	agsPattern      = regexp.MustCompile(`^05\d{6}$`)
	districtPattern = regexp.MustCompile(`^05\d{3}$`)
	postcodePattern = regexp.MustCompile(`^\d{5}$`)
)

// AGS is the Amtlicher Gemeindeschlüssel of an NRW municipality: 8 digits,
// starting with 05. The zero value is not valid.
type AGS string

// ParseAGS validates s as an NRW AGS.
func ParseAGS(s string) (AGS, error) {
	s = strings.TrimSpace(s)
	if !agsPattern.MatchString(s) {
		return "", Invalid("ags", "ein Amtlicher Gemeindeschlüssel in NRW hat 8 Ziffern und beginnt mit 05, z. B. 05766036 für Kalletal.")
	}
	return AGS(s), nil
}

// DistrictKey is the 5-digit key of a Kreis, a kreisfreie Stadt or the
// Städteregion Aachen: the first five digits of its municipalities' AGS.
type DistrictKey string

// ParseDistrictKey validates s as an NRW district key.
func ParseDistrictKey(s string) (DistrictKey, error) {
	s = strings.TrimSpace(s)
	if !districtPattern.MatchString(s) {
		return "", Invalid("district", "ein Kreisschlüssel in NRW hat 5 Ziffern und beginnt mit 05, z. B. 05766 für den Kreis Lippe.")
	}
	return DistrictKey(s), nil
}

// District returns the key of the district the municipality belongs to.
func (a AGS) District() DistrictKey { return DistrictKey(a[:5]) }

// Postcode is a German Postleitzahl: five digits.
type Postcode string

// ParsePostcode validates s as a German postcode.
func ParsePostcode(s string) (Postcode, error) {
	s = strings.TrimSpace(s)
	if !postcodePattern.MatchString(s) {
		return "", Invalid("postcode", "eine Postleitzahl hat genau 5 Ziffern, z. B. 32689.")
	}
	return Postcode(s), nil
}
