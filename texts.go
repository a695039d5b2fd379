package cyberlotse

import (
	"fmt"
	"strings"
	"time"
)

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
	KindRegistration Kind = "Anmeldung"
	KindAdvisory     Kind = "Sicherheitshinweis"
	KindQuestion     Kind = "Frage"
	KindPoll         Kind = "Umfrage"
)

// NotFound reports that no object of kind has the given key.
func NotFound(kind Kind, key string) *Error {
	return Errorf(ENOTFOUND, "%s „%s“ wurde nicht gefunden.", kind, key)
}

// UnknownRegions reports that at least one of the regions asked for does
// not exist.
func UnknownRegions(ids []string) *Error {
	return Errorf(ENOTFOUND, "Mindestens eine der Regionen %v gibt es nicht.", ids)
}

// RetryAfter is how long a client waits before it sends a request again
// that failed with EUNAVAILABLE.
const RetryAfter = 5 * time.Second

// Unavailable reports that the database cannot be reached right now.
func Unavailable() *Error {
	e := Errorf(EUNAVAILABLE, "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in %d Sekunden erneut.",
		int(RetryAfter.Seconds()))
	e.Details = map[string]any{"retryAfterSeconds": int(RetryAfter.Seconds())}
	return e
}

// Invalid reports a bad value of a named input field.
func Invalid(field, reason string) *Error {
	e := Errorf(EINVALID, "Ungültige Eingabe für %s: %s", field, reason)
	e.Details = map[string]any{"field": field}
	return e
}

func msgPageSize(max int) string {
	return fmt.Sprintf("„first“ muss zwischen 1 und %d liegen.", max)
}

const msgBadCursor = "Der Cursor „after“ ist ungültig. Verwenden Sie einen endCursor aus einer vorherigen Antwort."

// Places.
const (
	msgPlaceMissing = "Bitte geben Sie den Ort an: einen Gemeindeschlüssel (ags, z. B. 05766036), " +
		"eine Postleitzahl (z. B. 32689), einen Ortsnamen (z. B. Kalletal) oder eine companyId."
	msgPlaceUnknown = "%s ist in Nordrhein-Westfalen nicht bekannt. Angegeben werden kann ein " +
		"Gemeindeschlüssel (ags, z. B. 05766036), eine Postleitzahl (z. B. 32689), ein Gemeindename " +
		"(z. B. Kalletal; Ortsteile wie Hohenhausen kennt Cyberlotse nicht) oder eine companyId."
	msgPlaceAmbiguous = "%s passt zu mehreren Gemeinden: %s. Bitte geben Sie zusätzlich den Ort " +
		"oder gleich den Gemeindeschlüssel (ags) an."
)

// Reasons of matchmaking. Each is a short sentence a person reads next to
// the item; the format verbs are filled in by the scoring functions.
const (
	txtResponsibleMunicipality = "Ansprechstelle Ihrer Gemeinde %s"
	txtResponsibleDistrict     = "Zuständig für %s"
	txtResponsibleGovRegion    = "Zuständig für den Regierungsbezirk %s"
	txtRegionalManagementOwn   = "Regionalmanagement für Ihre Region: %s"
	txtRegionalManagementSat   = "Regionalmanagement Ihrer Modellregion (%s ist Satellit der %s)"
	txtCybercrimeTeam          = "%s, zuständig für %s (KHSt-VO § 4)"
	txtLocalPolice             = "Ihre Kreispolizeibehörde: %s"
	txtStatewide               = "Landesweite Ansprechstelle"
	txtAvailable247            = "Rund um die Uhr erreichbar"
	txtTopic                   = "Passt zu Ihrem Thema %s"
	txtTopics                  = "Passt zu Ihren Themen %s"
	txtOwnRegionEvent          = "Veranstaltung für Ihre Region: %s"
	txtDistanceHere            = "Termin in Ihrer Gemeinde"
	txtDistance                = "Termin %d km entfernt"
	txtOnline                  = "Online-Veranstaltung – von überall erreichbar"
	txtHybrid                  = "Auch online möglich"
	txtSoonDays                = "Schon in %d Tagen"
	txtSoonTomorrow            = "Schon morgen"
	txtWaitlist                = "Ausgebucht – Anmeldung auf die Warteliste möglich"
	txtRollout                 = "In Ihrer Region (%s): %s"
	txtEventsAddress1          = "Eine kommende Veranstaltung in Ihrer Nähe behandelt diese Maßnahme"
	txtEventsAddressN          = "%d kommende Veranstaltungen in Ihrer Nähe behandeln diese Maßnahme"
	txtEligibleSize            = "Förderfähig: %s"
	txtEligibleSME             = "Für kleine und mittlere Unternehmen"
	txtEligibleAll             = "Für alle Unternehmen offen"
	txtRegionalOffer           = "Angebot für Ihre Region: %s"
	txtImplementsMeasure       = "Setzt die Maßnahme %s um"
	txtEmergencyNumber         = "Bei einer laufenden Straftat oder Gefahr für Menschen"
	txtEmergencyZAC            = "Zentrale Ansprechstelle der Polizei NRW für Unternehmen bei Cyberangriffen"
	txtEmergencyCERT           = "Warn- und Informationsdienst für Kommunen (KWID) des CERT NRW"
	txtEmergencyDigiSOS        = "Incident-Response-Dienstleister über den Rahmenvertrag des Landes abrufen"
	txtEmergencyPoliceCitizen  = "Ihre Polizei: Anzeige erstatten, auch online über die Internetwache"
)

var sizeClassNames = map[SizeClass]string{
	Micro: "Kleinstunternehmen", Small: "Kleinunternehmen", Medium: "mittleres Unternehmen", Large: "Großunternehmen",
}

var rolloutStatusNames = map[string]string{
	"NOT_STARTED": "noch nicht begonnen", "PLANNED": "geplant", "IN_PROGRESS": "in Umsetzung",
	"LIVE": "in Betrieb", "EVALUATED": "evaluiert", "PAUSED": "pausiert",
}

// districtPhrase names a district with its article, for "zuständig für …".
func districtPhrase(d *District) string {
	switch d.Kind {
	case Kreis:
		if strings.HasPrefix(d.Name, "Kreis ") {
			return "den " + d.Name
		}
		return "den Kreis " + d.Name
	case Staedteregion:
		return "die " + d.Name
	}
	return "die Stadt " + d.Name
}

// Emergency help: the first steps, short and ordered, per kind of caller.
var emergencySteps = map[EmergencyKind][]string{
	EmergencyCompany: {
		"Ruhe bewahren und betroffene Geräte vom Netz trennen (Netzwerkkabel ziehen, WLAN aus) – nicht ausschalten, damit Spuren erhalten bleiben.",
		"Die Zentrale Ansprechstelle Cybercrime (ZAC) der Polizei NRW anrufen; sie ist rund um die Uhr erreichbar und leitet Sofortmaßnahmen ein.",
		"Kein Lösegeld zahlen und nicht auf Forderungen der Täter antworten.",
		"Alles dokumentieren: Uhrzeit, Meldungen auf dem Bildschirm, Erpresserschreiben, betroffene Systeme.",
		"Geschäftsführung, IT-Dienstleister und Datenschutzbeauftragte informieren; Meldepflichten prüfen (Datenschutz: 72 Stunden).",
		"Zugangsdaten von einem sauberen Gerät aus ändern und Backups offline sichern, bevor sie überschrieben werden.",
		"Bei einer laufenden Straftat oder Gefahr für Menschen sofort den Polizeinotruf 110 wählen.",
	},
	EmergencyMunicipality: {
		"Betroffene Systeme vom Netz trennen, nicht ausschalten; die Verwaltungsspitze und die Informationssicherheitsbeauftragten informieren.",
		"CERT NRW informieren – über den kommunalen Warn- und Informationsdienst KWID.",
		"Über Digi-SOS einen Incident-Response-Dienstleister aus dem Rahmenvertrag des Landes abrufen.",
		"Anzeige erstatten: Die Zentrale Ansprechstelle Cybercrime (ZAC) der Polizei NRW ist rund um die Uhr erreichbar.",
		"Alles dokumentieren und Meldepflichten prüfen (Datenschutz: 72 Stunden).",
		"Bürgerinnen und Bürger über Ausfälle informieren, ohne Details des Angriffs preiszugeben.",
		"Bei Gefahr für Menschen oder einer laufenden Straftat sofort den Polizeinotruf 110 wählen.",
	},
	EmergencyCitizen: {
		"Bei Gefahr oder einer laufenden Straftat sofort den Polizeinotruf 110 wählen.",
		"Nicht zahlen und nicht auf Forderungen antworten; Beweise sichern (Bildschirmfotos, Nachrichten, Kontoauszüge).",
		"Bei abgeflossenem Geld sofort die Bank informieren und Karten oder Konten sperren lassen (Sperr-Notruf 116 116).",
		"Passwörter betroffener Konten von einem sauberen Gerät aus ändern und die Zwei-Faktor-Anmeldung einschalten.",
		"Anzeige erstatten – bei Ihrer Polizei oder online über die Internetwache der Polizei NRW.",
	},
}

// Registration.
const (
	msgConsentMissing = "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu (consent: true). Ohne Zustimmung können wir Sie nicht anmelden."
	msgEventCancelled = "Diese Veranstaltung wurde abgesagt; eine Anmeldung ist nicht mehr möglich."
	msgEventPast      = "Diese Veranstaltung hat bereits begonnen oder ist vorbei; eine Anmeldung ist nicht mehr möglich."
)

// Access.
const (
	msgUnauthenticated = "Bitte melden Sie sich an: Für diese Aktion ist ein gültiges Zugangstoken nötig (Authorization: Bearer …)."
	msgNotOrganizer    = "Sie dürfen nur Veranstaltungen Ihrer eigenen Organisation bearbeiten (hier: „%s“)."
	msgForbiddenRole   = "Für diese Aktion fehlt Ihnen die Berechtigung."
	msgBadManageToken  = "Der Verwaltungslink ist ungültig. Bitte verwenden Sie den vollständigen Link aus Ihrer Bestätigungs-E-Mail."
	msgRateLimited     = "Zu viele Anmeldungen in kurzer Zeit. Bitte versuchen Sie es in einigen Minuten erneut."

	msgNotMunicipalISB            = "Sie dürfen nur die Produktliste und die Sicherheitshinweise Ihrer eigenen Gemeinde(n) sehen und bearbeiten (hier: „%s“)."
	msgNotRegionManagerAdvisories = "Sie dürfen die Zahlen zu Sicherheitshinweisen nur für Ihre eigene(n) Region(en) sehen (hier: „%s“)."
)

// MsgForbiddenRole is the message of the @hasRole directive.
const MsgForbiddenRole = msgForbiddenRole

// MsgUnauthenticated is the message for calls without a valid token.
const MsgUnauthenticated = msgUnauthenticated

// MsgRateLimited is the message of the registration rate limit.
const MsgRateLimited = msgRateLimited

// Rollout.
const (
	msgBadTransition   = "Der Status kann nicht von %s zu %s wechseln. Erlaubt sind: %s."
	msgRolloutConflict = "Jemand hat diesen Eintrag inzwischen geändert (jetzt Version %d). Bitte laden Sie ihn neu und wiederholen Sie Ihre Änderung."
	msgNotManager      = "Sie dürfen nur die Umsetzung Ihrer eigenen Region(en) sehen und ändern (hier: „%s“)."
)

// Self-check.
const (
	msgCheckFinished   = "Dieser Selbstcheck ist abgeschlossen; Antworten lassen sich nicht mehr ändern. Sie können einen neuen Selbstcheck beginnen."
	msgCheckIncomplete = "Der Selbstcheck ist noch nicht vollständig: %d Statusfragen und %d Anforderungen sind offen (extensions.open). Bitte beantworten Sie sie – „Weiß nicht“ ist auch eine Antwort."
	msgCheckToken      = "Zu diesem Link gibt es keinen Selbstcheck (mehr). Bitte verwenden Sie den vollständigen Link; wurde der Selbstcheck gelöscht, beginnen Sie einen neuen."
	msgCheckRateLimit  = "Zu viele neue Selbstchecks in kurzer Zeit. Bitte versuchen Sie es in einigen Minuten erneut."
	msgCheckNoPlace    = "Geben Sie den Ort Ihres Unternehmens an, dann zeigt Cyberlotse zu jeder Lücke Veranstaltungen, Ansprechstellen und Angebote in Ihrer Nähe."
	txtFundingOffer    = "Förderprogramm: kann die Umsetzung bezuschussen (Konditionen beim Anbieter prüfen)"
)

// MsgCheckToken is the message for a self-check link that opens nothing.
const MsgCheckToken = msgCheckToken

// MsgCheckRateLimit is the message of the self-check start rate limit.
const MsgCheckRateLimit = msgCheckRateLimit

// MsgCheckChanged: the answers changed while the check was being finished.
const MsgCheckChanged = "Die Antworten haben sich gerade geändert. Bitte schließen Sie den Selbstcheck noch einmal ab."

// MsgCheckNoPlace explains why a self-check without a place gets no next actions.
const MsgCheckNoPlace = msgCheckNoPlace

// Advisories (KWID): why a product matches, and why a document was refused.

const (
	TextMatchNames       = "Hersteller und Produkt stimmen überein"
	TextBadCPE           = "Der CPE-Name „%s“ ist nicht lesbar. Erwartet wird z. B. cpe:2.3:a:hersteller:produkt:version."
	TextBadPURL          = "Die Paket-URL „%s“ ist nicht lesbar. Erwartet wird z. B. pkg:npm/paket@1.2.3."
	TextProductNeedsName = "Bitte Hersteller und Produktnamen angeben (oder einen CPE-Namen bzw. eine Paket-URL)."
)

// TextMatchCPE says that the CPE names agree.
func TextMatchCPE(cpe string) string { return "CPE " + cpe + " stimmt überein" }

// TextMatchPURL says that the package URLs agree.
func TextMatchPURL(purl string) string { return "Paket " + purl + " stimmt überein" }

// TextMatchInRange adds that the version lies in the affected range.
func TextMatchInRange(what, version, rng string) string {
	return fmt.Sprintf("%s, Version %s im betroffenen Bereich %s", what, version, rng)
}

// TextMatchVersion adds that the version is the affected one.
func TextMatchVersion(what, version string) string {
	return fmt.Sprintf("%s, Version %s ist betroffen", what, version)
}

// TextMatchVersionUnknown adds that the version could not be checked.
func TextMatchVersionUnknown(what, affected string) string {
	return fmt.Sprintf("%s; betroffen ist %s, Ihre Version ist nicht angegeben oder nicht vergleichbar – bitte prüfen", what, affected)
}

// TextMatchAllVersions adds that every version is affected.
func TextMatchAllVersions(what string) string { return what + ", alle Versionen betroffen" }

// Reasons why an advisory document is refused on import.
const (
	TextAdvisoryNotJSON      = "kein gültiges JSON: %v"
	TextAdvisorySchema       = "verletzt das CSAF-2.0-Schema: %s"
	TextAdvisoryInvalid      = "kein gültiges CSAF-Dokument: %v"
	TextAdvisoryHash         = "%s-Prüfsumme stimmt nicht (erwartet %s, berechnet %s)"
	TextAdvisoryHashFile     = "%s-Datei nicht lesbar: %v"
	TextAdvisoryNoTracking   = "Tracking-ID oder Version fehlt"
	TextAdvisoryBadDate      = "Datum „%s“ ist kein RFC-3339-Zeitpunkt"
	TextAdvisoryOlder        = "ältere Version %s ignoriert, gespeichert ist Version %s"
	TextAdvisoryNoSignature  = "OpenPGP-Signatur fehlt (NAME.json.asc), obwohl Schlüssel angegeben sind"
	TextAdvisoryBadSignature = "OpenPGP-Signatur ungültig: %v"
)

// Live sessions (live.go).
const (
	msgLiveClosed         = "Die Live-Fragerunde ist geschlossen."
	msgLiveUnknownEvent   = "Diese Aktion gibt es in der Live-Fragerunde nicht."
	msgQuestionExists     = "Diese Frage wurde schon gestellt (doppelt gesendet)."
	msgQuestionGone       = "Diese Frage gibt es nicht oder die Moderation hat sie ausgeblendet."
	msgQuestionNotVisible = "Diese Frage wartet noch auf die Freigabe durch die Moderation."
	msgAlreadyUpvoted     = "Sie haben diese Frage schon unterstützt."
	msgPinHidden          = "Nur sichtbare Fragen können angeheftet werden."
	msgPollExists         = "Diese Umfrage wurde schon gestartet (doppelt gesendet)."
	msgPollEnded          = "Diese Umfrage ist beendet; es kann nicht mehr abgestimmt werden."
	msgPollKind           = "Bitte die Art der Umfrage angeben: Einfachauswahl, Mehrfachauswahl oder Skala."
	msgScaleNoOptions     = "Eine Skala (1 bis 5) hat keine eigenen Antwortmöglichkeiten."
	msgSingleVote         = "Bitte genau eine Antwort auswählen."
	msgMultipleVote       = "Bitte mindestens eine Antwort auswählen."
	msgNoSuchOption       = "Diese Antwortmöglichkeit gibt es in der Umfrage nicht."
	msgBadLiveToken       = "Ihr Zugang zur Live-Fragerunde ist ungültig. Bitte treten Sie über den Link oder den Code der Veranstaltung neu bei."
	msgExpiredLiveToken   = "Ihr Zugang zur Live-Fragerunde ist abgelaufen. Bitte treten Sie über den Link oder den Code der Veranstaltung neu bei."
	msgLiveUnavailable    = "Die Live-Fragerunde ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Sekunden erneut."
	msgLiveEventID        = "keine gültige Veranstaltungs-ID."
	msgLiveNotOnline      = "Eine Live-Fragerunde gibt es nur für Online- und Hybrid-Veranstaltungen."
	msgLiveNotOpen        = "Die Live-Fragerunde dieser Veranstaltung ist noch nicht geöffnet oder schon beendet."
	msgLiveUnknownCode    = "Zu diesem Code gibt es keine Live-Fragerunde. Bitte prüfen Sie den Code auf der Folie oder in der Einladung."
	msgLiveTooFast        = "Sie haben gerade sehr viele Fragen oder Stimmen gesendet. Bitte warten Sie einen Moment."
	msgLiveModeration     = "Diese Aktion ist der Moderation vorbehalten."
)

// MsgTooManyStreams refuses another subscription from a client address
// that has too many open.
const MsgTooManyStreams = "Von Ihrer Adresse sind schon sehr viele Live-Verbindungen offen. Bitte schließen Sie nicht benötigte Fenster oder versuchen Sie es später erneut."

// MsgStreamNotJSON answers an operation sent to a stream (graphql-sse or
// graphql-ws) that is not the JSON of a GraphQL request.
const MsgStreamNotJSON = `Die Anfrage ist kein gültiges GraphQL-JSON. Erwartet wird {"query": "…", "variables": {…}} mit höchstens 1 MB.`

// LiveNotOnline refuses a live session for an on-site event.
func LiveNotOnline() *Error { return Errorf(ECONFLICT, "%s", msgLiveNotOnline) }

// LiveNotOpen refuses to join a session that is not open.
func LiveNotOpen() *Error { return Errorf(ECONFLICT, "%s", msgLiveNotOpen) }

// LiveUnknownCode reports a session code that leads nowhere.
func LiveUnknownCode() *Error { return Errorf(ENOTFOUND, "%s", msgLiveUnknownCode) }

// LiveTooFast refuses a participant or address over its rate limit.
func LiveTooFast() *Error { return Errorf(ERATELIMITED, "%s", msgLiveTooFast) }

// LiveQuestionsFirst refuses a page size of live questions out of range.
func LiveQuestionsFirst(max int) *Error {
	return Invalid("first", fmt.Sprintf("bitte eine Zahl von 0 bis %d angeben.", max))
}

// UnknownModerationAction refuses an action the moderation does not have.
func UnknownModerationAction() *Error {
	return Invalid("action", "diese Moderationsaktion gibt es nicht.")
}

// LiveModerationOnly refuses a participant's attempt at moderation.
func LiveModerationOnly() *Error { return Errorf(EINVALID, "%s", msgLiveModeration) }

// LiveUnavailable reports that the live sessions' shared log cannot be
// reached right now.
func LiveUnavailable() *Error { return Errorf(EUNAVAILABLE, "%s", msgLiveUnavailable) }

// InvalidLiveEventID refuses an event id that cannot name a live session.
func InvalidLiveEventID() *Error { return Invalid("eventId", msgLiveEventID) }

func msgQuestionLength(min, max int) string {
	return fmt.Sprintf("Bitte eine Frage mit %d bis %d Zeichen eingeben.", min, max)
}

func msgPollQuestion(max int) string {
	return fmt.Sprintf("Bitte eine Umfragefrage mit höchstens %d Zeichen eingeben.", max)
}

func msgPollOptionCount(max int) string {
	return fmt.Sprintf("Eine Umfrage braucht 2 bis %d Antwortmöglichkeiten.", max)
}

func msgPollOption(max int) string {
	return fmt.Sprintf("Jede Antwortmöglichkeit braucht einen Text mit höchstens %d Zeichen; keine darf doppelt vorkommen.", max)
}

func msgScaleVote(min, max int) string {
	return fmt.Sprintf("Bitte einen Wert von %d bis %d wählen.", min, max)
}

// Advisories for municipalities: marks, filters, alert subscriptions.
const (
	msgMarkNoteTooLong   = "Die Notiz ist zu lang (%d Zeichen); erlaubt sind höchstens %d Zeichen."
	msgMarkState         = "Bitte wählen Sie HANDLED (erledigt) oder NOT_AFFECTED (nicht betroffen)."
	msgAdvisoryRef       = "Bitte nennen Sie den Sicherheitshinweis entweder mit key („Herausgeber#Tracking-ID“) oder mit publisher und trackingId."
	msgMinCVSS           = "minCvss muss zwischen 0 und 10 liegen (0 = alle Hinweise), nicht %v."
	msgAdvisoryDateRange = "Das Ende des Zeitraums (to) liegt vor seinem Anfang (from)."
	msgSuggestPrefix     = "Bitte geben Sie mindestens %d Zeichen für die Produktvorschläge ein."
	msgSuggestFirst      = "first muss zwischen 1 und %d liegen."
	msgProductText       = "Der Produktfilter ist zu lang; erlaubt sind höchstens %d Zeichen."
	msgProductsTooMany   = "Die Produktliste ist zu lang (%d Einträge); erlaubt sind höchstens %d."
)

// WiBA (basic-protection progress).
const (
	msgNotWibaISB = "Sie dürfen die WiBA-Checklisten nur für Ihre eigene(n) Gemeinde(n) sehen und beantworten (hier: „%s“)."
	msgWibaAnswer = "bitte YES (ja), NO (nein) oder NOT_APPLICABLE (nicht anwendbar) angeben."
	// MsgWibaTooFew is shown instead of a comparison group that has fewer
	// than WibaMinGroup municipalities with answers.
	MsgWibaTooFew = "Zu wenige Vergleichswerte: Ein Vergleich wird erst gezeigt, wenn mindestens %d andere Gemeinden der Gruppe geantwortet haben."
)

func msgWibaNoteTooLong(max, n int) string {
	return fmt.Sprintf("die Notiz darf höchstens %d Zeichen lang sein (jetzt %d). Bitte kürzen Sie sie.", max, n)
}

// UnknownWibaQuestion reports a question id that is not in the catalogue.
func UnknownWibaQuestion(id string) *Error {
	return Invalid("question", fmt.Sprintf("die Frage „%s“ gibt es im WiBA-Katalog nicht. Fragen heißen „<Thema>-<Nummer>“, z. B. „backup-1“.", id))
}

// WibaGroupLabel names a comparison group in German.
func WibaGroupLabel(kind WibaGroupKind, name string) string {
	if kind == WibaGroupDistrict {
		return "Kreis bzw. kreisfreie Stadt: " + name
	}
	return "Gemeinden mit " + name
}

// Municipal track (issue 17): matchmaking as a municipality, the status of
// offers, and the officers' network.
const (
	txtEventForPublicBodies = "Für Kommunen und öffentliche Stellen"
	txtOfferForPublicBodies = "Für Kommunen und öffentliche Stellen"
	txtEligibleAllBodies    = "Für alle offen, auch für Kommunen"
	txtOfferRequested       = "Beantragt, noch nicht verfügbar"
	txtOfferAnnounced       = "Angekündigt, noch nicht verfügbar"
	txtStatusAsOf           = " (Stand: %s)"
)

// The officers' network (issue 17).
const (
	msgIsbFunction          = "Bitte wählen Sie eine Funktion: ISB, IT_MANAGEMENT, DATA_PROTECTION, DIGITALIZATION oder OTHER."
	msgIsbTopicsTooMany     = "Bitte wählen Sie höchstens %d Themen."
	msgIsbShare             = "Unbekannte Angabe, was Sie teilen möchten."
	msgIsbTextTooLong       = "Der Text ist zu lang (%d Zeichen); erlaubt sind höchstens %d Zeichen."
	msgIsbTextControl       = "Der Text enthält Steuerzeichen; bitte nur eine Zeile ohne Sonderzeichen eingeben."
	msgIsbUnknownTopic      = "Das Thema „%s“ gibt es nicht; die Themen stehen in Query.topics."
	msgNotIsbOfMunicipality = "Das Netzwerk der Informationssicherheitsbeauftragten steht nur den Beauftragten der Gemeinden und Admins offen; Ihr Profil und Ihre Suche gehören zu Ihrer eigenen Gemeinde (hier: „%s“)."
	msgPeerCriterion        = "erlaubt sind DISTRICT, SIMILAR_SIZE, TOPIC und WIBA_CHECKLIST."
	msgPeerTopicWithoutBy   = "ein Thema wirkt nur zusammen mit by: TOPIC."

	txtPeerSameDistrict = "Im selben Kreis: %s"
	txtPeerSimilarSize  = "Ähnlich groß: %s"
	txtPeerSameTopic    = "Arbeitet am selben Thema: %s"
	// txtPeerSameChecklist names the WiBA checklists both work on.
	txtPeerSameChecklist = "Arbeitet an derselben WiBA-Checkliste: %s"
)

// populationClassNames name the classes of PopulationBounds.
var populationClassNames = []string{
	"unter 10.000 Einwohner", "10.000 bis 19.999 Einwohner", "20.000 bis 49.999 Einwohner",
	"50.000 bis 99.999 Einwohner", "100.000 bis 499.999 Einwohner", "500.000 Einwohner und mehr",
}

// UnknownIsbTopic reports a topic id of a profile that is not in the catalogue.
func UnknownIsbTopic(id string) *Error { return Invalid("topics", fmt.Sprintf(msgIsbUnknownTopic, id)) }

// UnknownPeerTopic reports a topic id of a peer search that is not in the catalogue.
func UnknownPeerTopic(id string) *Error { return Invalid("topic", fmt.Sprintf(msgIsbUnknownTopic, id)) }

// BadCursor reports an after cursor that is not one of the list's.
func BadCursor() *Error { return Errorf(EINVALID, "%s", msgBadCursor) }

// Digi-SOS: eligibility, incidents and handover links.
const (
	msgIncidentWhatEmpty    = "Bitte beschreiben Sie kurz, was passiert ist."
	msgIncidentSinceMissing = "Bitte geben Sie an, seit wann der Vorfall besteht (Datum und Uhrzeit)."
	msgIncidentFuture       = "Der Zeitpunkt liegt in der Zukunft; bitte prüfen Sie Datum und Uhrzeit."
	msgIncidentParty        = "Unbekannte Stelle; erlaubt sind CERT_NRW, POLICE, DIGISOS_PROVIDER, IT_PROVIDER und DATA_PROTECTION."
	msgIncidentPartyTwice   = "Jede Stelle kann nur einmal angegeben werden; bitte nennen Sie den ersten Kontakt."
	msgIncidentReachedAt    = "Bitte geben Sie an, wann Sie die Stelle erreicht haben (Datum und Uhrzeit)."
	msgIncidentVersion      = "Der Vorfall wurde inzwischen geändert (jetzt Version %d). Bitte laden Sie die Seite neu und übernehmen Sie Ihre Änderungen."
	msgHandoverLabelEmpty   = "Bitte geben Sie an, für wen der Link ist (z. B. „CERT NRW“ oder „Polizei“)."
	msgHandoverTooMany      = "Für diesen Vorfall gibt es schon %d Übergabe-Links, mehr sind nicht möglich. Bitte geben Sie einen vorhandenen, noch gültigen Link weiter."
	msgHandoverRevoked      = "Dieser Übergabe-Link wurde von der Gemeinde widerrufen. Bitte fragen Sie dort nach einem neuen Link."
	msgHandoverExpired      = "Dieser Übergabe-Link ist abgelaufen (er gilt 7 Tage). Bitte fragen Sie bei der Gemeinde nach einem neuen Link."
	msgHandoverUnknown      = "Dieser Übergabe-Link ist ungültig. Bitte prüfen Sie, ob er vollständig kopiert wurde."
	msgEligibilitySubject   = "Bitte nennen Sie genau eines: ags (Gemeinde), districtKey (Kreis oder kreisfreie Stadt) oder organization (Organisation)."
)

func msgTooLong(max int) string {
	return fmt.Sprintf("Der Text ist zu lang; erlaubt sind höchstens %d Zeichen.", max)
}

// MsgEligibilitySubject asks for exactly one subject of the eligibility check.
const MsgEligibilitySubject = msgEligibilitySubject

func msgIncidentVersionConflict(v int) string { return fmt.Sprintf(msgIncidentVersion, v) }

func msgHandoverLimit(n int) string { return fmt.Sprintf(msgHandoverTooMany, n) }

// MsgHandoverLimit says that an incident has as many links as allowed.
func MsgHandoverLimit(n int) string { return msgHandoverLimit(n) }

// MsgIncidentVersionConflict says that the incident changed meanwhile.
func MsgIncidentVersionConflict(v int) string { return msgIncidentVersionConflict(v) }

func txtEligibleMunicipality(name, ags string) string {
	return fmt.Sprintf("Abrufberechtigt: %s (AGS %s) ist eine Gemeinde in NRW und damit eine kommunale Gebietskörperschaft; der Rahmenvertrag steht allen nordrhein-westfälischen Kommunalbehörden offen.", name, ags)
}

func txtEligibleDistrict(name string, kind DistrictKind) string {
	what := map[DistrictKind]string{Kreis: "ein Kreis", KreisfreieStadt: "eine kreisfreie Stadt", Staedteregion: "die Städteregion Aachen"}[kind]
	if what == "" {
		what = "ein Kreis oder eine kreisfreie Stadt"
	}
	return fmt.Sprintf("Abrufberechtigt: %s ist %s in NRW und damit eine kommunale Gebietskörperschaft; der Rahmenvertrag steht allen nordrhein-westfälischen Kommunalbehörden offen.", name, what)
}

func txtEligibleMunicipalOrg(name string) string {
	return fmt.Sprintf("Abrufberechtigt: %s ist im Netzwerk als kommunale Verwaltung (Art MUNICIPALITY) verzeichnet; Kommunalbehörden in NRW sind abrufberechtigt.", name)
}

func txtEligiblePolice(name string) string {
	return fmt.Sprintf("Abrufberechtigt: %s ist eine Behörde der Polizei NRW und damit eine Landesbehörde; laut Land NRW steht Digi-SOS auch den Landesbehörden offen.", name)
}

func txtNotEligibleInternational(name string) string {
	return fmt.Sprintf("Nicht abrufberechtigt: %s ist im Netzwerk als internationale Stelle (Art INTERNATIONAL) verzeichnet; Digi-SOS steht nur nordrhein-westfälischen Stellen offen.", name)
}

func txtUndeterminedOrg(name string, kind OrganizationKind) string {
	return fmt.Sprintf("Nicht feststellbar: Für %s kennt das Netzwerk nur die Art %s, nicht die Rechtsform oder die Träger. Abrufberechtigt sind nur öffentliche Stellen in NRW (Kommunal- und Landesbehörden, kommunale Körperschaften, Anstalten und Stiftungen des öffentlichen Rechts, Unternehmen der Kommunen und der Landesverwaltung).", name, kind)
}

func txtUndeterminedCheck(kind OrganizationKind) string {
	switch kind {
	case OrgEconomicDevelopment:
		return "Bitte prüfen Sie im Gesellschaftsvertrag oder im Beteiligungsbericht der Kommune, ob die Gesellschaft ein Unternehmen der Kommunen ist (kommunale Mehrheitsbeteiligung)."
	case OrgChamber:
		return "Kammern sind Körperschaften des öffentlichen Rechts, aber keine kommunalen; bitte klären Sie die Abrufberechtigung beim MHKBD."
	case OrgMinistry, OrgCERT:
		return "Bitte prüfen Sie, ob es eine Behörde des Landes NRW ist (Landesbehörden sind abrufberechtigt) oder eine des Bundes (nicht abrufberechtigt)."
	}
	return "Bitte prüfen Sie Satzung oder Gesellschaftsvertrag: Ist die Stelle eine kommunale Körperschaft, Anstalt oder Stiftung des öffentlichen Rechts oder ein Unternehmen der Kommunen oder der Landesverwaltung in NRW?"
}

// Kinds of the Digi-SOS objects, for messages.
const (
	KindIncident     Kind = "Vorfall"
	KindHandoverLink Kind = "Übergabe-Link"
)
