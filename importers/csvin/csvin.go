// Package csvin reads CSV files as they arrive in practice: exported from
// Excel or an old ERP in Windows-1252, UTF-8 with or without byte order
// mark, separated by semicolons or commas, with quoted line breaks,
// German decimal commas and header names spelled in many ways.
package csvin

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encoding names the character encodings Reader detects.
const (
	UTF8        = "UTF-8"
	UTF8BOM     = "UTF-8 mit BOM"
	UTF16       = "UTF-16"
	Windows1252 = "Windows-1252"
)

// Record is one data row.
type Record struct {
	// Line is the physical line (1-based, header = 1) where the record
	// starts; a quoted field with line breaks makes a record span lines.
	Line   int
	Fields []string
	// Offset is how many bytes of the decoded text are read after it.
	Offset int64
}

// Reader reads the records of one CSV text.
type Reader struct {
	r         *csv.Reader
	encoding  string
	sep       rune
	header    []string
	size      int64
	lastBytes int64
}

// NewReader decodes data and reads its header line. The encoding is
// detected: a UTF-8 or UTF-16 byte order mark, else valid UTF-8, else
// Windows-1252 (a superset of ISO-8859-1 for printable text). The
// separator is the one of ';', ',' or tab that occurs most often in the
// header line outside quotes.
func NewReader(data []byte) (*Reader, error) {
	text, enc, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return nil, errors.New("die Datei ist leer")
	}
	sep := detectSeparator(text)
	cr := csv.NewReader(bytes.NewReader(text))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("Kopfzeile nicht lesbar: %w", err)
	}
	for i, h := range header {
		header[i] = strings.TrimSpace(h)
	}
	return &Reader{r: cr, encoding: enc, sep: sep, header: header, size: int64(len(text))}, nil
}

// Decode returns data as UTF-8 without byte order mark, and the encoding
// it was in.
func Decode(data []byte) ([]byte, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], UTF8BOM, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, "", fmt.Errorf("UTF-16 nicht lesbar: %w", err)
		}
		return out, UTF16, nil
	case utf8.Valid(data):
		return data, UTF8, nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return nil, "", fmt.Errorf("Windows-1252 nicht lesbar: %w", err)
	}
	return out, Windows1252, nil
}

func detectSeparator(text []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range string(text) {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if !quoted && (c == '\n' || c == '\r') {
			break
		}
		if !quoted && (c == ';' || c == ',' || c == '\t') {
			counts[c]++
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

// Encoding is the detected encoding, e.g. "Windows-1252".
func (r *Reader) Encoding() string { return r.encoding }

// Separator is the detected field separator.
func (r *Reader) Separator() rune { return r.sep }

// Header returns the column names as written.
func (r *Reader) Header() []string { return r.header }

// Size is the length of the decoded text, for progress.
func (r *Reader) Size() int64 { return r.size }

// Read returns the next record, io.EOF at the end, or a *RecordError for
// a record that cannot be read (reading can go on after it). The returned
// fields are trimmed; a record with fewer fields than the header is
// padded with empty fields.
func (r *Reader) Read() (Record, error) {
	fields, err := r.r.Read()
	line, _ := r.r.FieldPos(0)
	rec := Record{Line: line, Offset: r.r.InputOffset()}
	if err != nil {
		if err == io.EOF {
			return rec, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return rec, &RecordError{Line: pe.StartLine, Reason: fmt.Sprintf("Zeile nicht lesbar (%v)", pe.Err)}
		}
		return rec, err
	}
	if len(fields) > len(r.header) {
		extra := false
		for _, f := range fields[len(r.header):] {
			if strings.TrimSpace(f) != "" {
				extra = true
			}
		}
		if extra {
			return rec, &RecordError{Line: line, Reason: fmt.Sprintf(
				"%d Felder statt %d – ist ein Trennzeichen (%q) nicht in Anführungszeichen gesetzt?", len(fields), len(r.header), r.sep)}
		}
		fields = fields[:len(r.header)]
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	for len(fields) < len(r.header) {
		fields = append(fields, "")
	}
	rec.Fields = fields
	return rec, nil
}

// RecordError is a record that cannot be read.
type RecordError struct {
	Line   int
	Reason string
}

func (e *RecordError) Error() string { return fmt.Sprintf("Zeile %d: %s", e.Line, e.Reason) }

// Blank reports whether every field of the record is empty (e.g. a line
// of separators only, as spreadsheets export them).
func (rec Record) Blank() bool {
	for _, f := range rec.Fields {
		if f != "" {
			return false
		}
	}
	return true
}

// Fold normalizes a header name for matching: lower case, umlauts spelled
// out, everything but letters and digits dropped — "Beschäftigte",
// "BESCHAEFTIGTE" and "Beschäftigte (Anzahl)" fold to "beschaeftigte",
// "beschaeftigte", "beschaeftigteanzahl".
func Fold(s string) string {
	s = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue").Replace(s)
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Column is a field the importer knows, with the header names it accepts.
type Column struct {
	Name     string   // canonical name, used in reports
	Aliases  []string // header names, matched with Fold
	Required bool
}

// Columns maps each known column to its index in the header (absent
// columns are left out) and lists the header names that match none.
// Names match case- and umlaut-insensitively, ignoring everything but
// letters and digits; a header that starts or ends with a long alias
// matches too.
// A required column that is missing is an error.
func (r *Reader) Columns(known []Column) (map[string]int, []string, error) {
	byAlias := map[string]string{}
	for _, c := range known {
		for _, a := range append([]string{c.Name}, c.Aliases...) {
			byAlias[Fold(a)] = c.Name
		}
	}
	idx := map[string]int{}
	var unknown []string
	for i, h := range r.header {
		name, ok := byAlias[Fold(h)]
		if !ok {
			name, ok = looseMatch(Fold(h), byAlias)
		}
		switch {
		case !ok:
			if h != "" {
				unknown = append(unknown, h)
			}
		case hasKey(idx, name):
			unknown = append(unknown, h+" (doppelt)")
		default:
			idx[name] = i
		}
	}
	var missing []string
	for _, c := range known {
		if _, ok := idx[c.Name]; c.Required && !ok {
			missing = append(missing, fmt.Sprintf("%s (auch: %s)", c.Name, strings.Join(c.Aliases, ", ")))
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("Spalte fehlt: %s; gefunden: %s", strings.Join(missing, "; "), strings.Join(r.header, ", "))
	}
	return idx, unknown, nil
}

// looseMatch matches a header that starts or ends with an alias of at
// least five letters ("Branche (WZ 2008)", "Beschäftigte (Anzahl)"); the
// longest such alias wins. Short aliases (PLZ, Ort) only match exactly,
// so that "Ortsteil" is not taken for "Ort".
func looseMatch(folded string, byAlias map[string]string) (string, bool) {
	best, name := "", ""
	for alias, n := range byAlias {
		if len(alias) >= 5 && len(alias) > len(best) && (strings.HasPrefix(folded, alias) || strings.HasSuffix(folded, alias)) {
			best, name = alias, n
		}
	}
	return name, best != ""
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// ParseNumber reads a number as people write it in Germany and elsewhere:
// "12", "12,5", "1.250", "1.250,75", "1 250", "12.5", "1,250.75".
// A dot followed by exactly three digits (and no comma) is a thousands
// separator; a comma is the decimal separator unless a dot follows it.
func ParseNumber(s string) (float64, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "'", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, errors.New("leer")
	}
	comma, dot := strings.LastIndex(s, ","), strings.LastIndex(s, ".")
	switch {
	case comma >= 0 && dot > comma: // 1,250.75
		s = strings.ReplaceAll(s, ",", "")
	case comma >= 0: // 1.250,75 or 12,5
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case dot >= 0 && thousandsOnly(s):
		s = strings.ReplaceAll(s, ".", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, errors.New("keine Zahl")
	}
	return f, nil
}

// thousandsOnly reports whether every dot in s is followed by exactly
// three digits: "1.250", "1.250.000".
func thousandsOnly(s string) bool {
	parts := strings.Split(s, ".")
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}
