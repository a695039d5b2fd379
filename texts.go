package cyberlotse

import "fmt"

// The German texts the domain shows to people. One home, so that wording
// stays consistent and can be reviewed in one place.

const MsgInternal = "Interner Fehler. Bitte versuchen Sie es später erneut."

// Kind names a kind of object in German, for messages.
type Kind string

const (
	KindGovRegion    Kind = "Regierungsbezirk"
	KindDistrict     Kind = "Kreis bzw. kreisfreie Stadt"
	KindMunicipality Kind = "Gemeinde"
	KindRegion       Kind = "Region"
	KindOrganization Kind = "Organisation"
	KindContact      Kind = "Ansprechstelle"
	KindEvent        Kind = "Veranstaltung"
	KindMeasure      Kind = "Maßnahme"
	KindOffer        Kind = "Angebot"
	KindTopic        Kind = "Thema"
)

// NotFound reports that no object of kind has the given key.
func NotFound(kind Kind, key string) *Error {
	return Errorf(ENOTFOUND, "%s „%s“ wurde nicht gefunden.", kind, key)
}

// Invalid reports a bad value of a named input field.
func Invalid(field, reason string) *Error {
	return Errorf(EINVALID, "Ungültige Eingabe für %s: %s", field, reason)
}

func msgPageSize(max int) string {
	return fmt.Sprintf("„first“ muss zwischen 1 und %d liegen.", max)
}

const msgBadCursor = "Der Cursor „after“ ist ungültig. Verwenden Sie einen endCursor aus einer vorherigen Antwort."
