package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// These are unit tests of the parts of the Meilisearch backend that need no
// Meilisearch: the pure mapping functions, and — against fakeMeili, an
// httptest.Server that speaks the few endpoints Meili calls — the mapping
// of requests and responses and the classification of errors. fakeMeili is
// a fake of an external HTTP service for unit tests; it does not search.
// Search behaviour is checked by the shared suite (graph/search/searchtest)
// against a real Meilisearch when MEILI_URL is set.

func ptr[T any](v T) *T { return &v }

func f64(v float64) *float64 { return &v }

// ---- toMeili ----

func TestMeiliToMeili(t *testing.T) {
	starts := time.Date(2027, 6, 16, 14, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		name string
		doc  Document
		want map[string]any
	}{
		{
			name: "event with place and start",
			doc: Document{ID: "EVENT-planspiel-wuppertal-2027-06-16", Type: TypeEvent, Key: "planspiel-wuppertal-2027-06-16",
				Title: "Planspiel Ransomware", Text: "Ein Angriff im Bergischen Land.", Keywords: []string{"Wuppertal", "Bergische IHK"},
				AGS: []string{"05124000"}, Districts: []string{"05124"}, Regions: []string{"bergisches-staedtedreieck"},
				Format: "TABLETOP", Measures: []string{"M10"}, StartsAt: &starts, Status: "SCHEDULED",
				Lat: f64(51.256213), Lon: f64(7.150764), Sample: true},
			want: map[string]any{
				"id": "EVENT-planspiel-wuppertal-2027-06-16", "type": "EVENT", "key": "planspiel-wuppertal-2027-06-16",
				"title": "Planspiel Ransomware", "text": "Ein Angriff im Bergischen Land.",
				"keywords": []string{"Wuppertal", "Bergische IHK"}, "ags": []string{"05124000"}, "districts": []string{"05124"},
				"regions": []string{"bergisches-staedtedreieck"}, "measures": []string{"M10"}, "postcodes": []string{},
				"format": "TABLETOP", "status": "SCHEDULED", "startsAt": int64(1813149000), // 12:30 UTC
				"_geo": map[string]any{"lat": 51.256213, "lng": 7.150764}, "sample": true,
			},
		},
		{
			name: "municipality with postcodes; empty lists are [] and empty format/status are absent",
			doc: Document{ID: "MUNICIPALITY-05766036", Type: TypeMunicipality, Key: "05766036", Title: "Kalletal",
				Keywords: []string{"Lippe", "32689"}, AGS: []string{"05766036"}, Districts: []string{"05766"},
				Postcodes: []string{"32689"}, Lat: f64(52.1333), Lon: f64(8.95)},
			want: map[string]any{
				"id": "MUNICIPALITY-05766036", "type": "MUNICIPALITY", "key": "05766036", "title": "Kalletal", "text": "",
				"keywords": []string{"Lippe", "32689"}, "ags": []string{"05766036"}, "districts": []string{"05766"},
				"regions": []string{}, "measures": []string{}, "postcodes": []string{"32689"},
				"_geo": map[string]any{"lat": 52.1333, "lng": 8.95}, "sample": false,
			},
		},
		{
			name: "no ID: made from type and key; only one coordinate: no _geo",
			doc:  Document{Type: TypeMeasure, Key: "M01", Title: "M01 Notfallkarte", Lat: f64(51)},
			want: map[string]any{
				"id": "MEASURE-M01", "type": "MEASURE", "key": "M01", "title": "M01 Notfallkarte", "text": "",
				"keywords": []string{}, "ags": []string{}, "districts": []string{}, "regions": []string{},
				"measures": []string{}, "postcodes": []string{}, "sample": false,
			},
		},
		{
			name: "coordinates out of range or NaN: no _geo (it would fail the whole task)",
			doc:  Document{ID: "OFFER-x", Type: TypeOffer, Key: "x", Lat: f64(91), Lon: f64(math.NaN())},
			want: map[string]any{
				"id": "OFFER-x", "type": "OFFER", "key": "x", "title": "", "text": "",
				"keywords": []string{}, "ags": []string{}, "districts": []string{}, "regions": []string{},
				"measures": []string{}, "postcodes": []string{}, "sample": false,
			},
		},
		{
			name: "invalid id characters are encoded; highlight markers are removed from text",
			doc: Document{ID: "EVENT-tag der offenen tür", Type: TypeEvent, Key: "tag der offenen tür",
				Title: "A\uE000B\uE001C", Keywords: []string{"x\uE000"}},
			want: map[string]any{
				"id": "EVENT-tag_20der_20offenen_20t_C3_BCr", "type": "EVENT", "key": "tag der offenen tür", "title": "ABC", "text": "",
				"keywords": []string{"x"}, "ags": []string{}, "districts": []string{}, "regions": []string{},
				"measures": []string{}, "postcodes": []string{}, "sample": false,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := toMeili(tc.doc)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("toMeili =\n %#v\nwant\n %#v", got, tc.want)
			}
		})
	}
}

func TestMeiliToMeiliJSON(t *testing.T) {
	// What goes over the wire: startsAt a number, _geo an object.
	starts := time.Unix(1813235400, 0)
	b, err := json.Marshal(toMeili(Document{ID: "EVENT-a", Type: TypeEvent, Key: "a", StartsAt: &starts, Lat: f64(51.5), Lon: f64(7.25)}))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"startsAt":1813235400`, `"_geo":{"lat":51.5,"lng":7.25}`, `"keywords":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
}

func TestMeiliID(t *testing.T) {
	long := "EVENT-" + strings.Repeat("x", 600)
	tests := []struct{ in, want string }{
		{"EVENT-planspiel-wuppertal-2027-06-16", "EVENT-planspiel-wuppertal-2027-06-16"},
		{"MUNICIPALITY-05766036", "MUNICIPALITY-05766036"},
		{"OFFER-a_b", "OFFER-a_5Fb"}, // "_" is encoded too, so that the mapping stays one to one
		{"OFFER-a_5Fb", "OFFER-a_5F5Fb"},
		{"REGION-köln", "REGION-k_C3_B6ln"},
		{"EVENT-a.b/c", "EVENT-a_2Eb_2Fc"},
		{long, "_H" + strings.Repeat("?", 64)}, // hashed; checked below
	}
	for _, tc := range tests {
		got := meiliID(tc.in)
		if tc.in == long {
			if len(got) != 66 || !strings.HasPrefix(got, "_H") || meiliID(long+"y") == got {
				t.Errorf("meiliID(long) = %q", got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("meiliID(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// ---- filters ----

func TestMeiliQuoteFilter(t *testing.T) {
	tests := []struct{ in, want string }{
		{`lippe`, `"lippe"`},
		{``, `""`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{`a\"b`, `"a\\\"b"`},
		{`" OR type = "EVENT`, `"\" OR type = \"EVENT"`},
		{`x\`, `"x\\"`},
		{`'single' (paren) AND`, `"'single' (paren) AND"`},
	}
	for _, tc := range tests {
		if got := quoteFilter(tc.in); got != tc.want {
			t.Errorf("quoteFilter(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestMeiliBuildFilter(t *testing.T) {
	from := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) // 1798761600
	to := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)   // 1801440000
	fromNanos := from.Add(500 * time.Millisecond)       // rounds up
	ags := cyberlotse.AGS("05766036")
	district := cyberlotse.DistrictKey("05766")
	format := cyberlotse.FormatTabletop
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"none", Query{}, ``},
		{"one type", Query{Types: []Type{TypeEvent}}, `type IN ["EVENT"]`},
		{"types", Query{Types: []Type{TypeEvent, TypeOffer, TypeMeasure}}, `type IN ["EVENT", "OFFER", "MEASURE"]`},
		{"ags", Query{AGS: &ags}, `ags = "05766036"`},
		{"district", Query{District: &district}, `districts = "05766"`},
		{"region", Query{Region: ptr("bergisches-staedtedreieck")}, `regions = "bergisches-staedtedreieck"`},
		{"from", Query{From: &from}, `(type != "EVENT" OR startsAt >= 1798761600)`},
		{"to", Query{To: &to}, `(type != "EVENT" OR startsAt < 1801440000)`},
		{"from with fractions rounds up", Query{From: &fromNanos}, `(type != "EVENT" OR startsAt >= 1798761601)`},
		{"from and to", Query{From: &from, To: &to}, `(type != "EVENT" OR startsAt >= 1798761600) AND (type != "EVENT" OR startsAt < 1801440000)`},
		{"format", Query{Format: &format}, `format = "TABLETOP"`},
		{"measure", Query{Measure: ptr("M10")}, `measures = "M10"`},
		{"near in meters", Query{Near: &Near{Lat: 51.171736, Lon: 7.083063, RadiusKm: 30}}, `_geoRadius(51.171736, 7.083063, 30000)`},
		{"near rounds meters", Query{Near: &Near{Lat: -1.5, Lon: -0.25, RadiusKm: 2.0004}}, `_geoRadius(-1.5, -0.25, 2000)`},
		{"escaped region", Query{Region: ptr(`x" OR type = "EVENT`)}, `regions = "x\" OR type = \"EVENT"`},
		{"escaped measure", Query{Measure: ptr(`M\10"`)}, `measures = "M\\10\""`},
		{"everything", Query{Types: []Type{TypeEvent}, AGS: &ags, District: &district, Region: ptr("kalletal"),
			From: &from, To: &to, Format: &format, Measure: ptr("M10"), Near: &Near{Lat: 52, Lon: 9, RadiusKm: 5}},
			`type IN ["EVENT"] AND ags = "05766036" AND districts = "05766" AND regions = "kalletal" AND ` +
				`(type != "EVENT" OR startsAt >= 1798761600) AND (type != "EVENT" OR startsAt < 1801440000) AND format = "TABLETOP" AND measures = "M10" AND ` +
				`_geoRadius(52, 9, 5000)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := buildFilter(tc.q); got != tc.want {
				t.Errorf("buildFilter =\n %s\nwant\n %s", got, tc.want)
			}
		})
	}
}

// ---- query text ----

// specialTexts mirrors searchtest.SpecialTexts (which this package's tests
// cannot import) plus a few more.
var specialTexts = []string{`"`, `~`, `*`, `:`, `AND OR NOT`, `((Kalletal`, `Kalletal)`, `"Planspiel" AND -Wuppertal`,
	`\`, `title:Planspiel`, `Kall*`, `Wupp~2`, `+Polizei -Lippe`, `[1 TO 5]`, `{}`, `^3`, `!?`, `a && b || c`,
	`-`, `--`, `"""`, `„Planspiel“`, `'`, "\uE000x\uE001", `<script>alert(1)</script>`}

func TestMeiliPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{`Planspiel Wuppertal`, `Planspiel Wuppertal`},
		{`"Planspiel Wuppertal"`, `Planspiel Wuppertal`},
		{`"Planspiel" AND -Wuppertal`, `Planspiel AND Wuppertal`},
		{`-Ransomware`, `Ransomware`},
		{`Cyber -Angriff`, `Cyber Angriff`},
		{`--x`, `x`},
		{`a -"b c"`, `a b c`},
		{`E-Mail Cyber-Angriff`, `E-Mail Cyber-Angriff`},
		{`a- -b`, `a- b`},
		{`(-x)`, `( x)`},
		{`–Angriff —Notfall −Vorfall`, `Angriff Notfall Vorfall`},
		{`„Krisenübung“ «Planspiel» “ZAC”`, `Krisenübung Planspiel ZAC`},
		{`~ * : AND OR ( )`, `~ * : AND OR ( )`},
		{`title:Planspiel Kall* Wupp~2 +Polizei`, `title:Planspiel Kall* Wupp~2 +Polizei`},
		{`[1 TO 5] {} ^3 !? a && b || c \`, `[1 TO 5] {} ^3 !? a && b || c \`},
		{"a\tb\nc\x00d", `a b c d`},
		{"x\uE000y\uE001z", `x y z`},
		{`  viel   Platz  `, `viel Platz`},
	}
	for _, tc := range tests {
		if got := plainText(tc.in); got != tc.want {
			t.Errorf("plainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMeiliValidateQuery(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		code cyberlotse.Code // "" = valid
		text string
	}{
		{"plain", Query{Text: " Planspiel  Lippe "}, "", "Planspiel Lippe"},
		{"200 runes", Query{Text: strings.Repeat("ä", MaxQueryLength)}, "", strings.Repeat("ä", MaxQueryLength)},
		{"empty", Query{Text: ""}, cyberlotse.EINVALID, ""},
		{"blank", Query{Text: " \t "}, cyberlotse.EINVALID, ""},
		{"201 runes", Query{Text: strings.Repeat("ä", MaxQueryLength+1)}, cyberlotse.EINVALID, ""},
		{"first too big", Query{Text: "x", First: MaxPageSize + 1}, cyberlotse.EINVALID, ""},
		{"first negative", Query{Text: "x", First: -1}, cyberlotse.EINVALID, ""},
		{"offset negative", Query{Text: "x", Offset: -1}, cyberlotse.EINVALID, ""},
		{"latitude", Query{Text: "x", Near: &Near{Lat: 91, Lon: 7, RadiusKm: 1}}, cyberlotse.EINVALID, ""},
		{"longitude", Query{Text: "x", Near: &Near{Lat: 51, Lon: -181, RadiusKm: 1}}, cyberlotse.EINVALID, ""},
		{"radius 0", Query{Text: "x", Near: &Near{Lat: 51, Lon: 7}}, cyberlotse.EINVALID, ""},
		{"radius NaN", Query{Text: "x", Near: &Near{Lat: 51, Lon: 7, RadiusKm: math.NaN()}}, cyberlotse.EINVALID, ""},
		{"lat NaN", Query{Text: "x", Near: &Near{Lat: math.NaN(), Lon: 7, RadiusKm: 1}}, cyberlotse.EINVALID, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, err := validateQuery(tc.q)
			if tc.code == "" {
				if err != nil || text != tc.text {
					t.Errorf("validateQuery = %q, %v; want %q", text, err, tc.text)
				}
				return
			}
			if cyberlotse.ErrorCode(err) != tc.code || cyberlotse.ErrorMessage(err) == cyberlotse.MsgInternal {
				t.Errorf("validateQuery error = %v, want %s with a message", err, tc.code)
			}
		})
	}
	for _, s := range specialTexts {
		if _, err := validateQuery(Query{Text: s, First: 10}); err != nil {
			t.Errorf("validateQuery(%q) = %v, want no error", s, err)
		}
	}
}

func TestMeiliBuildSearchRequest(t *testing.T) {
	format := cyberlotse.FormatTabletop
	req := buildSearchRequest(Query{Text: "ignored: the text is passed", Types: []Type{TypeEvent}, Format: &format,
		First: 7, Offset: 14}, "Planspiel Lippe")
	want := &meilisearch.SearchRequest{
		Query: "Planspiel Lippe", Offset: 14, Limit: 7,
		AttributesToRetrieve:  []string{"type", "key", "title", "text", "keywords"},
		AttributesToHighlight: []string{"title", "text", "keywords"},
		HighlightPreTag:       "\uE000", HighlightPostTag: "\uE001",
		AttributesToCrop: []string{"text"}, CropLength: 30, CropMarker: "…",
		Facets:           []string{"type", "format", "districts", "measures"},
		ShowRankingScore: true,
		Filter:           `type IN ["EVENT"] AND format = "TABLETOP"`,
	}
	if !reflect.DeepEqual(req, want) {
		t.Errorf("buildSearchRequest =\n %+v\nwant\n %+v", req, want)
	}
	if r := buildSearchRequest(Query{Text: "x"}, "x"); r.Limit != DefaultPageSize || r.Offset != 0 || r.Filter != nil {
		t.Errorf("defaults: limit %d offset %d filter %v", r.Limit, r.Offset, r.Filter)
	}
}

// ---- responses ----

func TestMeiliFacetsFrom(t *testing.T) {
	got := facetsFrom(map[string]map[string]int{
		"type":      {"EVENT": 3, "MUNICIPALITY": 1},
		"format":    {"TABLETOP": 2, "LUNCHTALK": 1},
		"districts": {"05766": 2, "05124": 1},
		"measures":  {"M10": 1, "": 4},
		"status":    {"SCHEDULED": 3}, // not asked for: ignored
	})
	want := Facets{
		Types:     map[Type]int{TypeEvent: 3, TypeMunicipality: 1},
		Formats:   map[string]int{"TABLETOP": 2, "LUNCHTALK": 1},
		Districts: map[string]int{"05766": 2, "05124": 1},
		Measures:  map[string]int{"M10": 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("facetsFrom =\n %+v\nwant\n %+v", got, want)
	}
	empty := facetsFrom(nil)
	if empty.Types == nil || empty.Formats == nil || empty.Districts == nil || empty.Measures == nil {
		t.Errorf("facetsFrom(nil) has nil maps: %+v", empty)
	}
}

func TestMeiliHighlight(t *testing.T) {
	const pre, post = "\uE000", "\uE001"
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"Kalletal", "", false},
		{pre + "Kalletal" + post, "<em>Kalletal</em>", true},
		{"Gemeinde " + pre + "Kalle" + post + "tal", "Gemeinde <em>Kalletal</em>", true},
		{pre + "Planspiel" + post + " <Ransomware> & \"Co\" 'x'", "<em>Planspiel</em> &lt;Ransomware&gt; &amp; &#34;Co&#34; &#39;x&#39;", true},
		{"<em>fake</em> " + pre + "echt" + post, "&lt;em&gt;fake&lt;/em&gt; <em>echt</em>", true},
		{"<script>" + pre + "alert" + post + "(1)</script>", "&lt;script&gt;<em>alert</em>(1)&lt;/script&gt;", true},
		{"…im " + pre + "Bergischen" + post + " Land…", "…im <em>Bergischen</em> Land…", true},
		{pre + "a" + post + " und " + pre + "b" + post, "<em>a</em> und <em>b</em>", true},
		{pre + "offen", "<em>offen</em>", true},             // unclosed: closed at the end
		{pre + pre + "x" + post + post, "<em>x</em>", true}, // nested markers: one tag
		{post + pre + "x" + post, "<em>x</em>", true},       // stray end marker: dropped
		{pre + post, "<em></em>", true},
	}
	for _, tc := range tests {
		got, ok := highlight(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("highlight(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestMeiliHighlightsFrom(t *testing.T) {
	var h meiliHit
	h.Formatted.Title = "\uE000Planspiel\uE001 Wuppertal"
	h.Formatted.Text = "Ohne Treffer"
	h.Formatted.Keywords = []string{"Bergische IHK", "\uE000Planspiel\uE001", "Krisen\uE000übung\uE001 & mehr"}
	got := highlightsFrom(h)
	want := []Highlight{
		{Field: "title", Snippet: "<em>Planspiel</em> Wuppertal"},
		{Field: "keywords", Snippet: "<em>Planspiel</em> · <em>Krisenübung</em> &amp; mehr"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("highlightsFrom =\n %+v\nwant\n %+v", got, want)
	}
	if got := highlightsFrom(meiliHit{}); got != nil {
		t.Errorf("no matches: %+v", got)
	}
}

// ---- settings ----

func TestMeiliSynonyms(t *testing.T) {
	wantGroups := [][]string{
		{"KMU", "Mittelstand", "Unternehmen"},
		{"Planspiel", "Tabletop-Übung", "Tabletop", "Krisenübung"},
		{"Polizei", "Interventionsteam", "ZAC"},
		{"Notfall", "Vorfall", "Angriff", "Cyberangriff"},
	}
	if !reflect.DeepEqual(SynonymGroups, wantGroups) {
		t.Fatalf("SynonymGroups = %q", SynonymGroups)
	}
	m := synonymMap(SynonymGroups)
	for word, want := range map[string][]string{
		"KMU":            {"Mittelstand", "Unternehmen"},
		"Unternehmen":    {"KMU", "Mittelstand"},
		"Planspiel":      {"Tabletop-Übung", "Tabletop", "Krisenübung"},
		"Tabletop-Übung": {"Planspiel", "Tabletop", "Krisenübung"},
		"ZAC":            {"Polizei", "Interventionsteam"},
		"Cyberangriff":   {"Notfall", "Vorfall", "Angriff"},
	} {
		if !slices.Equal(m[word], want) {
			t.Errorf("synonyms of %s = %q, want %q", word, m[word], want)
		}
	}
	n := 0
	for _, g := range SynonymGroups {
		n += len(g)
	}
	if len(m) != n {
		t.Errorf("%d synonym entries, want one per word (%d)", len(m), n)
	}
	for w, others := range m { // multi-way: every pair both ways
		for _, o := range others {
			if !slices.Contains(m[o], w) {
				t.Errorf("%s → %s but not back", w, o)
			}
		}
	}
	// A word in two groups would get the union.
	if got := synonymMap([][]string{{"a", "b"}, {"a", "c"}})["a"]; !slices.Equal(got, []string{"b", "c"}) {
		t.Errorf("overlapping groups: %q", got)
	}
}

func TestMeiliStopWords(t *testing.T) {
	for _, w := range []string{"der", "die", "das", "und", "oder", "in", "im", "für", "mit", "von", "zu", "ein", "eine"} {
		if !slices.Contains(GermanStopWords, w) {
			t.Errorf("stop words lack %q", w)
		}
	}
	seen := map[string]bool{}
	for _, w := range GermanStopWords {
		if w != strings.ToLower(w) || seen[w] {
			t.Errorf("stop word %q: not lower case or twice", w)
		}
		seen[w] = true
	}
	for _, w := range []string{"it", "kmu", "polizei", "nrw"} { // words that matter here
		if seen[w] {
			t.Errorf("%q must not be a stop word", w)
		}
	}
}

func TestMeiliDesiredSettings(t *testing.T) {
	s := desiredSettings()
	if !slices.Equal(s.SearchableAttributes[:3], []string{"title", "keywords", "text"}) {
		t.Errorf("searchable = %q, want title, keywords, text first", s.SearchableAttributes)
	}
	if !sameSet(s.FilterableAttributes, []string{"type", "ags", "districts", "regions", "format", "measures", "startsAt", "status", "_geo"}) {
		t.Errorf("filterable = %q", s.FilterableAttributes)
	}
	if !slices.Equal(s.SortableAttributes, []string{"startsAt"}) {
		t.Errorf("sortable = %q", s.SortableAttributes)
	}
	if !slices.Equal(s.RankingRules, []string{"words", "typo", "proximity", "attribute", "sort", "exactness"}) {
		t.Errorf("ranking rules = %q", s.RankingRules)
	}
	if tt := s.TypoTolerance; !tt.Enabled || tt.MinWordSizeForTypos.OneTypo != 4 || tt.MinWordSizeForTypos.TwoTypos != 8 {
		t.Errorf("typo tolerance = %+v", tt)
	}
	if s.Faceting.MaxValuesPerFacet < 53 { // every NRW district
		t.Errorf("maxValuesPerFacet = %d", s.Faceting.MaxValuesPerFacet)
	}
	if s.Pagination.MaxTotalHits != MaxHits {
		t.Errorf("maxTotalHits = %d", s.Pagination.MaxTotalHits)
	}
	for _, f := range meiliFacets {
		if !slices.Contains(s.FilterableAttributes, f) {
			t.Errorf("facet %s is not filterable", f)
		}
	}
}

func TestMeiliSettingsEqual(t *testing.T) {
	want := desiredSettings()
	if !settingsEqual(want, desiredSettings()) {
		t.Error("desired settings differ from themselves")
	}
	if settingsEqual(want, nil) {
		t.Error("nil settings equal")
	}
	// What Meilisearch returns may order sets differently.
	shuffled := desiredSettings()
	slices.Reverse(shuffled.FilterableAttributes)
	slices.Reverse(shuffled.StopWords)
	for k := range shuffled.Synonyms {
		slices.Reverse(shuffled.Synonyms[k])
	}
	if !settingsEqual(want, shuffled) {
		t.Error("order of sets matters")
	}
	for name, change := range map[string]func(*meilisearch.Settings){
		"searchable order": func(s *meilisearch.Settings) { slices.Reverse(s.SearchableAttributes) },
		"ranking":          func(s *meilisearch.Settings) { s.RankingRules = s.RankingRules[1:] },
		"filterable":       func(s *meilisearch.Settings) { s.FilterableAttributes = s.FilterableAttributes[1:] },
		"sortable":         func(s *meilisearch.Settings) { s.SortableAttributes = nil },
		"stop words":       func(s *meilisearch.Settings) { s.StopWords = append(s.StopWords, "kmu") },
		"synonym added":    func(s *meilisearch.Settings) { s.Synonyms["x"] = []string{"y"} },
		"synonym changed":  func(s *meilisearch.Settings) { s.Synonyms["KMU"] = []string{"Mittelstand"} },
		"typo sizes":       func(s *meilisearch.Settings) { s.TypoTolerance.MinWordSizeForTypos.OneTypo = 5 },
		"typo off":         func(s *meilisearch.Settings) { s.TypoTolerance.Enabled = false },
		"typo words":       func(s *meilisearch.Settings) { s.TypoTolerance.DisableOnWords = []string{"x"} },
		"typo nil":         func(s *meilisearch.Settings) { s.TypoTolerance = nil },
		"facet values":     func(s *meilisearch.Settings) { s.Faceting.MaxValuesPerFacet = 100 },
		"pagination":       func(s *meilisearch.Settings) { s.Pagination = nil },
	} {
		got := desiredSettings()
		change(got)
		if settingsEqual(want, got) {
			t.Errorf("%s: still equal", name)
		}
	}
}

// ---- suggestions (pure) ----

func TestMeiliPostcodeSuggestions(t *testing.T) {
	hits := []meiliHit{
		{Type: "MUNICIPALITY", Key: "05766036", Title: "Kalletal", Postcodes: []string{"32689"}},
		{Type: "MUNICIPALITY", Key: "05766020", Title: "Extertal", Postcodes: []string{"32699"}},
		{Type: "MUNICIPALITY", Key: "05999999", Title: "Irgendwo", Postcodes: []string{"59000", "32683"}},
		{Type: "REGION", Key: "kalletal", Title: "Satellit Kalletal", Postcodes: []string{"32600"}}, // not a municipality
	}
	got := postcodeSuggestions(hits, "326", 3)
	want := []Suggestion{
		{Kind: SuggestPostcode, Text: "32683 Irgendwo", Key: "05999999", Value: "32683"},
		{Kind: SuggestPostcode, Text: "32689 Kalletal", Key: "05766036", Value: "32689"},
		{Kind: SuggestPostcode, Text: "32699 Extertal", Key: "05766020", Value: "32699"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("postcodeSuggestions =\n %+v\nwant\n %+v", got, want)
	}
	if got := postcodeSuggestions(hits, "326", 1); len(got) != 1 || got[0].Value != "32683" {
		t.Errorf("limit 1: %+v", got)
	}
	if got := postcodeSuggestions(hits, "4", 5); len(got) != 0 || got == nil {
		t.Errorf("no match: %#v, want empty and not nil", got)
	}
}

func TestMeiliNameSuggestions(t *testing.T) {
	hits := []meiliHit{
		{Type: "MUNICIPALITY", Key: "05766036", Title: "Kalletal"},
		{Type: "EVENT", Key: "kalletal-infoabend", Title: "Infoabend Kalletal"},
		{Type: "REGION", Key: "kalletal", Title: "Satellit Kalletal"},
		{Type: "MUNICIPALITY", Key: "05154032", Title: "Kalkar"},
	}
	got := nameSuggestions(hits, 2)
	want := []Suggestion{
		{Kind: SuggestMunicipality, Text: "Kalletal", Key: "05766036", Value: "Kalletal"},
		{Kind: SuggestRegion, Text: "Satellit Kalletal", Key: "kalletal", Value: "Satellit Kalletal"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("nameSuggestions =\n %+v\nwant\n %+v", got, want)
	}
}

// ---- construction and errors ----

func TestMeiliNew(t *testing.T) {
	for _, bad := range []string{"", "localhost:7700", "ftp://x", "http://", "://x"} {
		if _, err := NewMeili(bad, "k"); err == nil {
			t.Errorf("NewMeili(%q) accepted", bad)
		}
	}
	m, err := NewMeili("http://meili:7700/", "k")
	if err != nil || m.url != "http://meili:7700" || m.Index() != "cyberlotse" {
		t.Fatalf("NewMeili = %+v, %v", m, err)
	}
	if m, err := NewMeili("https://meili.example", "k", MeiliIndex("cyberlotse_test")); err != nil || m.Index() != "cyberlotse_test" {
		t.Errorf("MeiliIndex: %v", err)
	}
	for _, bad := range []MeiliOption{MeiliIndex("a b"), MeiliIndex(""), MeiliIndex("x/y"), MeiliTimeout(0), MeiliTaskTimeout(-1)} {
		if _, err := NewMeili("http://meili:7700", "k", bad); err == nil {
			t.Error("bad option accepted")
		}
	}
}

func TestMeiliClassify(t *testing.T) {
	apiErr := func(status int, code string) error {
		e := &meilisearch.Error{StatusCode: status}
		e.ErrorBody([]byte(`{"message":"secret detail","code":"` + code + `"}`))
		return e.WithErrCode(meilisearch.MeilisearchApiError)
	}
	tests := []struct {
		name string
		err  error
		code cyberlotse.Code
	}{
		{"500", apiErr(500, "internal"), cyberlotse.ESEARCH},
		{"502", (&meilisearch.Error{StatusCode: 502}).WithErrCode(meilisearch.MeilisearchApiErrorWithoutMessage), cyberlotse.ESEARCH},
		{"429", apiErr(429, "too_many_requests"), cyberlotse.ESEARCH},
		{"connection", (&meilisearch.Error{}).WithErrCode(meilisearch.MeilisearchCommunicationError, errors.New("dial tcp: connection refused")), cyberlotse.ESEARCH},
		{"timeout", (&meilisearch.Error{}).WithErrCode(meilisearch.MeilisearchTimeoutError, context.DeadlineExceeded), cyberlotse.ESEARCH},
		{"retries", (&meilisearch.Error{}).WithErrCode(meilisearch.MeilisearchMaxRetriesExceeded), cyberlotse.ESEARCH},
		{"deadline", context.DeadlineExceeded, cyberlotse.ESEARCH},
		{"400", apiErr(400, "invalid_search_filter"), cyberlotse.EINTERNAL},
		{"401", apiErr(401, "invalid_api_key"), cyberlotse.EINTERNAL},
		{"404", apiErr(404, "index_not_found"), cyberlotse.EINTERNAL},
		{"undecodable", (&meilisearch.Error{StatusCode: 200}).WithErrCode(meilisearch.ErrCodeResponseUnmarshalBody, errors.New("bad json")), cyberlotse.EINTERNAL},
		{"other", errors.New("something"), cyberlotse.EINTERNAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := classify("search", tc.err)
			var me *MeiliError
			if !errors.As(err, &me) || !errors.Is(err, tc.err) {
				t.Fatalf("classify = %#v, want a *MeiliError wrapping the cause", err)
			}
			if got := cyberlotse.ErrorCode(err); got != tc.code {
				t.Errorf("code = %s, want %s", got, tc.code)
			}
			want := cyberlotse.MsgInternal
			if tc.code == cyberlotse.ESEARCH {
				want = MsgSearchUnavailable
			}
			if got := cyberlotse.ErrorMessage(err); got != want {
				t.Errorf("message = %q, want %q", got, want)
			}
			if strings.Contains(err.Error(), "secret detail") || strings.Contains(err.Error(), "connection refused") {
				t.Errorf("Error() leaks the cause: %s", err)
			}
			if logged := logLine(err); !strings.Contains(logged, "cause=") {
				t.Errorf("log line lacks the cause: %s", logged)
			}
		})
	}
	if classify("x", nil) != nil {
		t.Error("classify(nil) != nil")
	}
	once := classify("search", errors.New("x"))
	if classify("other", once) != once {
		t.Error("classify wraps a *MeiliError again")
	}
}

// logLine renders err as slog's text handler does.
func logLine(err error) string {
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Error("failed", "err", err)
	return b.String()
}

// ---- the HTTP layer, against fakeMeili ----

type fakeRequest struct {
	Method, Path, Auth string
	Body               []byte
}

type fakeTask struct {
	typ    string
	polls  int
	failed *fakeTaskFailure
}

type fakeTaskFailure struct{ Code, Message string }

// fakeMeili: see the comment at the top of this file.
type fakeMeili struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	requests    []fakeRequest
	indexExists bool
	primaryKey  string
	settings    map[string]any
	keys        []map[string]any
	searchKeys  map[string]bool // keys /search accepts
	tasks       map[int64]*fakeTask
	nextTask    int64
	failNext    map[string]fakeTaskFailure // by task type
	onRefused   func()                     // called (locked) when /search refuses a key
	search      func(body map[string]any) (int, string)
	// multiSearch answers POST /multi-search; unset, the whole text's
	// query (the first) goes to search and the answer is empty.
	multiSearch func(body map[string]any) (int, string)
}

const fakeDefaultSettings = `{"displayedAttributes":["*"],"searchableAttributes":["*"],"filterableAttributes":[],
"sortableAttributes":[],"rankingRules":["words","typo","proximity","attribute","sort","exactness"],"stopWords":[],
"nonSeparatorTokens":[],"separatorTokens":[],"dictionary":[],"synonyms":{},"distinctAttribute":null,
"proximityPrecision":"byWord","typoTolerance":{"enabled":true,"minWordSizeForTypos":{"oneTypo":5,"twoTypos":9},
"disableOnWords":[],"disableOnAttributes":[],"disableOnNumbers":false},"faceting":{"maxValuesPerFacet":100,
"sortFacetValuesBy":{"*":"alpha"}},"pagination":{"maxTotalHits":1000},"embedders":{},"searchCutoffMs":null,
"localizedAttributes":null,"facetSearch":true,"prefixSearch":"indexingTime"}`

func newFakeMeili(t *testing.T) *fakeMeili {
	f := &fakeMeili{t: t, indexExists: true, primaryKey: "id", searchKeys: map[string]bool{},
		tasks: map[int64]*fakeTask{}, failNext: map[string]fakeTaskFailure{}}
	if err := json.Unmarshal([]byte(fakeDefaultSettings), &f.settings); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /indexes/{uid}", f.getIndex)
	mux.HandleFunc("POST /indexes", func(w http.ResponseWriter, r *http.Request) {
		f.indexExists = true
		f.primaryKey = "id"
		f.enqueue(w, "indexCreation")
	})
	mux.HandleFunc("GET /indexes/{uid}/settings", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, f.settings) })
	mux.HandleFunc("PATCH /indexes/{uid}/settings", func(w http.ResponseWriter, r *http.Request) {
		var patch map[string]any
		if err := json.Unmarshal(f.lastBody(), &patch); err != nil {
			t.Errorf("settings body: %v", err)
		}
		if _, fails := f.failNext["settingsUpdate"]; !fails {
			for k, v := range patch {
				f.settings[k] = v
			}
		}
		f.enqueue(w, "settingsUpdate")
	})
	mux.HandleFunc("POST /indexes/{uid}/documents", func(w http.ResponseWriter, r *http.Request) {
		f.enqueue(w, "documentAdditionOrUpdate")
	})
	mux.HandleFunc("POST /indexes/{uid}/documents/delete-batch", func(w http.ResponseWriter, r *http.Request) {
		f.enqueue(w, "documentDeletion")
	})
	mux.HandleFunc("DELETE /indexes/{uid}/documents", func(w http.ResponseWriter, r *http.Request) {
		f.enqueue(w, "documentDeletion")
	})
	mux.HandleFunc("GET /tasks/{uid}", f.getTask)
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit == 0 {
			limit = 20
		}
		end := min(offset+limit, len(f.keys))
		writeJSON(w, 200, map[string]any{"results": f.keys[min(offset, end):end], "offset": offset, "limit": limit, "total": len(f.keys)})
	})
	mux.HandleFunc("POST /keys", func(w http.ResponseWriter, r *http.Request) {
		var k map[string]any
		_ = json.Unmarshal(f.lastBody(), &k)
		k["key"] = fmt.Sprintf("sk-new-%d", len(f.keys))
		k["uid"] = "0b6e5c2a-1d7b-4c57-9a43-7d0c6c7e6f%02d"
		f.keys = append(f.keys, k)
		f.searchKeys[k["key"].(string)] = true
		writeJSON(w, 201, k)
	})
	mux.HandleFunc("POST /indexes/{uid}/search", func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !f.searchKeys[key] {
			if f.onRefused != nil {
				f.onRefused()
			}
			writeJSON(w, 403, map[string]any{"message": "The provided API key is invalid.", "code": "invalid_api_key",
				"type": "auth", "link": "https://docs.meilisearch.com/errors#invalid_api_key"})
			return
		}
		var body map[string]any
		if err := json.Unmarshal(f.lastBody(), &body); err != nil {
			t.Errorf("search body: %v", err)
		}
		status, resp := 200, `{"hits":[],"estimatedTotalHits":0,"facetDistribution":{},"offset":0,"limit":20,"processingTimeMs":0,"query":""}`
		if f.search != nil {
			status, resp = f.search(body)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, resp)
	})
	mux.HandleFunc("POST /multi-search", func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !f.searchKeys[key] {
			writeJSON(w, 403, map[string]any{"message": "The provided API key is invalid.", "code": "invalid_api_key",
				"type": "auth", "link": "https://docs.meilisearch.com/errors#invalid_api_key"})
			return
		}
		var body map[string]any
		if err := json.Unmarshal(f.lastBody(), &body); err != nil {
			t.Errorf("multi-search body: %v", err)
		}
		status, resp := 200, `{"hits":[],"estimatedTotalHits":0,"facetDistribution":{},"offset":0,"limit":20,"processingTimeMs":0}`
		switch {
		case f.multiSearch != nil:
			status, resp = f.multiSearch(body)
		case f.search != nil:
			queries, _ := body["queries"].([]any)
			first, _ := queries[0].(map[string]any)
			f.search(first)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, resp)
	})
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.requests = append(f.requests, fakeRequest{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body})
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeMeili) lastBody() []byte { return f.requests[len(f.requests)-1].Body }

func (f *fakeMeili) getIndex(w http.ResponseWriter, r *http.Request) {
	if !f.indexExists {
		writeJSON(w, 404, map[string]any{"message": "Index `" + r.PathValue("uid") + "` not found.", "code": "index_not_found",
			"type": "invalid_request", "link": "https://docs.meilisearch.com/errors#index_not_found"})
		return
	}
	writeJSON(w, 200, map[string]any{"uid": r.PathValue("uid"), "primaryKey": f.primaryKey,
		"createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"})
}

func (f *fakeMeili) enqueue(w http.ResponseWriter, typ string) {
	uid := f.nextTask
	f.nextTask++
	task := &fakeTask{typ: typ}
	if fail, ok := f.failNext[typ]; ok {
		task.failed = &fail
		delete(f.failNext, typ)
	}
	f.tasks[uid] = task
	writeJSON(w, 202, map[string]any{"taskUid": uid, "indexUid": "cyberlotse", "status": "enqueued", "type": typ,
		"enqueuedAt": "2026-01-01T00:00:00Z"})
}

// getTask answers "processing" first, then the outcome, so that Meili has
// to wait.
func (f *fakeMeili) getTask(w http.ResponseWriter, r *http.Request) {
	uid, _ := strconv.ParseInt(r.PathValue("uid"), 10, 64)
	task, ok := f.tasks[uid]
	if !ok {
		writeJSON(w, 404, map[string]any{"message": "Task not found.", "code": "task_not_found", "type": "invalid_request"})
		return
	}
	task.polls++
	resp := map[string]any{"uid": uid, "indexUid": "cyberlotse", "type": task.typ, "status": "processing", "error": nil,
		"enqueuedAt": "2026-01-01T00:00:00Z"}
	switch {
	case task.polls < 2:
	case task.failed != nil:
		resp["status"] = "failed"
		resp["error"] = map[string]any{"message": task.failed.Message, "code": task.failed.Code, "type": "invalid_request"}
	default:
		resp["status"] = "succeeded"
	}
	writeJSON(w, 200, resp)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// calls lists "METHOD path" of the requests so far (without task polls).
func (f *fakeMeili) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if !strings.HasPrefix(r.Path, "/tasks/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func (f *fakeMeili) request(method, path string) fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		if r := f.requests[i]; r.Method == method && r.Path == path {
			return r
		}
	}
	f.t.Fatalf("no request %s %s", method, path)
	return fakeRequest{}
}

func (f *fakeMeili) polls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if strings.HasPrefix(r.Path, "/tasks/") {
			n++
		}
	}
	return n
}

func (f *fakeMeili) meili(t *testing.T, opts ...MeiliOption) *Meili {
	m, err := NewMeili(f.srv.URL, "master", append([]MeiliOption{MeiliTimeout(2 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	m.pollInterval = time.Millisecond
	return m
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}

// roundTrip is v as it looks after JSON encoding and decoding.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, b)
}

func TestMeiliEnsureSettings(t *testing.T) {
	f := newFakeMeili(t)
	f.indexExists = false
	m := f.meili(t)
	ctx := context.Background()
	if err := m.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /indexes/cyberlotse", "POST /indexes", "GET /indexes/cyberlotse/settings", "PATCH /indexes/cyberlotse/settings"}
	if got := f.calls(); !slices.Equal(got, want) {
		t.Fatalf("calls = %q, want %q", got, want)
	}
	if got := decode(t, f.request("POST", "/indexes").Body); !reflect.DeepEqual(got, map[string]any{"uid": "cyberlotse", "primaryKey": "id"}) {
		t.Errorf("create index body = %v", got)
	}
	if f.polls() < 4 {
		t.Errorf("%d task polls: the tasks were not waited for", f.polls())
	}
	patch := decode(t, f.request("PATCH", "/indexes/cyberlotse/settings").Body).(map[string]any)
	if got := patch["searchableAttributes"]; !reflect.DeepEqual(got, []any{"title", "keywords", "text", "postcodes"}) {
		t.Errorf("searchableAttributes = %v", got)
	}
	if got := patch["typoTolerance"].(map[string]any)["minWordSizeForTypos"]; !reflect.DeepEqual(got, map[string]any{"oneTypo": 4.0, "twoTypos": 8.0}) {
		t.Errorf("minWordSizeForTypos = %v", got)
	}
	if got := patch["synonyms"].(map[string]any)["KMU"]; !reflect.DeepEqual(got, []any{"Mittelstand", "Unternehmen"}) {
		t.Errorf("synonyms[KMU] = %v", got)
	}
	if got := patch["pagination"]; !reflect.DeepEqual(got, map[string]any{"maxTotalHits": float64(MaxHits)}) {
		t.Errorf("pagination = %v", got)
	}
	for _, r := range f.requests {
		if r.Auth != "Bearer master" {
			t.Errorf("%s %s with %q, want the master key", r.Method, r.Path, r.Auth)
		}
	}

	// Again: the settings are in place, nothing is changed.
	n := len(f.calls())
	if err := m.EnsureSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.calls()[n:]; !slices.Equal(got, []string{"GET /indexes/cyberlotse", "GET /indexes/cyberlotse/settings"}) {
		t.Errorf("second run calls = %q, want only reads", got)
	}
}

func TestMeiliEnsureSettingsFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("failed task", func(t *testing.T) {
		f := newFakeMeili(t)
		f.failNext["settingsUpdate"] = fakeTaskFailure{Code: "invalid_settings_ranking_rules", Message: "`foo` ranking rule is invalid."}
		err := f.meili(t).EnsureSettings(ctx)
		var te *TaskError
		if !errors.As(err, &te) || te.Message != "`foo` ranking rule is invalid." || te.Code != "invalid_settings_ranking_rules" || te.Status != "failed" {
			t.Fatalf("err = %v, want the task's error", err)
		}
		if cyberlotse.ErrorCode(err) != cyberlotse.EINTERNAL || strings.Contains(err.Error(), "ranking rule") {
			t.Errorf("err = %v (code %s)", err, cyberlotse.ErrorCode(err))
		}
		if !strings.Contains(logLine(err), "ranking rule is invalid") {
			t.Errorf("log line lacks the task's message: %s", logLine(err))
		}
	})
	t.Run("other primary key", func(t *testing.T) {
		f := newFakeMeili(t)
		f.primaryKey = "uid"
		if err := f.meili(t).EnsureSettings(ctx); err == nil || !strings.Contains(logLine(err), `primary key \"uid\"`) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("index created meanwhile", func(t *testing.T) {
		f := newFakeMeili(t)
		f.indexExists = false
		f.failNext["indexCreation"] = fakeTaskFailure{Code: "index_already_exists", Message: "Index `cyberlotse` already exists."}
		if err := f.meili(t).EnsureSettings(ctx); err != nil {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t)
		f.srv.Close()
		if err := m.EnsureSettings(ctx); cyberlotse.ErrorCode(err) != cyberlotse.ESEARCH {
			t.Errorf("err = %v, want ESEARCH", err)
		}
	})
}

const fakeSearchResponse = `{"hits":[
 {"type":"EVENT","key":"planspiel-wuppertal-2027-06-16","title":"Planspiel <Ransomware> & Co","_rankingScore":0.93,
  "_formatted":{"type":"EVENT","key":"planspiel-wuppertal-2027-06-16",
   "title":"\uE000Planspiel\uE001 <Ransomware> & Co","text":"…im \uE000Bergischen\uE001 Land…",
   "keywords":["Wuppertal","\uE000Planspiel\uE001"]}},
 {"type":"MUNICIPALITY","key":"05124000","title":"Wuppertal","_rankingScore":0.5,
  "_formatted":{"title":"Wuppertal","text":"","keywords":[]}},
 {"title":"a hit without type and key is skipped"}],
 "estimatedTotalHits":12,"offset":10,"limit":5,"processingTimeMs":1,"query":"x",
 "facetDistribution":{"type":{"EVENT":11,"MUNICIPALITY":1},"format":{"TABLETOP":11},"districts":{"05124":12},"measures":{"M10":3}}}`

func TestMeiliSearch(t *testing.T) {
	f := newFakeMeili(t)
	f.keys = []map[string]any{
		{"description": "something else", "key": "sk-other", "actions": []string{"search"}, "indexes": []string{"cyberlotse"}, "expiresAt": nil},
		{"description": "cyberlotse search", "key": "sk-old", "actions": []string{"search"}, "indexes": []string{"other"}, "expiresAt": nil},
		{"description": "cyberlotse search", "key": "sk-expired", "actions": []string{"search"}, "indexes": []string{"cyberlotse"}, "expiresAt": "2020-01-01T00:00:00Z"},
		{"description": "cyberlotse search", "key": "sk-1", "actions": []string{"search"}, "indexes": []string{"cyberlotse"}, "expiresAt": nil},
	}
	f.searchKeys["sk-1"] = true
	var sent map[string]any
	f.search = func(body map[string]any) (int, string) {
		sent = body
		return 200, fakeSearchResponse
	}
	m := f.meili(t)
	district := cyberlotse.DistrictKey("05124")
	format := cyberlotse.FormatTabletop
	q := Query{Text: ` "Planspiel"- `, Types: []Type{TypeEvent, TypeMunicipality}, District: &district,
		Format: &format, First: 5, Offset: 10}
	res, err := m.Search(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}

	wantSent := map[string]any{
		"q": "Planspiel", "offset": 10.0, "limit": 5.0,
		"filter":                `type IN ["EVENT", "MUNICIPALITY"] AND districts = "05124" AND format = "TABLETOP"`,
		"facets":                []any{"type", "format", "districts", "measures"},
		"attributesToRetrieve":  []any{"type", "key", "title", "text", "keywords"},
		"attributesToHighlight": []any{"title", "text", "keywords"},
		"highlightPreTag":       "\uE000", "highlightPostTag": "\uE001",
		"attributesToCrop": []any{"text"}, "cropLength": 30.0, "cropMarker": "…",
		"showRankingScore": true, "hybrid": nil,
	}
	if !reflect.DeepEqual(sent, wantSent) {
		t.Errorf("search body =\n %v\nwant\n %v", sent, wantSent)
	}
	if auth := f.request("POST", "/indexes/cyberlotse/search").Auth; auth != "Bearer sk-1" {
		t.Errorf("search sent with %q, want the search key", auth)
	}

	want := &Result{
		Hits: []Hit{
			{Type: TypeEvent, Key: "planspiel-wuppertal-2027-06-16", Score: 0.93, Highlights: []Highlight{
				{Field: "title", Snippet: "<em>Planspiel</em> &lt;Ransomware&gt; &amp; Co"},
				{Field: "text", Snippet: "…im <em>Bergischen</em> Land…"},
				{Field: "keywords", Snippet: "<em>Planspiel</em>"},
			}},
			{Type: TypeMunicipality, Key: "05124000", Score: 0.5},
		},
		EstimatedTotal: 12,
		Facets: Facets{Types: map[Type]int{TypeEvent: 11, TypeMunicipality: 1}, Formats: map[string]int{"TABLETOP": 11},
			Districts: map[string]int{"05124": 12}, Measures: map[string]int{"M10": 3}},
	}
	if !reflect.DeepEqual(res, want) {
		t.Errorf("result =\n %+v\nwant\n %+v", res, want)
	}

	// The key is looked up once.
	if _, err := m.Search(context.Background(), Query{Text: "Kalletal"}); err != nil {
		t.Fatal(err)
	}
	keyCalls := 0
	for _, c := range f.calls() {
		if c == "GET /keys" {
			keyCalls++
		}
	}
	if keyCalls != 1 {
		t.Errorf("GET /keys %d times, want 1", keyCalls)
	}
	if sent["filter"] != nil || sent["limit"] != float64(DefaultPageSize) {
		t.Errorf("second search body: %v", sent)
	}
}

// Several words mean "any of them": one federated multi-search with the
// whole text (every word required, weighted up) and each word alone;
// paging and facets are the federation's, and every hit marks all words.
func TestMeiliFederatedSearch(t *testing.T) {
	f := newFakeMeili(t)
	f.searchKeys["sk"] = true
	var sent map[string]any
	f.multiSearch = func(body map[string]any) (int, string) {
		sent = body
		return 200, `{"hits":[
 {"type":"EVENT","key":"modellregion-fruehstueck-solingen-2027-05-06","title":"Sicherheitsfrühstück in Solingen",
  "text":"Beim Frühstück über Phishing sprechen","keywords":["Solingen","Sprechstunde"],
  "_federation":{"indexUid":"cyberlotse","queriesPosition":3,"weightedRankingScore":0.97},"_rankingScore":0.97,
  "_formatted":{"title":"Sicherheitsfrühstück in Solingen","text":"","keywords":[]}},
 {"type":"EVENT","key":"modellregion-sprechstunde-remscheid-2027-06-02","title":"Sprechstunde Remscheid",
  "_federation":{"indexUid":"cyberlotse","queriesPosition":1,"weightedRankingScore":0.9},"_rankingScore":0.9}],
 "estimatedTotalHits":2,"offset":0,"limit":5,"processingTimeMs":1,
 "facetDistribution":{"type":{"EVENT":2},"format":{"WORKSHOP":2},"districts":{"05122":1,"05120":1},"measures":{}}}`
	}
	m := f.meili(t, MeiliSearchKey("sk"))
	near := &Near{Lat: 51.17, Lon: 7.08, RadiusKm: 30}
	res, err := m.Search(context.Background(), Query{Text: "Sprechstunde sprechstunde Sicherheitsfrühstück",
		Types: []Type{TypeEvent}, Near: near, First: 5})
	if err != nil {
		t.Fatal(err)
	}
	filter := `type IN ["EVENT"] AND _geoRadius(51.17, 7.08, 30000)`
	query := func(q, strategy string, weight float64) map[string]any {
		return map[string]any{"indexUid": "cyberlotse", "q": q, "matchingStrategy": strategy, "filter": filter,
			"attributesToRetrieve":  []any{"type", "key", "title", "text", "keywords"},
			"attributesToHighlight": []any{"title", "text", "keywords"},
			"highlightPreTag":       "\uE000", "highlightPostTag": "\uE001",
			"attributesToCrop": []any{"text"}, "cropLength": 30.0, "cropMarker": "…",
			"showRankingScore": true, "hybrid": nil, "federationOptions": map[string]any{"weight": weight}}
	}
	want := map[string]any{
		"federation": map[string]any{"limit": 5.0, "facetsByIndex": map[string]any{"cyberlotse": []any{"type", "format", "districts", "measures"}},
			"mergeFacets": map[string]any{}},
		"queries": []any{query("Sprechstunde Sicherheitsfrühstück", "all", 1.2), query("Sprechstunde", "last", 1),
			query("Sicherheitsfrühstück", "last", 1)},
	}
	if !reflect.DeepEqual(sent, want) {
		got, _ := json.Marshal(sent)
		exp, _ := json.Marshal(want)
		t.Errorf("multi-search body =\n %s\nwant\n %s", got, exp)
	}
	wantRes := &Result{
		Hits: []Hit{
			{Type: TypeEvent, Key: "modellregion-fruehstueck-solingen-2027-05-06", Score: 0.97, Highlights: []Highlight{
				{Field: "title", Snippet: "<em>Sicherheitsfrühstück</em> in Solingen"},
				{Field: "keywords", Snippet: "Solingen · <em>Sprechstunde</em>"},
			}},
			{Type: TypeEvent, Key: "modellregion-sprechstunde-remscheid-2027-06-02", Score: 0.9, Highlights: []Highlight{
				{Field: "title", Snippet: "<em>Sprechstunde</em> Remscheid"},
			}},
		},
		EstimatedTotal: 2,
		Facets: Facets{Types: map[Type]int{TypeEvent: 2}, Formats: map[string]int{"WORKSHOP": 2},
			Districts: map[string]int{"05122": 1, "05120": 1}, Measures: map[string]int{}},
	}
	if !reflect.DeepEqual(res, wantRes) {
		t.Errorf("result =\n %+v\nwant\n %+v", res, wantRes)
	}
}

func TestMeiliSearchSpecialTexts(t *testing.T) {
	f := newFakeMeili(t)
	f.searchKeys["sk"] = true
	var queries []string
	f.search = func(body map[string]any) (int, string) {
		queries = append(queries, body["q"].(string))
		return 200, `{"hits":[],"estimatedTotalHits":0,"facetDistribution":{}}`
	}
	m := f.meili(t, MeiliSearchKey("sk"))
	for _, text := range specialTexts {
		res, err := m.Search(context.Background(), Query{Text: text, First: 10})
		if err != nil || res == nil || res.Hits == nil {
			t.Errorf("%q: %+v, %v", text, res, err)
		}
	}
	for _, q := range queries {
		if strings.ContainsAny(q, "\"\uE000\uE001") || strings.HasPrefix(q, "-") || strings.Contains(q, " -") {
			t.Errorf("query %q reached Meilisearch with syntax in it", q)
		}
	}
	// Texts without a letter or digit are answered without Meilisearch
	// (which would return every document).
	if slices.Contains(queries, "") || len(queries) >= len(specialTexts) {
		t.Errorf("queries sent: %q", queries)
	}
}

func TestMeiliSearchKeys(t *testing.T) {
	ctx := context.Background()
	t.Run("created when missing", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t)
		key, err := m.SearchKey(ctx)
		if err != nil || key != "sk-new-0" {
			t.Fatalf("SearchKey = %q, %v", key, err)
		}
		want := map[string]any{"name": "cyberlotse-search", "description": "cyberlotse search", "actions": []any{"search"},
			"indexes": []any{"cyberlotse"}, "expiresAt": nil}
		if got := decode(t, f.request("POST", "/keys").Body); !reflect.DeepEqual(got, want) {
			t.Errorf("create key body =\n %v\nwant\n %v", got, want)
		}
		// Found, not created again.
		if key, err := m.SearchKey(ctx); err != nil || key != "sk-new-0" || len(f.keys) != 1 {
			t.Errorf("second SearchKey = %q, %v; %d keys", key, err, len(f.keys))
		}
	})
	t.Run("paged key list", func(t *testing.T) {
		f := newFakeMeili(t)
		for i := range 150 {
			f.keys = append(f.keys, map[string]any{"description": fmt.Sprint("other ", i), "key": fmt.Sprint("k", i)})
		}
		f.keys = append(f.keys, map[string]any{"description": "cyberlotse search", "key": "sk-late", "actions": []string{"search"},
			"indexes": []string{"cyberlotse"}, "expiresAt": nil})
		if key, err := f.meili(t).SearchKey(ctx); err != nil || key != "sk-late" {
			t.Errorf("SearchKey = %q, %v", key, err)
		}
	})
	t.Run("no master key: no key", func(t *testing.T) {
		f := newFakeMeili(t)
		m, err := NewMeili(f.srv.URL, "")
		if err != nil {
			t.Fatal(err)
		}
		if key, err := m.SearchKey(ctx); key != "" || err != nil {
			t.Errorf("SearchKey = %q, %v", key, err)
		}
		f.searchKeys[""] = true
		if _, err := m.Search(ctx, Query{Text: "x"}); err != nil {
			t.Fatal(err)
		}
		if auth := f.request("POST", "/indexes/cyberlotse/search").Auth; auth != "" {
			t.Errorf("Authorization %q without a master key", auth)
		}
	})
	t.Run("fixed key", func(t *testing.T) {
		f := newFakeMeili(t)
		f.searchKeys["sk-fixed"] = true
		m := f.meili(t, MeiliSearchKey("sk-fixed"))
		if _, err := m.Search(ctx, Query{Text: "x"}); err != nil {
			t.Fatal(err)
		}
		if got := f.calls(); !slices.Equal(got, []string{"POST /indexes/cyberlotse/search"}) {
			t.Errorf("calls = %q", got)
		}
	})
	t.Run("refused key is looked up again once", func(t *testing.T) {
		f := newFakeMeili(t)
		f.keys = []map[string]any{{"description": "cyberlotse search", "key": "sk-deleted", "actions": []string{"search"},
			"indexes": []string{"cyberlotse"}, "expiresAt": nil}}
		f.onRefused = func() { f.keys = nil } // the key was deleted; the next lookup creates one
		m := f.meili(t)
		if _, err := m.Search(ctx, Query{Text: "x"}); err != nil {
			t.Fatal(err)
		}
		want := []string{"GET /keys", "POST /indexes/cyberlotse/search", "GET /keys", "POST /keys", "POST /indexes/cyberlotse/search"}
		if got := f.calls(); !slices.Equal(got, want) {
			t.Errorf("calls = %q, want %q", got, want)
		}
	})
	t.Run("refused twice is an internal error", func(t *testing.T) {
		f := newFakeMeili(t)
		f.keys = []map[string]any{{"description": "cyberlotse search", "key": "sk-bad", "actions": []string{"search"},
			"indexes": []string{"cyberlotse"}, "expiresAt": nil}}
		_, err := f.meili(t).Search(ctx, Query{Text: "x"})
		if cyberlotse.ErrorCode(err) != cyberlotse.EINTERNAL || !strings.Contains(logLine(err), "invalid_api_key") {
			t.Errorf("err = %v / %s", err, logLine(err))
		}
	})
}

func TestMeiliSearchErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		code   cyberlotse.Code
	}{
		{"500", 500, `{"message":"an internal error","code":"internal","type":"internal","link":""}`, cyberlotse.ESEARCH},
		{"503 without JSON", 503, `upstream unavailable`, cyberlotse.ESEARCH},
		{"429", 429, `{"message":"slow down","code":"too_many_search_requests","type":"system","link":""}`, cyberlotse.ESEARCH},
		{"400 bad filter", 400, `{"message":"Attribute x is not filterable.","code":"invalid_search_filter","type":"invalid_request","link":""}`, cyberlotse.EINTERNAL},
		{"404 no index", 404, `{"message":"Index cyberlotse not found.","code":"index_not_found","type":"invalid_request","link":""}`, cyberlotse.EINTERNAL},
		{"undecodable", 200, `{"hits": [`, cyberlotse.EINTERNAL},
		{"wrong shape", 200, `{"hits": {"a": 1}}`, cyberlotse.EINTERNAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeMeili(t)
			f.searchKeys["sk"] = true
			f.search = func(map[string]any) (int, string) { return tc.status, tc.body }
			_, err := f.meili(t, MeiliSearchKey("sk")).Search(context.Background(), Query{Text: "Kalletal"})
			checkSearchError(t, err, tc.code)
			if tc.code == cyberlotse.EINTERNAL && strings.Contains(err.Error(), "Attribute") {
				t.Errorf("Error() leaks Meilisearch's message: %s", err)
			}
		})
	}
	t.Run("timeout", func(t *testing.T) {
		f := newFakeMeili(t)
		f.searchKeys["sk"] = true
		release := make(chan struct{})
		t.Cleanup(func() { close(release) })
		f.search = func(map[string]any) (int, string) {
			f.mu.Unlock() // let the test's requests go on while this one hangs
			defer f.mu.Lock()
			select {
			case <-release:
			case <-time.After(5 * time.Second):
			}
			return 200, `{"hits":[]}`
		}
		m := f.meili(t, MeiliSearchKey("sk"), MeiliTimeout(50*time.Millisecond))
		start := time.Now()
		_, err := m.Search(context.Background(), Query{Text: "Kalletal"})
		checkSearchError(t, err, cyberlotse.ESEARCH)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v despite a 50ms timeout", d)
		}
	})
	t.Run("connection refused", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t, MeiliSearchKey("sk"))
		f.srv.Close()
		_, err := m.Search(context.Background(), Query{Text: "Kalletal"})
		checkSearchError(t, err, cyberlotse.ESEARCH)
		_, err = m.Suggest(context.Background(), "Kalle", 5)
		checkSearchError(t, err, cyberlotse.ESEARCH)
	})
	t.Run("key lookup unreachable", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t)
		f.srv.Close()
		_, err := m.Search(context.Background(), Query{Text: "Kalletal"})
		checkSearchError(t, err, cyberlotse.ESEARCH)
	})
	t.Run("bad queries do not reach Meilisearch", func(t *testing.T) {
		f := newFakeMeili(t)
		_, err := f.meili(t).Search(context.Background(), Query{Text: strings.Repeat("a", MaxQueryLength+1)})
		if cyberlotse.ErrorCode(err) != cyberlotse.EINVALID || len(f.calls()) != 0 {
			t.Errorf("err = %v, calls %q", err, f.calls())
		}
	})
}

func checkSearchError(t *testing.T, err error, code cyberlotse.Code) {
	t.Helper()
	var me *MeiliError
	if !errors.As(err, &me) {
		t.Fatalf("err = %#v, want a *MeiliError", err)
	}
	if got := cyberlotse.ErrorCode(err); got != code {
		t.Errorf("code = %s, want %s (%s)", got, code, logLine(err))
	}
	if code == cyberlotse.ESEARCH && cyberlotse.ErrorMessage(err) != MsgSearchUnavailable {
		t.Errorf("message = %q", cyberlotse.ErrorMessage(err))
	}
	if !strings.Contains(logLine(err), "cause=") {
		t.Errorf("log line lacks the cause: %s", logLine(err))
	}
}

func TestMeiliSuggest(t *testing.T) {
	f := newFakeMeili(t)
	f.searchKeys["sk"] = true
	var sent map[string]any
	f.search = func(body map[string]any) (int, string) {
		sent = body
		if body["q"] == "3268" {
			return 200, `{"hits":[
			  {"type":"MUNICIPALITY","key":"05766036","title":"Kalletal","postcodes":["32689"]},
			  {"type":"MUNICIPALITY","key":"05766020","title":"Extertal","postcodes":["32699","32688"]},
			  {"type":"MUNICIPALITY","key":"05766999","title":"Vertippt","postcodes":["32583"]}]}`
		}
		return 200, `{"hits":[
		  {"type":"MUNICIPALITY","key":"05766036","title":"Kalletal"},
		  {"type":"REGION","key":"kalletal","title":"Satellit Kalletal"}]}`
	}
	m := f.meili(t, MeiliSearchKey("sk"))
	ctx := context.Background()

	got, err := m.Suggest(ctx, " 3268 ", 8)
	if err != nil {
		t.Fatal(err)
	}
	wantSent := map[string]any{"q": "3268", "limit": 30.0, "filter": `type = "MUNICIPALITY"`,
		"attributesToSearchOn": []any{"postcodes"}, "attributesToRetrieve": []any{"type", "key", "title", "postcodes"}, "hybrid": nil}
	if !reflect.DeepEqual(sent, wantSent) {
		t.Errorf("postcode request =\n %v\nwant\n %v", sent, wantSent)
	}
	want := []Suggestion{
		{Kind: SuggestPostcode, Text: "32688 Extertal", Key: "05766020", Value: "32688"},
		{Kind: SuggestPostcode, Text: "32689 Kalletal", Key: "05766036", Value: "32689"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("postcode suggestions =\n %+v\nwant\n %+v", got, want)
	}

	got, err = m.Suggest(ctx, "Kalle", 0)
	if err != nil {
		t.Fatal(err)
	}
	wantSent = map[string]any{"q": "Kalle", "limit": 8.0, "filter": `type IN ["MUNICIPALITY", "REGION"]`,
		"attributesToSearchOn": []any{"title"}, "attributesToRetrieve": []any{"type", "key", "title"}, "hybrid": nil}
	if !reflect.DeepEqual(sent, wantSent) {
		t.Errorf("name request =\n %v\nwant\n %v", sent, wantSent)
	}
	want = []Suggestion{
		{Kind: SuggestMunicipality, Text: "Kalletal", Key: "05766036", Value: "Kalletal"},
		{Kind: SuggestRegion, Text: "Satellit Kalletal", Key: "kalletal", Value: "Satellit Kalletal"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("name suggestions =\n %+v\nwant\n %+v", got, want)
	}

	n := len(f.calls())
	for _, prefix := range []string{"", "   ", `"`, "-", strings.Repeat("x", 51)} {
		got, err := m.Suggest(ctx, prefix, 5)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("Suggest(%q) = %#v, %v; want empty", prefix, got, err)
		}
	}
	if len(f.calls()) != n {
		t.Errorf("empty prefixes reached Meilisearch: %q", f.calls()[n:])
	}
}

func TestMeiliWrites(t *testing.T) {
	ctx := context.Background()
	starts := time.Date(2027, 6, 16, 12, 30, 0, 0, time.UTC)
	docs := []Document{
		{ID: "EVENT-a", Type: TypeEvent, Key: "a", Title: "Planspiel", StartsAt: &starts, Format: "TABLETOP", Lat: f64(51.2), Lon: f64(7.1)},
		{ID: "MUNICIPALITY-05766036", Type: TypeMunicipality, Key: "05766036", Title: "Kalletal", Postcodes: []string{"32689"}},
	}

	t.Run("upsert", func(t *testing.T) {
		f := newFakeMeili(t)
		if err := f.meili(t).Upsert(ctx, docs); err != nil {
			t.Fatal(err)
		}
		req := f.request("POST", "/indexes/cyberlotse/documents")
		want := roundTrip(t, []map[string]any{toMeili(docs[0]), toMeili(docs[1])})
		if got := decode(t, req.Body); !reflect.DeepEqual(got, want) {
			t.Errorf("documents body =\n %v\nwant\n %v", got, want)
		}
		if req.Auth != "Bearer master" {
			t.Errorf("upsert with %q", req.Auth)
		}
		if f.polls() < 2 {
			t.Error("the task was not waited for")
		}
	})
	t.Run("delete", func(t *testing.T) {
		f := newFakeMeili(t)
		if err := f.meili(t).Delete(ctx, []string{"EVENT-a", "OFFER-x y"}); err != nil {
			t.Fatal(err)
		}
		if got := decode(t, f.request("POST", "/indexes/cyberlotse/documents/delete-batch").Body); !reflect.DeepEqual(got, []any{"EVENT-a", "OFFER-x_20y"}) {
			t.Errorf("delete body = %v", got)
		}
		if f.polls() < 2 {
			t.Error("the task was not waited for")
		}
	})
	t.Run("reset", func(t *testing.T) {
		f := newFakeMeili(t)
		if err := f.meili(t).Reset(ctx); err != nil {
			t.Fatal(err)
		}
		if got := f.calls(); !slices.Equal(got, []string{"DELETE /indexes/cyberlotse/documents"}) || f.polls() < 2 {
			t.Errorf("calls = %q, %d polls", got, f.polls())
		}
	})
	t.Run("nothing to do", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t)
		if m.Upsert(ctx, nil) != nil || m.Delete(ctx, []string{}) != nil || len(f.calls()) != 0 {
			t.Errorf("calls = %q", f.calls())
		}
	})
	t.Run("failed task", func(t *testing.T) {
		f := newFakeMeili(t)
		f.failNext["documentAdditionOrUpdate"] = fakeTaskFailure{Code: "invalid_document_geo_field", Message: "The `_geo` field is invalid."}
		err := f.meili(t).Upsert(ctx, docs)
		var te *TaskError
		if !errors.As(err, &te) || te.Code != "invalid_document_geo_field" || cyberlotse.ErrorCode(err) != cyberlotse.EINTERNAL {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unavailable", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t)
		f.srv.Close()
		for name, err := range map[string]error{"upsert": m.Upsert(ctx, docs), "delete": m.Delete(ctx, []string{"EVENT-a"}), "reset": m.Reset(ctx)} {
			if cyberlotse.ErrorCode(err) != cyberlotse.ESEARCH {
				t.Errorf("%s: %v, want ESEARCH", name, err)
			}
		}
	})
	t.Run("task not done in time", func(t *testing.T) {
		f := newFakeMeili(t)
		m := f.meili(t, MeiliTaskTimeout(30*time.Millisecond))
		m.pollInterval = time.Hour // never polls a second time
		if err := m.Upsert(ctx, docs); cyberlotse.ErrorCode(err) != cyberlotse.ESEARCH {
			t.Errorf("err = %v, want ESEARCH (the sync job retries)", err)
		}
	})
}
