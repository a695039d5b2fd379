package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	gql "github.com/vektah/gqlparser/v2/ast"
	gqlparse "github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// costedOperation is one operation a client of the API sends.
type costedOperation struct {
	source string // where it is written
	op     *gql.OperationDefinition
}

// name is the operation's name, or for an anonymous one its root fields.
func (o costedOperation) name() string {
	if o.op.Name != "" {
		return o.op.Name
	}
	var fields []string
	for _, sel := range o.op.SelectionSet {
		if f, ok := sel.(*gql.Field); ok {
			fields = append(fields, f.Name)
		}
	}
	return string(o.op.Operation) + " " + strings.Join(fields, "+")
}

// Every operation of the web, the load generator and README.md must stay
// well under the complexity limit, so that a weight or a query that would
// lock the web out fails here and not in production.
func TestComplexityOfKnownQueries(t *testing.T) {
	es := graph.NewSchema(&graph.Resolver{})
	limit := graph.DefaultLimits.MaxComplexity
	sources := []struct {
		name  string
		ops   []costedOperation
		least int // guards against a moved file that yields nothing
	}{
		{"web/src/operations.graphql", webOperations(t, es), 15},
		{"server/loadgen.go", loadgenOperations(t, es), 6},
		{"README.md", readmeOperations(t, es), 15},
	}
	for _, src := range sources {
		if len(src.ops) < src.least {
			t.Errorf("%s: %d operations, want at least %d", src.name, len(src.ops), src.least)
		}
		for _, o := range src.ops {
			c := complexity.Calculate(context.Background(), es, o.op, sampleVariables(t, es.Schema(), o.op))
			t.Logf("%-28s %-40s %6d", o.source, o.name(), c)
			if c > limit/2 {
				t.Errorf("%s %s weighs %d, more than half the limit %d", o.source, o.name(), c, limit)
			}
		}
	}
}

// Ten matchmakings as the web asks them fit into one request, fifty of
// even the smallest do not.
func TestComplexityBoundsMatchmakingAliases(t *testing.T) {
	es := graph.NewSchema(&graph.Resolver{})
	limit := graph.DefaultLimits.MaxComplexity
	var web *gql.OperationDefinition
	for _, o := range webOperations(t, es) {
		if o.op.Name == "Matchmaking" {
			web = o.op
		}
	}
	if web == nil {
		t.Fatal("the web has no Matchmaking operation")
	}
	vars := sampleVariables(t, es.Schema(), web)
	if c := complexity.Calculate(context.Background(), es, aliased(web, 10), vars); c > limit {
		t.Errorf("10 matchmakings as the web asks them weigh %d, over the limit %d", c, limit)
	}
	smallest := mustLoad(t, es, `{ matchmaking(input: {place: {ags: "05766036"}}) { sizeClass } }`).Operations[0]
	if c := complexity.Calculate(context.Background(), es, aliased(smallest, 50), nil); c <= limit {
		t.Errorf("50 matchmakings weigh %d, within the limit %d", c, limit)
	}
}

// 500 matchmakings in one request are refused before any resolver runs,
// with a stable code and a German message that says what to do.
func TestComplexityRefusesManyMatchmakings(t *testing.T) {
	db := neo4jtest.MustOpenDB(t)
	var roundTrips atomic.Int64
	db.OnQuery = func(string) { roundTrips.Add(1) }
	c := newClient(t, db)

	resp, err := c.RawPost(matchmakings(500, `municipality { name }`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Data != nil {
		t.Errorf("data = %v, want none", resp.Data)
	}
	var errs []gqlError
	if err := json.Unmarshal(resp.Errors, &errs); err != nil || len(errs) != 1 {
		t.Fatalf("errors = %s (%v), want one", resp.Errors, err)
	}
	e := errs[0]
	if e.Extensions["code"] != "BAD_USER_INPUT" || e.Extensions["reason"] != "COMPLEXITY_LIMIT_EXCEEDED" {
		t.Errorf("extensions = %v", e.Extensions)
	}
	for _, part := range []string{"zu aufwendig", "weniger Aliasse", "mehrere Anfragen"} {
		if !strings.Contains(e.Message, part) {
			t.Errorf("message %q lacks %q", e.Message, part)
		}
	}
	if n := roundTrips.Load(); n != 0 {
		t.Errorf("%d Neo4j round trips for a refused request, want none", n)
	}
}

// Ten full matchmakings in one request still run.
func TestComplexityAllowsTenMatchmakings(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	const full = `municipality { name } regions { name } sizeClass
		contacts { contact { name phone } score reasons { code text } }
		events { event { title startsAt mode } distanceKm score reasons { text } }
		measures { measure { code title isSample } rolloutStatus reasons { text } }
		offers { offer { name url } reasons { text } }`
	// One first, so that Neo4j plans the Cypher once and not ten times at
	// once on a fresh database.
	mustPost(t, c, matchmakings(1, full), nil)
	var resp map[string]struct{ Municipality struct{ Name string } }
	mustPost(t, c, matchmakings(10, full), &resp)
	if len(resp) != 10 || resp["m9"].Municipality.Name != "Kalletal" {
		t.Errorf("response = %+v", resp)
	}
}

// matchmakings asks n times for matchmaking in Kalletal, under aliases m0….
func matchmakings(n int, selection string) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, " m%d: matchmaking(input: {place: {ags: \"05766036\"}}) { %s }", i, selection)
	}
	b.WriteString(" }")
	return b.String()
}

// aliased repeats the first field of op n times under different aliases.
func aliased(op *gql.OperationDefinition, n int) *gql.OperationDefinition {
	field := op.SelectionSet[0].(*gql.Field)
	out := *op
	out.SelectionSet = nil
	for i := range n {
		f := *field
		f.Alias = fmt.Sprintf("m%d", i)
		out.SelectionSet = append(out.SelectionSet, &f)
	}
	return &out
}

func webOperations(t *testing.T, es graphql.ExecutableSchema) []costedOperation {
	t.Helper()
	src := "web/src/operations.graphql"
	return operationsOf(src, mustLoad(t, es, readFile(t, "../"+src)))
}

// loadgenOperations are the GraphQL strings of the load generator: its
// backquoted literals that start with query or mutation.
func loadgenOperations(t *testing.T, es graphql.ExecutableSchema) []costedOperation {
	t.Helper()
	src := "server/loadgen.go"
	f, err := parser.ParseFile(token.NewFileSet(), "../"+src, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []costedOperation
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		text, err := strconv.Unquote(lit.Value)
		if err == nil && (strings.HasPrefix(text, "query ") || strings.HasPrefix(text, "mutation ")) {
			out = append(out, operationsOf(src, mustLoad(t, es, text))...)
		}
		return true
	})
	return out
}

// readmeOperations are the operations in README.md's graphql blocks. A
// block holds several anonymous operations, so each is loaded alone.
func readmeOperations(t *testing.T, es graphql.ExecutableSchema) []costedOperation {
	t.Helper()
	src := "README.md"
	var out []costedOperation
	rest := readFile(t, "../"+src)
	for {
		_, after, found := strings.Cut(rest, "```graphql\n")
		if !found {
			return out
		}
		var block string
		block, rest, _ = strings.Cut(after, "```")
		doc, err := gqlparse.ParseQuery(&gql.Source{Input: block})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		text := []rune(block)
		for i, op := range doc.Operations {
			end := len(text)
			if i+1 < len(doc.Operations) {
				end = doc.Operations[i+1].Position.Start
			}
			out = append(out, operationsOf(src, mustLoad(t, es, string(text[op.Position.Start:end])))...)
		}
	}
}

func operationsOf(src string, doc *gql.QueryDocument) []costedOperation {
	out := make([]costedOperation, len(doc.Operations))
	for i, op := range doc.Operations {
		out[i] = costedOperation{source: src, op: op}
	}
	return out
}

// mustLoad parses and validates a document against the schema, which
// complexity.Calculate needs.
func mustLoad(t *testing.T, es graphql.ExecutableSchema, text string) *gql.QueryDocument {
	t.Helper()
	doc, errs := gqlparser.LoadQuery(es.Schema(), text)
	if len(errs) > 0 {
		t.Fatalf("%v in\n%s", errs, text)
	}
	return doc
}

// sampleVariables gives an operation's variables values that the API
// accepts and that cost the most: every page argument at its maximum, no
// optional filter. Required values are the simplest valid ones.
func sampleVariables(t *testing.T, s *gql.Schema, op *gql.OperationDefinition) map[string]any {
	t.Helper()
	vars := map[string]any{}
	for _, v := range op.VariableDefinitions {
		switch {
		case v.Variable == "first":
			vars[v.Variable] = cyberlotse.MaxPageSize
		case v.Type.NonNull:
			vars[v.Variable] = sampleValue(s, v.Type)
		}
	}
	coerced, err := validator.VariableValues(s, op, vars)
	if err != nil {
		t.Fatalf("%s: variables %v: %v", op.Name, vars, err)
	}
	return coerced
}

func sampleValue(s *gql.Schema, typ *gql.Type) any {
	if typ.Elem != nil {
		return []any{sampleValue(s, typ.Elem)}
	}
	def := s.Types[typ.NamedType]
	switch def.Kind {
	case gql.Enum:
		return def.EnumValues[0].Name
	case gql.InputObject:
		obj := map[string]any{}
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				obj[f.Name] = sampleValue(s, f.Type)
			}
		}
		return obj
	}
	switch typ.NamedType {
	case "Int":
		return 1
	case "Float":
		return 1.0
	case "Boolean":
		return true
	case "DateTime":
		return "2026-11-23T00:00:00+01:00"
	case "Date":
		return "2026-11-23"
	}
	return "05766036" // a String or ID; also a valid AGS
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
