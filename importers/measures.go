package importers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// measureYAML is one entry of a measures file, the shape of
// seeds/measures.yaml.
type measureYAML struct {
	Code     string   `yaml:"code"`
	Title    string   `yaml:"title"`
	Summary  string   `yaml:"summary"`
	Category string   `yaml:"category"`
	Topics   []string `yaml:"topics"`
	Sample   bool     `yaml:"sample"`
	Source   string   `yaml:"source"`
}

// ImportMeasures reads a measures YAML file (a top-level list "measures"
// of code, title, summary, category, topics, sample, source) and upserts
// the measures by code. Rejected entries are reported with the line of
// their "- code:" item.
func (im *Importer) ImportMeasures(ctx context.Context, data []byte, opt Options) (*Result, error) {
	start := time.Now()
	res := &Result{Kind: "Maßnahmen", DryRun: opt.DryRun}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, fmt.Errorf("kein gültiges YAML: %w", err)
	}
	seq, err := measuresSequence(file)
	if err != nil {
		return nil, err
	}
	topics := map[string]bool{}
	for _, t := range im.Topics {
		topics[t.ID] = true
	}
	source := im.source(opt)
	seen := map[string]int{}
	var items []item[*cyberlotse.Measure]
	for i, node := range seq.Values {
		line := node.GetToken().Position.Line
		if i < len(seq.Entries) && seq.Entries[i].Start != nil {
			line = seq.Entries[i].Start.Position.Line
		}
		res.Rows++
		var m measureYAML
		if err := yaml.NodeToValue(node, &m, yaml.DisallowUnknownField()); err != nil {
			res.Report.Reject(line, "", "", "", "Eintrag nicht lesbar: "+firstLine(err.Error()))
			continue
		}
		ok := true
		code, err := cyberlotse.ParseMeasureCode(strings.TrimSpace(m.Code))
		if err != nil {
			res.Report.Reject(line, m.Code, "code", m.Code, "Maßnahmen haben die Codes M01 bis M13")
			ok = false
		}
		if strings.TrimSpace(m.Title) == "" {
			res.Report.Reject(line, m.Code, "title", "", "Titel fehlt")
			ok = false
		}
		if strings.TrimSpace(m.Category) == "" {
			res.Report.Reject(line, m.Code, "category", "", "Kategorie fehlt")
			ok = false
		}
		for _, t := range m.Topics {
			if !topics[t] {
				res.Report.Reject(line, m.Code, "topics", t, fmt.Sprintf("Thema „%s“ ist nicht bekannt", t))
				ok = false
			}
		}
		if !ok {
			continue
		}
		if first, dup := seen[code]; dup {
			res.Report.Reject(line, code, "code", code, fmt.Sprintf("doppelt: %s steht schon in Zeile %d", code, first))
			continue
		}
		seen[code] = line
		src := strings.TrimSpace(m.Source)
		if src == "" {
			src = source
		}
		items = append(items, item[*cyberlotse.Measure]{line: line, key: code, rec: &cyberlotse.Measure{Code: code,
			Title: strings.TrimSpace(m.Title), Summary: strings.TrimSpace(m.Summary),
			Category: cyberlotse.MeasureCategory(strings.ToUpper(strings.TrimSpace(m.Category))), TopicIDs: m.Topics,
			Provenance: cyberlotse.Provenance{Sample: m.Sample, Source: src}}})
	}
	err = writeBatches(ctx, im, sendAll(items, im.batchSize()), res, func(ctx context.Context, recs []*cyberlotse.Measure) (*cyberlotse.ImportResult, error) {
		return im.Store.ImportMeasures(ctx, recs, opt.DryRun)
	})
	if err != nil {
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

// measuresSequence finds the list under the top-level key "measures".
func measuresSequence(file *ast.File) (*ast.SequenceNode, error) {
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil, fmt.Errorf("die Datei ist leer; erwartet wird eine Liste „measures:“")
	}
	var pairs []*ast.MappingValueNode
	switch body := file.Docs[0].Body.(type) {
	case *ast.MappingNode:
		pairs = body.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{body}
	}
	for _, p := range pairs {
		if p.Key.String() != "measures" {
			continue
		}
		if seq, ok := p.Value.(*ast.SequenceNode); ok {
			return seq, nil
		}
		return nil, fmt.Errorf("„measures“ ist keine Liste")
	}
	return nil, fmt.Errorf("erwartet wird eine Liste „measures:“ wie in seeds/measures.yaml")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
