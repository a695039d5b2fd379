package graph_test

import (
	"testing"

	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// GraphiQL (/graphiql) and other tools read the schema with graphql-js's
// introspection query, which nests __Type.ofType 8 times: it passes the
// depth limit, while introspection that fans out (types, fields, their
// types' fields …) is still refused, by gqlparser's validation.
func TestToolsIntrospectTheSchema(t *testing.T) {
	h := newHandler(neo4jtest.MustOpenDB(t))
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var data struct {
		Schema struct {
			QueryType struct{ Name string }
			Types     []struct{ Name string }
		} `json:"__schema"`
	}
	mustPost(t, c, introspectionQuery, &data)
	names := map[string]bool{}
	for _, ty := range data.Schema.Types {
		names[ty.Name] = true
	}
	if data.Schema.QueryType.Name != "Query" || !names["Event"] || !names["Region"] || !names["__Type"] {
		t.Errorf("introspection: query type %q, %d types", data.Schema.QueryType.Name, len(data.Schema.Types))
	}

	fanOut := `{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type {
		ofType { name } } } } } } } } } } } } } }`
	status, errs := rawPost(t, h, fanOut)
	if status != 200 || len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" ||
		errs[0].Message != "Ungültige Abfrage: Maximum introspection depth exceeded" {
		t.Errorf("fanning introspection: %d %+v", status, errs)
	}
}

// introspectionQuery is getIntrospectionQuery() of graphql 16.15, the
// query GraphiQL 5 sends.
const introspectionQuery = `

    query IntrospectionQuery {
      __schema {
        
        queryType { name kind }
        mutationType { name kind }
        subscriptionType { name kind }
        types {
          ...FullType
        }
        directives {
          name
          description
          
          
          
          locations
          args {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      
      
      fields(includeDeprecated: true) {
        name
        description
        args {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
      
      
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        name
        kind
        ofType {
          name
          kind
          ofType {
            name
            kind
            ofType {
              name
              kind
              ofType {
                name
                kind
                ofType {
                  name
                  kind
                  ofType {
                    name
                    kind
                    ofType {
                      name
                      kind
                      ofType {
                        name
                        kind
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  
`
