package importers

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers/csvin"
)

// ContactColumns are the columns of a contacts CSV. A contact is a desk
// or role of an organization of the network (Organisation: its id or
// name); PLZ/Ort or AGS make it responsible for that municipality.
var ContactColumns = []csvin.Column{
	{Name: "Name", Aliases: []string{"Ansprechpartner", "Ansprechstelle", "Kontakt", "Bezeichnung", "Contact"}, Required: true},
	{Name: "Organisation", Aliases: []string{"Organization", "Behörde", "Institution", "Einrichtung", "Dienststelle"}, Required: true},
	{Name: "Rolle", Aliases: []string{"Funktion", "Position", "Aufgabe", "Role"}},
	{Name: "E-Mail", Aliases: []string{"Email", "Mail", "E-Mail-Adresse", "EMail Adresse"}},
	{Name: "Telefon", Aliases: []string{"Tel", "Tel.", "Telefonnummer", "Phone", "Rufnummer"}},
	{Name: "Erreichbarkeit", Aliases: []string{"Sprechzeiten", "Erreichbar", "Availability", "Öffnungszeiten"}},
	{Name: "PLZ", Aliases: []string{"Postleitzahl", "Postcode", "Zip"}},
	{Name: "Ort", Aliases: []string{"Stadt", "Gemeinde", "Town", "City"}},
	{Name: "AGS", Aliases: []string{"Gemeindeschlüssel", "Amtlicher Gemeindeschlüssel"}},
	{Name: "Zielgruppe", Aliases: []string{"Zielgruppen", "Audience", "Für"}},
	{Name: "Themen", Aliases: []string{"Thema", "Topics", "Schwerpunkte"}},
}

var audienceWords = map[string]cyberlotse.Audience{
	"unternehmen": cyberlotse.AudienceCompany, "company": cyberlotse.AudienceCompany, "kmu": cyberlotse.AudienceCompany, "wirtschaft": cyberlotse.AudienceCompany,
	"kommunen": cyberlotse.AudienceMunicipality, "kommune": cyberlotse.AudienceMunicipality, "municipality": cyberlotse.AudienceMunicipality, "verwaltung": cyberlotse.AudienceMunicipality,
	"buerger": cyberlotse.AudienceCitizen, "buergerinnen": cyberlotse.AudienceCitizen, "citizen": cyberlotse.AudienceCitizen,
}

// ImportContacts reads a contacts CSV and upserts its rows.
func (im *Importer) ImportContacts(ctx context.Context, data []byte, opt Options) (*Result, error) {
	start := time.Now()
	res := &Result{Kind: "Kontakte", DryRun: opt.DryRun}
	r, cols, notes, err := openCSV(data, ContactColumns)
	if err != nil {
		return nil, err
	}
	res.Notes = notes
	orgs := map[string]string{}
	for _, o := range im.Organizations {
		orgs[o.ID] = o.ID
		orgs[cyberlotse.FoldName(o.Name)] = o.ID
		if o.ShortName != "" {
			orgs[cyberlotse.FoldName(o.ShortName)] = o.ID
		}
	}
	topics := map[string]string{}
	for _, t := range im.Topics {
		topics[t.ID] = t.ID
		topics[cyberlotse.FoldName(t.Name)] = t.ID
	}
	source := im.source(opt)
	seen := map[string]int{}
	var items []item[*cyberlotse.ContactRecord]
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var re *csvin.RecordError
		if errors.As(err, &re) {
			res.Rows++
			res.Report.Reject(re.Line, "", "", "", re.Reason)
			continue
		}
		if err != nil {
			return nil, err
		}
		if rec.Blank() {
			continue
		}
		res.Rows++
		get := func(name string) string {
			if i, ok := cols[name]; ok {
				return rec.Fields[i]
			}
			return ""
		}
		c := &cyberlotse.ContactRecord{Name: get("Name"), Role: get("Rolle"), Phone: get("Telefon"),
			Availability: get("Erreichbarkeit"), Provenance: cyberlotse.Provenance{Source: source}}
		ok := true
		if c.Name == "" {
			res.Report.Reject(rec.Line, "", "Name", "", "Name der Ansprechstelle fehlt")
			ok = false
		}
		org := get("Organisation")
		if id, found := orgs[org]; found {
			c.OrganizationID = id
		} else if id, found := orgs[cyberlotse.FoldName(org)]; found && org != "" {
			c.OrganizationID = id
		} else {
			reason := "Organisation fehlt"
			if org != "" {
				reason = fmt.Sprintf("Organisation „%s“ ist nicht bekannt (id oder Name einer Organisation des Netzwerks angeben)", org)
			}
			res.Report.Reject(rec.Line, "", "Organisation", org, reason)
			ok = false
		}
		if v := get("E-Mail"); v != "" {
			if e, err := cyberlotse.ParseEmail(v); err != nil {
				res.Report.Reject(rec.Line, "", "E-Mail", v, "keine gültige E-Mail-Adresse")
				ok = false
			} else {
				c.Email = string(e)
			}
		}
		if v := get("AGS"); v != "" {
			if a, err := cyberlotse.ParseAGS(v); err != nil || !im.knownAGS(a) {
				res.Report.Reject(rec.Line, "", "AGS", v, "kein Gemeindeschlüssel einer Gemeinde in NRW")
				ok = false
			} else {
				c.AGS = a
			}
		} else if get("PLZ") != "" || get("Ort") != "" {
			m, _, perr := im.Places.Place(get("PLZ"), get("Ort"), false)
			if perr != nil {
				res.Report.Reject(rec.Line, "", perr.Field, perr.Value, perr.Reason)
				ok = false
			} else {
				c.AGS = m.AGS
			}
		}
		for _, w := range splitList(get("Zielgruppe")) {
			if a, found := audienceWords[cyberlotse.FoldName(w)]; found {
				c.Audiences = append(c.Audiences, a)
			} else if a := cyberlotse.Audience(strings.ToUpper(w)); a == cyberlotse.AudienceCompany || a == cyberlotse.AudienceMunicipality || a == cyberlotse.AudienceCitizen {
				c.Audiences = append(c.Audiences, a)
			} else {
				res.Report.Hint(rec.Line, "", "Zielgruppe", w, "unbekannte Zielgruppe (Unternehmen, Kommunen, Bürger) – nicht übernommen")
			}
		}
		for _, w := range splitList(get("Themen")) {
			if id, found := topics[w]; found {
				c.TopicIDs = append(c.TopicIDs, id)
			} else if id, found := topics[cyberlotse.FoldName(w)]; found {
				c.TopicIDs = append(c.TopicIDs, id)
			} else {
				res.Report.Hint(rec.Line, "", "Themen", w, "unbekanntes Thema – nicht übernommen")
			}
		}
		if !ok {
			continue
		}
		c.Key = cyberlotse.ContactKey(c.Email, c.Name, c.OrganizationID)
		c.ID = "kontakt-" + cyberlotse.StableID(c.Name, c.Key)
		if first, dup := seen[c.Key]; dup {
			res.Report.Reject(rec.Line, "", "Name", c.Name, fmt.Sprintf("doppelt: derselbe Kontakt wie in Zeile %d (Schlüssel %s)", first, c.Key))
			continue
		}
		seen[c.Key] = rec.Line
		items = append(items, item[*cyberlotse.ContactRecord]{line: rec.Line, key: c.Key, rec: c})
	}
	err = writeBatches(ctx, im, sendAll(items, im.batchSize()), res, func(ctx context.Context, recs []*cyberlotse.ContactRecord) (*cyberlotse.ImportResult, error) {
		return im.Store.ImportContacts(ctx, recs, opt.DryRun)
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

func (im *Importer) knownAGS(a cyberlotse.AGS) bool {
	for _, m := range im.Places.Municipalities() {
		if m.AGS == a {
			return true
		}
	}
	return false
}

// splitList splits "a, b; c | d" into its items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '\n' }) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
