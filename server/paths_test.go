package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

// Every object of the API answers the same, whichever path reaches it:
// a region by region(id), through a municipality's regions, as a
// satellite's modelRegion, through an event's regions, as a search hit,
// through node(id) or a list. The paths come from introspection — every
// field of every type that returns an object type implementing Node, the
// mutations' answers included — so a field added to the schema is walked
// without changing this test, and one no call reaches fails it until
// pathCalls (or pathWrites) reaches it. The objects are compared with the
// selection of all their scalar fields and the ids of their object
// fields, also built from introspection; once with the read model and
// once reading Neo4j (READ_MODEL=off), and the two with each other, on
// the seeds and on objects of the test's own. Lookups one by one take
// every object of a type, or for the 396 municipalities 20 spread over
// them and those of the regions, events and matches.
//
// The historical bug of this kind: municipality(ags: "05766036") { regions
// { modelRegion { slug } } } answered null where region(id: "kalletal")
// answered bergisches-staedtedreieck (a Cypher projection captured an
// outer variable).
func TestSameAnswerOnEveryPath(t *testing.T) {
	start := time.Now()
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	on, hOn := newTestMain(t, c, srv)
	// The second replica shares the first's secrets (its VarDir): a
	// manage link or a bearer token is good for both.
	_, hOff := newTestMainReadingNeo4j(t, c, srv, on.Config.VarDir)
	admin, err := on.Auth.Issue(cyberlotse.Identity{Subject: "paths-test", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	s := introspect(t, hOn)
	modes := []*pathMode{
		{name: "read model", h: hOn, admin: admin},
		{name: "Neo4j", h: hOff, admin: admin},
	}

	// Objects of the test's own on the paths only writes offer: an event
	// with two registrations (one waitlisted), a model region with a
	// satellite and a rollout. Each write's answer is a path too, compared
	// at once with node(id) (or myRegistration) in both modes.
	w := &pathWrites{t: t, s: s, on: on, modes: modes}
	w.createAll()

	// Reads change with the writes of tests running at the same time in
	// other packages (counts of seeded events, satellites of their own):
	// a difference counts only if every one of three attempts shows it.
	var persistent map[string]string
	var covered map[string]bool
	for attempt := 1; attempt <= 3; attempt++ {
		problems := map[string]string{}
		runs := collectAll(t, s, modes, w.vars)
		for i, m := range modes {
			for k, v := range runs[i].differences() {
				problems[m.name+"|"+k] = m.name + ": " + v
			}
		}
		for k, v := range compareModes(runs[0], runs[1]) {
			problems["modes|"+k] = v
		}
		if covered == nil {
			covered = runs[0].covered
		}
		t.Logf("attempt %d: %d objects, %d sightings, %d problems (%v)", attempt,
			len(runs[0].objects), runs[0].sightings(), len(problems), time.Since(start).Round(time.Millisecond))
		if persistent == nil {
			persistent = problems
		} else {
			for k := range persistent {
				if v, ok := problems[k]; ok {
					persistent[k] = v
				} else {
					delete(persistent, k)
				}
			}
		}
		if len(persistent) == 0 {
			break
		}
	}
	keys := slices.Sorted(maps.Keys(persistent))
	for i, k := range keys {
		if i == 40 {
			t.Errorf("… and %d more differences", len(keys)-40)
			break
		}
		t.Error(persistent[k])
	}
	w.finish()
	for k := range w.covered {
		covered[k] = true
	}
	for _, edge := range s.edges() {
		if !covered[edge] && pathsNotWalked[edge] == "" {
			t.Errorf("no object was reached through %s: name root field arguments in pathCalls (or make objects in pathWrites) that reach one, or say in pathsNotWalked why not", edge)
		}
	}
	t.Logf("%d paths into %d object types walked in %v", len(s.edges()), len(s.entityTypes()), time.Since(start).Round(time.Millisecond))
}

// pathCalls names the arguments of root fields that the test cannot infer
// (or whose filters take other code paths), each call one path. Connection
// fields are paged through to the end. $event, $token, $model are the
// test's own event, manage token and model region. Root fields that
// return one object and take its id, slug or a key field (ags, code) are
// called for every sampled object without an entry here.
var pathCalls = map[string][]string{
	"regions":       {``, `kind: MODEL_REGION`, `kind: SATELLITE`},
	"organizations": {``, `filter: {kind: POLICE}`, `filter: {kind: MUNICIPALITY}`},
	"contacts": {``, `filter: {audience: COMPANY}`, `filter: {organization: "lka-nrw"}`,
		`filter: {level: MUNICIPALITY, key: "05766036"}`, `filter: {level: REGION, key: "bergisches-staedtedreieck"}`,
		`filter: {level: GOV_REGION, key: "Detmold"}`, `filter: {level: STATE, key: "NW"}`,
		`filter: {level: MUNICIPALITY, key: "05766024"}`},
	"districts": {``, `govRegion: "Detmold"`},
	// The test's own self-check (pathWrites).
	"selfCheck":       {`token: "$check"`},
	"sharedSelfCheck": {`token: "$shared"`},
	"municipalities": {`first: 100`, `first: 100, filter: {govRegion: "Detmold"}`, `filter: {district: "05766"}`,
		`filter: {postcode: "42103"}`, `filter: {nameStartsWith: "Ka"}`},
	// Seeded events lie before 2099; other packages' test events at
	// neo4jtest.FarFuture stay out of the lists.
	"events": {`first: 100, filter: {to: "2098-01-01T00:00:00Z"}`,
		`first: 100, filter: {from: "2000-01-01T00:00:00Z", to: "2098-01-01T00:00:00Z"}`,
		`filter: {region: "bergisches-staedtedreieck", to: "2098-01-01T00:00:00Z"}`,
		`filter: {ags: "05766036", from: "2000-01-01T00:00:00Z", to: "2098-01-01T00:00:00Z"}`,
		`filter: {format: LUNCHTALK, to: "2098-01-01T00:00:00Z"}`, `filter: {mode: ONLINE, to: "2098-01-01T00:00:00Z"}`,
		`filter: {measure: "M03", to: "2098-01-01T00:00:00Z"}`,
		`filter: {near: {place: {ags: "05124000"}, radiusKm: 100}, to: "2098-01-01T00:00:00Z"}`,
		// The test's own events, alone in their window after neo4jtest.FarFuture.
		`filter: {from: "2099-07-01T00:00:00+02:00", to: "2099-07-02T00:00:00+02:00"}`,
		`filter: {from: "2099-07-01T00:00:00+02:00", to: "2099-07-02T00:00:00+02:00", region: "$model"}`},
	// Events of other packages' tests lie at neo4jtest.FarFuture: "to"
	// keeps them out of the hits (other kinds of hits stay).
	"search": {`query: "Kalletal", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Polizei Cyber", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Planspiel", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Phishing", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Wuppertal", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Digi-SOS KWID", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Ransomware", filter: {to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Bergisches", types: [REGION, ORGANIZATION], first: 20`,
		`query: "Sensibilisierung Notfall", types: [MEASURE, OFFER], first: 20`,
		`query: "Lunchtalk", filter: {region: "bergisches-staedtedreieck", to: "2098-01-01T00:00:00Z"}, first: 20`,
		`query: "Pfadtest", filter: {from: "2099-07-01T00:00:00+02:00", to: "2099-07-02T00:00:00+02:00"}, first: 20`},
	"matchmaking": {`input: {place: {ags: "05766036"}, first: {contacts: 20, events: 20, measures: 13, offers: 20}}`,
		`input: {place: {ags: "05124000"}, topics: ["phishing", "ransomware"], employees: 40, first: {contacts: 20, events: 20, measures: 13, offers: 20}}`,
		`input: {place: {postcode: "53111"}, radiusKm: 100}`,
		`input: {place: {ags: "05766024"}, from: "2099-07-01T00:00:00+02:00", to: "2099-07-02T00:00:00+02:00", first: {contacts: 20}}`},
	"emergencyHelp": {`place: {ags: "05766036"}`, `place: {ags: "05124000"}, kind: MUNICIPALITY`,
		`place: {ags: "05315000"}, kind: CITIZEN`, `place: {ags: "05766024"}`},
	"rolloutMatrix":   {`regionIds: ["bergisches-staedtedreieck", "kalletal", "$model"]`},
	"registrations":   {`eventId: "$event"`},
	"myRegistration":  {`token: "$token"`},
	"myRegistrations": {`token: "$token"`},
	"myData":          {`token: "$token"`},
	// The test's own officers' profiles (pathWrites).
	"myIsbProfile": {`ags: "05554004"`},
	"isbPeers":     {`ags: "05554004"`, `ags: "05554004", by: [TOPIC], topic: "backup"`},
	// Digi-SOS: a municipality's incidents (none there: see pathsNotWalked).
	"incidents": {`ags: "05766060"`},
}

// pagesOf bounds the pages read of a connection (else: to its end).
var pagesOf = map[string]int{"search": 1}

// pathsNotWalked names the paths into object types this test does not
// walk, each with the reason ("Query.node→Registration": "…").
var pathsNotWalked = map[string]string{
	// Digi-SOS: an incident is a municipality's own record and the handover
	// page needs a link's secret; TestDigiSOSHandover reads both paths.
	"Incident.municipality→Municipality": "a municipality's own incident record; read in TestDigiSOSHandover",
	"Handover.municipality→Municipality": "needs a handover link's secret; read in TestDigiSOSHandover",
}

// pathMode is one way of serving: with the read model or reading Neo4j.
type pathMode struct {
	name  string
	h     http.Handler
	admin string
}

// newTestMainReadingNeo4j wires the service like newTestMain, but without
// the read model (READ_MODEL=off): every service reads Neo4j. It takes
// its secrets from varDir.
func newTestMainReadingNeo4j(t *testing.T, c *clock, srv *smtptest.Server, varDir string) (*Main, http.Handler) {
	t.Helper()
	neo4jtest.MustOpenDB(t)
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.VarDir, cfg.SMTPURL, cfg.BaseURL, cfg.ReadModel = varDir, srv.URL(), "http://cyberlotse.test", false
	m := NewMain(cfg)
	m.Logger, m.Now = quiet, c.Now
	if err := m.OpenDB(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.OpenServices(); err != nil {
		t.Fatal(err)
	}
	return m, m.Handler()
}

// ask runs a query and fails the test on any error.
func (m *pathMode) ask(t *testing.T, query string) map[string]any {
	t.Helper()
	res := gql(t, m.h, m.admin, query, nil)
	if len(res.Errors) > 0 || res.status != http.StatusOK {
		t.Fatalf("%s: %d %+v\n%s", m.name, res.status, res.Errors, query)
	}
	var data map[string]any
	if err := json.Unmarshal(res.Data, &data); err != nil {
		t.Fatalf("%s: %v", m.name, err)
	}
	return data
}

// --- the schema, from introspection -------------------------------------

type pathSchema struct {
	types           map[string]*schemaType
	query, mutation string
	leadsMemo       map[string]bool
}

func introspect(t *testing.T, h http.Handler) *pathSchema {
	t.Helper()
	types, query, mutation := introspectTypes(t, h)
	return &pathSchema{types: types, query: query, mutation: mutation, leadsMemo: map[string]bool{}}
}

// entity: an object type with a global ID, the kind of object compared.
func (s *pathSchema) entity(name string) bool {
	t := s.types[name]
	if t == nil || t.Kind != "OBJECT" {
		return false
	}
	for _, i := range t.Interfaces {
		if i.Name == "Node" {
			return true
		}
	}
	return false
}

func (s *pathSchema) entityTypes() []string {
	var out []string
	for name := range s.types {
		if s.entity(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// entitiesOf lists the object types with global IDs a field of type name
// may return: the type itself, or the members of a union or interface.
func (s *pathSchema) entitiesOf(name string) []string {
	t := s.types[name]
	if t == nil {
		return nil
	}
	if s.entity(name) {
		return []string{name}
	}
	var out []string
	if t.Kind == "UNION" || t.Kind == "INTERFACE" {
		for _, p := range t.PossibleTypes {
			if s.entity(p.Name) {
				out = append(out, p.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// leads: an object type without a global ID (a connection, an edge, a
// match, a payload) with a field that leads to one.
func (s *pathSchema) leads(name string) bool {
	if v, ok := s.leadsMemo[name]; ok {
		return v
	}
	s.leadsMemo[name] = false // cycles lead nowhere new
	t := s.types[name]
	v := false
	if t != nil && t.Kind == "OBJECT" && !s.entity(name) {
		for _, f := range t.Fields {
			if n := f.Type.named(); len(s.entitiesOf(n)) > 0 || s.leads(n) {
				v = true
			}
		}
	}
	s.leadsMemo[name] = v
	return v
}

// edges lists every field that returns an object type with a global ID,
// as "Parent.field→Type": the paths the test must walk.
func (s *pathSchema) edges() []string {
	var out []string
	for name, t := range s.types {
		if t.Kind != "OBJECT" || strings.HasPrefix(name, "__") {
			continue
		}
		for _, f := range t.Fields {
			for _, e := range s.entitiesOf(f.Type.named()) {
				out = append(out, name+"."+f.Name+"→"+e)
			}
		}
	}
	sort.Strings(out)
	return out
}

// alias names a field of an object type with a global ID in selections:
// fragments of a union or an interface may not select fields of the same
// name with different types (Region.kind, Organization.kind).
func alias(typ, field string) string { return typ + "__" + field }

// own is the selection compared: every scalar field, the ids of object
// fields with global IDs, and the fields of other objects (a location, a
// responsibility, an attendee) in the same way.
func (s *pathSchema) own(name string, depth int) string {
	parts := []string{"__typename"}
	for _, f := range s.types[name].Fields {
		if len(f.requiredArgs()) > 0 {
			continue
		}
		n := f.Type.named()
		field := f.Name
		if depth == 0 {
			field = alias(name, f.Name) + ": " + f.Name
		}
		switch t := s.types[n]; {
		case t.Kind == "SCALAR" || t.Kind == "ENUM":
			parts = append(parts, field)
		case len(s.entitiesOf(n)) > 0:
			parts = append(parts, field+" { "+s.ids(n)+" }")
		case depth < 3:
			parts = append(parts, field+" { "+s.own(n, depth+1)+" }")
		}
	}
	return strings.Join(parts, " ")
}

func (s *pathSchema) ids(name string) string {
	if s.entity(name) {
		return "__typename id"
	}
	parts := []string{"__typename"}
	for _, e := range s.entitiesOf(name) {
		parts = append(parts, "... on "+e+" { id }")
	}
	return strings.Join(parts, " ")
}

// leaf selects an object reached by a path: its own selection and, with
// further, under aliases Type__out_<field> the objects its fields lead to
// with theirs. Those are loaded by key, whichever path led to the object,
// so one path per object (node) walks every field of every type.
func (s *pathSchema) leaf(name string, only map[string]bool, further bool) string {
	parts := []string{"__typename"}
	for _, e := range s.entitiesOf(name) {
		if only != nil && !only[e] {
			continue
		}
		sel := s.own(e, 0)
		if further {
			sel += " " + s.outgoing(e)
		}
		if s.entity(name) {
			parts = append(parts, sel)
		} else {
			parts = append(parts, "... on "+e+" { "+sel+" }")
		}
	}
	return strings.Join(parts, " ")
}

func (s *pathSchema) outgoing(name string) string {
	var parts []string
	for _, f := range s.types[name].Fields {
		if len(f.requiredArgs()) > 0 {
			continue
		}
		n := f.Type.named()
		if len(s.entitiesOf(n)) > 0 {
			parts = append(parts, alias(name, "out_"+f.Name)+": "+f.Name+" { "+s.owns(n)+" }")
		} else if s.leads(n) {
			parts = append(parts, alias(name, "out_"+f.Name)+": "+f.Name+" { "+s.reach(n, 0, s.owns)+" }")
		}
	}
	return strings.Join(parts, " ")
}

// owns selects the own fields of every object type a field may return.
func (s *pathSchema) owns(name string) string {
	if s.entity(name) {
		return s.own(name, 0)
	}
	parts := []string{"__typename"}
	for _, e := range s.entitiesOf(name) {
		parts = append(parts, "... on "+e+" { "+s.own(e, 0)+" }")
	}
	return strings.Join(parts, " ")
}

// reach selects, in an object without global ID, the fields that lead to
// objects with one, and those with at.
func (s *pathSchema) reach(name string, depth int, at func(string) string) string {
	parts := []string{"__typename"}
	for _, f := range s.types[name].Fields {
		if len(f.requiredArgs()) > 0 {
			continue
		}
		n := f.Type.named()
		switch {
		case f.Name == "pageInfo":
			parts = append(parts, "pageInfo { hasNextPage endCursor }")
		case s.types[n].Kind == "SCALAR" || s.types[n].Kind == "ENUM":
			parts = append(parts, f.Name)
		case len(s.entitiesOf(n)) > 0:
			parts = append(parts, f.Name+" { "+at(n)+" }")
		case s.leads(n) && depth < 4:
			parts = append(parts, f.Name+" { "+s.reach(n, depth+1, at)+" }")
		}
	}
	return strings.Join(parts, " ")
}

// selection is what a root field's call selects.
func (s *pathSchema) selection(f schemaField, only map[string]bool, further bool) string {
	n := f.Type.named()
	if len(s.entitiesOf(n)) > 0 {
		return s.leaf(n, only, further)
	}
	return s.reach(n, 0, func(n string) string { return s.leaf(n, nil, further) })
}

// --- walking the answers -------------------------------------------------

type objKey struct{ typ, id string }

type sighting struct{ path, json string }

// pathRun is what one mode answered on every path.
type pathRun struct {
	s       *pathSchema
	objects map[objKey][]sighting
	first   map[objKey]map[string]any
	reached map[string][]string // path → ids in the order reached
	covered map[string]bool     // Parent.field→Type walked
	missing map[string]string   // lookups of objects reached on other paths that answered null
	refs    map[string][]string // Type.field → ids its object fields name
}

func newPathRun(s *pathSchema) *pathRun {
	return &pathRun{s: s, objects: map[objKey][]sighting{}, first: map[objKey]map[string]any{},
		reached: map[string][]string{}, covered: map[string]bool{}, missing: map[string]string{}, refs: map[string][]string{}}
}

func (r *pathRun) sightings() int {
	n := 0
	for _, x := range r.objects {
		n += len(x)
	}
	return n
}

// visit records the objects in v, the answer of parent.field, reached by path.
func (r *pathRun) visit(v any, parent, field, path string) {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			r.visit(x, parent, field, path)
		}
	case map[string]any:
		typ, _ := v["__typename"].(string)
		keys := slices.Sorted(maps.Keys(v))
		if !r.s.entity(typ) {
			for _, k := range keys {
				if k != "__typename" && k != "pageInfo" {
					r.visit(v[k], typ, k, path+"."+k)
				}
			}
			return
		}
		r.covered[parent+"."+field+"→"+typ] = true
		own, out := map[string]any{}, map[string]any{}
		for _, k := range keys {
			name := strings.TrimPrefix(k, alias(typ, ""))
			if f, ok := strings.CutPrefix(name, "out_"); ok {
				out[f] = v[k]
			} else {
				own[name] = v[k]
			}
		}
		id, _ := own["id"].(string)
		k := objKey{typ, id}
		b, _ := json.Marshal(own)
		if !slices.Contains(r.objects[k], sighting{path, string(b)}) {
			r.objects[k] = append(r.objects[k], sighting{path, string(b)})
		}
		if r.first[k] == nil {
			r.first[k] = own
		}
		r.reached[path] = append(r.reached[path], typ+":"+id)
		for f, x := range own {
			r.refer(typ+"."+f, x)
		}
		for _, f := range slices.Sorted(maps.Keys(out)) {
			r.visit(out[f], typ, f, path+" > "+typ+"."+f)
		}
	}
}

// refer notes the objects a field's ids name.
func (r *pathRun) refer(field string, v any) {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			r.refer(field, x)
		}
	case map[string]any:
		typ, _ := v["__typename"].(string)
		if id, ok := v["id"].(string); ok && r.s.entity(typ) {
			r.refs[field] = append(r.refs[field], typ+":"+id)
		}
	}
}

// call runs root field name with args (paging through connections) and
// visits what it answers under path.
func (r *pathRun) call(t *testing.T, m *pathMode, root string, f schemaField, args, path string, only map[string]bool) {
	t.Helper()
	if f.hasArg("first") && !strings.Contains(args, "first:") {
		args = strings.TrimPrefix(args+", first: 100", ", ")
	}
	sel := r.s.selection(f, only, false)
	after := ""
	pages := 20
	if n, ok := pagesOf[f.Name]; ok {
		pages = n
	}
	for page := 0; page < pages; page++ {
		a := args
		if after != "" {
			a += fmt.Sprintf(", after: %q", after)
		}
		if a != "" {
			a = "(" + a + ")"
		}
		op := "query"
		if root == r.s.mutation {
			op = "mutation"
		}
		data := m.ask(t, op+" { q: "+f.Name+a+" { "+sel+" } }")
		r.visit(data["q"], root, f.Name, path)
		conn, _ := data["q"].(map[string]any)
		pi, _ := conn["pageInfo"].(map[string]any)
		if more, _ := pi["hasNextPage"].(bool); !more || !f.hasArg("after") {
			return
		}
		after, _ = pi["endCursor"].(string)
	}
	if pages == 20 {
		t.Fatalf("%s: %s(%s) has more than 20 pages", m.name, f.Name, args)
	}
}

// lookup runs root field f once per value in one request of aliases, and
// visits the answers under path.
func (r *pathRun) lookup(t *testing.T, m *pathMode, f schemaField, arg string, values []string, types map[string]bool, further bool, path string) {
	t.Helper()
	const batch = 25
	for i := 0; i < len(values); i += batch {
		var b strings.Builder
		b.WriteString("query {")
		chunk := values[i:min(i+batch, len(values))]
		for j, v := range chunk {
			q, _ := json.Marshal(v)
			fmt.Fprintf(&b, " q%d: %s(%s: %s) { %s }", j, f.Name, arg, q, r.s.selection(f, types, further))
		}
		b.WriteString(" }")
		// An object reached on another path may be gone by now (a test
		// elsewhere deleted its own): NOT_FOUND counts as a difference
		// that the next attempt checks again.
		res := gql(t, m.h, m.admin, b.String(), nil)
		for _, e := range res.Errors {
			if e.Extensions["code"] != "NOT_FOUND" {
				t.Fatalf("%s: %d %+v\n%s", m.name, res.status, res.Errors, b.String())
			}
		}
		var data map[string]any
		if err := json.Unmarshal(res.Data, &data); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
		for j, v := range chunk {
			if data[fmt.Sprint("q", j)] == nil {
				r.missing[path+"|"+v] = fmt.Sprintf("%s(%s: %q) answers null", f.Name, arg, v)
			}
			r.visit(data[fmt.Sprint("q", j)], r.s.query, f.Name, path)
		}
	}
}

// collectAll walks every path in each mode, each call in one mode right
// after the other (the graph may change meanwhile through tests running
// at the same time): the root fields with pathCalls or without required
// arguments, then the lookups by id, slug and key of sampled objects,
// and node and nodes.
func collectAll(t *testing.T, s *pathSchema, modes []*pathMode, vars map[string]string) []*pathRun {
	t.Helper()
	runs := make([]*pathRun, len(modes))
	for i := range modes {
		runs[i] = newPathRun(s)
	}
	each := func(fn func(r *pathRun, m *pathMode)) {
		for i, m := range modes {
			fn(runs[i], m)
		}
	}
	var lookups []schemaField
	for _, f := range s.types[s.query].Fields {
		n := f.Type.named()
		if len(s.entitiesOf(n)) == 0 && !s.leads(n) {
			continue
		}
		calls, ok := pathCalls[f.Name]
		switch {
		case ok:
		case len(f.requiredArgs()) == 0:
			calls = []string{""}
		default:
			lookups = append(lookups, f)
			continue
		}
		for _, args := range calls {
			for k, v := range vars {
				args = strings.ReplaceAll(args, k, v)
			}
			label := f.Name
			if args != "" {
				label += "(" + args + ")"
			}
			each(func(r *pathRun, m *pathMode) { r.call(t, m, s.query, f, args, "Query."+label, nil) })
		}
	}

	first := runs[0]
	sample := first.sample()
	for _, f := range lookups {
		n := f.Type.named()
		ents := s.entitiesOf(n)
		req := f.requiredArgs()
		if len(req) != 1 {
			t.Errorf("Query.%s: cannot infer its arguments %v; name them in pathCalls", f.Name, req)
			continue
		}
		arg := req[0]
		switch {
		case arg == "ids" && f.Type.isList():
			// nodes: the sampled objects of all types, mixed.
			var all []string
			types := map[string]bool{}
			for _, e := range ents {
				if pathsNotWalked["Query."+f.Name+"→"+e] != "" {
					continue
				}
				for _, k := range sample[e] {
					all = append(all, k.id)
					types[e] = true
				}
			}
			for i := 0; i < len(all); i += 20 {
				ids, _ := json.Marshal(all[i:min(i+20, len(all))])
				each(func(r *pathRun, m *pathMode) {
					r.call(t, m, s.query, f, "ids: "+string(ids), "Query."+f.Name+"(ids)", types)
				})
			}
		case len(ents) > 1 && arg == "id":
			for _, e := range ents {
				if pathsNotWalked["Query."+f.Name+"→"+e] != "" {
					continue
				}
				var ids []string
				for _, k := range sample[e] {
					ids = append(ids, k.id)
				}
				each(func(r *pathRun, m *pathMode) {
					r.lookup(t, m, f, arg, ids, map[string]bool{e: true}, true, "Query."+f.Name+"(id)")
				})
			}
		case len(ents) == 1:
			e := ents[0]
			fields := []string{arg}
			if arg == "id" {
				fields = []string{"id", "slug"}
			}
			inferred := false
			for _, field := range fields {
				var values []string
				for _, k := range sample[e] {
					if v, ok := first.first[k][field].(string); ok {
						values = append(values, v)
					}
				}
				if len(values) > 0 {
					inferred = true
					each(func(r *pathRun, m *pathMode) {
						r.lookup(t, m, f, arg, values, nil, false, "Query."+f.Name+"("+arg+": "+field+")")
					})
				}
			}
			if !inferred {
				t.Errorf("Query.%s: cannot infer %s from the fields of %s; name it in pathCalls", f.Name, arg, e)
			}
		default:
			t.Errorf("Query.%s: cannot infer its argument %s; name it in pathCalls", f.Name, arg)
		}
	}
	return runs
}

// sample picks the objects looked up one by one: all of a type with at
// most 100, else 20 spread over the sorted ids and those reached on or
// named by narrow paths (at most 20 objects of the type), such as a
// region's members or an event's municipality.
func (r *pathRun) sample() map[string][]objKey {
	byType := map[string][]objKey{}
	for k := range r.objects {
		byType[k.typ] = append(byType[k.typ], k)
	}
	out := map[string][]objKey{}
	for typ, keys := range byType {
		sort.Slice(keys, func(i, j int) bool { return keys[i].id < keys[j].id })
		if len(keys) <= 100 {
			out[typ] = keys
			continue
		}
		pick := map[objKey]bool{}
		for i := range 20 {
			pick[keys[i*len(keys)/20]] = true
		}
		for _, ids := range mergeMaps(r.reached, r.refs) {
			var ofType []string
			for _, id := range ids {
				if t, _, _ := strings.Cut(id, ":"); t == typ {
					ofType = append(ofType, id)
				}
			}
			slices.Sort(ofType)
			if ofType = slices.Compact(ofType); len(ofType) > 0 && len(ofType) <= 20 {
				for _, id := range ofType {
					pick[objKey{typ, strings.TrimPrefix(id, typ+":")}] = true
				}
			}
		}
		for _, k := range keys {
			if pick[k] {
				out[typ] = append(out[typ], k)
			}
		}
	}
	return out
}

// --- comparing -----------------------------------------------------------

// differences names every object that answers differently on two paths,
// and the lookups that did not find an object reached on another path.
func (r *pathRun) differences() map[string]string {
	out := map[string]string{}
	for k, v := range r.missing {
		out["missing|"+k] = v
	}
	for k, seen := range r.objects {
		ref := seen[0]
		for _, x := range seen[1:] {
			if x.json != ref.json {
				out[k.typ+"|"+k.id] = fmt.Sprintf("%s %s answers differently via %s and via %s: %s",
					k.typ, r.name(k), ref.path, x.path, fieldDiff(ref.json, x.json))
				break
			}
		}
	}
	return out
}

// name is an object's readable key for messages.
func (r *pathRun) name(k objKey) string {
	for _, f := range []string{"slug", "ags", "code", "key"} {
		if v, ok := r.first[k][f].(string); ok {
			return fmt.Sprintf("%q (%s)", v, k.id)
		}
	}
	return k.id
}

// compareModes names the objects that answer differently with the read
// model and from Neo4j on the same path, and the paths that reach other
// objects or the same in another order.
func compareModes(a, b *pathRun) map[string]string {
	out := map[string]string{}
	for k, seenA := range a.objects {
		seenB := b.objects[k]
		for _, x := range seenA {
			for _, y := range seenB {
				if x.path == y.path && x.json != y.json {
					out[k.typ+"|"+k.id] = fmt.Sprintf("%s %s answers differently with the read model and from Neo4j via %s: %s",
						k.typ, a.name(k), x.path, fieldDiff(x.json, y.json))
				}
			}
		}
	}
	for path, idsA := range a.reached {
		if idsB := b.reached[path]; !slices.Equal(idsA, idsB) {
			out["reached|"+path] = fmt.Sprintf("%s reaches other objects with the read model than from Neo4j: %s",
				path, listDiff(idsA, idsB))
		}
	}
	for path, idsB := range b.reached {
		if _, ok := a.reached[path]; !ok {
			out["reached|"+path] = fmt.Sprintf("%s reaches %d objects from Neo4j, none with the read model", path, len(idsB))
		}
	}
	return out
}

// fieldDiff names the fields of two JSON objects that differ.
func fieldDiff(a, b string) string {
	var x, y map[string]any
	_ = json.Unmarshal([]byte(a), &x)
	_ = json.Unmarshal([]byte(b), &y)
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(x)) {
		ja, _ := json.Marshal(x[k])
		jb, _ := json.Marshal(y[k])
		if string(ja) != string(jb) {
			parts = append(parts, fmt.Sprintf("%s %s ≠ %s", k, clip(ja), clip(jb)))
		}
	}
	return strings.Join(parts, "; ")
}

// clip shortens a value for a message.
func clip(b []byte) string {
	if r := []rune(string(b)); len(r) > 120 {
		return string(r[:120]) + "…"
	}
	return string(b)
}

func listDiff(a, b []string) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d objects %v ≠ %d objects %v", len(a), short(a), len(b), short(b))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Sprintf("at %d: %s ≠ %s", i, a[i], b[i])
		}
	}
	return ""
}

func short(ids []string) []string {
	if len(ids) > 6 {
		return append(slices.Clone(ids[:6]), "…")
	}
	return ids
}

func mergeMaps[V any](ms ...map[string]V) []V {
	var out []V
	for _, m := range ms {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			out = append(out, m[k])
		}
	}
	return out
}

// --- the paths only writes offer -------------------------------------------

// pathWrites makes the test's own objects through the mutations that
// answer objects, and checks each answer against node(id) at once.
type pathWrites struct {
	t       *testing.T
	s       *pathSchema
	on      *Main
	modes   []*pathMode
	vars    map[string]string
	covered map[string]bool

	event, model, satellite, token, waitToken string
}

func (w *pathWrites) mutate(name, args string) map[string]any {
	w.t.Helper()
	for _, f := range w.s.types[w.s.mutation].Fields {
		if f.Name != name {
			continue
		}
		r := newPathRun(w.s)
		data := w.modes[0].ask(w.t, "mutation { q: "+name+"("+args+") { "+w.s.selection(f, nil, false)+" } }")
		r.visit(data["q"], w.s.mutation, name, "Mutation."+name+" (read model)")
		for k := range r.covered {
			w.covered[k] = true
		}
		w.checkNow(r)
		q, _ := data["q"].(map[string]any)
		return q
	}
	w.t.Fatalf("no mutation %s", name)
	return nil
}

// checkNow compares the objects a write answered (not those their fields
// lead to, which tests running at the same time may change) with the same
// objects read right after it by node(id), and the registrations also by
// their manage links, in both modes.
func (w *pathWrites) checkNow(written *pathRun) {
	w.t.Helper()
	for _, m := range w.modes {
		r := newPathRun(w.s)
		var ids []string
		types := map[string]bool{}
		for k, seen := range written.objects {
			for _, x := range seen {
				if !strings.Contains(x.path, " > ") {
					r.objects[k] = append(r.objects[k], x)
				}
			}
			if r.objects[k] != nil {
				ids = append(ids, k.id)
				types[k.typ] = true
			}
		}
		slices.Sort(ids)
		r.lookup(w.t, m, w.s.field(w.s.query, "node"), "id", ids, types, false, "Query.node(id) ("+m.name+")")
		for _, tok := range []string{w.token, w.waitToken} {
			if tok != "" {
				r.call(w.t, m, w.s.query, w.s.field(w.s.query, "myRegistration"), fmt.Sprintf("token: %q", tok), "Query.myRegistration ("+m.name+")", nil)
			}
		}
		for k := range r.objects {
			if !slices.Contains(ids, k.id) {
				delete(r.objects, k)
			}
		}
		problems := r.differences()
		for _, d := range slices.Sorted(maps.Keys(problems)) {
			w.t.Errorf("right after the write: %s", problems[d])
		}
	}
}

// answered is the string field of an answer, under its alias if it has one.
func answered(v map[string]any, field string) string {
	if x, ok := v[field].(string); ok {
		return x
	}
	typ, _ := v["__typename"].(string)
	x, _ := v[alias(typ, field)].(string)
	return x
}

func (s *pathSchema) field(typ, name string) schemaField {
	for _, f := range s.types[typ].Fields {
		if f.Name == name {
			return f
		}
	}
	panic("no field " + typ + "." + name)
}

// createAll makes an event (created, changed, two registrations, the
// second waitlisted) and a model region of the test's own with a
// satellite and a rollout with a responsible contact.
func (w *pathWrites) createAll() {
	t, ctx := w.t, context.Background()
	w.covered = map[string]bool{}
	// After neo4jtest.FarFuture, where no other test's events are.
	title, starts := "Pfadtest "+neo4jtest.NewID(), time.Date(2099, 7, 1, 18, 0, 0, 0, berlin)
	w.event = cyberlotse.EventSlug(title, starts, berlin)
	t.Cleanup(func() { neo4jtest.MustDeleteEvent(t, w.on.DB, w.event) })
	ev := w.mutate("createEvent", fmt.Sprintf(`input: {title: %q, startsAt: %q,
		format: WORKSHOP, mode: HYBRID, venue: "Rathaus", ags: "05766036", onlineUrl: "https://example.org/pfadtest",
		capacity: 1, organizer: "gemeinde-kalletal", regions: ["kalletal"], measures: ["M01", "M03"],
		topics: ["phishing"], registrationNote: "Anmeldung online"}`, title, starts.Format(time.RFC3339)))
	if answered(ev, "slug") != w.event {
		t.Fatalf("createEvent answered %v, want the event %s", ev, w.event)
	}
	w.mutate("updateEvent", fmt.Sprintf(`id: %q, input: {description: "Geändert im Pfadtest"}`, w.event))

	p := w.mutate("registerForEvent", fmt.Sprintf(`eventId: %q, consent: true, attendee: {name: "Paula Pfad",
		email: "paula-%s@example.org", companyName: "Pfad GmbH", ags: "05766036"}`, w.event, neo4jtest.NewID()))
	w.token = answered(p, "manageToken")
	if w.token == "" {
		t.Fatalf("registerForEvent answered %v", p)
	}
	p = w.mutate("registerForEvent", fmt.Sprintf(`eventId: %q, consent: true, attendee: {name: "Wilma Warteliste",
		email: "wilma-%s@example.org", ags: "05124000"}`, w.event, neo4jtest.NewID()))
	w.waitToken = answered(p, "manageToken")

	// The satellite of Dörentrup, which no other test makes.
	w.model, w.satellite = neo4jtest.NewID(), cyberlotse.Slug("Dörentrup")
	t.Cleanup(func() {
		if err := store.DeleteRegionsForTest(ctx, w.on.DB, w.model, w.satellite); err != nil {
			t.Error(err)
		}
	})
	if err := store.CreateModelRegionForTest(ctx, w.on.DB, w.model, "Pfadtest-Modellregion "+w.model, "bergische-gesellschaft"); err != nil {
		t.Fatal(err)
	}
	if sat := w.mutate("addSatellite", fmt.Sprintf(`modelRegionId: %q, ags: "05766024"`, w.model)); answered(sat, "slug") != w.satellite {
		t.Fatalf("addSatellite answered %v, want the region %s", sat, w.satellite)
	}
	w.mutate("updateRollout", fmt.Sprintf(`regionId: %q, measureCode: "M01", input: {status: PLANNED,
		progress: 10, responsibleContact: "modellregion-regionalmanagement", note: "Pfadtest"}`, w.satellite))

	// A self-check in Kalletal with gaps (so that its next actions reach
	// the network) and its read-only share link.
	start := w.mutate("startSelfCheck", `profile: {employees: 8, sector: "43.21", place: {ags: "05766036"}}`)
	check := answered(start, "token")
	t.Cleanup(func() {
		checks := store.NewSelfCheckService(w.on.DB)
		c, err := checks.CheckByToken(ctx, cyberlotse.CheckToken(check).Hash())
		if err == nil {
			err = checks.DeleteCheck(ctx, c.ID)
		}
		if err != nil {
			t.Error(err)
		}
	})
	w.mutate("answerSelfCheck", fmt.Sprintf(`token: %q, input: {statusAnswers: [{question: BACKUPS, answer: false}],
		answers: [{number: 5, answer: NO}, {number: 15, answer: UNKNOWN}]}`, check))
	shared := answered(w.mutate("shareSelfCheck", fmt.Sprintf(`token: %q`, check)), "shareToken")
	w.vars = map[string]string{"$event": w.event, "$token": w.token, "$model": w.model, "$check": check, "$shared": shared}

	// Two officers' profiles in the Kreis Borken (Ahaus, Borken), so that
	// myIsbProfile and isbPeers reach municipalities and topics.
	t.Cleanup(func() { store.DeleteIsbProfilesForTest(ctx, w.on.DB, "05554004", "05554012") })
	for _, a := range []string{"05554004", "05554012"} {
		w.mutate("saveIsbProfile", fmt.Sprintf(`ags: %q, input: {function: ISB, topics: ["isms", "backup"], shares: [TEMPLATES_POLICIES]}`, a))
	}

	// Imported objects come from other statements than seeded or created
	// ones: a contact responsible for the satellite's municipality and an
	// event of an iCalendar feed there.
	imports := store.NewImportService(w.on.DB, berlin)
	email := "pfadtest-" + neo4jtest.NewID() + "@example.org"
	key := cyberlotse.ContactKey(email, "", "")
	t.Cleanup(func() {
		if err := store.DeleteContactKeysForTest(ctx, w.on.DB, []string{key}); err != nil {
			t.Error(err)
		}
	})
	if _, err := imports.ImportContacts(ctx, []*cyberlotse.ContactRecord{{Key: key, ID: neo4jtest.NewID(),
		Name: "Pfadtest-Ansprechstelle", Role: "IT-Sicherheit", Email: email, Phone: "+49 5265 0000", Availability: "Mo–Fr 8–16 Uhr",
		OrganizationID: "gemeinde-kalletal", AGS: "05766024", Audiences: []cyberlotse.Audience{cyberlotse.AudienceMunicipality, cyberlotse.AudienceCompany},
		TopicIDs: []string{"ransomware", "phishing"}, Provenance: cyberlotse.Provenance{Sample: true, Source: "Pfadtest"}}}, false); err != nil {
		t.Fatal(err)
	}
	feed := "pfadtest-" + neo4jtest.NewID()
	t.Cleanup(func() {
		if err := store.DeleteFeedEventsForTest(ctx, w.on.DB, feed); err != nil {
			t.Error(err)
		}
	})
	begins, ends := time.Date(2099, 7, 1, 10, 0, 0, 0, berlin), time.Date(2099, 7, 1, 12, 0, 0, 0, berlin)
	capacity := 30
	if _, err := imports.ImportFeedEvents(ctx, feed, []*cyberlotse.FeedEvent{{Key: feed + "@uid", UID: feed + "@uid", Sequence: 2,
		Event: &cyberlotse.Event{ID: cyberlotse.EventSlug("Pfadtest Feed", begins, berlin), Title: "Pfadtest Feed",
			Description: "Aus einem Kalender", StartsAt: begins, EndsAt: &ends, Format: cyberlotse.FormatWorkshop,
			Mode: cyberlotse.ModeHybrid, Venue: "Rathaus Dörentrup", AGS: "05766024", OnlineURL: "https://example.org/feed",
			Capacity: &capacity, Status: cyberlotse.EventScheduled, OrganizerID: "asw-west", RegionIDs: []string{w.satellite},
			MeasureCodes: []string{"M02"}, TopicIDs: []string{"backup"}, Provenance: cyberlotse.Provenance{Source: feed}}}},
		w.on.Now(), false); err != nil {
		t.Fatal(err)
	}

	// A registration is personal data: node gives it to the event's
	// organizer and admins only, like registrations(eventId).
	reg := w.modes[0].ask(t, fmt.Sprintf(`{ myRegistration(token: %q) { id } }`, w.token))
	id := answered(reg["myRegistration"].(map[string]any), "id")
	stranger, err := w.on.Auth.Issue(cyberlotse.Identity{Subject: "fremd", Roles: []cyberlotse.Role{cyberlotse.RoleOrganizer},
		OrganizationIDs: []string{"lka-nrw"}}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range w.modes {
		for token, code := range map[string]string{"": "UNAUTHENTICATED", stranger: "FORBIDDEN"} {
			res := gql(t, m.h, token, fmt.Sprintf(`{ node(id: %q) { id } }`, id), nil)
			if res.code() != code || string(res.Data) != `{"node":null}` {
				t.Errorf("%s: node(registration) with token %.10q answers %s %+v, want %s", m.name, token, res.Data, res.Errors, code)
			}
		}
	}
}

// finish walks the last paths that change the test's objects: cancelling
// the waitlisted registration and the event.
func (w *pathWrites) finish() {
	w.mutate("cancelRegistration", fmt.Sprintf(`token: %q`, w.waitToken))
	w.mutate("cancelEvent", fmt.Sprintf(`id: %q, reason: "Pfadtest beendet"`, w.event))
}
