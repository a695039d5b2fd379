package readmodel_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/neo4j/neo4jtest"
)

// Matchmaking and emergency help from memory, without GraphQL: the cost
// of the graph walk and the scoring (make bench runs it on the scale data).
func BenchmarkMatch(b *testing.B) {
	m := mustOpen(b, neo4jtest.MustOpenDB(b))
	ctx := context.Background()
	munis, _, err := m.FindMunicipalities(ctx, cyberlotse.MunicipalityFilter{}, cyberlotse.Page{First: 1000})
	if err != nil {
		b.Fatal(err)
	}
	mm := cyberlotse.NewMatchmaker(m)
	r := rand.New(rand.NewPCG(1, 2))
	employees := 20
	b.ResetTimer()
	for b.Loop() {
		ags := munis[r.IntN(len(munis))].AGS
		if _, err := mm.Match(ctx, cyberlotse.MatchInput{Place: cyberlotse.PlaceQuery{AGS: &ags},
			Topics: []string{"phishing"}, Employees: &employees}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEmergencyHelp(b *testing.B) {
	m := mustOpen(b, neo4jtest.MustOpenDB(b))
	mm := cyberlotse.NewMatchmaker(m)
	mm.Now = func() time.Time { return time.Now() }
	ags := cyberlotse.AGS("05766036")
	for b.Loop() {
		if _, err := mm.EmergencyHelp(context.Background(), cyberlotse.PlaceQuery{AGS: &ags}, cyberlotse.EmergencyCompany); err != nil {
			b.Fatal(err)
		}
	}
}
