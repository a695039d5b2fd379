package csvin

import (
	"errors"
	"io"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for in, want := range map[string]float64{
		"12": 12, "12,5": 12.5, "1.250": 1250, "1.250,75": 1250.75, "1 250": 1250, "12.5": 12.5,
		"1,250.75": 1250.75, "1.250.000": 1250000, " 7 ": 7, "0,5": 0.5, "-3": -3,
	} {
		got, err := ParseNumber(in)
		if err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "zwölf", "12a", "NaN"} {
		if _, err := ParseNumber(in); err == nil {
			t.Errorf("ParseNumber(%q): want an error", in)
		}
	}
}

func TestReaderEncodingsAndSeparators(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		enc  string
		sep  rune
	}{
		{"windows-1252 semicolon", []byte("Firma;Ort\r\nM\xfcller;K\xf6ln\r\n"), Windows1252, ';'},
		{"utf-8 bom comma", []byte("\xef\xbb\xbfFirma,Ort\nMüller,Köln\n"), UTF8BOM, ','},
		{"utf-8 tab", []byte("Firma\tOrt\nMüller\tKöln\n"), UTF8, '\t'},
		{"quoted separators in header", []byte("\"Firma; Name\",Ort\nMüller,Köln\n"), UTF8, ','},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := NewReader(tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if r.Encoding() != tc.enc || r.Separator() != tc.sep {
				t.Fatalf("encoding %q separator %q, want %q %q", r.Encoding(), r.Separator(), tc.enc, tc.sep)
			}
			rec, err := r.Read()
			if err != nil || rec.Fields[0] != "Müller" || rec.Fields[1] != "Köln" || rec.Line != 2 {
				t.Fatalf("record %+v, %v", rec, err)
			}
			if _, err := r.Read(); err != io.EOF {
				t.Fatalf("want EOF, got %v", err)
			}
		})
	}
}

func TestReaderLineNumbersAndColumns(t *testing.T) {
	data := []byte("Unternehmen;PLZ;Bemerkung;Extra\n" +
		"A;32689;\"zwei\nZeilen\";\n" +
		"\n" +
		"B;42853;;\n" +
		"C;42853;x;y;z\n" +
		"D;42853\n")
	r, err := NewReader(data)
	if err != nil {
		t.Fatal(err)
	}
	cols, unknown, err := r.Columns([]Column{{Name: "Firma", Aliases: []string{"Unternehmen"}, Required: true},
		{Name: "PLZ", Aliases: []string{"Postleitzahl"}, Required: true}, {Name: "Beschäftigte", Aliases: []string{"Mitarbeiter"}}})
	if err != nil || cols["Firma"] != 0 || cols["PLZ"] != 1 || len(unknown) != 2 {
		t.Fatalf("columns %v unknown %v err %v", cols, unknown, err)
	}
	var lines []int
	var bad []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var re *RecordError
		if errors.As(err, &re) {
			bad = append(bad, re.Line)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, rec.Line)
		if len(rec.Fields) != 4 {
			t.Errorf("line %d: %d fields", rec.Line, len(rec.Fields))
		}
	}
	if len(lines) != 3 || lines[0] != 2 || lines[1] != 5 || lines[2] != 7 || len(bad) != 1 || bad[0] != 6 {
		t.Fatalf("lines %v bad %v, want [2 5 7] [6]", lines, bad)
	}
	if _, _, err := r.Columns([]Column{{Name: "Ort", Aliases: []string{"Stadt"}, Required: true}}); err == nil {
		t.Fatal("a missing required column must be an error")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Beschäftigte": "beschaeftigte", "BESCHAEFTIGTE": "beschaeftigte",
		"E-Mail": "email", "Branche (WZ 2008)": "branchewz2008", "Straße": "strasse"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLooseHeaderMatch(t *testing.T) {
	r, err := NewReader([]byte("Firmenname;Branche (WZ 2008);Beschäftigte (Anzahl);Ortsteil;PLZ\nA;62.01;3;Hohenhausen;32689\n"))
	if err != nil {
		t.Fatal(err)
	}
	cols, unknown, err := r.Columns([]Column{{Name: "Firma", Aliases: []string{"Firmenname"}}, {Name: "WZ", Aliases: []string{"Branche", "WZ 2008"}},
		{Name: "Beschäftigte", Aliases: []string{"Mitarbeiter"}}, {Name: "Ort", Aliases: []string{"Stadt"}}, {Name: "PLZ"}})
	if err != nil || cols["WZ"] != 1 || cols["Beschäftigte"] != 2 || len(unknown) != 1 || unknown[0] != "Ortsteil" {
		t.Fatalf("cols %v unknown %v err %v", cols, unknown, err)
	}
}
