// Package seeds holds Cyberlotse's reference data — the NRW geography, the
// police responsibility, the actors of the network, the measure catalogue
// and events — as embedded files, and turns them into a cyberlotse.Network.
// README.md in this folder names the source of every file and fact.
package seeds

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strconv"
	"time"

	"github.com/goccy/go-yaml"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

//go:embed data/*.csv data/*.geojson *.yaml
var files embed.FS

// Load reads and validates the embedded seed files.
func Load() (*cyberlotse.Network, error) { return LoadFS(files) }

// LoadFS reads seed files from fsys (laid out like this folder).
func LoadFS(fsys fs.FS) (*cyberlotse.Network, error) {
	n := &cyberlotse.Network{RegionMembers: map[string][]cyberlotse.AGS{}}
	steps := []struct {
		file string
		load func(fs.FS, *cyberlotse.Network) error
	}{
		{"data/nrw_districts.geojson", loadDistricts},
		{"data/nrw_municipalities.csv", loadMunicipalities},
		{"data/nrw_postcodes.csv", loadPostcodes},
		{"topics.yaml", loadTopics},
		{"organizations.yaml", loadOrganizations},
		{"police.yaml", loadPolice},
		{"contacts.yaml", loadContacts},
		{"regions.yaml", loadRegions},
		{"measures.yaml", loadMeasures},
		{"offers.yaml", loadOffers},
		{"events.yaml", loadEvents},
	}
	for _, s := range steps {
		if err := s.load(fsys, n); err != nil {
			return nil, fmt.Errorf("seeds/%s: %w", s.file, err)
		}
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	return n, nil
}

var berlin = mustLoad("Europe/Berlin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func readYAML(fsys fs.FS, name string, v any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	return yaml.UnmarshalWithOptions(b, v, yaml.Strict())
}

// readCSV returns the rows of a CSV file as maps from header to value.
func readCSV(fsys fs.FS, name string) ([]map[string]string, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(b))
	header, err := r.Read()
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		m := make(map[string]string, len(header))
		for i, h := range header {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
}

var districtKinds = map[string]cyberlotse.DistrictKind{
	"kreisfreie Stadt": cyberlotse.KreisfreieStadt,
	"Kreis":            cyberlotse.Kreis,
	"Städteregion":     cyberlotse.Staedteregion,
}

func loadDistricts(fsys fs.FS, n *cyberlotse.Network) error {
	b, err := fs.ReadFile(fsys, "data/nrw_districts.geojson")
	if err != nil {
		return err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Key          string  `json:"district_key"`
				Name         string  `json:"district"`
				Type         string  `json:"district_type"`
				OfficialName string  `json:"official_name"`
				Seat         string  `json:"seat"`
				GovRegion    string  `json:"gov_region"`
				Population   int     `json:"population"`
				AreaKm2      float64 `json:"area_km2"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil {
		return err
	}
	govs := map[string]bool{}
	for _, f := range fc.Features {
		p := f.Properties
		key, err := cyberlotse.ParseDistrictKey(p.Key)
		if err != nil {
			return fmt.Errorf("district %q: %w", p.Key, err)
		}
		kind, ok := districtKinds[p.Type]
		if !ok {
			return fmt.Errorf("district %s: unknown district_type %q", p.Key, p.Type)
		}
		n.Districts = append(n.Districts, &cyberlotse.District{Key: key, Name: p.Name, Kind: kind,
			OfficialName: p.OfficialName, Seat: p.Seat, GovRegionKey: p.GovRegion,
			Population: p.Population, AreaKm2: p.AreaKm2})
		if !govs[p.GovRegion] {
			govs[p.GovRegion] = true
			n.GovRegions = append(n.GovRegions, &cyberlotse.GovRegion{Key: p.GovRegion, Name: "Regierungsbezirk " + p.GovRegion})
		}
	}
	sort.Slice(n.GovRegions, func(i, j int) bool { return n.GovRegions[i].Key < n.GovRegions[j].Key })
	return nil
}

func loadMunicipalities(fsys fs.FS, n *cyberlotse.Network) error {
	rows, err := readCSV(fsys, "data/nrw_municipalities.csv")
	if err != nil {
		return err
	}
	for i, r := range rows {
		ags, err := cyberlotse.ParseAGS(r["ags"])
		if err != nil {
			return fmt.Errorf("line %d: %w", i+2, err)
		}
		lat, err1 := strconv.ParseFloat(r["lat"], 64)
		lon, err2 := strconv.ParseFloat(r["lon"], 64)
		pop, err3 := strconv.Atoi(r["population"])
		area, err4 := strconv.ParseFloat(r["area_km2"], 64)
		if err := firstErr(err1, err2, err3, err4); err != nil {
			return fmt.Errorf("line %d: %w", i+2, err)
		}
		n.Municipalities = append(n.Municipalities, &cyberlotse.Municipality{
			AGS: ags, Name: r["name"], DistrictKey: cyberlotse.DistrictKey(r["district_key"]),
			Location: cyberlotse.Point{Lat: lat, Lon: lon}, Population: pop, AreaKm2: area})
	}
	return nil
}

func loadPostcodes(fsys fs.FS, n *cyberlotse.Network) error {
	rows, err := readCSV(fsys, "data/nrw_postcodes.csv")
	if err != nil {
		return err
	}
	byAGS := municipalityIndex(n)
	for i, r := range rows {
		pc, err := cyberlotse.ParsePostcode(r["plz"])
		if err != nil {
			return fmt.Errorf("line %d: %w", i+2, err)
		}
		m, ok := byAGS[cyberlotse.AGS(r["ags"])]
		if !ok {
			return fmt.Errorf("line %d: unknown AGS %q", i+2, r["ags"])
		}
		m.Postcodes = append(m.Postcodes, pc)
	}
	return nil
}

func municipalityIndex(n *cyberlotse.Network) map[cyberlotse.AGS]*cyberlotse.Municipality {
	out := make(map[cyberlotse.AGS]*cyberlotse.Municipality, len(n.Municipalities))
	for _, m := range n.Municipalities {
		out[m.AGS] = m
	}
	return out
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
