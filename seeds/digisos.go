package seeds

import (
	"errors"
	"fmt"
	"io/fs"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// DigiSOS reads the Digi-SOS framework (steps of the call-off, providers)
// from digisos.yaml.
func DigiSOS() (*cyberlotse.DigiSOSFramework, error) { return DigiSOSFS(files) }

// DigiSOSFS reads digisos.yaml from fsys; every step and provider needs
// its source.
func DigiSOSFS(fsys fs.FS) (*cyberlotse.DigiSOSFramework, error) {
	var doc struct {
		Offer   string `yaml:"offer"`
		CallOff string `yaml:"callOff"`
		Steps   []struct {
			Title  string `yaml:"title"`
			Text   string `yaml:"text"`
			Sample bool   `yaml:"sample"`
			Source string `yaml:"source"`
		} `yaml:"steps"`
		Providers []struct {
			Name   string `yaml:"name"`
			Source string `yaml:"source"`
		} `yaml:"providers"`
	}
	if err := readYAML(fsys, "digisos.yaml", &doc); err != nil {
		return nil, fmt.Errorf("seeds/digisos.yaml: %w", err)
	}
	f := &cyberlotse.DigiSOSFramework{OfferID: doc.Offer, CallOff: doc.CallOff}
	for _, s := range doc.Steps {
		if s.Title == "" || s.Text == "" || s.Source == "" {
			return nil, fmt.Errorf("seeds/digisos.yaml: step %q needs title, text and source", s.Title)
		}
		f.Steps = append(f.Steps, cyberlotse.DigiSOSStep{Title: s.Title, Text: s.Text, Source: s.Source, IsSample: s.Sample})
	}
	for _, p := range doc.Providers {
		if p.Name == "" || p.Source == "" {
			return nil, fmt.Errorf("seeds/digisos.yaml: provider %q needs name and source", p.Name)
		}
		f.Providers = append(f.Providers, cyberlotse.DigiSOSProvider{Name: p.Name, Source: p.Source})
	}
	if f.OfferID == "" || f.CallOff == "" || len(f.Steps) == 0 || len(f.Providers) == 0 {
		return nil, errors.New("seeds/digisos.yaml: offer, callOff, steps and providers are required")
	}
	return f, nil
}
