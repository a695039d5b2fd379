package csvin

import (
	"os"
	"testing"
)

// CSV files come from spreadsheets: any bytes either open with a header
// or are refused, and reading every record ends.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"ansprechstellen.csv", "companies-utf8-bom.csv", "firmen-win1252.csv"} {
		data, err := os.ReadFile("../testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Firma;PLZ\n\"Müller \"\"&\"\" Söhne\";32689\n"))
	f.Add([]byte("\xef\xbb\xbf"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(data)
		if err != nil {
			return
		}
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("more records than bytes")
			}
			if _, err := r.Read(); err != nil {
				break
			}
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"12", "1.234", "1.234,5", "12,5", "1e9", "-", "", "1.2.3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { _, _ = ParseNumber(s) })
}
