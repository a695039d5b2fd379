// Package searchtest is the behaviour every search backend must show on
// the seeded data: one table of queries and expected hits, run against the
// Neo4j full-text backend always and against Meilisearch when MEILI_URL is
// set. It is a plain package so that each backend's tests can call Run.
package searchtest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Case is one query and what its result must (and must not) contain.
type Case struct {
	Name     string
	Query    search.Query
	Want     []string // "TYPE:key" that must be among the hits
	WantTop  string   // "TYPE:key" that must be the first hit
	Exclude  []string // "TYPE:key" that must not be among the hits
	OnlyType search.Type
}

var solingen = search.Near{Lat: 51.171736, Lon: 7.083063, RadiusKm: 30}

// Cases are the shared expectations (seeded data of seeds/).
var Cases = []Case{
	{Name: "typo in a town finds the town and its evening", Query: search.Query{Text: "Kaletal"},
		Want: []string{"MUNICIPALITY:05766036", "EVENT:kalletal-infoabend-2025-09-04"}},
	{Name: "typo in a city", Query: search.Query{Text: "Wuperthal"}, WantTop: "MUNICIPALITY:05124000"},
	{Name: "tabletop exercises", Query: search.Query{Text: "Planspiel", Types: []search.Type{search.TypeEvent}},
		Want:     []string{"EVENT:planspiel-wuppertal-2027-06-16", "EVENT:planspiel-bielefeld-2027-02-24", "EVENT:planspiel-muenster-2027-11-10"},
		OnlyType: search.TypeEvent},
	{Name: "several words", Query: search.Query{Text: "Planspiel Ransomware Wuppertal", Types: []search.Type{search.TypeEvent}},
		WantTop: "EVENT:planspiel-wuppertal-2027-06-16"},
	{Name: "town and kind of event", Query: search.Query{Text: "Kaletal Infoabend", Types: []search.Type{search.TypeEvent}},
		Want: []string{"EVENT:kalletal-infoabend-2027-03-18", "EVENT:kalletal-infoabend-2025-09-04"}},
	{Name: "police for a district", Query: search.Query{Text: "Polizei Cybercrime Lippe"},
		Want: []string{"ORGANIZATION:lr-lippe", "CONTACT:idt-pp-bielefeld"}},
	{Name: "postcode", Query: search.Query{Text: "32689"}, WantTop: "MUNICIPALITY:05766036"},
	{Name: "30 km around Solingen: Remscheid yes, Münster no",
		Query:   search.Query{Text: "Sprechstunde Planspiel Sicherheitsfrühstück", Types: []search.Type{search.TypeEvent}, Near: &solingen},
		Want:    []string{"EVENT:modellregion-sprechstunde-remscheid-2027-06-02", "EVENT:modellregion-fruehstueck-solingen-2027-05-06"},
		Exclude: []string{"EVENT:planspiel-muenster-2027-11-10", "EVENT:planspiel-bielefeld-2027-02-24"}},
	{Name: "format filter", Query: search.Query{Text: "Planspiel Lunchtalk", Format: ptr(cyberlotse.FormatLunchtalk)},
		Want: []string{"EVENT:lunchtalk-2027-01-13"}, Exclude: []string{"EVENT:planspiel-wuppertal-2027-06-16"}},
	{Name: "date window", Query: search.Query{Text: "Kalletal", Types: []search.Type{search.TypeEvent},
		From: ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))},
		Want: []string{"EVENT:kalletal-infoabend-2027-03-18"}, Exclude: []string{"EVENT:kalletal-infoabend-2025-09-04"}},
	{Name: "date window narrows events only", Query: search.Query{Text: "Kalletal",
		From: ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))},
		Want:    []string{"MUNICIPALITY:05766036", "REGION:kalletal", "EVENT:kalletal-infoabend-2027-03-18"},
		Exclude: []string{"EVENT:kalletal-infoabend-2025-09-04"}},
	{Name: "several words with a filter and a window", Query: search.Query{Text: "Lunchtalk Sicherheitsfrühstück",
		Types: []search.Type{search.TypeEvent}, Region: ptr("bergisches-staedtedreieck"), From: ptr(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))},
		Want: []string{"EVENT:modellregion-fruehstueck-solingen-2027-05-06"}, Exclude: []string{"EVENT:lunchtalk-2027-01-13"}},
	{Name: "district filter", Query: search.Query{Text: "Wuppertal Kalletal", District: ptr(cyberlotse.DistrictKey("05766"))},
		Want: []string{"MUNICIPALITY:05766036"}, Exclude: []string{"MUNICIPALITY:05124000"}},
	{Name: "region filter", Query: search.Query{Text: "Planspiel Sicherheitsfrühstück", Types: []search.Type{search.TypeEvent}, Region: ptr("bergisches-staedtedreieck")},
		Want: []string{"EVENT:planspiel-wuppertal-2027-06-16"}, Exclude: []string{"EVENT:planspiel-koeln-2027-09-15"}},
	{Name: "measure filter", Query: search.Query{Text: "Planspiel", Measure: ptr("M10")},
		Want: []string{"EVENT:planspiel-muenster-2027-11-10"}},
}

func ptr[T any](v T) *T { return &v }

// seededEventsEnd bounds the events the cases look at: the seeds end
// before it, test events of other packages start after it.
var seededEventsEnd = time.Date(2090, 1, 1, 0, 0, 0, 0, time.UTC)

// SpecialTexts must give a normal result (possibly empty), never an error.
var SpecialTexts = []string{`"`, `~`, `*`, `:`, `AND OR NOT`, `((Kalletal`, `Kalletal)`, `"Planspiel" AND -Wuppertal`,
	`\`, `title:Planspiel`, `Kall*`, `Wupp~2`, `+Polizei -Lippe`, `[1 TO 5]`, `{}`, `^3`, `!?`, `a && b || c`}

// Run checks b against the shared expectations.
func Run(t *testing.T, b search.Backend) {
	ctx := context.Background()
	for _, c := range Cases {
		t.Run(c.Name, func(t *testing.T) {
			q := c.Query
			q.First = search.MaxPageSize
			if q.To == nil {
				// Other packages' tests write events after 2090 into the
				// same database while this runs (importer feeds in Kalletal,
				// say); the expectations are about the seeded events.
				q.To = &seededEventsEnd
			}
			res, err := b.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			var order []string
			for _, h := range res.Hits {
				k := fmt.Sprintf("%s:%s", h.Type, h.Key)
				got[k] = true
				order = append(order, k)
				if c.OnlyType != "" && h.Type != c.OnlyType {
					t.Errorf("hit %s is not a %s", k, c.OnlyType)
				}
			}
			for _, w := range c.Want {
				if !got[w] {
					t.Errorf("%s missing from %v", w, order)
				}
			}
			for _, x := range c.Exclude {
				if got[x] {
					t.Errorf("%s must not be found: %v", x, order)
				}
			}
			if c.WantTop != "" && (len(order) == 0 || order[0] != c.WantTop) {
				t.Errorf("top hit %v, want %s", order, c.WantTop)
			}
			checkFacets(t, res)
		})
	}
	t.Run("highlights mark the matched words", func(t *testing.T) {
		res, err := b.Search(ctx, search.Query{Text: "Kaletal", Types: []search.Type{search.TypeMunicipality}, First: 5})
		if err != nil || len(res.Hits) == 0 {
			t.Fatalf("%v %v", res, err)
		}
		found := false
		for _, h := range res.Hits[0].Highlights {
			found = found || (h.Field == "title" && strings.Contains(h.Snippet, "<em>Kalletal</em>"))
		}
		if !found {
			t.Errorf("highlights = %+v", res.Hits[0].Highlights)
		}
	})
	t.Run("highlights mark whole words of typo matches", func(t *testing.T) {
		res, err := b.Search(ctx, search.Query{Text: "Informationsveranstaltug Kaletal", Types: []search.Type{search.TypeEvent},
			First: 5, To: &seededEventsEnd})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range res.Hits {
			if h.Key != "kalletal-infoabend-2025-09-04" {
				continue
			}
			for _, hl := range h.Highlights {
				if hl.Field == "title" && strings.Contains(hl.Snippet, "<em>Informationsveranstaltung</em>") &&
					strings.Contains(hl.Snippet, "<em>Kalletal</em>") {
					return
				}
			}
			t.Fatalf("highlights = %+v", h.Highlights)
		}
		t.Errorf("the Kalletal evening is not among %+v", res.Hits)
	})
	t.Run("paging", func(t *testing.T) {
		all, err := b.Search(ctx, search.Query{Text: "Planspiel", First: search.MaxPageSize})
		if err != nil {
			t.Fatal(err)
		}
		page2, err := b.Search(ctx, search.Query{Text: "Planspiel", First: 2, Offset: 2})
		if err != nil || len(all.Hits) < 4 || len(page2.Hits) != 2 {
			t.Fatalf("all %d, page 2 %d, %v", len(all.Hits), len(page2.Hits), err)
		}
		for i, h := range page2.Hits {
			if h.Key != all.Hits[i+2].Key {
				t.Errorf("page 2 hit %d = %s, want %s", i, h.Key, all.Hits[i+2].Key)
			}
		}
	})
	t.Run("special characters are plain text", func(t *testing.T) {
		for _, text := range SpecialTexts {
			if _, err := b.Search(ctx, search.Query{Text: text, First: 10}); err != nil {
				t.Errorf("%q: %v", text, err)
			}
		}
	})
	t.Run("empty and overlong queries are bad input", func(t *testing.T) {
		for _, text := range []string{"", "   ", strings.Repeat("a", search.MaxQueryLength+1)} {
			if _, err := b.Search(ctx, search.Query{Text: text, First: 10}); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
				t.Errorf("%q: %v", text[:min(len(text), 10)], err)
			}
		}
	})
	t.Run("suggest completes towns, postcodes and regions", func(t *testing.T) {
		for prefix, want := range map[string]string{"Kalle": "MUNICIPALITY:05766036", "3268": "POSTCODE:05766036", "Satellit": "REGION:kalletal"} {
			got, err := b.Suggest(ctx, prefix, 8)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range got {
				found = found || fmt.Sprintf("%s:%s", s.Kind, s.Key) == want
			}
			if !found {
				t.Errorf("suggest %q = %+v, want %s", prefix, got, want)
			}
		}
	})
}

// checkFacets: every facet over types adds up to the estimated total.
func checkFacets(t *testing.T, res *search.Result) {
	t.Helper()
	sum := 0
	for _, n := range res.Facets.Types {
		sum += n
	}
	if sum != res.EstimatedTotal {
		t.Errorf("type facets add up to %d, total is %d", sum, res.EstimatedTotal)
	}
}
