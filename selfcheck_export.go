package cyberlotse

import (
	"encoding/json"
	"time"
)

// CheckExport is the JSON document a company takes away: what it
// answered, with the questions in words, and the result. It holds nothing
// of the check's keys (neither id nor tokens).
type CheckExport struct {
	Format    string `json:"format"`
	Catalogue struct {
		Name       string `json:"name"`
		Version    string `json:"version"`
		ModelledOn string `json:"modelledOn"`
		Sample     bool   `json:"isSample"`
		Source     string `json:"source"`
	} `json:"catalogue"`
	Status     CheckStatus `json:"status"`
	CreatedAt  string      `json:"createdAt"`
	UpdatedAt  string      `json:"updatedAt"`
	FinishedAt *string     `json:"finishedAt"`
	Company    struct {
		Employees *int    `json:"employees"`
		Sector    *string `json:"sector"`
		AGS       *AGS    `json:"ags"`
		Place     *string `json:"place"`
	} `json:"company"`
	StatusAnswers []ExportStatus      `json:"statusAnswers"`
	Answers       []ExportAnswer      `json:"answers"`
	Result        ExportResult        `json:"result"`
	Areas         []ExportArea        `json:"areas"`
	Recommend     []ExportRecommended `json:"recommendations"`
}

type ExportStatus struct {
	Question StatusQuestion `json:"question"`
	Text     string         `json:"text"`
	Answer   bool           `json:"answer"`
}

type ExportAnswer struct {
	Number   int         `json:"number"`
	Area     CheckArea   `json:"area"`
	Top      bool        `json:"top"`
	Question string      `json:"question"`
	Answer   CheckAnswer `json:"answer"`
}

type ExportResult struct {
	Points     int  `json:"points"`
	MinPoints  int  `json:"minPoints"`
	MaxPoints  int  `json:"maxPoints"`
	Percent    int  `json:"percent"`
	Complete   bool `json:"complete"`
	Answered   int  `json:"answered"`
	Applicable int  `json:"applicable"`
}

type ExportArea struct {
	Area    CheckArea `json:"area"`
	Title   string    `json:"title"`
	Points  int       `json:"points"`
	Percent int       `json:"percent"`
}

type ExportRecommended struct {
	Rank           int         `json:"rank"`
	Number         int         `json:"number"`
	Answer         CheckAnswer `json:"answer"`
	Implied        bool        `json:"implied"`
	Recommendation string      `json:"recommendation"`
}

// ExportCheck returns the check's answers and result as an indented JSON
// document; placeName names the municipality (may be empty). Times are
// RFC 3339 in loc.
func ExportCheck(c *SelfCheck, placeName string, loc *time.Location) ([]byte, error) {
	var x CheckExport
	x.Format = "cyberlotse-selbstcheck/1"
	cat := CheckCatalogue
	x.Catalogue.Name, x.Catalogue.Version, x.Catalogue.ModelledOn = cat.Name, cat.Version, cat.ModelledOn
	x.Catalogue.Sample, x.Catalogue.Source = cat.Sample, cat.Source
	x.Status = c.Status
	x.CreatedAt, x.UpdatedAt = c.CreatedAt.In(loc).Format(time.RFC3339), c.UpdatedAt.In(loc).Format(time.RFC3339)
	if c.FinishedAt != nil {
		s := c.FinishedAt.In(loc).Format(time.RFC3339)
		x.FinishedAt = &s
	}
	x.Company.Employees, x.Company.AGS = c.Employees, c.AGS
	if c.Sector != "" {
		x.Company.Sector = &c.Sector
	}
	if placeName != "" {
		x.Company.Place = &placeName
	}
	x.StatusAnswers, x.Answers = []ExportStatus{}, []ExportAnswer{}
	for _, q := range StatusQuestions {
		if v, ok := c.Statuses[q]; ok {
			x.StatusAnswers = append(x.StatusAnswers, ExportStatus{q, StatusInfoOf(q).Text, v})
		}
	}
	for _, r := range CheckCatalogue.Requirements {
		if a, ok := c.Answers[r.Number]; ok {
			x.Answers = append(x.Answers, ExportAnswer{r.Number, r.Area, r.Top, r.Question, a})
		}
	}
	res := Evaluate(c.Statuses, c.Answers)
	x.Result = ExportResult{res.Points, res.MinPoints, res.MaxPoints, res.Percent, res.Complete(), res.Answered, res.Applicable}
	for _, a := range res.Areas {
		x.Areas = append(x.Areas, ExportArea{a.Area, AreaInfoOf(a.Area).Title, a.Points, a.Percent})
	}
	x.Recommend = []ExportRecommended{}
	for _, r := range res.Recommendations {
		x.Recommend = append(x.Recommend, ExportRecommended{r.Rank, r.Requirement.Number, r.Answer, r.Implied, r.Requirement.Recommendation})
	}
	return json.MarshalIndent(x, "", "  ")
}
