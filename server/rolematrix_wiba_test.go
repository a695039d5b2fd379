package main

import (
	"context"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
)

// The WiBA rows of the role matrix (TestRoleMatrix): the catalogue for
// every officer, a municipality's answers, history and comparison for its
// own officers (CanWorkOnWiba), admins always; the types only these fields
// return inherit the check.
func init() {
	for k, v := range map[string]roleRule{
		"Query.wibaCatalogue":         ruleOfficer,
		"Query.municipalityWiba":      ruleOfficerOfOwn,
		"Query.wibaHistory":           ruleOfficerOfOwn,
		"Query.wibaComparison":        ruleOfficerOfOwn,
		"Mutation.answerWibaQuestion": ruleOfficerOfOwn,
	} {
		roleRules[k] = v
	}
	for typ, fields := range map[string][]string{
		"WibaCatalogue":        {"name", "version", "description", "source", "sourceUrl", "sourceDate", "questionCount", "topics"},
		"WibaTopic":            {"key", "number", "title", "titleSource", "titleConfirmed", "questions"},
		"WibaQuestion":         {"key", "topicKey", "number", "text", "hint", "source", "isSample"},
		"WibaProgress":         {"questions", "answered", "open", "yes", "no", "notApplicable", "answeredPercent", "fulfilledPercent"},
		"WibaTopicProgress":    {"topic", "progress"},
		"WibaQuestionState":    {"question", "answer", "note", "answeredAt", "answeredByRole", "answeredBy"},
		"MunicipalityWiba":     {"ags", "municipalityName", "overall", "topics", "questions", "lastAnsweredAt"},
		"WibaChange":           {"id", "question", "from", "to", "noteBefore", "note", "at", "byRole", "by"},
		"WibaChangeEdge":       {"cursor", "node"},
		"WibaChangeConnection": {"edges", "nodes", "pageInfo", "totalCount"},
		"WibaComparisonGroup":  {"kind", "label", "shown", "message", "municipalities", "answeredPercent", "fulfilledPercent"},
		"WibaComparison":       {"ags", "own", "sizeClass", "minimumGroupSize", "district", "similarSize"},
		"WibaAnswerResult":     {"state", "changed", "topic", "overall"},
	} {
		for _, f := range fields {
			roleRules[typ+"."+f] = ruleInherited
		}
	}
	own := func(f *rmFixture) map[string]any {
		f.wibaAnswered()
		return map[string]any{"ags": string(f.isbAGS)}
	}
	rmCalls["Query.municipalityWiba"] = rmCall{args: own}
	rmCalls["Query.wibaComparison"] = rmCall{args: own}
	rmCalls["Query.wibaHistory"] = rmCall{args: func(f *rmFixture) map[string]any {
		f.wibaAnswered()
		return map[string]any{"ags": string(f.isbAGS), "first": 5}
	}}
	rmCalls["Mutation.answerWibaQuestion"] = rmCall{args: func(f *rmFixture) map[string]any {
		f.wibaAnswered()
		return map[string]any{"ags": string(f.isbAGS), "question": "backup-2", "answer": "NO", "note": "Rollenmatrix"}
	}}
}

// wibaAnswered makes sure the own officer's municipality has an answer
// with a note (so that history and answers have every field to show) and
// removes its WiBA data when the test ends.
func (f *rmFixture) wibaAnswered() {
	f.t.Helper()
	ctx := context.Background()
	s := store.NewWibaService(f.m.DB)
	cat, err := s.Catalogue(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	f.t.Cleanup(func() { store.DeleteWibaForTest(context.Background(), f.m.DB, f.isbAGS) })
	for i, a := range []cyberlotse.WibaAnswer{cyberlotse.WibaNo, cyberlotse.WibaYes} {
		e, err := cyberlotse.NewWibaEntry(cat, f.isbAGS, "backup-1", a, "Notiz "+string(a), &cyberlotse.Identity{Subject: "rm",
			Roles: []cyberlotse.Role{cyberlotse.RoleMunicipalISB}, AGS: []cyberlotse.AGS{f.isbAGS}}, time.Date(2026, 12, 1, 9, i, 0, 0, time.UTC))
		if err != nil {
			f.t.Fatal(err)
		}
		if _, _, err := s.Answer(ctx, e); err != nil {
			f.t.Fatal(err)
		}
	}
}
