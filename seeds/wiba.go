package seeds

import (
	"fmt"
	"io/fs"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// LoadWiba reads and validates the embedded WiBA catalogue (wiba.yaml).
func LoadWiba() (*cyberlotse.WibaCatalogue, error) { return LoadWibaFS(files) }

// LoadWibaFS reads wiba.yaml from fsys. Question ids and numbers follow
// from their order ("<topic>-<n>"); every question is Cyberlotse's own
// wording after the topic (sample) and says so in its source.
func LoadWibaFS(fsys fs.FS) (*cyberlotse.WibaCatalogue, error) {
	var f struct {
		Name                   string `yaml:"name"`
		Version                string `yaml:"version"`
		Description            string `yaml:"description"`
		Source                 string `yaml:"source"`
		SourceURL              string `yaml:"sourceUrl"`
		SourceDate             string `yaml:"sourceDate"`
		ConfirmedTitleSource   string `yaml:"confirmedTitleSource"`
		UnconfirmedTitleSource string `yaml:"unconfirmedTitleSource"`
		Topics                 []struct {
			ID             string `yaml:"id"`
			Title          string `yaml:"title"`
			TitleConfirmed bool   `yaml:"titleConfirmed"`
			Questions      []struct {
				Text string `yaml:"text"`
				Hint string `yaml:"hint"`
			} `yaml:"questions"`
		} `yaml:"topics"`
	}
	if err := readYAML(fsys, "wiba.yaml", &f); err != nil {
		return nil, fmt.Errorf("seeds/wiba.yaml: %w", err)
	}
	c := &cyberlotse.WibaCatalogue{Name: f.Name, Version: f.Version, Description: f.Description,
		Source: f.Source, SourceURL: f.SourceURL, SourceDate: f.SourceDate}
	for i, t := range f.Topics {
		topic := &cyberlotse.WibaTopic{ID: t.ID, Number: i + 1, Title: t.Title, TitleConfirmed: t.TitleConfirmed,
			TitleSource: f.UnconfirmedTitleSource}
		if t.TitleConfirmed {
			topic.TitleSource = f.ConfirmedTitleSource
		}
		for j, q := range t.Questions {
			topic.Questions = append(topic.Questions, &cyberlotse.WibaQuestion{
				ID: fmt.Sprintf("%s-%d", t.ID, j+1), TopicID: t.ID, Number: j + 1, Text: q.Text, Hint: q.Hint,
				Source: fmt.Sprintf("Eigene Formulierung von Cyberlotse nach dem WiBA-Prüfthema „%s“ des BSI (nicht der Wortlaut der BSI-Prüffragen).", t.Title),
				Sample: true})
		}
		c.Topics = append(c.Topics, topic)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("seeds/wiba.yaml: %w", err)
	}
	return c, nil
}
