package importers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers/csvin"
)

// CompanyColumns are the columns of a companies CSV and the header names
// accepted for them (matched case- and umlaut-insensitively, ignoring
// spaces and punctuation).
var CompanyColumns = []csvin.Column{
	{Name: "Firma", Aliases: []string{"Unternehmen", "Name", "Firmenname", "Unternehmensname", "Firmierung", "Company"}, Required: true},
	{Name: "Handelsregister", Aliases: []string{"HRB", "HRA", "Registernummer", "Handelsregisternummer", "HR-Nummer", "Register-Nr.", "Register", "Register Number"}},
	{Name: "Registergericht", Aliases: []string{"Amtsgericht", "Gericht", "Court"}},
	{Name: "WZ", Aliases: []string{"Branche", "WZ2008", "WZ 2008", "WZ-Code", "Wirtschaftszweig", "Sector", "NACE"}},
	{Name: "Beschäftigte", Aliases: []string{"Mitarbeiter", "Mitarbeitende", "Employees", "Mitarbeiterzahl", "Anzahl Mitarbeiter", "Beschäftigtenzahl"}},
	{Name: "PLZ", Aliases: []string{"Postleitzahl", "Postcode", "Zip", "ZIP Code"}, Required: true},
	{Name: "Ort", Aliases: []string{"Stadt", "Gemeinde", "Town", "City", "Ortsname"}},
}

// ImportCompanies reads a companies CSV and upserts its rows. One
// goroutine parses and places the rows while the caller's goroutine
// writes batches.
func (im *Importer) ImportCompanies(ctx context.Context, data []byte, opt Options) (*Result, error) {
	start := time.Now()
	res := &Result{Kind: "Unternehmen", DryRun: opt.DryRun}
	r, cols, notes, err := openCSV(data, CompanyColumns)
	if err != nil {
		return nil, err
	}
	res.Notes = notes
	source := im.source(opt)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch[*cyberlotse.CompanyRecord], 2)
	var parsed Report
	var parseErr error
	rows := 0
	go func() {
		defer close(batches)
		seen := map[string]int{}
		size := im.batchSize()
		var cur []item[*cyberlotse.CompanyRecord]
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			var re *csvin.RecordError
			if errors.As(err, &re) {
				rows++
				parsed.Reject(re.Line, "", "", "", re.Reason)
				continue
			}
			if err != nil {
				parseErr = err
				return
			}
			if rec.Blank() {
				continue
			}
			rows++
			c := im.companyRow(rec, cols, &parsed)
			if c == nil {
				continue
			}
			if first, dup := seen[c.Key]; dup {
				parsed.Reject(rec.Line, "", "Firma", c.Name, fmt.Sprintf("doppelt: dasselbe Unternehmen wie in Zeile %d (Schlüssel %s)", first, c.Key))
				continue
			}
			seen[c.Key] = rec.Line
			c.Provenance = cyberlotse.Provenance{Sample: false, Source: source}
			cur = append(cur, item[*cyberlotse.CompanyRecord]{line: rec.Line, key: c.Key, rec: c})
			if len(cur) == size {
				select {
				case batches <- batch[*cyberlotse.CompanyRecord]{items: cur, frac: float64(rec.Offset) / float64(r.Size())}:
				case <-ctx.Done():
					return
				}
				cur = nil
			}
		}
		if len(cur) > 0 {
			select {
			case batches <- batch[*cyberlotse.CompanyRecord]{items: cur, frac: 1}:
			case <-ctx.Done():
			}
		}
	}()
	err = writeBatches(ctx, im, batches, res, func(ctx context.Context, recs []*cyberlotse.CompanyRecord) (*cyberlotse.ImportResult, error) {
		return im.Store.ImportCompanies(ctx, recs, opt.DryRun)
	})
	if err != nil {
		return nil, err
	}
	if parseErr != nil {
		return nil, parseErr
	}
	res.Rows = rows
	res.Report.Problems = append(parsed.Problems, res.Report.Problems...)
	res.Duration = time.Since(start)
	return res, nil
}

// openCSV reads the header of a CSV input, matches its columns and
// describes the input (encoding, separator, unused columns) for the terminal.
func openCSV(data []byte, known []csvin.Column) (*csvin.Reader, map[string]int, []string, error) {
	r, err := csvin.NewReader(data)
	if err != nil {
		return nil, nil, nil, err
	}
	cols, unknown, err := r.Columns(known)
	if err != nil {
		return nil, nil, nil, err
	}
	return r, cols, inputNotes(r, unknown), nil
}

func inputNotes(r *csvin.Reader, unknown []string) []string {
	sep := map[rune]string{';': "Semikolon", ',': "Komma", '\t': "Tabulator"}[r.Separator()]
	notes := []string{fmt.Sprintf("Eingabe: %s, Trennzeichen %s, Spalten: %s", r.Encoding(), sep, strings.Join(r.Header(), ", "))}
	if len(unknown) > 0 {
		notes = append(notes, "Nicht verwendete Spalten: "+strings.Join(unknown, ", "))
	}
	return notes
}

// companyRow validates and places one row; nil when it is rejected.
func (im *Importer) companyRow(rec csvin.Record, cols map[string]int, rep *Report) *cyberlotse.CompanyRecord {
	get := func(name string) string {
		if i, ok := cols[name]; ok {
			return rec.Fields[i]
		}
		return ""
	}
	c := &cyberlotse.CompanyRecord{Name: strings.Join(strings.Fields(get("Firma")), " ")}
	ok := true
	if c.Name == "" {
		rep.Reject(rec.Line, "", "Firma", "", "Name des Unternehmens fehlt")
		ok = false
	}
	m, pc, perr := im.Places.Place(get("PLZ"), get("Ort"), true)
	if perr != nil {
		rep.Reject(rec.Line, "", perr.Field, perr.Value, perr.Reason)
		ok = false
	}
	if !ok {
		return nil
	}
	c.AGS, c.Postcode = m.AGS, pc
	if v := get("Handelsregister"); v != "" {
		number, court, err := cyberlotse.ParseRegisterNumber(v)
		if err != nil {
			rep.Hint(rec.Line, "", "Handelsregister", v, "Registernummer nicht erkannt (z. B. „HRB 12345“) – Schlüssel aus Name und PLZ")
		} else {
			c.RegisterNumber, c.RegisterCourt = number, court
			if g := strings.TrimSpace(get("Registergericht")); g != "" {
				c.RegisterCourt = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(g, "Amtsgericht "), "AG "))
			}
		}
	}
	if v := get("WZ"); v != "" {
		if code, err := cyberlotse.ParseWZ(v); err == nil {
			c.Sector = code
		} else {
			rep.Hint(rec.Line, "", "WZ", v, "kein Code der WZ 2008 (z. B. 62.01) – Branche nicht übernommen")
		}
	}
	if v := get("Beschäftigte"); v != "" {
		f, err := csvin.ParseNumber(v)
		switch {
		case err != nil:
			rep.Hint(rec.Line, "", "Beschäftigte", v, "keine Zahl – Beschäftigtenzahl nicht übernommen")
		case f < 0 || f > 1e6:
			rep.Hint(rec.Line, "", "Beschäftigte", v, "unplausible Zahl – Beschäftigtenzahl nicht übernommen")
		default:
			n := int(math.Round(f))
			c.Employees = &n
		}
	}
	c.Key = cyberlotse.CompanyKey(c.RegisterNumber, c.RegisterCourt, c.Name, c.Postcode)
	c.ID = cyberlotse.StableID(c.Name, c.Key)
	return c
}
