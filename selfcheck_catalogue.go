package cyberlotse

// Catalogue is the checklist of the self-check with its provenance.
type Catalogue struct {
	Name    string
	Version string
	// ModelledOn names the standard whose structure the checklist follows.
	ModelledOn  string
	Description string
	Areas       []AreaInfo
	Statuses    []StatusInfo
	// Requirements are in number order: Requirements[i].Number == i+1.
	Requirements []Requirement
	Provenance
}

// AreaInfo names an area of the checklist.
type AreaInfo struct {
	Area  CheckArea
	Title string
	// First and Last are the numbers of its requirements.
	First, Last int
}

// StatusInfo asks a status question.
type StatusInfo struct {
	Question StatusQuestion
	Text     string
	Hint     string
}

// AreaInfoOf returns the info of an area.
func AreaInfoOf(a CheckArea) AreaInfo {
	for _, i := range CheckCatalogue.Areas {
		if i.Area == a {
			return i
		}
	}
	return AreaInfo{Area: a, Title: string(a)}
}

// StatusInfoOf returns the text of a status question.
func StatusInfoOf(q StatusQuestion) StatusInfo {
	for _, i := range CheckCatalogue.Statuses {
		if i.Question == q {
			return i
		}
	}
	return StatusInfo{Question: q, Text: string(q)}
}

// CheckCatalogue is the checklist. Its structure (27 requirements in six
// areas with these number ranges, the five status questions, TOP
// requirements at ±3, the others 1/0) follows DIN SPEC 27076, as public
// descriptions of the CyberRisikoCheck give it. Every question,
// explanation and recommendation is our own wording, written for this
// project and not checked against the text of the standard, which is not
// ours to copy; which requirements are TOP requirements is our own choice
// as well. Hence Sample: the catalogue is an example until a professional
// review replaces it.
var CheckCatalogue = Catalogue{
	Name:       "Cyberlotse-Selbstcheck",
	Version:    "2026-12",
	ModelledOn: "DIN SPEC 27076 (CyberRisikoCheck)",
	Description: "Ein Selbstcheck für kleine Unternehmen in etwa einer Stunde: 27 Anforderungen in sechs Bereichen, " +
		"aufgebaut wie der CyberRisikoCheck nach DIN SPEC 27076. Die Fragen, Erläuterungen und Empfehlungen sind eigene " +
		"Formulierungen von Cyberlotse und nicht der Wortlaut der Norm; auch die Auswahl der TOP-Anforderungen ist eine " +
		"eigene. Der Selbstcheck ersetzt keine Beratung nach DIN SPEC 27076 durch einen IT-Dienstleister.",
	Areas: []AreaInfo{
		{AreaOrganisation, "Organisation und Sensibilisierung", 1, 7},
		{AreaIdentity, "Identitäten und Berechtigungen", 8, 10},
		{AreaBackup, "Datensicherung", 11, 14},
		{AreaPatch, "Updates und Änderungen", 15, 17},
		{AreaMalware, "Schutz vor Schadprogrammen", 18, 20},
		{AreaNetwork, "IT-Systeme und Netzwerke", 21, 27},
	},
	Statuses: []StatusInfo{
		{StatusHomeOffice, "Arbeiten Beschäftigte von zu Hause oder unterwegs mit Firmendaten?", "Auch gelegentlich, auch mit privaten Geräten."},
		{StatusRemoteAccess, "Kann man von außen auf Ihr Firmennetz oder Ihre Server zugreifen?", "Zum Beispiel über VPN, Remote-Desktop oder freigegebene Netzlaufwerke."},
		{StatusWLAN, "Gibt es im Betrieb ein WLAN?", "Auch ein WLAN nur für Gäste zählt."},
		{StatusRemoteMaintenance, "Warten Dienstleister Ihre IT oder Maschinen aus der Ferne?", "Zum Beispiel IT-Dienstleister, Softwarehersteller oder Maschinenlieferanten mit Fernzugang."},
		{StatusBackups, "Sichern Sie Ihre Daten überhaupt?", "Jede Form von Sicherungskopie zählt, auch eine externe Festplatte oder ein Cloud-Dienst."},
	},
	Requirements: []Requirement{
		// Organisation und Sensibilisierung (1–7)
		{Number: 1, Area: AreaOrganisation, Top: true,
			Question:       "Kümmert sich die Geschäftsleitung selbst um die IT-Sicherheit und stellt Zeit und Geld dafür bereit?",
			Hint:           "IT-Sicherheit ist Chefsache: Wer entscheidet, muss die Risiken kennen und Prioritäten setzen.",
			Recommendation: "Machen Sie IT-Sicherheit zur Aufgabe der Geschäftsleitung: einmal im Quartal Lage und Vorhaben besprechen und ein festes Budget vorsehen.",
			TopicIDs:       []string{"awareness", "isms"}},
		{Number: 2, Area: AreaOrganisation,
			Question:       "Ist eine Person für IT-Sicherheit zuständig – im Betrieb oder ein beauftragter Dienstleister –, und wissen alle, wer das ist?",
			Hint:           "Eine feste Ansprechperson sorgt dafür, dass Fragen und Vorfälle nicht liegen bleiben.",
			Recommendation: "Benennen Sie eine zuständige Person (oder Ihren IT-Dienstleister mit schriftlichem Auftrag) und machen Sie den Namen im Betrieb bekannt.",
			TopicIDs:       []string{"isms", "informationssicherheits-check"}},
		{Number: 3, Area: AreaOrganisation,
			Question:       "Gibt es kurze, schriftliche Regeln für den Umgang mit IT – etwa zu Passwörtern, E-Mails und privaten Geräten?",
			Hint:           "Eine Seite mit klaren Regeln hilft mehr als ein Handbuch, das niemand liest.",
			Recommendation: "Schreiben Sie die wichtigsten IT-Regeln auf eine Seite, besprechen Sie sie mit allen und lassen Sie sich die Kenntnisnahme bestätigen.",
			TopicIDs:       []string{"isms", "awareness"}},
		{Number: 4, Area: AreaOrganisation,
			Question:       "Haben Sie eine aktuelle Übersicht über Ihre wichtigen Daten, Geräte, Programme und IT-Dienstleister?",
			Hint:           "Nur was man kennt, kann man schützen und im Notfall wiederherstellen.",
			Recommendation: "Legen Sie eine einfache Liste an: welche Daten und Systeme geschäftskritisch sind, wo sie liegen und welcher Dienstleister wofür zuständig ist. Halten Sie sie aktuell.",
			TopicIDs:       []string{"isms", "lieferkette"}},
		{Number: 5, Area: AreaOrganisation,
			Question:       "Werden alle Beschäftigten mindestens einmal im Jahr zu Phishing, Betrugsanrufen und sicherem Verhalten geschult?",
			Hint:           "Die meisten Angriffe beginnen mit einer täuschend echten Nachricht oder einem Anruf.",
			Recommendation: "Planen Sie eine jährliche kurze Schulung für alle, zum Beispiel einen Lunchtalk oder ein Online-Training, und sprechen Sie aktuelle Betrugsmaschen im Team an.",
			TopicIDs:       []string{"awareness", "phishing", "social-engineering"}},
		{Number: 6, Area: AreaOrganisation,
			Question:       "Gibt es einen Notfallplan, der sagt, wer bei einem Cyberangriff was tut und wen man anruft?",
			Hint:           "Im Ernstfall zählt jede Stunde; eine Notfallkarte mit Telefonnummern spart sie.",
			Recommendation: "Erstellen Sie eine Notfallkarte mit den ersten Schritten und den Nummern von IT-Dienstleister, Versicherung und der Zentralen Ansprechstelle Cybercrime der Polizei, und üben Sie den Ablauf einmal.",
			TopicIDs:       []string{"notfallmanagement", "incident-response", "krisenuebung"}},
		{Number: 7, Area: AreaOrganisation, NeedsStatus: StatusHomeOffice,
			Question:       "Gelten für die Arbeit zu Hause und unterwegs eigene Sicherheitsregeln, etwa Firmengeräte, gesperrter Bildschirm und sichere Verbindung?",
			Hint:           "Außerhalb des Büros fehlen Schutzmaßnahmen, die im Betrieb selbstverständlich sind.",
			Recommendation: "Legen Sie Regeln für mobiles Arbeiten fest: nur Firmengeräte oder geprüfte Geräte, Bildschirmsperre, Verbindung nur über einen gesicherten Zugang, keine Firmendaten auf privaten Speichern.",
			TopicIDs:       []string{"homeoffice", "mobile-geraete"}},
		// Identitäten und Berechtigungen (8–10)
		{Number: 8, Area: AreaIdentity,
			Question:       "Hat jede Person ein eigenes Benutzerkonto mit einem starken, nur dort genutzten Passwort, und werden Konten Ausgeschiedener sofort gesperrt?",
			Hint:           "Geteilte Konten und alte Zugänge sind offene Türen, die niemand bemerkt.",
			Recommendation: "Richten Sie persönliche Konten für alle ein, führen Sie einen Passwort-Manager ein und sperren Sie Zugänge am letzten Arbeitstag.",
			TopicIDs:       []string{"passwortsicherheit-mfa"}},
		{Number: 9, Area: AreaIdentity, Top: true,
			Question:       "Arbeiten alle im Alltag ohne Administratorrechte, und haben nur wenige Personen solche Rechte – getrennt für Verwaltungsaufgaben?",
			Hint:           "Mit Administratorrechten kann Schadsoftware das ganze System übernehmen.",
			Recommendation: "Entziehen Sie Administratorrechte im Alltag; wer die IT verwaltet, bekommt dafür ein eigenes, getrenntes Konto.",
			TopicIDs:       []string{"passwortsicherheit-mfa", "ransomware"}},
		{Number: 10, Area: AreaIdentity,
			Question:       "Sind Zugänge aus dem Internet – E-Mail, Cloud-Dienste, Online-Banking – mit einem zweiten Faktor geschützt?",
			Hint:           "Ein zweiter Faktor (App oder Schlüssel) hält Angreifer auch mit gestohlenem Passwort draußen.",
			Recommendation: "Schalten Sie die Mehr-Faktor-Anmeldung für E-Mail, Cloud-Dienste und alle Zugänge aus dem Internet ein, zuerst für Konten mit vielen Rechten.",
			TopicIDs:       []string{"passwortsicherheit-mfa", "cloud"}},
		// Datensicherung (11–14)
		{Number: 11, Area: AreaBackup, Top: true, NotMetWithout: StatusBackups,
			Question:       "Werden alle geschäftswichtigen Daten regelmäßig und automatisch gesichert?",
			Hint:           "Eine aktuelle Sicherung entscheidet nach einem Angriff oder Defekt, ob der Betrieb weiterläuft.",
			Recommendation: "Richten Sie eine automatische, mindestens tägliche Sicherung aller geschäftswichtigen Daten ein – mit Ihrem IT-Dienstleister, wenn nötig.",
			TopicIDs:       []string{"backup", "ransomware"}},
		{Number: 12, Area: AreaBackup, Top: true, NeedsStatus: StatusBackups,
			Question:       "Liegt mindestens eine Sicherung getrennt vom Firmennetz – offline oder unveränderbar –, sodass Erpressersoftware sie nicht erreicht?",
			Hint:           "Erpressersoftware verschlüsselt gezielt auch erreichbare Sicherungen.",
			Recommendation: "Bewahren Sie eine Sicherung getrennt vom Netz auf (wechselnde Festplatten, unveränderbarer Cloud-Speicher) und prüfen Sie, dass sie nicht mit denselben Zugangsdaten erreichbar ist.",
			TopicIDs:       []string{"backup", "ransomware"}},
		{Number: 13, Area: AreaBackup, NeedsStatus: StatusBackups,
			Question:       "Wird das Wiederherstellen aus der Sicherung regelmäßig ausprobiert?",
			Hint:           "Erst die Probe zeigt, ob die Sicherung vollständig ist und wie lange die Wiederherstellung dauert.",
			Recommendation: "Stellen Sie zweimal im Jahr testweise Daten aus der Sicherung wieder her und notieren Sie, wie lange es gedauert hat.",
			TopicIDs:       []string{"backup", "notfallmanagement"}},
		{Number: 14, Area: AreaBackup, NeedsStatus: StatusBackups,
			Question:       "Sind die Sicherungen vor fremdem Zugriff geschützt, etwa verschlüsselt und nur für Zuständige zugänglich?",
			Hint:           "Eine Sicherung enthält alle Daten des Betriebs – auch für Diebe.",
			Recommendation: "Verschlüsseln Sie die Sicherungen, bewahren Sie Datenträger verschlossen auf und beschränken Sie den Zugang auf die zuständigen Personen.",
			TopicIDs:       []string{"backup", "datenschutz"}},
		// Updates und Änderungen (15–17)
		{Number: 15, Area: AreaPatch, Top: true,
			Question:       "Werden Sicherheitsupdates für Betriebssysteme, Programme und Geräte zeitnah und möglichst automatisch eingespielt?",
			Hint:           "Angreifer nutzen bekannte Lücken oft schon Tage nach ihrer Veröffentlichung.",
			Recommendation: "Schalten Sie automatische Updates ein und legen Sie fest, wer wöchentlich prüft, ob auf allen Geräten und Servern die Updates angekommen sind.",
			TopicIDs:       []string{"updates-patchmanagement"}},
		{Number: 16, Area: AreaPatch,
			Question:       "Werden Geräte und Programme, für die es keine Sicherheitsupdates mehr gibt, ersetzt oder vom Netz getrennt?",
			Hint:           "Veraltete Systeme bleiben dauerhaft angreifbar.",
			Recommendation: "Ermitteln Sie Geräte und Programme ohne Herstellerunterstützung und planen Sie Ersatz; bis dahin trennen Sie sie vom Internet.",
			TopicIDs:       []string{"updates-patchmanagement"}},
		{Number: 17, Area: AreaPatch,
			Question:       "Werden neue Programme und Änderungen an der IT abgestimmt eingeführt, und ist nur installiert, was gebraucht wird?",
			Hint:           "Jedes überflüssige Programm ist eine weitere Angriffsfläche.",
			Recommendation: "Führen Sie neue Software nur nach Rücksprache mit der zuständigen Person ein und entfernen Sie regelmäßig, was nicht mehr gebraucht wird.",
			TopicIDs:       []string{"updates-patchmanagement", "lieferkette"}},
		// Schutz vor Schadprogrammen (18–20)
		{Number: 18, Area: AreaMalware, Top: true,
			Question:       "Läuft auf allen Rechnern und Servern ein aktueller Schutz gegen Schadprogramme?",
			Hint:           "Ein Virenschutz mit aktuellen Signaturen fängt viele bekannte Angriffe ab.",
			Recommendation: "Stellen Sie sicher, dass auf jedem Rechner und Server ein Schutzprogramm aktiv ist und sich selbst aktualisiert; lassen Sie sich Warnungen zentral melden.",
			TopicIDs:       []string{"ransomware", "phishing"}},
		{Number: 19, Area: AreaMalware,
			Question:       "Werden E-Mail-Anhänge und Links geprüft, bevor sie ankommen, und sind Makros in Dokumenten aus dem Internet gesperrt?",
			Hint:           "Schadsoftware kommt meist per E-Mail, oft in Office-Dokumenten mit Makros.",
			Recommendation: "Lassen Sie einen E-Mail-Filter gegen Schadsoftware und Phishing einrichten und sperren Sie Makros in Dokumenten aus dem Internet.",
			TopicIDs:       []string{"phishing", "ransomware"}},
		{Number: 20, Area: AreaMalware,
			Question:       "Wissen alle, wie sie eine verdächtige Nachricht oder einen möglichen Befall melden – und tun sie es ohne Angst vor Vorwürfen?",
			Hint:           "Ein früh gemeldeter Klick lässt sich eindämmen; ein verschwiegener nicht.",
			Recommendation: "Legen Sie einen einfachen Meldeweg fest (eine Telefonnummer, eine Adresse) und loben Sie Meldungen, auch wenn sie sich als harmlos herausstellen.",
			TopicIDs:       []string{"awareness", "incident-response"}},
		// IT-Systeme und Netzwerke (21–27)
		{Number: 21, Area: AreaNetwork, Top: true,
			Question:       "Trennt eine Firewall Ihr Firmennetz vom Internet, sodass von außen nur erreichbar ist, was erreichbar sein muss?",
			Hint:           "Offene Zugänge aus dem Internet werden automatisch gesucht und angegriffen.",
			Recommendation: "Lassen Sie die Firewall prüfen: Von außen sollte nur erreichbar sein, was das Geschäft braucht, und jede Freigabe sollte dokumentiert sein.",
			TopicIDs:       []string{"informationssicherheits-check", "ransomware"}},
		{Number: 22, Area: AreaNetwork, NeedsStatus: StatusWLAN,
			Question:       "Ist das WLAN verschlüsselt und mit einem starken Schlüssel geschützt, und haben Gäste ein eigenes, getrenntes Netz?",
			Hint:           "Über ein schwaches WLAN gelangen Fremde direkt ins Firmennetz.",
			Recommendation: "Stellen Sie das WLAN auf aktuelle Verschlüsselung mit langem Schlüssel um und richten Sie ein getrenntes Gastnetz ein.",
			TopicIDs:       []string{"informationssicherheits-check", "mobile-geraete"}},
		{Number: 23, Area: AreaNetwork, NeedsStatus: StatusRemoteAccess,
			Question:       "Laufen Zugriffe von außen auf das Firmennetz nur verschlüsselt (etwa per VPN) und mit einem zweiten Faktor?",
			Hint:           "Ungesicherte Fernzugänge gehören zu den häufigsten Einfallstoren für Erpressersoftware.",
			Recommendation: "Erlauben Sie Zugriffe von außen nur über einen verschlüsselten Zugang mit Mehr-Faktor-Anmeldung und schließen Sie direkt erreichbare Fernzugänge.",
			TopicIDs:       []string{"homeoffice", "passwortsicherheit-mfa"}},
		{Number: 24, Area: AreaNetwork, NeedsStatus: StatusRemoteMaintenance,
			Question:       "Wird Fernwartung durch Dienstleister nur im Einzelfall freigeschaltet, und ist nachvollziehbar, wer wann zugegriffen hat?",
			Hint:           "Ein dauerhaft offener Wartungszugang ist auch für Angreifer offen.",
			Recommendation: "Schalten Sie Fernwartung nur auf Anfrage frei, beenden Sie den Zugang danach und lassen Sie sich die Zugriffe protokollieren; regeln Sie das im Vertrag.",
			TopicIDs:       []string{"lieferkette"}},
		{Number: 25, Area: AreaNetwork,
			Question:       "Sind voreingestellte Passwörter von Routern, Druckern und anderen Geräten geändert und nicht benötigte Dienste abgeschaltet?",
			Hint:           "Werkspasswörter stehen im Internet und werden automatisch ausprobiert.",
			Recommendation: "Ändern Sie alle voreingestellten Passwörter an Netzwerkgeräten und schalten Sie Funktionen ab, die Sie nicht nutzen.",
			TopicIDs:       []string{"passwortsicherheit-mfa", "informationssicherheits-check"}},
		{Number: 26, Area: AreaNetwork,
			Question:       "Sind Laptops und Smartphones mit Firmendaten verschlüsselt, mit PIN gesperrt und bei Verlust aus der Ferne sperrbar?",
			Hint:           "Ein verlorenes Gerät darf keine Firmendaten preisgeben.",
			Recommendation: "Verschlüsseln Sie alle mobilen Geräte, erzwingen Sie eine Bildschirmsperre und richten Sie das Sperren und Löschen aus der Ferne ein.",
			TopicIDs:       []string{"mobile-geraete", "datenschutz"}},
		{Number: 27, Area: AreaNetwork,
			Question:       "Sind Server, Netzwerkschränke und Router verschlossen, sodass nur Befugte an die Technik kommen?",
			Hint:           "Wer an die Geräte kommt, kann Schutzmaßnahmen umgehen.",
			Recommendation: "Schließen Sie Server und Netzwerktechnik in einen Raum oder Schrank ein und regeln Sie, wer den Schlüssel hat.",
			TopicIDs:       []string{"informationssicherheits-check", "wirtschaftsschutz"}},
	},
	Provenance: Provenance{Sample: true, Source: "nicht öffentlich belegt – Beispiel: Aufbau (27 Anforderungen in sechs Bereichen, " +
		"Statusfragen, TOP-Anforderungen mit ±3 Punkten, sonst 1/0) nach öffentlichen Beschreibungen des CyberRisikoCheck nach " +
		"DIN SPEC 27076 (z. B. https://www.trigonum.de/2025/06/12/cyber-risiko-check-bsi, https://novidata.de/cyberrisikocheck); " +
		"Fragen, Erläuterungen, Empfehlungen und die Auswahl der TOP-Anforderungen sind eigene Formulierungen, nicht gegen die Norm geprüft."},
}
