package importers_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers"
)

// fakeStore is a function-field fake of the store, for the pipeline's
// own logic (batching, retries, progress); the integration tests use Neo4j.
type fakeStore struct {
	companies func(batch []*cyberlotse.CompanyRecord) (*cyberlotse.ImportResult, error)
	measures  func(batch []*cyberlotse.Measure)
}

var _ cyberlotse.ImportService = (*fakeStore)(nil)

func (f *fakeStore) ImportCompanies(_ context.Context, b []*cyberlotse.CompanyRecord, _ bool) (*cyberlotse.ImportResult, error) {
	return f.companies(b)
}
func (f *fakeStore) ImportContacts(context.Context, []*cyberlotse.ContactRecord, bool) (*cyberlotse.ImportResult, error) {
	return nil, errors.New("not used")
}
func (f *fakeStore) ImportMeasures(_ context.Context, b []*cyberlotse.Measure, _ bool) (*cyberlotse.ImportResult, error) {
	if f.measures == nil {
		return nil, errors.New("not used")
	}
	f.measures(b)
	return &cyberlotse.ImportResult{ImportCounts: cyberlotse.ImportCounts{Created: len(b)}}, nil
}
func (f *fakeStore) ImportFeedEvents(context.Context, string, []*cyberlotse.FeedEvent, time.Time, bool) (*cyberlotse.ImportResult, error) {
	return nil, errors.New("not used")
}
func (f *fakeStore) CancelMissingFeedEvents(context.Context, string, cyberlotse.FeedSeen, time.Time, bool) ([]string, error) {
	return nil, errors.New("not used")
}

func sampleMunicipalities() []*cyberlotse.Municipality {
	return []*cyberlotse.Municipality{
		{AGS: "05766036", Name: "Kalletal", Postcodes: []cyberlotse.Postcode{"32689"}},
		{AGS: "05120000", Name: "Remscheid", Postcodes: []cyberlotse.Postcode{"42853", "42855", "42857"}},
		{AGS: "05315000", Name: "Köln", Postcodes: []cyberlotse.Postcode{"50667", "51467"}},
		{AGS: "05378004", Name: "Bergisch Gladbach", Postcodes: []cyberlotse.Postcode{"51465", "51467"}},
		{AGS: "05334032", Name: "Stolberg (Rhld.)", Postcodes: []cyberlotse.Postcode{"52222"}},
	}
}

func TestBatchesRetryOnceThenReport(t *testing.T) {
	var data bytes.Buffer
	if err := importers.GenerateCompanies(&data, 2500, 7, sampleMunicipalities(), "Pipeline"); err != nil {
		t.Fatal(err)
	}
	attempts := map[string]int{} // first name of a batch → attempts
	store := &fakeStore{companies: func(b []*cyberlotse.CompanyRecord) (*cyberlotse.ImportResult, error) {
		first := b[0].Name
		attempts[first]++
		switch {
		case strings.Contains(first, " 1001 "): // the second batch fails for good
			return nil, errors.New("Neo4j: connection reset")
		case strings.Contains(first, " 1 ") && attempts[first] == 1: // the first fails once
			return nil, errors.New("Neo4j: transient")
		}
		return &cyberlotse.ImportResult{ImportCounts: cyberlotse.ImportCounts{Created: len(b)}}, nil
	}}
	var progress bytes.Buffer
	im := &importers.Importer{Store: store, Places: importers.NewGazetteer(sampleMunicipalities()), RetryPause: time.Millisecond,
		Progress: &importers.Progress{W: &progress, Label: "Unternehmen", Every: time.Nanosecond}}
	res, err := im.ImportCompanies(context.Background(), data.Bytes(), importers.Options{Source: "x.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 1500 || res.FailedBatches != 1 || res.Report.Rejected() != 1000 {
		t.Fatalf("%s; rejected %d", res.Summary(), res.Report.Rejected())
	}
	p := res.Report.Sorted()[0]
	if p.Line != 1002 || !strings.Contains(p.Reason, "Zeile 1002 bis Zeile 2001 scheiterte zweimal") {
		t.Fatalf("problem %+v", p)
	}
	if !strings.Contains(res.Summary(), "ACHTUNG: 1 Stapel") {
		t.Fatalf("summary %q", res.Summary())
	}
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "Unternehmen: … 1000 Zeilen (") || !strings.Contains(lines[0], "Zeilen/s") ||
		strings.Contains(progress.String(), "\r") {
		t.Fatalf("plain progress:\n%s", progress.String())
	}
}

func TestProgressOnTerminal(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &importers.Progress{W: &out, TTY: true, Label: "Unternehmen", Now: func() time.Time { return now }}
	p.Update(0, 0)
	now = now.Add(2 * time.Second)
	p.Update(50000, 0.5)
	p.Finish(100000)
	s := out.String()
	if !strings.Contains(s, "\rUnternehmen [████████████░░░░░░░░░░░░]  50 %  50000 Zeilen  25000 Zeilen/s") || !strings.HasSuffix(s, "\n") {
		t.Fatalf("terminal progress %q", s)
	}
}

func TestGazetteer(t *testing.T) {
	g := importers.NewGazetteer(sampleMunicipalities())
	place := func(pc, town string) string {
		m, _, err := g.Place(pc, town, true)
		if err != nil {
			return err.Field + ": " + err.Reason
		}
		return m.Name
	}
	for _, tc := range [][3]string{
		{"32689", "", "Kalletal"},
		{"51467", "Bergisch Gladbach", "Bergisch Gladbach"},
		{"51467", "KÖLN-Porz", "Köln"},
		{"51467", "", "Ort: PLZ 51467 gehört zu mehreren Gemeinden (Bergisch Gladbach, Köln) – bitte den Ort angeben"},
		{"51467", "Bonn", "Ort: „Bonn“ passt zu keiner der Gemeinden der PLZ 51467 (Bergisch Gladbach, Köln)"},
		{"", "Kalletal", "PLZ: PLZ fehlt"},
		{"4285", "", "PLZ: „4285“ ist keine Postleitzahl (5 Ziffern)"},
	} {
		if got := place(tc[0], tc[1]); got != tc[2] {
			t.Errorf("Place(%q, %q) = %q, want %q", tc[0], tc[1], got, tc[2])
		}
	}
	if m, _, err := g.Place("", "Stolberg", false); err != nil || m.AGS != "05334032" {
		t.Errorf("town without qualifier: %v %v", m, err)
	}
	for text, want := range map[string]string{
		"Bürgerbegegnungszentrum, Hohenhausen, 32689 Kalletal": "Kalletal",
		"Rathaus, 51467 Bergisch Gladbach":                     "Bergisch Gladbach",
		"Kulturhaus Remscheid":                                 "Remscheid",
		"Online (Webex)":                                       "",
	} {
		got := ""
		if m := g.InText(text); m != nil {
			got = m.Name
		}
		if got != want {
			t.Errorf("InText(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestCompanyKeys(t *testing.T) {
	for in, want := range map[string][2]string{
		"HRB 12345":                       {"HRB 12345", ""},
		"Amtsgericht Wuppertal HRB 30215": {"HRB 30215", "Wuppertal"},
		"HRB7731 (AG Lemgo)":              {"HRB 7731", "Lemgo"},
		"hra 5512":                        {"HRA 5512", ""},
		"VR 2231, Registergericht Köln":   {"VR 2231", "Köln"},
	} {
		n, c, err := cyberlotse.ParseRegisterNumber(in)
		if err != nil || n != want[0] || c != want[1] {
			t.Errorf("ParseRegisterNumber(%q) = %q, %q, %v; want %v", in, n, c, err, want)
		}
	}
	for in, want := range map[string]string{"6201": "62.01", "62.01": "62.01", "J 62.01.0": "62.01.0", "62": "62"} {
		if got, err := cyberlotse.ParseWZ(in); err != nil || got != want {
			t.Errorf("ParseWZ(%q) = %q, %v", in, got, err)
		}
	}
	if got := cyberlotse.CompanyKey("", "", "Müller  Werkzeugbau GmbH & Co. KG", "42853"); got != "name:mueller werkzeugbau gmbh co kg|42853" {
		t.Errorf("name key %q", got)
	}
	if got := cyberlotse.CompanyKey("HRB 24817", "Wuppertal", "egal", "42853"); got != "reg:wuppertal|HRB24817" {
		t.Errorf("register key %q", got)
	}
}
