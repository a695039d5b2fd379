package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// The schema as introspection tells it, for the tests that walk every
// field (the role matrix, the same answer on every path).

type typeRef struct {
	Kind   string
	Name   string
	OfType *typeRef
}

func (r typeRef) named() string {
	for r.OfType != nil {
		r = *r.OfType
	}
	return r.Name
}

func (r typeRef) isList() bool {
	for x := &r; x != nil; x = x.OfType {
		if x.Kind == "LIST" {
			return true
		}
	}
	return false
}

func (r typeRef) String() string {
	switch r.Kind {
	case "NON_NULL":
		return r.OfType.String() + "!"
	case "LIST":
		return "[" + r.OfType.String() + "]"
	}
	return r.Name
}

type schemaField struct {
	Name string
	Args []struct {
		Name         string
		Type         typeRef
		DefaultValue *string
	}
	Type typeRef
}

func (f schemaField) hasArg(name string) bool {
	for _, a := range f.Args {
		if a.Name == name {
			return true
		}
	}
	return false
}

func (f schemaField) requiredArgs() []string {
	var out []string
	for _, a := range f.Args {
		if a.Type.Kind == "NON_NULL" && a.DefaultValue == nil {
			out = append(out, a.Name)
		}
	}
	return out
}

type schemaType struct {
	Kind          string
	Name          string
	Fields        []schemaField
	Interfaces    []struct{ Name string }
	PossibleTypes []struct{ Name string }
}

const introspectionQuery = `{ __schema { queryType { name } mutationType { name }
  types { kind name interfaces { name } possibleTypes { name }
    fields { name type { ...T } args { name defaultValue type { ...T } } } } } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

// introspectTypes reads the schema's types by name and the names of its
// query and mutation types.
func introspectTypes(t *testing.T, h http.Handler) (types map[string]*schemaType, query, mutation string) {
	t.Helper()
	res := gql(t, h, "", introspectionQuery, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("introspection: %+v", res.Errors)
	}
	var out struct {
		Schema struct {
			QueryType, MutationType struct{ Name string }
			Types                   []*schemaType
		} `json:"__schema"`
	}
	if err := json.Unmarshal(res.Data, &out); err != nil {
		t.Fatal(err)
	}
	types = map[string]*schemaType{}
	for _, x := range out.Schema.Types {
		types[x.Name] = x
	}
	return types, out.Schema.QueryType.Name, out.Schema.MutationType.Name
}
