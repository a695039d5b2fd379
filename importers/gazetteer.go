package importers

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Gazetteer places rows in NRW's municipalities by postcode, town name or
// free text, from the reference data the graph holds (loaded once per
// import, so that no row needs a query of its own).
type Gazetteer struct {
	all        []*cyberlotse.Municipality
	byPostcode map[cyberlotse.Postcode][]*cyberlotse.Municipality
	byName     map[string][]*cyberlotse.Municipality // folded name, also without its qualifier
	names      []string                              // keys of byName, longest first
}

// NewGazetteer indexes the municipalities.
func NewGazetteer(ms []*cyberlotse.Municipality) *Gazetteer {
	g := &Gazetteer{all: ms, byPostcode: map[cyberlotse.Postcode][]*cyberlotse.Municipality{},
		byName: map[string][]*cyberlotse.Municipality{}}
	add := func(name string, m *cyberlotse.Municipality) {
		if name == "" {
			return
		}
		for _, x := range g.byName[name] {
			if x == m {
				return
			}
		}
		g.byName[name] = append(g.byName[name], m)
	}
	for _, m := range ms {
		for _, pc := range m.Postcodes {
			g.byPostcode[pc] = append(g.byPostcode[pc], m)
		}
		add(cyberlotse.FoldName(m.Name), m)
		if i := strings.Index(m.Name, "("); i > 0 { // "Gronau (Westf.)" is also "Gronau"
			add(cyberlotse.FoldName(m.Name[:i]), m)
		}
	}
	for n := range g.byName {
		g.names = append(g.names, n)
	}
	sort.Slice(g.names, func(i, j int) bool {
		if len(g.names[i]) != len(g.names[j]) {
			return len(g.names[i]) > len(g.names[j])
		}
		return g.names[i] < g.names[j]
	})
	return g
}

// Municipalities returns every municipality.
func (g *Gazetteer) Municipalities() []*cyberlotse.Municipality { return g.all }

// ByPostcode returns the municipalities of a postcode.
func (g *Gazetteer) ByPostcode(pc cyberlotse.Postcode) []*cyberlotse.Municipality {
	return g.byPostcode[pc]
}

// PlaceError says why a row cannot be placed, in German, and which field
// is at fault.
type PlaceError struct {
	Field, Value, Reason string
}

func (e *PlaceError) Error() string { return e.Field + ": " + e.Reason }

// Place finds the municipality of a postcode; the town decides where the
// postcode spans several municipalities (e.g. 51467: Bergisch Gladbach and
// Köln). Without a postcode the town alone places the row unless
// needPostcode.
func (g *Gazetteer) Place(postcode, town string, needPostcode bool) (*cyberlotse.Municipality, cyberlotse.Postcode, *PlaceError) {
	postcode, town = strings.TrimSpace(postcode), strings.TrimSpace(town)
	if postcode == "" {
		if needPostcode || town == "" {
			return nil, "", &PlaceError{"PLZ", "", "PLZ fehlt"}
		}
		if m := g.byTown(town, nil); m != nil {
			return m, "", nil
		}
		return nil, "", &PlaceError{"Ort", town, fmt.Sprintf("„%s“ ist keine Gemeinde in Nordrhein-Westfalen", town)}
	}
	pc, err := cyberlotse.ParsePostcode(postcode)
	if err != nil {
		return nil, "", &PlaceError{"PLZ", postcode, fmt.Sprintf("„%s“ ist keine Postleitzahl (5 Ziffern)", postcode)}
	}
	cands := g.byPostcode[pc]
	switch len(cands) {
	case 0:
		return nil, pc, &PlaceError{"PLZ", postcode, fmt.Sprintf(
			"PLZ %s gehört zu keiner Gemeinde in Nordrhein-Westfalen (oder ist eine Postfach- oder Großkunden-PLZ)", pc)}
	case 1:
		return cands[0], pc, nil
	}
	names := make([]string, len(cands))
	for i, m := range cands {
		names[i] = m.Name
	}
	sort.Strings(names)
	if town == "" {
		return nil, pc, &PlaceError{"Ort", "", fmt.Sprintf("PLZ %s gehört zu mehreren Gemeinden (%s) – bitte den Ort angeben",
			pc, strings.Join(names, ", "))}
	}
	if m := g.byTown(town, cands); m != nil {
		return m, pc, nil
	}
	return nil, pc, &PlaceError{"Ort", town, fmt.Sprintf("„%s“ passt zu keiner der Gemeinden der PLZ %s (%s)",
		town, pc, strings.Join(names, ", "))}
}

// byTown matches a town name (case- and umlaut-insensitive, "Köln-Porz"
// matches Köln), among cands when given.
func (g *Gazetteer) byTown(town string, cands []*cyberlotse.Municipality) *cyberlotse.Municipality {
	t := cyberlotse.FoldName(town)
	in := func(m *cyberlotse.Municipality) bool {
		if cands == nil {
			return true
		}
		for _, c := range cands {
			if c == m {
				return true
			}
		}
		return false
	}
	var found *cyberlotse.Municipality
	for _, name := range g.names { // longest first
		if t != name && !strings.HasPrefix(t, name+" ") {
			continue
		}
		for _, m := range g.byName[name] {
			if in(m) {
				if found != nil && found != m {
					return nil // ambiguous
				}
				found = m
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}

var postcodeInText = regexp.MustCompile(`\b\d{5}\b`)

// InText finds the municipality a free text (an iCalendar LOCATION) names:
// a known postcode (with the municipality name deciding between several),
// else the longest municipality name that appears as whole words.
func (g *Gazetteer) InText(text string) *cyberlotse.Municipality {
	folded := " " + cyberlotse.FoldName(text) + " "
	for _, s := range postcodeInText.FindAllString(text, -1) {
		cands := g.byPostcode[cyberlotse.Postcode(s)]
		if len(cands) == 1 {
			return cands[0]
		}
		for _, name := range g.names {
			if strings.Contains(folded, " "+name+" ") {
				for _, m := range g.byName[name] {
					for _, c := range cands {
						if c == m {
							return m
						}
					}
				}
			}
		}
	}
	for _, name := range g.names {
		if strings.Contains(folded, " "+name+" ") && len(g.byName[name]) == 1 {
			return g.byName[name][0]
		}
	}
	return nil
}
