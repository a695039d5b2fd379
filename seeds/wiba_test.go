package seeds

import "testing"

func TestLoadWiba(t *testing.T) {
	c, err := LoadWiba()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Topics) != 19 || c.QuestionCount() != 57 {
		t.Fatalf("topics %d, questions %d; want 19 and 57", len(c.Topics), c.QuestionCount())
	}
	confirmed := 0
	for _, tp := range c.Topics {
		if tp.TitleConfirmed {
			confirmed++
		}
	}
	if confirmed != 8 {
		t.Errorf("%d titles confirmed by a stored source, want 8", confirmed)
	}
	q := c.Question("backup-2")
	if q == nil || q.TopicID != "backup" || q.Number != 2 || !q.Sample || q.Source == "" {
		t.Fatalf("backup-2 = %+v", q)
	}
}
