// All German texts of the web frontend. Nothing a person reads is written
// anywhere else (index.html and graphiql.html take their texts from here at
// build time).
import type {
  CheckAnswer,
  EmergencyKind,
  EventFormat,
  EventMode,
  RegionKind,
  RegistrationStatus,
  RolloutStatus,
  Severity,
  AdvisoryHandling,
  AdvisoryMarkState,
  LiveMode,
  PollKind,
} from "./gql/graphql";
import type { IsbFunction, IsbShare, OfferStatus, PeerCriterion } from "./gql/graphql";

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const texts = {
  app: {
    name: "Cyberlotse",
    title: "Cyberlotse – Hilfe bei Cyberangriffen für Unternehmen in NRW",
    description:
      "Wen rufe ich an, was findet in meiner Nähe statt, was tun wir zuerst? Cyberlotse verbindet Unternehmen in NRW mit dem Netzwerk für Cybersicherheit.",
    noscript:
      "Cyberlotse braucht JavaScript. Im Notfall: Polizeinotruf 110 oder die Zentrale Ansprechstelle Cybercrime (ZAC) der Polizei NRW.",
    pageTitle: (page: string) => `${page} – Cyberlotse`,
    skipLink: "Zum Inhalt springen",
    navLabel: "Hauptnavigation",
    nav: {
      start: "Hilfe finden",
      events: "Veranstaltungen",
      emergency: "Notfall",
      selfCheck: "Selbstcheck",
      manager: "Für Regionalmanagement",
    },
    footer:
      "Cyberlotse – ein Angebot des Netzwerks für Cybersicherheit in kleinen und mittleren Unternehmen in Nordrhein-Westfalen.",
    sources:
      "Quellen: Statistisches Bundesamt (Destatis), GV-ISys; © OpenStreetMap-Mitwirkende, ODbL 1.0; © GeoBasis-DE / BKG. Daten verändert.",
  },

  place: {
    label: "Postleitzahl oder Ort",
    hint: "Zum Beispiel 32689 oder Kalletal",
    missing: "Bitte geben Sie eine Postleitzahl oder einen Ort ein.",
    candidatesHeading: "Welchen Ort meinen Sie?",
    candidatesIntro: (input: string) => `„${input}“ passt zu mehreren Gemeinden. Bitte wählen Sie:`,
  },

  badges: {
    sample: "Beispieldaten",
    sampleExplained:
      "Einträge mit „Beispieldaten“ sind Beispiele (etwa erfundene Termine oder vorläufige Titel), keine veröffentlichten Angaben.",
    cancelled: "Abgesagt",
  },

  start: {
    heading: "Cyberlotse – Hilfe bei Cyberangriffen für Unternehmen in NRW",
    intro:
      "Wen rufen wir an? Was findet in unserer Nähe statt? Was tun wir zuerst? Geben Sie Ihre Postleitzahl oder Ihren Ort ein.",
    submit: "Hilfe finden",
    emergencyButton: "Wir wurden angegriffen",
    emergencyHint: "Erste Schritte und wen Sie jetzt anrufen",
    searching: (input: string) => `Suche nach Hilfe für „${input}“ …`,
    resultsHeading: (place: string) => `Hilfe für ${place}`,
    found: (place: string, contacts: number, events: number) =>
      `Ergebnisse für ${place}: ${count(contacts, "Ansprechstelle", "Ansprechstellen")}, ${count(events, "Veranstaltung", "Veranstaltungen")}.`,
    regions: "Ihre Region:",
    contactsHeading: "Ihre Ansprechstellen",
    eventsHeading: "Nächste Veranstaltungen",
    noEvents: "Zurzeit sind keine Veranstaltungen in Ihrer Nähe geplant.",
    allEvents: "Alle Veranstaltungen",
    measuresHeading: "Was Sie zuerst tun können",
    rolloutStatus: (status: string) => `Stand in Ihrer Region: ${status}`,
    offersHeading: "Angebote für Sie",
    offerBy: (provider: string) => `Anbieter: ${provider}`,
    selfCheckLink: "Selbstcheck: Wie gut ist Ihr Betrieb geschützt?",
    selfCheckHint: "27 Fragen in sechs Bereichen, etwa eine Stunde, ohne Konto – mit Empfehlungen und Hilfe in Ihrer Nähe.",
  },

  rolloutStatus: {
    NOT_STARTED: "noch nicht begonnen",
    PLANNED: "geplant",
    IN_PROGRESS: "in Umsetzung",
    LIVE: "in Betrieb",
    EVALUATED: "evaluiert",
    PAUSED: "pausiert",
  } satisfies Record<RolloutStatus, string>,

  contact: {
    call: (number: string) => `${number} anrufen`,
    email: "E-Mail",
    website: "Website",
    availability: (when: string) => `Erreichbar: ${when === "24/7" ? "rund um die Uhr" : when}`,
    reasonsLabel: "Warum",
    organization: (name: string) => `Organisation: ${name}`,
  },

  emergency: {
    heading: "Wir wurden angegriffen – was jetzt?",
    call110: "Bei Gefahr für Menschen oder einer laufenden Straftat: Polizeinotruf",
    intro: "Geben Sie Ihre Postleitzahl oder Ihren Ort ein, dann zeigen wir die ersten Schritte und wen Sie jetzt anrufen.",
    submit: "Hilfe anzeigen",
    situationHeading: "Ort und Betroffene ändern",
    kindLegend: "Wer ist betroffen?",
    kinds: {
      COMPANY: "Unternehmen",
      MUNICIPALITY: "Kommune",
      CITIZEN: "Privatperson",
    } satisfies Record<EmergencyKind, string>,
    loading: "Notfallhilfe wird geladen …",
    loaded: (place: string, kind: string) => `Notfallhilfe für ${kind} in ${place} geladen.`,
    stepsHeading: "Die ersten Schritte",
    contactsHeading: "Wen Sie jetzt anrufen",
    placeLine: (place: string) => `Für ${place}`,
  },

  events: {
    heading: "Veranstaltungen",
    intro: "Infoabende, Lunchtalks, Planspiele und Workshops des Netzwerks in NRW.",
    filtersHeading: "Veranstaltungen filtern",
    from: "Datum ab",
    format: "Format",
    region: "Region",
    near: "In der Nähe von",
    nearHint: "Postleitzahl oder Ort; zeigt nur Veranstaltungen mit Ort (vor Ort oder hybrid).",
    radius: "Umkreis",
    radiusKm: (km: number) => `${km} km`,
    distance: (km: number) => (km < 1 ? "am Ort" : `${Math.round(km).toLocaleString("de-DE")} km entfernt`),
    all: "Alle",
    apply: "Anzeigen",
    loading: "Veranstaltungen werden geladen …",
    shown: (shown: number, total: number) =>
      total === 0 ? "Keine Veranstaltungen gefunden." : `${shown} von ${count(total, "Veranstaltung", "Veranstaltungen")} angezeigt.`,
    none: "Für diese Auswahl gibt es keine Veranstaltungen. Ändern Sie die Filter, zum Beispiel ein früheres Datum.",
    more: "Mehr laden",
    loadingMore: "Weitere Veranstaltungen werden geladen …",
    online: "Online",
  },

  formats: {
    INFO_EVENING: "Infoabend",
    LUNCHTALK: "Lunchtalk",
    TABLETOP: "Planspiel",
    KICKOFF: "Auftaktveranstaltung",
    WORKSHOP: "Workshop",
    CONFERENCE: "Konferenz",
  } satisfies Record<EventFormat, string>,

  modes: {
    ONSITE: "vor Ort",
    ONLINE: "online",
    HYBRID: "vor Ort und online",
  } satisfies Record<EventMode, string>,

  time: {
    clock: "Uhr",
    until: "bis",
  },

  event: {
    loading: "Veranstaltung wird geladen …",
    notFound: "Diese Veranstaltung gibt es nicht (mehr).",
    back: "Zur Übersicht der Veranstaltungen",
    when: "Wann",
    where: "Wo",
    online: "Online",
    onlineLink: "Zur Online-Teilnahme",
    organizer: "Veranstalter",
    format: "Format",
    places: "Plätze",
    placesUnlimited: "Unbegrenzt",
    placesFree: (n: number) => (n === 0 ? "Ausgebucht" : count(n, "Platz frei", "Plätze frei")),
    waitlist: (n: number) => count(n, "Person auf der Warteliste", "Personen auf der Warteliste"),
    placesUnavailable: "Die freien Plätze können gerade nicht angezeigt werden.",
    calendar: "Zum Kalender hinzufügen",
    measures: "Behandelte Maßnahmen",
    registrationNote: "Hinweis zur Anmeldung",
    sampleNote: "Beispieldaten: Dieser Termin ist ein Beispiel und wurde so nicht veröffentlicht.",
    cancelledNote: "Diese Veranstaltung wurde abgesagt.",
    pastNote: "Diese Veranstaltung hat bereits stattgefunden.",
  },

  register: {
    heading: "Anmelden",
    intro: "Die Teilnahme ist kostenlos. Pflichtfelder sind mit * gekennzeichnet.",
    name: "Name",
    email: "E-Mail-Adresse",
    emailHint: "Hierhin schicken wir die Bestätigung mit Kalendereintrag.",
    company: "Firma (optional)",
    consent: (organizer: string) =>
      `Ich willige ein, dass Cyberlotse meinen Namen, meine E-Mail-Adresse und – falls angegeben – meine Firma speichert und an den Veranstalter (${organizer}) weitergibt, um meine Anmeldung zu verwalten und mir Bestätigung, Erinnerungen und Änderungen zu dieser Veranstaltung per E-Mail zu schicken. Ich kann die Einwilligung jederzeit widerrufen: Über den Link in der Bestätigungs-E-Mail kann ich meine Anmeldung einsehen, stornieren und meine Daten löschen.`,
    submit: "Verbindlich anmelden",
    sending: "Anmeldung wird gesendet …",
    errorsHeading: "Bitte prüfen Sie Ihre Angaben:",
    nameMissing: "Bitte geben Sie Ihren Namen ein.",
    emailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@firma.de.",
    consentMissing: "Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu; ohne Zustimmung ist keine Anmeldung möglich.",
    confirmed: (email: string) =>
      `Sie sind angemeldet. Eine Bestätigung mit Kalendereintrag ist unterwegs an ${email}.`,
    waitlisted: (position: number, email: string) =>
      `Die Veranstaltung ist ausgebucht. Sie stehen auf Platz ${position} der Warteliste. Sobald ein Platz frei wird, rücken Sie automatisch nach und bekommen eine E-Mail an ${email}.`,
    stillConfirmed: "Sie sind angemeldet.",
    cancelledBefore: "Diese Anmeldung wurde storniert. Über den Link unten können Sie sie ansehen.",
    already: (email: string) => `Mit ${email} waren Sie bereits angemeldet; es gilt Ihre bestehende Anmeldung.`,
    manage: "Anmeldung verwalten",
    manageHint: "Den Link zum Verwalten finden Sie auch in der E-Mail.",
    manageByMail: "Den Link zum Verwalten Ihrer Anmeldung finden Sie in Ihrer Bestätigungs-E-Mail.",
  },

  manage: {
    heading: "Ihre Anmeldungen",
    intro: "Hier sehen Sie Ihre Anmeldungen. Sie können stornieren, Ihre Daten herunterladen oder löschen.",
    noToken:
      "Dieser Link ist unvollständig. Bitte öffnen Sie den vollständigen Link aus Ihrer Bestätigungs-E-Mail.",
    loading: "Ihre Anmeldungen werden geladen …",
    none: "Zu diesem Link gibt es keine Anmeldungen mehr.",
    registeredAt: (date: string) => `Angemeldet am ${date}`,
    actionsHeading: "Was möchten Sie tun?",
    cancel: "Anmeldung stornieren",
    cancelHint: "Storniert die Anmeldung, zu der dieser Link gehört. Ihr Platz geht an die Warteliste.",
    cancelConfirmTitle: "Anmeldung stornieren?",
    cancelConfirmText:
      "Die Anmeldung aus diesem Link wird storniert. Wenn Sie später doch teilnehmen möchten, melden Sie sich neu an.",
    cancelConfirm: "Ja, stornieren",
    cancelled: (title: string) => `Ihre Anmeldung zu „${title}“ ist storniert.`,
    export: "Meine Daten herunterladen (JSON)",
    exportHint: "Alle Daten, die Cyberlotse über Sie gespeichert hat, als Datei.",
    exportFile: "cyberlotse-meine-daten.json",
    exported: "Ihre Daten wurden als Datei heruntergeladen.",
    delete: "Meine Daten löschen",
    deleteHint: "Löscht Sie mit allen Anmeldungen. Das lässt sich nicht rückgängig machen.",
    deleteConfirmTitle: "Alle Daten löschen?",
    deleteConfirmText:
      "Ihre Angaben und alle Ihre Anmeldungen werden endgültig gelöscht. Plätze, die Sie belegt haben, gehen an die Warteliste.",
    deleteConfirm: "Ja, endgültig löschen",
    deleted: "Ihre Daten sind gelöscht. Der Link in Ihrer E-Mail funktioniert nicht mehr.",
    dismiss: "Abbrechen",
    working: "Einen Moment …",
  },

  registrationStatus: {
    CONFIRMED: "Angemeldet",
    WAITLISTED: "Auf der Warteliste",
    CANCELLED: "Storniert",
  } satisfies Record<RegistrationStatus, string>,
  waitlistPosition: (position: number) => `Platz ${position}`,

  manager: {
    navLabel: "Regionalmanagement",
    rollout: "Umsetzung",
    map: "Karte",
    signOut: "Abmelden",
    signedOut: "Sie sind abgemeldet. Das Zugangstoken ist aus diesem Browserfenster gelöscht.",
    signInFirst: "Bitte melden Sie sich an, um diese Seite zu sehen.",
    forbidden: (serverMessage: string) =>
      `${serverMessage ? `${serverMessage} ` : ""}Die Umsetzung sehen und ändern nur Regionalmanagerinnen und Regionalmanager (Rolle REGIONAL_MANAGER) für ihre eigenen Regionen und deren Satelliten. Bitte melden Sie sich mit einem passenden Zugangstoken an.`,
    toSignIn: "Mit einem anderen Zugangstoken anmelden",
    regionKinds: {
      MODEL_REGION: "Modellregion",
      SATELLITE: "Satellit",
    } satisfies Record<RegionKind, string>,
  },

  signIn: {
    heading: "Anmeldung für das Regionalmanagement",
    intro:
      "Regionalmanagerinnen und Regionalmanager verfolgen hier die Umsetzung der 13 Maßnahmen in ihren Regionen und Satelliten und pflegen deren Stand.",
    token: "Zugangstoken",
    tokenHint:
      "Fügen Sie das Zugangstoken ein, das Sie erhalten haben. Es bleibt nur in diesem Browserfenster gespeichert, bis Sie sich abmelden oder das Fenster schließen.",
    show: "Token anzeigen",
    submit: "Anmelden",
    checking: "Das Zugangstoken wird geprüft …",
    missing: "Bitte fügen Sie Ihr Zugangstoken ein.",
    signedIn: "Sie sind angemeldet.",
    toRollout: "Zur Umsetzung der Maßnahmen",
    localHeading: "Ein Token für die lokale Entwicklung",
    localText:
      "Auf einem lokalen Cyberlotse-Server erzeugt dieser Befehl im Projektverzeichnis ein Token für die Modellregion Bergisches Städtedreieck und ihre Satelliten:",
    localCommand: "bin/server token --role REGIONAL_MANAGER --region bergisches-staedtedreieck",
    localAfter:
      "Das Token ist die letzte Zeile der Ausgabe und 8 Stunden gültig; mit --ttl 1h wählen Sie eine andere Dauer.",
  },

  rollout: {
    heading: "Umsetzung der Maßnahmen",
    intro:
      "Der Stand der 13 Maßnahmen in Ihren Regionen. Wählen Sie eine Zelle, um Verlauf, Meilensteine und Notizen zu sehen und den Stand zu ändern.",
    keyboardHint:
      "Tastatur: Mit Tab oder den Pfeiltasten wechseln Sie zwischen den Zellen, mit der Eingabetaste öffnen Sie eine Zelle.",
    loading: "Die Umsetzung wird geladen …",
    loaded: (regions: number) => `Umsetzung für ${count(regions, "Region", "Regionen")} mit je 13 Maßnahmen geladen.`,
    none: "Ihrem Zugang ist keine Region zugeordnet.",
    caption: "Umsetzung nach Region (Zeilen) und Maßnahme (Spalten)",
    region: "Region",
    notRecorded: "noch nicht erfasst",
    percent: (n: number) => `${n} %`,
    reach: {
      events: (n: number) => count(n, "Veranstaltung", "Veranstaltungen"),
      registrations: (n: number) => count(n, "Anmeldung", "Anmeldungen"),
      companies: (n: number) => `${n} Unternehmen`,
      satellites: (n: number) => count(n, "Satellit", "Satelliten"),
    },
    cellContext: (code: string, region: string) => `(${code}, ${region})`,
    legendHeading: "Legende",
    notRecordedExplained: "Für diese Maßnahme hat noch niemand einen Stand eingetragen.",
    reachExplained:
      "Reichweite, aus den Daten berechnet: Veranstaltungen zur Maßnahme, bestätigte Anmeldungen, Unternehmen aus der Region unter den Angemeldeten und bei Modellregionen die Satelliten, in denen die Maßnahme läuft.",
    reachAsOf: (when: string) =>
      `Veranstaltungen, Anmeldungen und Unternehmen werden regelmäßig neu berechnet; Stand: ${when}. Die Satelliten sind immer aktuell.`,
    saved: (code: string, region: string, status: string, progress: number) =>
      `Gespeichert: ${code} in ${region} ist jetzt „${status}“, ${progress} %.`,
    conflict:
      "Jemand hat diesen Eintrag inzwischen geändert. Der aktuelle Stand ist jetzt geladen; bitte prüfen Sie ihn und wiederholen Sie Ihre Änderung.",
    reloadFailed: "Der aktuelle Stand konnte nicht geladen werden. Bitte laden Sie die Seite neu.",
  },

  rolloutDetail: {
    heading: (code: string, title: string) => `${code}: ${title}`,
    close: "Schließen",
    current: "Aktueller Stand",
    status: "Status",
    progress: "Fortschritt",
    reach: "Reichweite",
    responsible: "Verantwortlich",
    updated: "Zuletzt geändert",
    updatedBy: (when: string, by: string) => `${when} von ${by}`,
    version: "Version",
    editHeading: "Stand ändern",
    statusLabel: "Status",
    statusHint: "Zur Wahl stehen der aktuelle Status und die erlaubten nächsten.",
    statusCurrent: (label: string) => `${label} (aktuell)`,
    statusNotAllowed: "Dieser Statuswechsel ist nicht erlaubt. Bitte wählen Sie einen der angebotenen Status.",
    progressLabel: "Fortschritt in Prozent",
    progressHint: "Eine ganze Zahl von 0 bis 100.",
    progressInvalid: "Bitte geben Sie für den Fortschritt eine ganze Zahl von 0 bis 100 ein.",
    notesLabel: "Notizen",
    notesHint: "Für alle, die diese Region betreuen; höchstens 5000 Zeichen.",
    notesTooLong: "Die Notizen dürfen höchstens 5000 Zeichen lang sein.",
    milestones: "Meilensteine",
    milestonesNone: "Noch keine Meilensteine.",
    milestone: (n: number) => `Meilenstein ${n}`,
    milestoneTitle: "Titel",
    milestoneDue: "Fällig am (optional)",
    milestoneDone: "Erledigt",
    milestoneRemove: "Entfernen",
    milestoneAdd: "Meilenstein hinzufügen",
    milestoneTitleMissing: "Bitte geben Sie jedem Meilenstein einen Titel (höchstens 200 Zeichen).",
    noteLabel: "Änderungsnotiz für den Verlauf",
    noteHint: "Kurz, warum sich etwas ändert; höchstens 1000 Zeichen.",
    noteTooLong: "Die Änderungsnotiz darf höchstens 1000 Zeichen lang sein.",
    errorsHeading: "Bitte prüfen Sie Ihre Angaben:",
    save: "Speichern",
    saving: "Wird gespeichert …",
    cancel: "Abbrechen",
    historyHeading: "Verlauf",
    historyLoading: "Der Verlauf wird geladen …",
    historyNone: "Noch keine Änderungen.",
    historyBy: (by: string) => `von ${by}`,
    statusChange: (from: string, to: string) => (from === to ? `Status „${to}“` : `Status von „${from}“ zu „${to}“`),
    progressChange: (from: number, to: number) =>
      from === to ? `Fortschritt ${to} %` : `Fortschritt von ${from} % auf ${to} %`,
  },

  map: {
    heading: "Karte der Regionen und Veranstaltungen",
    intro:
      "Ihre Regionen und die kommenden Veranstaltungen in Nordrhein-Westfalen. Alle Angaben der Karte stehen auch in den Tabellen darunter.",
    loading: "Die Karte wird geladen …",
    loaded: (regions: number, places: number) =>
      `Karte geladen: ${count(regions, "Region", "Regionen")}, ${count(places, "Ort", "Orte")} mit kommenden Veranstaltungen.`,
    title: "Karte von Nordrhein-Westfalen mit Ihren Regionen und kommenden Veranstaltungen",
    description: (regions: string, places: number) =>
      `Die 53 Kreise und kreisfreien Städte in Nordrhein-Westfalen. Hervorgehoben: ${regions}. Punkte markieren ${count(places, "Ort", "Orte")} mit kommenden Veranstaltungen. Dieselben Angaben stehen in den Tabellen unter der Karte.`,
    regionDistricts: (region: string, districts: string) => `${region} (${districts})`,
    legendHeading: "Legende",
    legendModel: "Kreis oder kreisfreie Stadt einer Modellregion (blau, gefüllt)",
    legendSatellite: "Kreis mit einem Satelliten (orange, schraffiert)",
    legendEvent: "Ort mit kommenden Veranstaltungen (roter Punkt)",
    attribution: "Geometrie: © GeoBasis-DE / BKG 2013 (Daten verändert)",
    regionsHeading: "Ihre Regionen",
    regionsCaption: "Ihre Regionen mit ihren Gemeinden und Kreisen",
    region: "Region",
    kind: "Art",
    municipalities: "Gemeinden",
    districts: "Kreis oder kreisfreie Stadt",
    eventsHeading: "Kommende Veranstaltungen",
    eventsCaption: "Kommende Veranstaltungen in Nordrhein-Westfalen, nach Beginn",
    when: "Beginn",
    event: "Veranstaltung",
    place: "Ort",
    district: "Kreis",
    online: "Online (nicht auf der Karte)",
    noEvents: "Zurzeit sind keine Veranstaltungen geplant.",
    moreEvents: (shown: number, total: number) =>
      `Die Karte zeigt die nächsten ${shown} von ${total} Veranstaltungen; alle finden Sie in der Veranstaltungsliste.`,
    allEvents: "Alle Veranstaltungen",
  },

  selfCheck: {
    heading: "Selbstcheck: Wie gut ist Ihr Betrieb geschützt?",
    title: "Selbstcheck",
    intro:
      "In etwa einer Stunde sehen Sie, wo Ihr Betrieb bei der IT-Sicherheit steht, was Sie zuerst tun sollten und wer Ihnen in Ihrer Nähe dabei hilft.",
    howHeading: "So funktioniert der Selbstcheck",
    how: [
      "Zuerst fünf Vorab-Fragen: was es in Ihrem Betrieb gibt (Arbeit von zu Hause, Zugriff von außen, WLAN, Fernwartung, Datensicherung). Anforderungen zu etwas, das es bei Ihnen nicht gibt, fallen weg.",
      "Dann bis zu 27 Anforderungen in sechs Bereichen, eine pro Seite. Sie antworten mit Ja, Nein oder Weiß nicht; „Weiß nicht“ zählt wie Nein.",
      "Jede Antwort wird sofort gespeichert. Sie können jederzeit unterbrechen und später weitermachen.",
      "Am Ende sehen Sie Ihre Punkte, Ihr Profil je Bereich und zu jeder Lücke eine Empfehlung, die dringendste zuerst – mit Veranstaltungen, Ansprechstellen, Angeboten und Maßnahmen in Ihrer Nähe.",
    ],
    durationHeading: "Dauer",
    duration:
      "Etwa eine Stunde, je nachdem, wie gut Sie Ihre IT kennen. Wenn Sie etwas nicht wissen, antworten Sie mit „Weiß nicht“ oder fragen Sie Ihren IT-Dienstleister und machen Sie später weiter.",
    accountHeading: "Ohne Konto, ohne E-Mail-Adresse",
    account:
      "Sie brauchen kein Konto. Nach dem Start bekommen Sie einen geheimen Link: Mit ihm machen Sie weiter, laden Ihre Antworten herunter, teilen das Ergebnis mit Ihrem IT-Dienstleister oder löschen alles. Der Selbstcheck enthält keine Angaben zu Personen.",
    modelHeading: "Vorbild: der CyberRisikoCheck nach DIN SPEC 27076",
    model: (modelledOn: string) =>
      `Vorbild für den Aufbau ist ${modelledOn}, ein Standard für die Beratung kleiner Unternehmen bis 50 Beschäftigte zur IT-Sicherheit: Anforderungen in sechs Bereichen, Vorab-Fragen, die Anforderungen entfallen lassen, und TOP-Anforderungen mit besonderem Gewicht. Fragen, Erläuterungen und Empfehlungen sind eigene Formulierungen von Cyberlotse, nicht der Text der Norm. Der Selbstcheck ersetzt keine Beratung nach der Norm durch einen IT-Dienstleister.`,
    reportModel: (modelledOn: string) =>
      `Aufbau nach dem Vorbild von ${modelledOn}; Fragen und Empfehlungen sind eigene Formulierungen von Cyberlotse.`,
    sampleNote:
      "Der Fragenkatalog ist ein Beispiel: Auswahl, Wortlaut und Gewichtung der Anforderungen sind nicht gegen die Norm geprüft.",
    source: (source: string) => `Quelle: ${source}`,
    catalogueLoading: "Der Fragenkatalog wird geladen …",

    profileHeading: "Angaben zu Ihrem Betrieb (freiwillig)",
    profileIntro:
      "Mit dem Ort zeigt Cyberlotse Veranstaltungen und Ansprechstellen in Ihrer Nähe, mit der Zahl der Beschäftigten passende Förderangebote. Sie können die Felder auch leer lassen.",
    employees: "Zahl der Beschäftigten (optional)",
    employeesHint: "Eine ganze Zahl, zum Beispiel 8.",
    employeesInvalid: "Bitte geben Sie die Zahl der Beschäftigten als ganze Zahl ein, zum Beispiel 8, oder lassen Sie das Feld leer.",
    sector: "Branche (optional)",
    sectorHint: "Wirtschaftszweig nach WZ 2008, zum Beispiel 43.21 für Elektroinstallation; höchstens 20 Zeichen.",
    sectorInvalid: "Die Branche darf höchstens 20 Zeichen lang sein, zum Beispiel 43.21.",
    place: "Ort Ihres Betriebs (optional)",
    placeHint: "Postleitzahl oder Ort, zum Beispiel 32689 oder Kalletal.",
    placePicked: (name: string) => `Gewählt: ${name}. Starten Sie jetzt den Selbstcheck.`,
    errorsHeading: "Bitte prüfen Sie Ihre Angaben:",
    start: "Selbstcheck starten",
    starting: "Der Selbstcheck wird angelegt …",
    rateLimited: "Von Ihrem Anschluss wurden gerade viele Selbstchecks begonnen. Bitte versuchen Sie es in einigen Minuten erneut.",

    linkHeading: "Ihr Link zum Weitermachen",
    linkIntro:
      "Mit diesem Link machen Sie jederzeit weiter – auch nachdem Sie den Browser geschlossen haben oder auf einem anderen Gerät.",
    linkOnlyWay:
      "Er ist der einzige Weg zurück zu Ihrem Selbstcheck: Cyberlotse speichert den Link nicht und kann ihn nicht wiederherstellen. Legen Sie ein Lesezeichen an oder kopieren Sie ihn in Ihren Passwort-Manager.",
    linkSecret: "Wer den Link hat, kann Ihre Antworten sehen, ändern und löschen. Geben Sie ihn nur weiter, wenn Sie das wollen.",
    linkLabel: "Link zum Weitermachen",
    copy: "Link kopieren",
    copied: "Der Link ist in die Zwischenablage kopiert.",
    copyFailed: "Der Link konnte nicht kopiert werden. Bitte markieren und kopieren Sie ihn selbst.",
    begin: "Mit den Fragen beginnen",

    loading: "Ihr Selbstcheck wird geladen …",
    noToken: "Dieser Link ist unvollständig. Bitte verwenden Sie den vollständigen Link zum Weitermachen.",
    welcomeHeading: "Willkommen zurück",
    welcomePaused: "Ihr Selbstcheck ist unterbrochen. Alle Antworten sind gespeichert.",
    welcomeInProgress: "Alle bisherigen Antworten sind gespeichert.",
    continue: "Weitermachen",
    newCheck: "Einen neuen Selbstcheck beginnen",

    progress: (answered: number, total: number) => `${answered} von ${total} Fragen beantwortet`,
    statusPosition: (n: number, total: number) => `Vorab-Frage ${n} von ${total}`,
    statusIntro: "Vorab: Was gibt es in Ihrem Betrieb? Anforderungen zu etwas, das es bei Ihnen nicht gibt, fallen weg.",
    requirementPosition: (n: number, total: number) => `Frage ${n} von ${total}`,
    areaPosition: (index: number, areas: number, title: string, n: number, total: number) =>
      `Bereich ${index} von ${areas}: ${title} – Frage ${n} von ${total} in diesem Bereich`,
    requirementNumber: (n: number) => `Anforderung ${n}`,
    top: "TOP",
    topExplained:
      "TOP-Anforderung: besonders wichtig. Erfüllt zählt sie +3 Punkte, nicht erfüllt −3; alle anderen Anforderungen zählen 1 oder 0 Punkte.",
    answers: {
      YES: "Ja",
      NO: "Nein",
      UNKNOWN: "Weiß nicht",
    } satisfies Record<CheckAnswer, string>,
    statusAnswers: { yes: "Ja", no: "Nein" },
    current: "bisherige Antwort",
    saving: "Die Antwort wird gespeichert …",
    saved: (answer: string, question: string) => `Gespeichert: ${answer} (${question}).`,
    back: "Zurück",
    next: "Weiter",
    pause: "Später weitermachen",
    pausing: "Der Selbstcheck wird unterbrochen …",

    pausedHeading: "Ihre Antworten sind gespeichert",
    resumeNow: "Jetzt weitermachen",
    pausedText: "Sie können den Selbstcheck jetzt schließen. Mit Ihrem Link machen Sie später an derselben Stelle weiter.",

    doneHeading: "Alle Fragen beantwortet",
    doneText:
      "Sie können Ihre Antworten noch ändern. Mit dem Abschluss werden die Antworten ausgewertet; danach lassen sie sich nicht mehr ändern.",
    reviewHeading: "Ihre Antworten",
    change: "ändern",
    answerNow: "beantworten",
    reviewTitle: "Ihre Antworten im Überblick",
    implied: "Nein (keine Datensicherung)",
    notAnswered: "noch offen",
    finish: "Abschließen und auswerten",
    finishing: "Der Selbstcheck wird ausgewertet …",
    openLeft: (n: number) => (n === 1 ? "Eine Frage ist noch offen." : `${n} Fragen sind noch offen.`),
    toOpen: "Zur nächsten offenen Frage",

    resultHeading: "Ihr Ergebnis",
    resultTitle: "Ihr Ergebnis im Selbstcheck",
    sharedHeading: "Ergebnis eines Selbstchecks",
    sharedIntro:
      "Ein Betrieb hat Ihnen das Ergebnis seines Selbstchecks freigegeben. Sie sehen es nur an; ändern kann es nur der Betrieb.",
    sharedLoading: "Das Ergebnis wird geladen …",
    whatIsIt: "Was ist der Selbstcheck?",
    finishedOn: (date: string) => `Abgeschlossen am ${date}`,
    forPlace: (place: string) => `Ort: ${place}`,
    employeesLine: (n: number) => `${n} Beschäftigte`,
    sectorLine: (sector: string) => `Branche ${sector}`,
    scoreHeading: "Gesamtergebnis",
    percent: (n: number) => `${n} %`,
    scoreLine: (points: number, min: number, max: number) =>
      `${points} Punkte auf einer Skala von ${min} (nichts erfüllt) bis ${max} (alles erfüllt)`,
    incomplete: (answered: number, applicable: number) =>
      `Noch nicht abgeschlossen: Das Ergebnis zählt nur die ${answered} von ${applicable} Anforderungen, die schon beantwortet sind.`,
    scoreExplained:
      "TOP-Anforderungen zählen +3 Punkte, wenn sie erfüllt sind, und −3, wenn nicht; alle anderen 1 oder 0. „Weiß nicht“ zählt als nicht erfüllt. Anforderungen, die nach den Vorab-Fragen wegfallen, zählen nicht.",
    profileTableHeading: "Ihr Profil nach Bereichen",
    profileCaption: "Punkte und Ergebnis je Bereich",
    area: "Bereich",
    met: "Erfüllt",
    metOf: (met: number, applicable: number) => `${met} von ${applicable}`,
    notApplicable: (n: number) => (n === 1 ? "1 entfällt" : `${n} entfallen`),
    points: "Punkte",
    pointsOf: (points: number, min: number, max: number) => `${points} (von ${min} bis ${max})`,
    result: "Ergebnis",
    areaRange: (first: number, last: number) => `Anforderungen ${first}–${last}`,
    recommendationsHeading: "Empfehlungen, die dringendste zuerst",
    recommendationsIntro:
      "Zuerst die TOP-Anforderungen, dann was mit Nein beantwortet ist, dann „Weiß nicht“. Zu den dringendsten zeigt Cyberlotse, was in Ihrer Nähe hilft.",
    noRecommendations: "Alle Anforderungen sind erfüllt. Bleiben Sie dran: Prüfen Sie Ihren Stand einmal im Jahr.",
    recommendationHeading: (rank: number, number: number, question: string) => `${rank}. Anforderung ${number}: ${question}`,
    yourAnswer: (answer: string) => `Ihre Antwort: ${answer}`,
    impliedAnswer: "Nicht gefragt: Sie haben angegeben, dass Sie keine Datensicherung haben.",
    whatToDo: "Was Sie tun können:",
    nextHeading: "Was in Ihrer Nähe hilft:",
    nextSummary: (events: number, contacts: number, offers: number, measures: number) =>
      [
        count(events, "Veranstaltung", "Veranstaltungen"),
        count(contacts, "Ansprechstelle", "Ansprechstellen"),
        count(offers, "Angebot", "Angebote"),
        count(measures, "Maßnahme", "Maßnahmen"),
      ].join(", "),
    eventsHeading: "Veranstaltungen",
    contactsHeading: "Ansprechstellen",
    offersHeading: "Angebote",
    measuresHeading: "Maßnahmen in Ihrer Region",
    about: (number: number) => `zu Anforderung ${number}`,
    noEvents: "Zurzeit keine passende Veranstaltung.",
    noContacts: "Keine Ansprechstelle gefunden.",
    noOffers: "Kein passendes Angebot gefunden.",
    noMeasures: "Zu diesem Thema wird in Ihrer Region zurzeit keine Maßnahme umgesetzt.",
    offerSource: (source: string) => `Quelle: ${source}`,
    actionsFor: (place: string, regions: string) => (regions ? `Für ${place} · ${regions}` : `Für ${place}`),
    actionsLoading: "Die nächsten Schritte in Ihrer Nähe werden geladen …",
    addPlace: "Ort speichern",
    addingPlace: "Der Ort wird gespeichert …",
    placeAdded: (place: string) => `Ort gespeichert: ${place}. Die nächsten Schritte sind jetzt geladen.`,

    ownerHeading: "Ihre Daten",
    ownerIntro: "Der Selbstcheck gehört Ihnen. Sie können ihn herunterladen, drucken, teilen und löschen.",
    export: "Als Datei herunterladen (JSON)",
    exportHint: "Alle Angaben, Antworten und das Ergebnis als Datei.",
    exportFile: "cyberlotse-selbstcheck.json",
    exported: "Ihr Selbstcheck wurde als Datei heruntergeladen.",
    print: "Bericht drucken",
    printHint: "Ergebnis, Profil und Empfehlungen als Bericht, zum Drucken oder Speichern als PDF.",
    share: "Link zum Ansehen erstellen",
    shareAgain: "Neuen Link zum Ansehen erstellen",
    shareHint:
      "Zum Beispiel für Ihren IT-Dienstleister: Wer diesen Link hat, sieht Ergebnis, Profil und Empfehlungen, kann aber nichts ändern. Ein neuer Link ersetzt den alten.",
    shareLabel: "Link zum Ansehen (nur lesen)",
    shareCreated: "Der Link zum Ansehen ist erstellt. Er wird nur jetzt angezeigt; kopieren Sie ihn.",
    sharedExists:
      "Es gibt einen Link zum Ansehen. Er wird nur beim Erstellen angezeigt; erstellen Sie einen neuen, wenn Sie ihn nicht mehr haben (der alte verfällt dann).",
    unshare: "Link zum Ansehen aufheben",
    unshareHint: "Danach öffnet der Link zum Ansehen nichts mehr.",
    unshared: "Der Link zum Ansehen ist aufgehoben.",
    copyShare: "Link kopieren",
    delete: "Selbstcheck löschen",
    deleteHint: "Löscht alle Angaben, Antworten und das Ergebnis. Das lässt sich nicht rückgängig machen.",
    deleteConfirmTitle: "Selbstcheck löschen?",
    deleteConfirmText:
      "Alle Angaben, Antworten und das Ergebnis werden endgültig gelöscht. Ihr Link zum Weitermachen und ein Link zum Ansehen funktionieren danach nicht mehr.",
    deleteConfirm: "Ja, endgültig löschen",
    deleted: "Ihr Selbstcheck ist gelöscht. Die Links zu ihm funktionieren nicht mehr.",
    deletedHeading: "Selbstcheck gelöscht",
    working: "Einen Moment …",
    reportFooter: (date: string) => `Bericht erstellt am ${date} mit dem Selbstcheck von Cyberlotse.`,
  },

  advisories: {
    kicker: (ags: string) => `Gemeinde ${ags}`,
    navLabel: "Sicherheitshinweise der Gemeinde",
    listLink: "Warnungen",
    productsLink: "Produkte und Benachrichtigung",
    heading: "Sicherheitshinweise für Ihre Gemeinde",
    intro:
      "Die Sicherheitshinweise (CSAF) des Kommunalen Warn- und Informationsdienstes, die Produkte auf der Produktliste Ihrer Gemeinde betreffen – die schwersten zuerst.",
    filterHeading: "Auswahl",
    severityLegend: "Einstufung",
    handlingLabel: "Bearbeitung",
    apply: "Anzeigen",
    reset: "Auswahl zurücksetzen",
    handling: {
      OPEN: "offen (ohne Vermerk)",
      HANDLED: "erledigt",
      NOT_AFFECTED: "nicht betroffen",
      ALL: "alle",
    } satisfies Record<AdvisoryHandling, string>,
    severity: {
      CRITICAL: "kritisch",
      HIGH: "hoch",
      MEDIUM: "mittel",
      LOW: "niedrig",
      NONE: "ohne Bewertung",
    } satisfies Record<Severity, string>,
    severitySymbol: {
      CRITICAL: "‼",
      HIGH: "!",
      MEDIUM: "◆",
      LOW: "▽",
      NONE: "○",
    } satisfies Record<Severity, string>,
    cvss: (score: number) => `CVSS ${score.toLocaleString("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1 })}`,
    loading: "Die Sicherheitshinweise werden geladen …",
    loaded: (n: number, shown: number) =>
      n === 0 ? "Keine Sicherheitshinweise für diese Auswahl." : `${count(n, "Sicherheitshinweis", "Sicherheitshinweise")}, davon ${shown} auf dieser Seite.`,
    empty: "Für diese Auswahl gibt es keine Sicherheitshinweise zu den Produkten Ihrer Gemeinde.",
    emptyProducts: "Ist Ihre Produktliste vollständig? Nur Hinweise zu Produkten auf der Liste erscheinen hier.",
    listName: "Sicherheitshinweise",
    product: "Betroffenes Produkt",
    reason: "Warum",
    published: "Veröffentlicht",
    updated: "Aktuelle Version",
    version: (v: string) => `Version ${v}`,
    cves: "CVE",
    exploit: "Ausnutzung",
    remediations: "Abhilfe",
    noRemediation: "Der Hinweis nennt keine Abhilfe.",
    remediationCategory: {
      vendor_fix: "Update des Herstellers",
      workaround: "Umgehung",
      mitigation: "Schutzmaßnahme",
      no_fix_planned: "Keine Behebung geplant",
      none_available: "Keine Abhilfe verfügbar",
    } as Record<string, string>,
    remediationLink: "Mehr zur Abhilfe",
    source: "Hinweis beim Herausgeber öffnen",
    sourceHint: (publisher: string) => `Herausgeber: ${publisher}`,
    withdrawn: "zurückgezogen",
    markStates: {
      HANDLED: "Erledigt",
      NOT_AFFECTED: "Nicht betroffen",
    } satisfies Record<AdvisoryMarkState, string>,
    markedBy: (state: string, who: string, when: string, version: string) => `${state} – vermerkt von ${who} am ${when} (Version ${version}).`,
    changed: (version: string) =>
      `Der Hinweis hat seit dem Vermerk eine neue Version (${version}). Bitte prüfen Sie, ob der Vermerk noch stimmt.`,
    markLegend: "Vermerk",
    note: "Notiz (optional)",
    noteHint: "Zum Beispiel: Update am 2. Dezember eingespielt. Höchstens 1.000 Zeichen.",
    noteTooLong: "Die Notiz ist zu lang; erlaubt sind höchstens 1.000 Zeichen.",
    markHandled: "Als erledigt vermerken",
    markNotAffected: "Als nicht betroffen vermerken",
    clearMark: "Vermerk löschen",
    marked: (title: string, state: string) => `Gespeichert: „${title}“ ist als ${state.toLowerCase()} vermerkt.`,
    cleared: (title: string) => `Der Vermerk zu „${title}“ ist gelöscht; der Hinweis ist wieder offen.`,
    failed: (message: string) => `Nicht gespeichert: ${message}`,
    noteOf: (title: string) => `Notiz zu „${title}“`,
    previous: "Vorherige Seite",
    next: "Nächste Seite",
    pageOf: (n: number) => `Seite ${n}`,
    pagination: "Seiten",
    officerForbidden: (serverMessage: string) =>
      `${serverMessage ? `${serverMessage} ` : ""}Diese Seite sehen nur die Informationssicherheitsbeauftragten der Gemeinde (Rolle MUNICIPAL_ISB mit ihrem Gemeindeschlüssel) und Admins.`,
    signInHeading: "Anmeldung für Informationssicherheitsbeauftragte",
    signInIntro: (ags: string) =>
      `Fügen Sie Ihr Zugangstoken ein (Rolle MUNICIPAL_ISB für den Gemeindeschlüssel ${ags}). Es bleibt nur in diesem Browserfenster gespeichert.`,
    localCommand: (ags: string) => `bin/server token --role MUNICIPAL_ISB --ags ${ags}`,
    signOut: "Abmelden",
  },

  products: {
    heading: "Produktliste und Benachrichtigung",
    intro:
      "Die Produkte, die Ihre Gemeinde einsetzt. Cyberlotse gleicht jeden neuen Sicherheitshinweis mit dieser Liste ab: über CPE oder PURL, wenn beide Seiten eine haben, sonst über Hersteller und Produktname und die Version.",
    listHeading: "Produktliste",
    row: (n: number) => `Produkt ${n}`,
    vendor: "Hersteller",
    name: "Produkt",
    version: "Version",
    cpe: "CPE (optional)",
    cpeHint: "Zum Beispiel cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*",
    purl: "PURL (optional)",
    purlHint: "Zum Beispiel pkg:npm/lodash@4.17.20",
    suggestionsHint: "Ab 2 Zeichen schlägt Cyberlotse Produkte aus den Sicherheitshinweisen vor (Pfeiltasten, Eingabetaste).",
    suggestions: (n: number) => (n === 0 ? "Keine Vorschläge." : `${count(n, "Vorschlag", "Vorschläge")}; mit den Pfeiltasten auswählen.`),
    suggestionsLabel: "Vorschläge",
    suggestion: (vendor: string, name: string, n: number) => `${vendor} ${name} (${count(n, "Hinweis", "Hinweise")})`,
    add: "Produkt hinzufügen",
    remove: (n: number) => `Produkt ${n} entfernen`,
    removed: (n: number) => `Produkt ${n} entfernt.`,
    empty: "Noch keine Produkte auf der Liste.",
    save: "Produktliste speichern",
    saving: "Die Produktliste wird gespeichert …",
    saved: (n: number) => `Gespeichert: ${count(n, "Produkt", "Produkte")} auf der Liste.`,
    errorsHeading: "Die Produktliste ist noch nicht gespeichert:",
    needsName: "Bitte geben Sie Hersteller und Produkt an – oder eine CPE oder PURL.",
    badCpe: "Eine CPE beginnt mit „cpe:2.3:“ oder „cpe:/“, z. B. cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*",
    badPurl: "Eine PURL beginnt mit „pkg:“ und nennt Typ und Namen, z. B. pkg:npm/lodash@4.17.20",
    tooMany: "Die Produktliste darf höchstens 500 Einträge haben.",
    loading: "Die Produktliste wird geladen …",
    loaded: (n: number) => `${count(n, "Produkt", "Produkte")} auf der Liste.`,
    alertsHeading: "Benachrichtigung per E-Mail",
    alertsIntro:
      "Kritische Hinweise (CVSS ab 9,0) und solche mit bekannter Ausnutzung kommen sofort, die übrigen in einer Sammelmail um 7:00 Uhr.",
    alertsNone: "Noch keine Benachrichtigung eingerichtet.",
    alertsList: "Eingerichtete Benachrichtigungen",
    alertLine: (email: string, min: number, immediate: boolean) =>
      `${email}: ab CVSS ${min.toLocaleString("de-DE")}, ${immediate ? "dringende sofort, die übrigen um 7:00 Uhr" : "alles in der Sammelmail um 7:00 Uhr"}`,
    email: "E-Mail-Adresse",
    emailHint: "An diese Adresse gehen die Benachrichtigungen; eine vorhandene wird geändert.",
    emailMissing: "Bitte geben Sie eine E-Mail-Adresse an, z. B. it-sicherheit@gemeinde.de.",
    minCvss: "Ab CVSS-Basiswert",
    minCvssHint: "0 bis 10, z. B. 7 für hohe und kritische Hinweise; 0 für alle.",
    minCvssBad: "Bitte geben Sie eine Zahl von 0 bis 10 an, z. B. 7 oder 7,5.",
    immediate: "Dringende Hinweise sofort melden",
    immediateHint: "Ohne Haken kommt alles in der Sammelmail um 7:00 Uhr.",
    saveAlerts: "Benachrichtigung speichern",
    alertsSaved: (email: string) => `Gespeichert: Benachrichtigung an ${email}.`,
    removeAlert: (email: string) => `Benachrichtigung an ${email} beenden`,
    alertRemoved: (email: string) => `Die Benachrichtigung an ${email} ist beendet.`,
  },

  regionAdvisories: {
    heading: "Sicherheitshinweise in den Gemeinden",
    intro:
      "Wie viele Gemeinden Ihrer Regionen offene Sicherheitshinweise haben. Sie sehen nur Zahlen – keine Produktlisten und keine einzelnen Hinweise; die sehen die Informationssicherheitsbeauftragten der Gemeinden.",
    nav: "Warnungen",
    loading: "Die Zahlen werden geladen …",
    loaded: (n: number) => `Zahlen für ${count(n, "Region", "Regionen")}.`,
    caption: "Gemeinden mit offenen Sicherheitshinweisen nach Region",
    region: "Region",
    municipalities: "Gemeinden",
    withProducts: "mit Produktliste",
    openCritical: "mit offenem kritischem Hinweis (CVSS ab 9,0)",
    openHigh: "mit offenem hohem Hinweis (CVSS 7,0–8,9)",
  },

  live: {
    kicker: "Live-Fragerunde",
    joinHeading: "Einer Live-Fragerunde beitreten",
    joinIntro:
      "Stellen Sie Fragen an die Vortragenden und stimmen Sie bei Umfragen ab – anonym, ohne Konto und ohne Namen. Den Code finden Sie auf der Folie oder in der Einladung.",
    codeLabel: "Code",
    codeHint: "6 Zeichen, zum Beispiel K7M2QX",
    codeMissing: "Bitte geben Sie den Code der Fragerunde ein.",
    join: "Beitreten",
    joining: "Sie treten der Fragerunde bei …",
    heading: "Fragen und Umfragen",
    anonymous: "Sie nehmen anonym teil: Es wird weder Ihr Name noch Ihre Anmeldung gespeichert.",
    notOpenRetry: "Erneut versuchen",
    toJoin: "Anderen Code eingeben",
    closed: "Die Fragerunde ist beendet. Vielen Dank fürs Mitmachen!",
    reconnecting: "Die Verbindung ist unterbrochen und wird wiederhergestellt …",
    tooFast: "Sie haben gerade sehr viele Fragen oder Stimmen gesendet. Bitte warten Sie einen Moment.",
    tooManyStreams:
      "Von Ihrer Adresse sind schon sehr viele Live-Verbindungen offen. Bitte schließen Sie nicht benötigte Fenster oder versuchen Sie es später erneut.",
    askHeading: "Eine Frage stellen",
    askLabel: "Ihre Frage",
    askHint: (premoderated: boolean) =>
      premoderated
        ? "3 bis 300 Zeichen. Die Moderation gibt Fragen frei, bevor alle sie sehen."
        : "3 bis 300 Zeichen. Ihre Frage erscheint sofort für alle.",
    charsLeft: (n: number) => (n >= 0 ? `Noch ${count(n, "Zeichen", "Zeichen")}` : `${count(-n, "Zeichen", "Zeichen")} zu viel`),
    tooShort: "Bitte schreiben Sie mindestens 3 Zeichen.",
    tooLong: "Bitte kürzen Sie Ihre Frage auf höchstens 300 Zeichen.",
    ask: "Frage senden",
    asked: (premoderated: boolean) =>
      premoderated ? "Ihre Frage ist gesendet und wartet auf Freigabe." : "Ihre Frage ist gesendet.",
    questionsHeading: (n: number) => `Fragen (${n})`,
    orderLabel: "Sortieren nach",
    byVotes: "Meiste Stimmen",
    byTime: "Neueste",
    noQuestions: "Noch keine Fragen. Stellen Sie die erste!",
    votes: (n: number) => count(n, "Stimme", "Stimmen"),
    upvote: "Unterstützen",
    upvoted: "Unterstützt",
    upvoteOf: (text: string) => `: ${text}`,
    pending: "wartet auf Freigabe",
    mine: "Ihre Frage",
    pinned: "angeheftet",
    answered: "beantwortet",
    hidden: "ausgeblendet",
    pollHeading: "Umfrage",
    noPoll: "Gerade läuft keine Umfrage.",
    pollEnded: "Die Umfrage ist beendet.",
    scaleHint: "1 = trifft gar nicht zu, 5 = trifft voll zu",
    multipleHint: "Mehrere Antworten möglich.",
    vote: "Abstimmen",
    changeVote: "Stimme ändern",
    chooseFirst: "Bitte wählen Sie eine Antwort.",
    voted: "Ihre Stimme ist gezählt. Sie können sie ändern, solange die Umfrage läuft.",
    resultsHeading: "Ergebnis",
    voters: (n: number) => count(n, "Person hat", "Personen haben") + " abgestimmt",
    mean: (m: string) => `Mittelwert ${m}`,
    share: (n: number, pct: number) => `${count(n, "Stimme", "Stimmen")} · ${pct} %`,
    yourChoice: "Ihre Wahl",
    announceQuestions: (n: number) => (n === 1 ? "Eine neue Frage." : `${n} neue Fragen.`),
    announcePoll: (question: string) => `Neue Umfrage: ${question}`,
    announcePollEnded: "Die Umfrage ist beendet.",
    announceClosed: "Die Fragerunde ist beendet.",
    // Moderation
    moderationHeading: "Moderation der Live-Fragerunde",
    presenterHeading: "Live-Fragerunde",
    signInHeading: "Anmeldung für die Moderation",
    signInIntro:
      "Die Moderation einer Live-Fragerunde übernimmt das Veranstaltungsteam (Rolle ORGANIZER des Veranstalters) oder ein Admin. Melden Sie sich mit Ihrem Zugangstoken an.",
    forbidden:
      "Dieses Zugangstoken darf diese Fragerunde nicht moderieren. Moderieren können das Veranstaltungsteam des Veranstalters (Rolle ORGANIZER) und Admins.",
    localCommand: "bin/server token --role ORGANIZER --org <veranstalter>",
    state: (open: boolean) => (open ? "Die Fragerunde ist geöffnet." : "Die Fragerunde ist nicht geöffnet."),
    openSession: "Fragerunde öffnen",
    closeSession: "Fragerunde beenden",
    closedSummary: (questions: number, answered: number) =>
      `Die Fragerunde ist beendet: ${count(questions, "Frage", "Fragen")}, davon ${answered} beantwortet.`,
    modeLabel: "Modus",
    modes: {
      OPEN: "Offen: Fragen erscheinen sofort",
      PREMODERATED: "Vorab moderiert: erst nach Freigabe",
    } satisfies Record<LiveMode, string>,
    modeSet: (mode: string) => `Modus: ${mode}.`,
    codeHeading: "Code zum Beitreten",
    joinAt: "Beitreten unter",
    presenterLink: "Präsentationsansicht öffnen",
    moderationLink: "Zur Moderation",
    queueHeading: "Fragen",
    pendingHeading: (n: number) => `Wartet auf Freigabe (${n})`,
    visibleHeading: (n: number) => `Sichtbar (${n})`,
    hiddenHeading: (n: number) => `Ausgeblendet (${n})`,
    none: "Keine.",
    actions: {
      APPROVE: "Freigeben",
      HIDE: "Ausblenden",
      PIN: "Anheften",
      UNPIN: "Lösen",
      MARK_ANSWERED: "Beantwortet",
      MARK_UNANSWERED: "Wieder offen",
    },
    actionDone: {
      APPROVE: "Frage freigegeben.",
      HIDE: "Frage ausgeblendet.",
      PIN: "Frage angeheftet.",
      UNPIN: "Frage gelöst.",
      MARK_ANSWERED: "Frage als beantwortet markiert.",
      MARK_UNANSWERED: "Frage wieder als offen markiert.",
    },
    questionActions: (text: string) => `Aktionen für: ${text}`,
    pollFormHeading: "Umfrage starten",
    pollKind: "Art",
    pollKinds: {
      SINGLE_CHOICE: "Eine Antwort",
      MULTIPLE_CHOICE: "Mehrere Antworten",
      SCALE: "Skala 1 bis 5",
    } satisfies Record<PollKind, string>,
    pollQuestion: "Frage der Umfrage",
    pollOptions: "Antworten",
    pollOptionsHint: "Eine Antwort je Zeile, 2 bis 10.",
    pollQuestionMissing: "Bitte geben Sie die Frage der Umfrage ein.",
    pollOptionsMissing: "Bitte geben Sie mindestens 2 Antworten ein, eine je Zeile.",
    startPoll: "Umfrage starten",
    pollStarted: "Die Umfrage läuft.",
    currentPollHeading: "Laufende Umfrage",
    lastPollHeading: "Letzte Umfrage",
    endPoll: "Umfrage beenden",
    topQuestions: "Die meistunterstützten Fragen",
  },

  notFound: {
    heading: "Seite nicht gefunden",
    text: "Diese Seite gibt es nicht. Vielleicht hilft Ihnen die Startseite weiter.",
    home: "Zur Startseite",
  },

  errors: {
    network: "Cyberlotse ist gerade nicht erreichbar. Bitte prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
    generic: "Das hat leider nicht geklappt. Bitte versuchen Sie es später noch einmal.",
    rateLimited: "Zu viele Anmeldungen in kurzer Zeit. Bitte versuchen Sie es in einigen Minuten erneut.",
    eventPast: "Diese Veranstaltung hat bereits begonnen oder ist vorbei; eine Anmeldung ist nicht mehr möglich.",
    eventCancelled: "Diese Veranstaltung wurde abgesagt; eine Anmeldung ist nicht mehr möglich.",
  },
};

// The page of GraphiQL (graphiql.html, /graphiql), built apart from the app
// (vite.config.ts), so the app's bundle does not carry these.
export const graphiqlTexts = {
  title: "GraphQL-Konsole – Cyberlotse",
  description: "Abfragen an die GraphQL-API von Cyberlotse ausprobieren, mit Schema und Dokumentation.",
  noscript: "Die GraphQL-Konsole braucht JavaScript. Die API selbst antwortet unter /graphql.",
  defaultQuery: `# GraphQL-Konsole von Cyberlotse
#
# Strg+Enter führt die Abfrage aus. Das Schema mit
# allen Beschreibungen zeigt der Documentation
# Explorer (Buchsymbol links). Für Abfragen der
# Verwaltung unter „Headers“ eintragen:
# {"Authorization": "Bearer <Token>"}

query NaechsteVeranstaltungen {
  events(first: 3) {
    totalCount
    nodes {
      title
      startsAt
      format
      municipality {
        name
      }
    }
  }
}
`,
};

// The officers' network and the status of offers (issue 17).
export const networkTexts = {
  link: "Netzwerk",
  heading: "Netzwerk der Informationssicherheitsbeauftragten",
  intro:
    "Finden Sie Beauftragte anderer Gemeinden: im selben Kreis, in Gemeinden ähnlicher Größe oder mit denselben Themen. Ihr Profil sehen nur andere Informationssicherheitsbeauftragte und Admins – nie die Öffentlichkeit. Gespeichert wird nur, was Sie hier eintragen.",
  profileHeading: "Ihr Profil",
  noProfile: "Ihre Gemeinde hat noch kein Profil. Füllen Sie das Formular aus, damit andere Beauftragte Sie finden.",
  function: "Ihre Funktion",
  functions: {
    ISB: "Informationssicherheitsbeauftragte(r)",
    IT_MANAGEMENT: "IT-Leitung",
    DATA_PROTECTION: "Datenschutz",
    DIGITALIZATION: "Digitalisierung",
    OTHER: "Andere Funktion",
  } satisfies Record<IsbFunction, string>,
  topicsLegend: "Themen, an denen Sie arbeiten",
  topicsHint: "Höchstens 10. Beauftragte mit denselben Themen finden Sie unten.",
  sharesLegend: "Was Sie mit anderen Beauftragten teilen möchten (freiwillig)",
  sharesHint: "Nur was Sie ankreuzen, wird anderen gezeigt.",
  shares: {
    TEMPLATES_POLICIES: "Vorlagen und Richtlinien",
    EMERGENCY_EXERCISE: "Erfahrungen mit einer Notfallübung",
    TENDER_DOCUMENTS: "Ausschreibungsunterlagen",
    WIBA_EXPERIENCE: "Erfahrungen mit dem Weg in die Basis-Absicherung (WiBA)",
    AWARENESS_MATERIAL: "Material zur Sensibilisierung der Beschäftigten",
  } satisfies Record<IsbShare, string>,
  displayName: "Name für andere Beauftragte (freiwillig)",
  displayNameHint: "Höchstens 80 Zeichen. Leer lassen, wenn Sie keinen Namen zeigen möchten.",
  contact: "Kontaktweg für andere Beauftragte (freiwillig)",
  contactHint: "Zum Beispiel ein Funktionspostfach; höchstens 200 Zeichen. Leer lassen, wenn Sie keinen zeigen möchten.",
  save: "Profil speichern",
  saving: "Das Profil wird gespeichert …",
  saved: "Ihr Profil ist gespeichert. Andere Beauftragte finden es jetzt.",
  failed: (message: string) => `Nicht gespeichert: ${message}`,
  delete: "Profil löschen",
  deleteTitle: "Profil löschen?",
  deleteText: "Ihr Profil wird mit allen Angaben gelöscht. Andere Beauftragte finden Ihre Gemeinde dann nicht mehr.",
  deleted: "Ihr Profil ist gelöscht.",
  deleteFailed: (message: string) => `Nicht gelöscht: ${message}`,
  loading: "Das Profil wird geladen …",
  loaded: "Profil geladen.",
  peersHeading: "Passende Beauftragte",
  peersLegend: "Suchen nach",
  by: {
    DISTRICT: "Im selben Kreis",
    SIMILAR_SIZE: "Ähnlich große Gemeinden",
    TOPIC: "Gleiches Thema",
  } satisfies Record<PeerCriterion, string>,
  byHint: "Nichts angekreuzt: alle drei.",
  topic: "Thema",
  topicAny: "Eines meiner Themen",
  search: "Beauftragte suchen",
  searching: "Beauftragte werden gesucht …",
  sizeClass: (c: string) => `Ihre Gemeinde: ${c}.`,
  found: (n: number, more: boolean) =>
    n === 0 ? "Keine passenden Beauftragten gefunden." : `${n} ${n === 1 ? "Gemeinde" : "Gemeinden"} gefunden${more ? ", weitere folgen" : ""}.`,
  none: "Keine passenden Beauftragten. Ergänzen Sie Ihre Themen oder suchen Sie nach anderen Merkmalen.",
  more: "Weitere Beauftragte laden",
  loadedMore: (n: number) => `${n} weitere geladen.`,
  peersList: "Gefundene Beauftragte",
  why: "Warum passend",
  peerTopics: "Themen",
  peerShares: "Teilt",
  peerName: "Name",
  peerContact: "Kontakt",
  nothingShared: "Teilt nichts und zeigt weder Name noch Kontakt.",
};

// How the emergency page names offers that exist and those that do not yet.
export const offerStatusTexts = {
  status: {
    AVAILABLE: "verfügbar",
    ANNOUNCED: "angekündigt, noch nicht verfügbar",
    REQUESTED: "beantragt, noch nicht verfügbar",
  } satisfies Record<OfferStatus, string>,
  asOf: (date: string) => {
    const [y, m, d] = date.split("-");
    if (d) return `Stand: ${d}.${m}.${y}`;
    if (m) return `Stand: ${["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"][Number(m) - 1]} ${y}`;
    return `Stand: ${y}`;
  },
  notYetHeading: "Gibt es noch nicht – nicht anrufbar",
  notYetIntro:
    "Diese Hilfe haben die kommunalen Spitzenverbände beim Land beantragt. Es gibt sie noch nicht; im Ernstfall hilft sie nicht. Rufen Sie die Stellen oben an.",
  source: (s: string) => `Quelle: ${s}`,
};
