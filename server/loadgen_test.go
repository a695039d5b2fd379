package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPickQueriesKeepsTheMixOrderAndNamesUnknownOnes(t *testing.T) {
	all := []loadQuery{{Name: "Matchmaking"}, {Name: "EventsNear"}, {Name: "SearchTypo"}}
	got, err := pickQueries(all, "SearchTypo,Matchmaking,SearchTypo")
	if err != nil || len(got) != 2 || got[0].Name != "Matchmaking" || got[1].Name != "SearchTypo" {
		t.Errorf("pick = %+v, %v", got, err)
	}
	if _, err := pickQueries(all, "Matchmaking,Nope"); err == nil || !strings.Contains(err.Error(), "known are Matchmaking, EventsNear, SearchTypo") {
		t.Errorf("unknown name: %v", err)
	}
}

func TestGrowthReportOrdersRunsByScale(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := write("b.json", `{"scale": 100000, "clients": 16, "queries": [{"name": "Matchmaking", "directP50Ms": 40, "serialP50Ms": 45.9, "p95Ms": 972.4}]}`)
	small := write("a.json", `{"scale": 10000, "clients": 16, "queries": [{"name": "Matchmaking", "directP50Ms": 25.8, "serialP50Ms": 30.5, "p95Ms": 466.8}]}`)
	var out bytes.Buffer
	if err := growthReport(&out, []string{big, small}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"10000     100000",
		"Matchmaking      direct p50 (1 client)          25.8       40.0",
		"GraphQL p95 (16 clients)      466.8      972.4",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("growth report lacks %q:\n%s", want, out.String())
		}
	}
	if err := growthReport(&out, nil); err == nil {
		t.Error("no files: want an error")
	}
}
