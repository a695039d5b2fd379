package importers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/graph/search"
	"github.com/cyberlotse/cyberlotse/importers"
)

// These tests run against the real Neo4j (NEO4J_URI, see neo4jtest). They
// clean up exactly what they import: the companies and contacts of the
// sample files by their keys, the events by a feed name unique to the
// run. Events live in 2097, after every window other packages' tests read.

var berlin = neo4jtest.Berlin

// clock is the injected "now" of the feed tests: before all sample events.
var clock = time.Date(2097, 1, 10, 12, 0, 0, 0, berlin)

func newImporter(t *testing.T, db *store.DB) *importers.Importer {
	t.Helper()
	ctx := context.Background()
	geo := store.NewGeoService(db)
	districts, err := geo.Districts(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys []cyberlotse.DistrictKey
	for _, d := range districts {
		keys = append(keys, d.Key)
	}
	byDistrict, err := geo.MunicipalitiesOfDistricts(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	var munis []*cyberlotse.Municipality
	for _, ms := range byDistrict {
		munis = append(munis, ms...)
	}
	network := store.NewNetworkService(db)
	orgs, err := network.Organizations(ctx, cyberlotse.OrganizationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	topics, err := network.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &importers.Importer{Store: store.NewImportService(db, berlin), Places: importers.NewGazetteer(munis),
		Organizations: orgs, Topics: topics, Now: func() time.Time { return clock }, Berlin: berlin, RetryPause: time.Millisecond}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantCounts(t *testing.T, what string, res *importers.Result, created, updated, unchanged int) {
	t.Helper()
	want := cyberlotse.ImportCounts{Created: created, Updated: updated, Unchanged: unchanged}
	if res.ImportCounts != want {
		t.Fatalf("%s: %s, want %s\n%s", what, res.ImportCounts, want, res.Summary())
	}
	if !strings.Contains(res.Summary(), want.String()) {
		t.Fatalf("%s: summary %q lacks %q", what, res.Summary(), want.String())
	}
}

type problem struct {
	line   int
	field  string
	reason string // a part of the reason
}

func wantProblems(t *testing.T, rep importers.Report, want []problem) {
	t.Helper()
	var got []importers.Problem
	for _, p := range rep.Sorted() {
		if !p.Hint {
			got = append(got, p)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d rejected, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Line != w.line || got[i].Field != w.field || !strings.Contains(got[i].Reason, w.reason) {
			t.Errorf("problem %d = line %d field %q reason %q; want line %d field %q reason containing %q",
				i, got[i].Line, got[i].Field, got[i].Reason, w.line, w.field, w.reason)
		}
	}
}

// The keys of the companies in firmen-win1252.csv: register number with
// its court, or folded name with postcode.
var win1252Keys = []string{"reg:wuppertal|HRB24817", "name:schaefer soehne elektrotechnik e k|32689",
	"name:baeckerei juergens|40721", "reg:duesseldorf|HRA5512", "name:koetter zahntechnik|33154"}

func TestImportCompaniesWindows1252(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	cleanup := func() {
		if err := store.DeleteCompanyKeysForTest(ctx, db, win1252Keys); err != nil {
			t.Fatal(err)
		}
	}
	cleanup()
	t.Cleanup(cleanup)
	im := newImporter(t, db)
	data := readFile(t, "firmen-win1252.csv")

	res, err := im.ImportCompanies(ctx, data, importers.Options{Source: "firmen-win1252.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "first run", res, 5, 0, 0)
	if res.Rows != 9 || res.Report.Rejected() != 4 {
		t.Fatalf("rows %d rejected %d, want 9 and 4", res.Rows, res.Report.Rejected())
	}
	if !strings.Contains(res.Notes[0], "Windows-1252") || !strings.Contains(res.Notes[0], "Semikolon") {
		t.Fatalf("notes %v", res.Notes)
	}
	// Line 3 holds a record with a quoted line break (lines 3–4), so the
	// rows after it start one line later than their position.
	wantProblems(t, res.Report, []problem{
		{7, "PLZ", "PLZ fehlt"},
		{8, "Firma", "doppelt: dasselbe Unternehmen wie in Zeile 2"},
		{9, "PLZ", "PLZ 20095 gehört zu keiner Gemeinde in Nordrhein-Westfalen"},
		{10, "Ort", "PLZ 51467 gehört zu mehreren Gemeinden (Bergisch Gladbach, Köln)"},
	})
	hints := 0
	for _, p := range res.Report.Problems {
		if p.Hint {
			hints++
			if p.Line != 11 || p.Field != "WZ" {
				t.Errorf("hint %+v, want line 11 WZ", p)
			}
		}
	}
	if hints != 1 {
		t.Fatalf("%d hints, want 1 (WZ „Zahntechnik“)", hints)
	}
	for _, k := range win1252Keys {
		if res.IDs[k] == "" {
			t.Errorf("no company with key %q; keys %v", k, res.IDs)
		}
	}

	// The report file lists the rejected rows with line and German reason.
	var buf bytes.Buffer
	if err := res.Report.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 6 || recs[0][0] != "Zeile" || recs[1][0] != "7" || recs[1][4] != "PLZ fehlt" || recs[1][5] != "abgelehnt" {
		t.Fatalf("report %q", recs)
	}

	again, err := im.ImportCompanies(ctx, data, importers.Options{Source: "firmen-win1252.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "second run", again, 0, 0, 5)
	if !strings.Contains(again.Summary(), "0 angelegt, 0 geändert, 5 unverändert") {
		t.Fatalf("summary %q", again.Summary())
	}

	// Imported companies are places for matchmaking: Schäfer & Söhne in Kalletal.
	id := res.IDs["name:schaefer soehne elektrotechnik e k|32689"]
	match, err := cyberlotse.NewMatchmaker(store.NewMatchStore(db)).Match(ctx, cyberlotse.MatchInput{Place: cyberlotse.PlaceQuery{CompanyID: &id}})
	if err != nil {
		t.Fatal(err)
	}
	if match.Municipality.AGS != "05766036" || match.SizeClass == nil || *match.SizeClass != cyberlotse.Micro {
		t.Fatalf("match for %s: municipality %s size %v", id, match.Municipality.Name, match.SizeClass)
	}
	_, company, err := store.NewMatchStore(db).Places(ctx, cyberlotse.PlaceQuery{CompanyID: &id})
	if err != nil || company.Name != "Schäfer & Söhne Elektrotechnik e.K." || company.Sector != "43.21" || company.Sample {
		t.Fatalf("company %+v, %v", company, err)
	}
	// 12,5 employees round to 13; "1.250" is 1250 and a large company in Ratingen (shared PLZ 40472).
	for key, want := range map[string]struct {
		ags       cyberlotse.AGS
		employees int
	}{"name:baeckerei juergens|40721": {"05158016", 13}, "reg:duesseldorf|HRA5512": {"05158028", 1250}} {
		id := res.IDs[key]
		_, c, err := store.NewMatchStore(db).Places(ctx, cyberlotse.PlaceQuery{CompanyID: &id})
		if err != nil || c.AGS != want.ags || c.Employees == nil || *c.Employees != want.employees {
			t.Errorf("%s: %+v %v, want %s with %d employees", key, c, err, want.ags, want.employees)
		}
	}
}

var bomKeys = []string{"reg:lemgo|HRB7731", "reg:wuppertal|HRB30215", "name:kueppers brandt partner mbb|42103",
	"name:gebr oeztuerk spedition gmbh|45127", "name:papierfabrik an der lippe ag|33154"}

func TestImportCompaniesUTF8WithBOMAndDryRun(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	cleanup := func() {
		if err := store.DeleteCompanyKeysForTest(ctx, db, bomKeys); err != nil {
			t.Fatal(err)
		}
	}
	cleanup()
	t.Cleanup(cleanup)
	im := newImporter(t, db)
	data := readFile(t, "companies-utf8-bom.csv")

	dry, err := im.ImportCompanies(ctx, data, importers.Options{DryRun: true, Source: "companies-utf8-bom.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "dry run", dry, 5, 0, 0)
	if !strings.HasPrefix(dry.Summary(), "Probelauf") || !strings.Contains(dry.Notes[0], "UTF-8 mit BOM") || !strings.Contains(dry.Notes[0], "Komma") {
		t.Fatalf("summary %q notes %v", dry.Summary(), dry.Notes)
	}
	id := dry.IDs["reg:lemgo|HRB7731"]
	if _, _, err := store.NewMatchStore(db).Places(ctx, cyberlotse.PlaceQuery{CompanyID: &id}); cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Fatalf("a dry run must store nothing; Places(%s) = %v", id, err)
	}

	res, err := im.ImportCompanies(ctx, data, importers.Options{Source: "companies-utf8-bom.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "first run", res, 5, 0, 0)
	if res.Report.Rejected() != 0 {
		t.Fatalf("rejected: %+v", res.Report.Problems)
	}
	for _, k := range bomKeys {
		if res.IDs[k] == "" {
			t.Errorf("no company with key %q; keys %v", k, res.IDs)
		}
	}
	again, err := im.ImportCompanies(ctx, data, importers.Options{Source: "companies-utf8-bom.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "second run", again, 0, 0, 5)

	// A changed row is an update: Öztürk has grown.
	changed := bytes.Replace(data, []byte(`"1.015"`), []byte(`"1.020"`), 1)
	upd, err := im.ImportCompanies(ctx, changed, importers.Options{Source: "companies-utf8-bom.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "changed run", upd, 0, 1, 4)
}

func TestImportContacts(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	keys := []string{"mail:wirtschaft-digital@kalletal.example", "name:sicherheitspartnerschaft lippe|asw-west"}
	cleanup := func() {
		if err := store.DeleteContactKeysForTest(ctx, db, keys); err != nil {
			t.Fatal(err)
		}
	}
	cleanup()
	t.Cleanup(cleanup)
	im := newImporter(t, db)
	data := readFile(t, "ansprechstellen.csv")
	res, err := im.ImportContacts(ctx, data, importers.Options{Source: "ansprechstellen.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "first run", res, 2, 0, 0)
	wantProblems(t, res.Report, []problem{
		{5, "Organisation", "Organisation „Unbekannter Verein e. V.“ ist nicht bekannt"},
		{6, "E-Mail", "keine gültige E-Mail-Adresse"},
		{7, "Name", "doppelt: derselbe Kontakt wie in Zeile 2"},
	})
	again, err := im.ImportContacts(ctx, data, importers.Options{Source: "ansprechstellen.csv"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "second run", again, 0, 0, 2)
	contacts, err := store.NewNetworkService(db).ContactsByIDs(ctx, []string{res.IDs[keys[0]], res.IDs[keys[1]]})
	if err != nil || len(contacts) != 2 {
		t.Fatalf("contacts %v, %v", contacts, err)
	}
	for _, c := range contacts {
		switch c.OrganizationID {
		case "gemeinde-kalletal":
			if len(c.Responsibilities) != 1 || c.Responsibilities[0].Key != "05766036" || len(c.TopicIDs) != 2 {
				t.Errorf("Kalletal contact %+v", c)
			}
		case "asw-west":
			if c.Role != "Regionale Ansprechstelle\nWirtschaftsschutz" || len(c.Audiences) != 2 {
				t.Errorf("ASW contact %+v", c)
			}
		default:
			t.Errorf("contact %+v", c)
		}
	}
	hits, err := store.NewSearchBackend(db).Search(ctx, search.Query{Text: "Sicherheitspartnerschaft Lippe", Types: []search.Type{search.TypeContact}, First: 20})
	if err != nil || !hasHit(hits, res.IDs[keys[1]]) {
		t.Fatalf("search for the imported contact: %+v, %v", hits, err)
	}
}

func hasHit(res *search.Result, key string) bool {
	for _, h := range res.Hits {
		if h.Key == key {
			return true
		}
	}
	return false
}

func TestImportMeasures(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	im := newImporter(t, db)
	// The seeded catalogue itself: nothing new, and a re-run changes nothing.
	catalogue, err := os.ReadFile("../seeds/measures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := im.ImportMeasures(ctx, catalogue, importers.Options{Source: "measures.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 0 || res.Updated+res.Unchanged != 13 || res.Report.Rejected() != 0 {
		t.Fatalf("first run: %s; %+v", res.Summary(), res.Report.Problems)
	}
	again, err := im.ImportMeasures(ctx, catalogue, importers.Options{Source: "measures.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "second run", again, 0, 0, 13)

	// A faulty draft, as a dry run (it would change the shared catalogue):
	// M03 would change, everything else is rejected with its line.
	before, err := store.NewMeasureService(db).MeasuresByCodes(ctx, []string{"M03"})
	if err != nil {
		t.Fatal(err)
	}
	dry, err := im.ImportMeasures(ctx, readFile(t, "massnahmen-fehler.yaml"), importers.Options{DryRun: true, Source: "massnahmen-fehler.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "dry run", dry, 0, 1, 0)
	wantProblems(t, dry.Report, []problem{
		{10, "code", "M01 bis M13"},
		{14, "title", "Titel fehlt"},
		{18, "topics", "Thema „notfallkarte-gibt-es-nicht“ ist nicht bekannt"},
		{22, "code", "doppelt: M03 steht schon in Zeile 3"},
	})
	after, err := store.NewMeasureService(db).MeasuresByCodes(ctx, []string{"M03"})
	if err != nil || after[0].Summary != before[0].Summary || after[0].Source != before[0].Source {
		t.Fatalf("the dry run changed M03: %+v", after[0])
	}
}

// feedData reads a sample feed and makes its UIDs unique to the run, so
// that concurrent or crashed runs never share events.
func feedData(t *testing.T, name, run string) []byte {
	return bytes.ReplaceAll(readFile(t, name), []byte(".example"), []byte("."+run+".example"))
}

func TestImportFeed(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	ctx := context.Background()
	run := neo4jtest.NewID()
	feed := "feed-" + run
	cleanup := func() {
		if err := store.DeleteFeedEventsForTest(ctx, db, feed); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(cleanup)
	im := newImporter(t, db)
	opt := importers.FeedOptions{Options: importers.Options{Source: "kalletal-v1.ics"}, OrganizerID: "gemeinde-kalletal", Feed: feed}
	uid := func(s string) string { return strings.Replace(s, ".example", "."+run+".example", 1) }

	res, err := im.ImportFeed(ctx, bytes.NewReader(feedData(t, "kalletal-v1.ics", run)), opt)
	if err != nil {
		t.Fatal(err)
	}
	// 7 instances of the weekly series (8 minus the EXDATE), the TZID
	// event, the UTC event, the all-day event and the evening that the
	// second version drops; the yearly series is rejected, the 2020 event
	// is in the past.
	wantCounts(t, "v1", res, 11, 0, 0)
	if len(res.Report.Problems) == 0 || res.Report.Rejected() != 1 {
		t.Fatalf("problems %+v", res.Report.Problems)
	}
	for _, p := range res.Report.Problems {
		if !p.Hint && (p.Key != uid("jahresempfang@veranstaltungen.kalletal.example") || p.Field != "RRULE" || !strings.Contains(p.Reason, "FREQ=YEARLY wird nicht unterstützt")) {
			t.Errorf("problem %+v", p)
		}
	}
	again, err := im.ImportFeed(ctx, bytes.NewReader(feedData(t, "kalletal-v1.ics", run)), opt)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "v1 again", again, 0, 0, 11)
	if len(again.Cancelled) != 0 {
		t.Fatalf("cancelled %v", again.Cancelled)
	}

	// The series: 18:00 in Berlin on Thursdays, without 28 March, in
	// Kalletal, in the store's events (AGS filter) and in search.
	kalletal := cyberlotse.AGS("05766036")
	from, to := time.Date(2097, 1, 1, 0, 0, 0, 0, berlin), time.Date(2098, 1, 1, 0, 0, 0, 0, berlin)
	events, _, err := store.NewEventService(db).FindEvents(ctx, cyberlotse.EventFilter{AGS: &kalletal, From: &from, To: &to}, cyberlotse.Page{First: 50})
	if err != nil {
		t.Fatal(err)
	}
	var series []string
	var seriesIDs []string
	for _, e := range events {
		if e.Title == "Cyber-Stammtisch Kalletal" {
			series = append(series, e.StartsAt.In(berlin).Format("2006-01-02 15:04 MST"))
			seriesIDs = append(seriesIDs, e.ID)
			if e.OrganizerID != "gemeinde-kalletal" || e.Mode != cyberlotse.ModeOnsite || e.Sample || e.Status != cyberlotse.EventScheduled {
				t.Errorf("series event %+v", e)
			}
		}
	}
	want := "2097-03-07 18:00 CET,2097-03-14 18:00 CET,2097-03-21 18:00 CET,2097-04-04 18:00 CEST,2097-04-11 18:00 CEST,2097-04-18 18:00 CEST,2097-04-25 18:00 CEST"
	if strings.Join(series, ",") != want {
		t.Fatalf("series in Kalletal:\n got %v\nwant %s", series, want)
	}
	if len(events) != 8 {
		t.Errorf("%d events in Kalletal in 2097, want the 7 of the series and the all-day event", len(events))
	}
	hits, err := store.NewSearchBackend(db).Search(ctx, search.Query{Text: "Cyber-Stammtisch", Types: []search.Type{search.TypeEvent}, From: &from, To: &to, First: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range seriesIDs {
		if !hasHit(hits, id) {
			t.Errorf("search does not find %s", id)
		}
	}

	// Someone registers for the evening that the feed will drop.
	infoKey := uid("infoabend-notfallplan@veranstaltungen.kalletal.example")
	infoID := res.IDs[infoKey]
	planKey := uid("5f0c2e9a-8d1b-4c7e-9a55-planspiel@veranstaltungen.kalletal.example")
	regs := store.NewRegistrationService(db, neo4jtest.NewID, berlin)
	reg, err := regs.Register(ctx, cyberlotse.RegisterInput{EventID: infoID, Consent: true,
		Attendee: cyberlotse.Attendee{Name: "Erika Mustermann", Email: cyberlotse.Email(run + "@example.org")}}, clock)
	if err != nil {
		t.Fatal(err)
	}

	// Version 2: the Planspiel moves to 10:00 (SEQUENCE 1), the evening is gone.
	opt.Source = "kalletal-v2.ics"
	v2, err := im.ImportFeed(ctx, bytes.NewReader(feedData(t, "kalletal-v2.ics", run)), opt)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "v2", v2, 0, 1, 9)
	if len(v2.Cancelled) != 1 || v2.Cancelled[0] != infoID || !strings.Contains(v2.Summary(), "1 abgesagt") {
		t.Fatalf("cancelled %v, want [%s]; %s", v2.Cancelled, infoID, v2.Summary())
	}
	got, err := store.NewEventService(db).EventsByIDs(ctx, []string{infoID, res.IDs[planKey]})
	if err != nil || len(got) != 2 {
		t.Fatalf("events %v, %v", got, err)
	}
	for _, e := range got {
		switch e.ID {
		case infoID:
			if e.Status != cyberlotse.EventCancelled || e.Confirmed != 1 {
				t.Errorf("dropped event: status %s, %d confirmed; want CANCELLED with its registration", e.Status, e.Confirmed)
			}
		default:
			if !e.StartsAt.Equal(time.Date(2097, 4, 16, 10, 0, 0, 0, berlin)) || e.Status != cyberlotse.EventScheduled || e.Sequence != 1 {
				t.Errorf("Planspiel %v %s seq %d", e.StartsAt, e.Status, e.Sequence)
			}
		}
	}
	kept, err := regs.RegistrationsByIDs(ctx, []string{reg.Registration.ID})
	if err != nil || len(kept) != 1 || kept[0].EventID != infoID {
		t.Fatalf("the registration must stay: %v, %v", kept, err)
	}
	reminders, err := store.NewReminderService(db).RemindersOfEvent(ctx, infoID)
	if err != nil {
		t.Fatal(err)
	}
	notified := false
	for _, r := range reminders {
		notified = notified || (r.Kind == cyberlotse.NoticeEventCancelled && r.State == cyberlotse.ReminderPending)
	}
	if !notified {
		t.Fatalf("no cancellation notice queued: %+v", reminders)
	}

	again2, err := im.ImportFeed(ctx, bytes.NewReader(feedData(t, "kalletal-v2.ics", run)), opt)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "v2 again", again2, 0, 0, 10)
	if len(again2.Cancelled) != 0 {
		t.Fatalf("cancelled again: %v", again2.Cancelled)
	}

	// An older version (v1 has SEQUENCE 0 for the Planspiel) is stale and
	// changes nothing; the evening comes back and is scheduled again.
	opt.Source = "kalletal-v1.ics"
	old, err := im.ImportFeed(ctx, bytes.NewReader(feedData(t, "kalletal-v1.ics", run)), opt)
	if err != nil {
		t.Fatal(err)
	}
	wantCounts(t, "v1 after v2", old, 0, 1, 10)
	back, err := store.NewEventService(db).EventsByIDs(ctx, []string{infoID, res.IDs[planKey]})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range back {
		if e.Status != cyberlotse.EventScheduled || (e.ID != infoID && e.StartsAt.In(berlin).Hour() != 10) {
			t.Errorf("after the stale feed: %s %s %v", e.ID, e.Status, e.StartsAt)
		}
	}
}

func TestImportFeedUnknownOrganizer(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	im := newImporter(t, db)
	_, err := im.ImportFeed(context.Background(), strings.NewReader("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
		importers.FeedOptions{OrganizerID: "gibt-es-nicht-" + neo4jtest.NewID()})
	if cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND {
		t.Fatalf("err %v, want NOT_FOUND", err)
	}
}
