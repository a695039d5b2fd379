package graph

import (
	"context"
	"fmt"
	"strconv"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// wibaOfficer checks that the caller may work on the municipality's WiBA
// checklists (its officer, an admin) and returns its AGS.
func (r *Resolver) wibaOfficer(ctx context.Context, ags string) (cyberlotse.AGS, *cyberlotse.Identity, error) {
	a, err := cyberlotse.ParseAGS(ags)
	if err != nil {
		return "", nil, err
	}
	id := cyberlotse.IdentityFromContext(ctx)
	if err := cyberlotse.CanWorkOnWiba(id, a); err != nil {
		return "", nil, err
	}
	return a, id, nil
}

func wibaQuestionState(q *cyberlotse.WibaQuestion, e *cyberlotse.WibaEntry) *model.WibaQuestionState {
	s := &model.WibaQuestionState{Question: q}
	if e == nil || e.Answer == "" {
		return s
	}
	answer, role, by, at := e.Answer, e.ByRole, e.By, e.At
	s.Answer, s.AnsweredByRole, s.AnsweredBy, s.AnsweredAt = &answer, &role, &by, &at
	if e.Note != "" {
		note := e.Note
		s.Note = &note
	}
	return s
}

func plainAnswers(entries map[string]cyberlotse.WibaEntry) map[string]cyberlotse.WibaAnswer {
	out := make(map[string]cyberlotse.WibaAnswer, len(entries))
	for k, e := range entries {
		out[k] = e.Answer
	}
	return out
}

func wibaChange(cat *cyberlotse.WibaCatalogue, c cyberlotse.WibaChange) *model.WibaChange {
	q := cat.Question(c.QuestionID)
	if q == nil { // a question since removed from the catalogue
		q = &cyberlotse.WibaQuestion{ID: c.QuestionID, TopicID: c.TopicID, Text: "(nicht mehr im Katalog)", Source: "-"}
	}
	out := &model.WibaChange{ID: c.ID, Question: q, To: c.To, At: c.At, ByRole: c.ByRole, By: c.By}
	if c.From != "" {
		from := c.From
		out.From = &from
	}
	if c.NoteFrom != "" {
		n := c.NoteFrom
		out.NoteBefore = &n
	}
	if c.Note != "" {
		n := c.Note
		out.Note = &n
	}
	return out
}

func wibaGroup(g cyberlotse.WibaGroup) *model.WibaComparisonGroup {
	out := &model.WibaComparisonGroup{Kind: g.Kind, Label: g.Label, Shown: g.Shown}
	if !g.Shown {
		msg := fmt.Sprintf(cyberlotse.MsgWibaTooFew, cyberlotse.WibaMinGroup)
		out.Message = &msg
		return out
	}
	n := g.Municipalities
	out.Municipalities, out.AnsweredPercent, out.FulfilledPercent = &n, g.AnsweredPercent, g.FulfilledPercent
	return out
}

func wibaCursor(seq int) string {
	return cyberlotse.Cursor{Keys: []string{strconv.Itoa(seq)}}.Encode()
}
