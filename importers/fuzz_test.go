package importers_test

import (
	"context"
	"os"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers"
)

// Measure catalogues come as YAML files: any bytes are refused with a
// reason or give a report, and nothing but a valid measure reaches the
// store.
func FuzzImportMeasures(f *testing.F) {
	for _, name := range []string{"../seeds/measures.yaml", "testdata/massnahmen-fehler.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("measures:\n  - code: M01\n    title: &a x\n    summary: *a\n"))
	f.Add([]byte("measures: [1, {code: M99}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		store := &fakeStore{}
		store.measures = func(batch []*cyberlotse.Measure) {
			for _, m := range batch {
				if _, err := cyberlotse.ParseMeasureCode(m.Code); err != nil || m.Title == "" {
					t.Fatalf("an invalid measure reached the store: %+v", m)
				}
			}
		}
		im := &importers.Importer{Store: store, Places: importers.NewGazetteer(sampleMunicipalities()), RetryPause: time.Millisecond}
		_, _ = im.ImportMeasures(context.Background(), data, importers.Options{Source: "fuzz.yaml"})
	})
}
