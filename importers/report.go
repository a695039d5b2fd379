// Package importers loads real data into Cyberlotse: companies and
// contacts from CSV (package csvin), event feeds from iCalendar (package
// ics) and the measure catalogue from YAML. It validates every row,
// places companies in their municipality, writes through
// cyberlotse.ImportService in batches and reports every rejected row with
// its line, field and a German reason. README.md in this folder lists the
// formats, header aliases and keys.
package importers

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Problem is a rejected row, or a hint about a row that was imported
// with less than it said (Hint).
type Problem struct {
	Line   int    // physical line where the record starts; 0 when the format has none (iCalendar)
	Key    string // what identifies the row where there is no line: UID, measure code
	Field  string // the column or property, as the file names it
	Value  string
	Reason string // German, for people
	Hint   bool
}

// Report collects the problems of one import.
type Report struct {
	Problems []Problem
}

// Reject records a rejected row.
func (r *Report) Reject(line int, key, field, value, reason string) {
	r.Problems = append(r.Problems, Problem{Line: line, Key: key, Field: field, Value: value, Reason: reason})
}

// Hint records a note about an imported row.
func (r *Report) Hint(line int, key, field, value, reason string) {
	r.Problems = append(r.Problems, Problem{Line: line, Key: key, Field: field, Value: value, Reason: reason, Hint: true})
}

// Rejected counts the rejected rows (a row with several problems counts once).
func (r *Report) Rejected() int {
	seen := map[string]bool{}
	for _, p := range r.Problems {
		if !p.Hint {
			seen[fmt.Sprint(p.Line, "\x00", p.Key)] = true
		}
	}
	return len(seen)
}

// Hints counts the hints.
func (r *Report) Hints() int {
	n := 0
	for _, p := range r.Problems {
		if p.Hint {
			n++
		}
	}
	return n
}

// Sorted returns the problems by line, then key.
func (r *Report) Sorted() []Problem {
	out := append([]Problem(nil), r.Problems...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// WriteCSV writes the report as a CSV that Excel opens in Germany as it
// is: UTF-8 with byte order mark, semicolon-separated. Columns: Zeile,
// Schlüssel, Feld, Wert, Grund, Art (abgelehnt or Hinweis).
func (r *Report) WriteCSV(w io.Writer) error {
	if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.Write([]string{"Zeile", "Schlüssel", "Feld", "Wert", "Grund", "Art"}); err != nil {
		return err
	}
	for _, p := range r.Sorted() {
		line, kind := "", "abgelehnt"
		if p.Line > 0 {
			line = strconv.Itoa(p.Line)
		}
		if p.Hint {
			kind = "Hinweis"
		}
		if err := cw.Write([]string{line, p.Key, p.Field, p.Value, p.Reason, kind}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteFile writes the report to path.
func (r *Report) WriteFile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := r.WriteCSV(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Summary writes up to max problems for the terminal, one a line, and
// how many more there are.
func (r *Report) Summary(w io.Writer, max int) {
	ps := r.Sorted()
	for i, p := range ps {
		if i == max {
			fmt.Fprintf(w, "  … und %d weitere (siehe Bericht)\n", len(ps)-max)
			return
		}
		where := ""
		switch {
		case p.Line > 0:
			where = fmt.Sprintf("Zeile %d", p.Line)
		case p.Key != "":
			where = p.Key
		}
		if p.Field != "" {
			where += " (" + p.Field + ")"
		}
		kind := "abgelehnt"
		if p.Hint {
			kind = "Hinweis"
		}
		fmt.Fprintf(w, "  %s – %s: %s\n", strings.TrimSpace(where), kind, p.Reason)
	}
}
