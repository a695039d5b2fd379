package graph_test

import (
	"testing"

	"github.com/99designs/gqlgen/client"

	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

func TestSearchThroughGraphQL(t *testing.T) {
	c := newClient(t, neo4jtest.MustOpenDB(t))
	var resp struct {
		Search struct {
			EstimatedTotal int
			PageInfo       struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct {
				Cursor string
				Node   struct {
					Type       string
					Score      float64
					Highlights []struct{ Field, Snippet string }
					Node       struct {
						Typename string `json:"__typename"`
						Name     string
						Title    string
						Ags      string
					}
				}
			}
			Facets struct {
				Types []struct {
					Value string
					Count int
				}
				Districts []struct {
					Value string
					Label *string
					Count int
				}
			}
		}
	}
	mustPost(t, c, `query($q: String!) { search(query: $q, first: 3) {
		estimatedTotal pageInfo { hasNextPage endCursor }
		edges { cursor node { type score highlights { field snippet }
		  node { __typename ... on Municipality { name ags } ... on Event { title } ... on Region { name } ... on Contact { name } ... on Organization { name } } } }
		facets { types { value count } districts { value label count } } } }`, &resp, client.Var("q", "Kaletal"))
	s := resp.Search
	if len(s.Edges) != 3 || !s.PageInfo.HasNextPage || s.Edges[0].Node.Node.Typename != "Municipality" || s.Edges[0].Node.Node.Ags != "05766036" {
		t.Fatalf("search = %+v", s)
	}
	sum := 0
	for _, f := range s.Facets.Types {
		sum += f.Count
	}
	if sum != s.EstimatedTotal || s.EstimatedTotal < 5 {
		t.Errorf("type facets add up to %d, total %d", sum, s.EstimatedTotal)
	}
	labelled := false
	for _, d := range s.Facets.Districts {
		labelled = labelled || (d.Value == "05766" && d.Label != nil && *d.Label == "Kreis Lippe")
	}
	if !labelled {
		t.Errorf("district facets = %+v", s.Facets.Districts)
	}
	if h := s.Edges[0].Node.Highlights; len(h) == 0 || h[0].Snippet != "<em>Kalletal</em>" {
		t.Errorf("highlights = %+v", h)
	}

	var next struct {
		Search struct {
			Edges []struct{ Node struct{ Type string } }
		}
	}
	mustPost(t, c, `query($q: String!, $after: String) { search(query: $q, first: 3, after: $after) { edges { node { type } } } }`,
		&next, client.Var("q", "Kaletal"), client.Var("after", s.PageInfo.EndCursor))
	if len(next.Search.Edges) == 0 {
		t.Error("second page is empty")
	}

	for _, q := range []string{`"~*:AND OR ((`, `title:x^3`, `\`} {
		var r struct{ Search struct{ EstimatedTotal int } }
		if errs := post(t, c, `query($q: String!) { search(query: $q) { estimatedTotal } }`, &r, client.Var("q", q)); len(errs) != 0 {
			t.Errorf("%q: %+v", q, errs)
		}
	}
	h := newHandler(neo4jtest.MustOpenDB(t))
	if _, errs := rawPost(t, h, `{ search(query: "  ") { estimatedTotal } }`); len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("empty query: %+v", errs)
	}

	var sug struct {
		Suggest []struct{ Kind, Text, Key, Value string }
	}
	mustPost(t, c, `{ suggest(prefix: "3268") { kind text key value } }`, &sug)
	found := false
	for _, x := range sug.Suggest {
		found = found || (x.Kind == "POSTCODE" && x.Text == "32689 Kalletal" && x.Value == "32689" && x.Key == "05766036")
	}
	if !found {
		t.Errorf("suggest = %+v", sug.Suggest)
	}
}
