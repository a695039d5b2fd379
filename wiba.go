package cyberlotse

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Basic-protection progress (WiBA): the BSI's "Weg in die
// Basis-Absicherung" has 19 checklist topics; Cyberlotse keeps a catalogue
// of them (titles and structure from public sources, question wording its
// own) and, per municipality, one answer per question with a history of
// changes. Pure Go: the catalogue file is seeds/wiba.yaml, the storage
// graph/neo4j/wiba.go.

// WibaAnswer is the answer to one WiBA question.
type WibaAnswer string

const (
	WibaYes           WibaAnswer = "YES"
	WibaNo            WibaAnswer = "NO"
	WibaNotApplicable WibaAnswer = "NOT_APPLICABLE"
)

// Valid reports whether a is one of the three answers.
func (a WibaAnswer) Valid() bool {
	return a == WibaYes || a == WibaNo || a == WibaNotApplicable
}

// WibaCatalogue is the catalogue of WiBA checklist topics and our
// questions on them.
type WibaCatalogue struct {
	Name        string
	Version     string
	Description string
	// Source names where the structure (19 checklists) comes from;
	// SourceURL and SourceDate the public page and when it was read.
	Source     string
	SourceURL  string
	SourceDate string
	Topics     []*WibaTopic
}

// WibaTopic is one checklist topic (Prüfthema) of WiBA.
type WibaTopic struct {
	// ID is a stable slug, e.g. "backup".
	ID     string
	Number int
	Title  string
	// TitleSource says where the title is documented; TitleConfirmed is
	// false where no stored public source names it (then TitleSource says
	// so and the title is a working title).
	TitleSource    string
	TitleConfirmed bool
	Questions      []*WibaQuestion
}

// WibaQuestion is one of our questions on a topic. The wording is our own
// (Sample), Source says after what it is written.
type WibaQuestion struct {
	// ID is "<topic id>-<number>", e.g. "backup-2".
	ID      string
	TopicID string
	Number  int
	Text    string
	Hint    string
	Source  string
	Sample  bool
}

// Question returns the question with the given id, or nil.
func (c *WibaCatalogue) Question(id string) *WibaQuestion {
	for _, t := range c.Topics {
		for _, q := range t.Questions {
			if q.ID == id {
				return q
			}
		}
	}
	return nil
}

// Topic returns the topic with the given id, or nil.
func (c *WibaCatalogue) Topic(id string) *WibaTopic {
	for _, t := range c.Topics {
		if t.ID == id {
			return t
		}
	}
	return nil
}

// QuestionCount is the number of questions in the catalogue.
func (c *WibaCatalogue) QuestionCount() int {
	n := 0
	for _, t := range c.Topics {
		n += len(t.Questions)
	}
	return n
}

// WibaTopicCount is the number of checklists of WiBA (BSI FAQ on WiBA).
const WibaTopicCount = 19

// Validate checks the catalogue's structure: 19 topics numbered 1–19 with
// unique ids, each with questions numbered from 1 whose ids are
// "<topic>-<number>", every question with a text and a source.
func (c *WibaCatalogue) Validate() error {
	if len(c.Topics) != WibaTopicCount {
		return fmt.Errorf("wiba: %d topics, want %d", len(c.Topics), WibaTopicCount)
	}
	if c.Source == "" || c.SourceURL == "" {
		return fmt.Errorf("wiba: the catalogue names no source")
	}
	seen := map[string]bool{}
	for i, t := range c.Topics {
		switch {
		case t.Number != i+1:
			return fmt.Errorf("wiba topic %q: number %d, want %d", t.ID, t.Number, i+1)
		case t.ID == "" || strings.ContainsAny(t.ID, " /") || seen[t.ID]:
			return fmt.Errorf("wiba topic %d: empty, malformed or duplicate id %q", t.Number, t.ID)
		case t.Title == "" || t.TitleSource == "":
			return fmt.Errorf("wiba topic %q: title and titleSource are required", t.ID)
		case len(t.Questions) == 0:
			return fmt.Errorf("wiba topic %q: no questions", t.ID)
		}
		seen[t.ID] = true
		for j, q := range t.Questions {
			want := fmt.Sprintf("%s-%d", t.ID, j+1)
			switch {
			case q.ID != want || q.Number != j+1 || q.TopicID != t.ID:
				return fmt.Errorf("wiba question %q: id, number or topic wrong (want %s)", q.ID, want)
			case q.Text == "" || q.Source == "":
				return fmt.Errorf("wiba question %q: text and source are required", q.ID)
			}
		}
	}
	return nil
}

// WibaNoteMax is the longest note (in characters) an answer may carry.
const WibaNoteMax = 1000

// WibaEntry is a municipality's current answer to one question.
type WibaEntry struct {
	AGS        AGS
	QuestionID string
	Answer     WibaAnswer
	Note       string
	// ByRole and By are who answered last: the role they acted in and the
	// token's subject (no other personal data).
	ByRole Role
	By     string
	At     time.Time
}

// WibaChange is one entry of a municipality's history: who changed which
// answer when, from what (empty: first answer) to what.
type WibaChange struct {
	ID         string
	Seq        int
	AGS        AGS
	QuestionID string
	TopicID    string
	From       WibaAnswer
	To         WibaAnswer
	NoteFrom   string
	Note       string
	ByRole     Role
	By         string
	At         time.Time
}

// NewWibaEntry validates an answer given by id at now: a known question
// (BAD_USER_INPUT otherwise), one of the three answers, a note of at most
// WibaNoteMax characters (trimmed). The caller has checked the access.
func NewWibaEntry(cat *WibaCatalogue, ags AGS, questionID string, answer WibaAnswer, note string, id *Identity, now time.Time) (WibaEntry, error) {
	questionID = strings.TrimSpace(questionID)
	if cat.Question(questionID) == nil {
		return WibaEntry{}, UnknownWibaQuestion(questionID)
	}
	if !answer.Valid() {
		return WibaEntry{}, Invalid("answer", msgWibaAnswer)
	}
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n > WibaNoteMax {
		return WibaEntry{}, Invalid("note", msgWibaNoteTooLong(WibaNoteMax, n))
	}
	e := WibaEntry{AGS: ags, QuestionID: questionID, Answer: answer, Note: note, At: now}
	if id != nil {
		e.By = id.Subject
		e.ByRole = RoleMunicipalISB
		if id.Has(RoleAdmin) {
			e.ByRole = RoleAdmin
		}
	}
	return e, nil
}

// CanWorkOnWiba says whether id may see and answer a municipality's WiBA
// checklists, history and comparison: admins always, information security
// officers for the municipalities of their token (claim ags). There is no
// public access.
func CanWorkOnWiba(id *Identity, ags AGS) error {
	return officerOf(id, ags, msgNotWibaISB)
}

// WibaProgress is the progress of a set of questions (a topic, or all).
//
// AnsweredPercent = answered / questions (every question counts).
// FulfilledPercent = YES / (questions − NOT_APPLICABLE): not applicable
// questions are left out of the denominator; an open question counts as
// not fulfilled. nil when every question is not applicable. Both are
// rounded to whole percent (half away from zero).
type WibaProgress struct {
	Questions     int
	Answered      int
	Yes           int
	No            int
	NotApplicable int
}

// Open is the number of unanswered questions.
func (p WibaProgress) Open() int { return p.Questions - p.Answered }

// AnsweredShare is answered / questions (0 for no questions).
func (p WibaProgress) AnsweredShare() float64 {
	if p.Questions == 0 {
		return 0
	}
	return float64(p.Answered) / float64(p.Questions)
}

// FulfilledShare is YES / (questions − NOT_APPLICABLE); ok false when the
// denominator is 0.
func (p WibaProgress) FulfilledShare() (float64, bool) {
	d := p.Questions - p.NotApplicable
	if d <= 0 {
		return 0, false
	}
	return float64(p.Yes) / float64(d), true
}

// AnsweredPercent is AnsweredShare in whole percent.
func (p WibaProgress) AnsweredPercent() int { return percentOf(p.AnsweredShare()) }

// FulfilledPercent is FulfilledShare in whole percent, nil without
// applicable questions.
func (p WibaProgress) FulfilledPercent() *int {
	s, ok := p.FulfilledShare()
	if !ok {
		return nil
	}
	v := percentOf(s)
	return &v
}

func percentOf(share float64) int { return int(math.Round(share * 100)) }

func (p *WibaProgress) add(a WibaAnswer) {
	switch a {
	case WibaYes:
		p.Yes++
	case WibaNo:
		p.No++
	case WibaNotApplicable:
		p.NotApplicable++
	default:
		return
	}
	p.Answered++
}

// WibaTopicProgress is one topic's progress.
type WibaTopicProgress struct {
	Topic    *WibaTopic
	Progress WibaProgress
}

// WibaScore is a municipality's progress overall and per topic.
type WibaScore struct {
	Overall WibaProgress
	Topics  []WibaTopicProgress
}

// ScoreWiba computes the progress of the answers (by question id) against
// the catalogue; answers to questions not in the catalogue are ignored.
func ScoreWiba(cat *WibaCatalogue, answers map[string]WibaAnswer) WibaScore {
	var s WibaScore
	for _, t := range cat.Topics {
		tp := WibaTopicProgress{Topic: t, Progress: WibaProgress{Questions: len(t.Questions)}}
		for _, q := range t.Questions {
			tp.Progress.add(answers[q.ID])
		}
		s.Topics = append(s.Topics, tp)
		s.Overall.Questions += tp.Progress.Questions
		s.Overall.Answered += tp.Progress.Answered
		s.Overall.Yes += tp.Progress.Yes
		s.Overall.No += tp.Progress.No
		s.Overall.NotApplicable += tp.Progress.NotApplicable
	}
	return s
}

// Size classes for the comparison with municipalities of similar size, by
// population (the Municipality node's population, from Destatis GV-ISys in
// seeds/data). The
// bounds are Cyberlotse's own; they follow the usual German municipal
// size classes, merged so that each NRW class holds at least 30
// municipalities (51, 131, 137, 47 and 30 of the 396).
type WibaSizeClass struct {
	Key   string
	Label string
	// Min is inclusive, Max exclusive (0: no upper bound).
	Min, Max int
}

var WibaSizeClasses = []WibaSizeClass{
	{"UNDER_10K", "unter 10.000 Einwohnerinnen und Einwohnern", 0, 10000},
	{"10K_20K", "10.000 bis unter 20.000 Einwohnerinnen und Einwohnern", 10000, 20000},
	{"20K_50K", "20.000 bis unter 50.000 Einwohnerinnen und Einwohnern", 20000, 50000},
	{"50K_100K", "50.000 bis unter 100.000 Einwohnerinnen und Einwohnern", 50000, 100000},
	{"FROM_100K", "100.000 Einwohnerinnen und Einwohnern und mehr", 100000, 0},
}

// WibaSizeClassOf returns the class of a population.
func WibaSizeClassOf(population int) WibaSizeClass {
	for _, c := range WibaSizeClasses {
		if population >= c.Min && (c.Max == 0 || population < c.Max) {
			return c
		}
	}
	return WibaSizeClasses[0]
}

// WibaMinGroup is the smallest comparison group that is shown: at least
// this many other municipalities with at least one answer each.
const WibaMinGroup = 5

// WibaTally is one municipality's answer counts, without its name: what
// the comparison reads of the others.
type WibaTally struct {
	Answered, Yes, NotApplicable int
}

// WibaGroupKind names a comparison group.
type WibaGroupKind string

const (
	WibaGroupDistrict  WibaGroupKind = "DISTRICT"
	WibaGroupSizeClass WibaGroupKind = "SIZE_CLASS"
)

// WibaGroup is an anonymised comparison: the mean shares of the other
// municipalities of a group (the municipality itself left out) that have
// answered at least one question. Shown only for at least WibaMinGroup of
// them; otherwise Shown is false and nothing else is filled in.
type WibaGroup struct {
	Kind  WibaGroupKind
	Label string
	Shown bool
	// Municipalities is the group's size (0 when not shown).
	Municipalities int
	// AnsweredPercent is the mean of the members' answered shares;
	// FulfilledPercent the mean of their fulfilled shares (members whose
	// questions are all not applicable left out; nil when none is left).
	AnsweredPercent  *int
	FulfilledPercent *int
}

// CompareWiba builds a comparison group from the tallies of the other
// municipalities; questions is the catalogue's question count.
func CompareWiba(kind WibaGroupKind, label string, questions int, others []WibaTally) WibaGroup {
	g := WibaGroup{Kind: kind, Label: label}
	var members []WibaTally
	for _, t := range others {
		if t.Answered > 0 {
			members = append(members, t)
		}
	}
	if len(members) < WibaMinGroup {
		return g
	}
	g.Shown, g.Municipalities = true, len(members)
	var answered, fulfilled float64
	nf := 0
	for _, t := range members {
		p := WibaProgress{Questions: questions, Answered: t.Answered, Yes: t.Yes, NotApplicable: t.NotApplicable}
		answered += p.AnsweredShare()
		if s, ok := p.FulfilledShare(); ok {
			fulfilled += s
			nf++
		}
	}
	a := percentOf(answered / float64(len(members)))
	g.AnsweredPercent = &a
	if nf > 0 {
		f := percentOf(fulfilled / float64(nf))
		g.FulfilledPercent = &f
	}
	return g
}

// WibaComparisonData is what the store reads for a comparison.
type WibaComparisonData struct {
	Municipality *Municipality
	DistrictName string
	// District and SizeClass are the tallies of the other municipalities
	// of the district and of the size class with at least one answer.
	District  []WibaTally
	SizeClass []WibaTally
}

// WibaService keeps the catalogue and the municipalities' answers.
type WibaService interface {
	// ApplyCatalogue writes the catalogue (topics and questions) in one
	// transaction, idempotently. Only the seed command calls it.
	ApplyCatalogue(ctx context.Context, cat *WibaCatalogue) error

	// Catalogue returns the stored catalogue, topics and questions in
	// their order. Anyone may call it (the resolver limits it to officers
	// and admins). Codes: INTERNAL, UNAVAILABLE.
	Catalogue(ctx context.Context) (*WibaCatalogue, error)

	// Answers returns a municipality's current answers by question id.
	// For its officer and admins (checked by the caller). Codes: NOT_FOUND
	// (no such municipality).
	Answers(ctx context.Context, ags AGS) (map[string]WibaEntry, error)

	// Answer stores one answer and, when it changed anything, its history
	// entry, in one transaction. Returns the stored entry and whether it
	// changed. For the officer and admins (checked by the caller).
	// Codes: NOT_FOUND (no such municipality), BAD_USER_INPUT (no such
	// question).
	Answer(ctx context.Context, e WibaEntry) (*WibaEntry, bool, error)

	// History returns a municipality's changes, newest first, a page at a
	// time, and their total. Codes: NOT_FOUND, BAD_USER_INPUT (cursor).
	History(ctx context.Context, ags AGS, page Page) ([]WibaChange, int, error)

	// ComparisonData reads the tallies of the other municipalities of the
	// municipality's district and size class. Codes: NOT_FOUND.
	ComparisonData(ctx context.Context, ags AGS) (*WibaComparisonData, error)
}
