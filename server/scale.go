package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/seeds"
)

// Scale data for benchmarks (`server seed --scale N`): N companies spread
// over the 396 municipalities by population, N/5 events over two years,
// N/50 contacts, 2N registrations and rollouts for 20 regions, all
// invented, marked sample and deterministic from the seed value. Loaded
// once: a marker records the parameters.

// WZ 2008 sections with rough shares of German companies.
var sectors = []struct {
	code   string
	name   string
	weight int
}{
	{"47", "Einzelhandel", 14}, {"43", "Bauinstallation", 12}, {"46", "Großhandel", 8}, {"56", "Gastronomie", 8},
	{"62", "IT-Dienstleistungen", 5}, {"69", "Rechts- und Steuerberatung", 7}, {"25", "Metallerzeugnisse", 4},
	{"86", "Gesundheitswesen", 8}, {"45", "Kfz-Handel und -Reparatur", 5}, {"71", "Ingenieurbüros", 6},
	{"49", "Landverkehr", 4}, {"96", "Sonstige Dienstleistungen", 10}, {"28", "Maschinenbau", 3}, {"68", "Grundstückswesen", 6},
}

// Employees by EU size class: most companies are micro enterprises.
func employees(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.89:
		return 1 + r.IntN(9)
	case x < 0.98:
		return 10 + r.IntN(40)
	case x < 0.997:
		return 50 + r.IntN(200)
	default:
		return 250 + r.IntN(2000)
	}
}

func seedScale(ctx context.Context, m *Main, n int, seed uint64) error {
	params := fmt.Sprintf("n=%d seed=%d v=1", n, seed)
	if have, err := m.DB.ScaleMarker(ctx); err != nil {
		return err
	} else if have == params {
		m.Logger.Info("scale data already loaded", "params", params)
		return nil
	} else if have != "" {
		return fmt.Errorf("other scale data is loaded (%s); use a fresh database (NEO4J_LOCAL_HOME) for %s", have, params)
	}
	net, err := seeds.Load()
	if err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	w := &store.ScaleWriter{DB: m.DB}
	munis := net.Municipalities
	cum := make([]int, len(munis))
	total := 0
	for i, mu := range munis {
		total += mu.Population
		cum[i] = total
	}
	byPopulation := func() *cyberlotse.Municipality {
		x := r.IntN(total)
		return munis[sort.SearchInts(cum, x+1)]
	}
	sectorTotal := 0
	for _, s := range sectors {
		sectorTotal += s.weight
	}
	sector := func() (string, string) {
		x := r.IntN(sectorTotal)
		for _, s := range sectors {
			if x < s.weight {
				return s.code, s.name
			}
			x -= s.weight
		}
		return sectors[0].code, sectors[0].name
	}
	var orgs []string
	for _, o := range net.Organizations {
		orgs = append(orgs, o.ID)
	}
	var measures, topics []string
	for _, x := range net.Measures {
		measures = append(measures, x.Code)
	}
	for _, t := range net.Topics {
		topics = append(topics, t.ID)
	}

	// Regions: 9 invented model regions, each with one satellite (20 with the real two).
	var regionRows, rolloutRows []map[string]any
	var regionIDs []string
	for i := range 9 {
		model := fmt.Sprintf("beispielregion-%02d", i+1)
		members := []string{string(byPopulation().AGS), string(byPopulation().AGS)}
		regionRows = append(regionRows, map[string]any{"id": model, "name": fmt.Sprintf("Beispiel-Modellregion %d", i+1),
			"kind": "MODEL_REGION", "manager": orgs[r.IntN(len(orgs))], "members": members, "satelliteOf": nil})
		sat := model + "-satellit"
		regionRows = append(regionRows, map[string]any{"id": sat, "name": fmt.Sprintf("Beispiel-Satellit %d", i+1),
			"kind": "SATELLITE", "manager": orgs[r.IntN(len(orgs))], "members": []string{string(byPopulation().AGS)}, "satelliteOf": model})
		regionIDs = append(regionIDs, model, sat)
	}
	statuses := []string{"NOT_STARTED", "PLANNED", "IN_PROGRESS", "LIVE", "EVALUATED", "PAUSED"}
	for _, id := range regionIDs {
		for _, code := range measures {
			rolloutRows = append(rolloutRows, map[string]any{"region": id, "code": code,
				"status": statuses[r.IntN(len(statuses))], "progress": r.IntN(101)})
		}
	}

	companyIDs := make([]string, n)
	now := m.Now()
	steps := []struct {
		kind  string
		count int
		row   func(i int) map[string]any
	}{
		{"regions", len(regionRows), func(i int) map[string]any { return regionRows[i] }},
		{"rollouts", len(rolloutRows), func(i int) map[string]any { return rolloutRows[i] }},
		{"companies", n, func(i int) map[string]any {
			code, name := sector()
			e := employees(r)
			companyIDs[i] = fmt.Sprintf("scale-company-%d", i)
			return map[string]any{"id": companyIDs[i], "name": fmt.Sprintf("Beispiel %s %d GmbH", name, i),
				"sector": code, "employees": e, "sizeClass": string(cyberlotse.SizeClassOf(e)), "ags": string(byPopulation().AGS)}
		}},
		{"contacts", n / 50, func(i int) map[string]any {
			return map[string]any{"id": fmt.Sprintf("scale-contact-%d", i), "name": fmt.Sprintf("Beispiel-Ansprechstelle %d", i),
				"role": "Beratung IT-Sicherheit", "org": orgs[r.IntN(len(orgs))], "district": string(byPopulation().DistrictKey)}
		}},
		{"events", n / 5, func(i int) map[string]any {
			start := now.AddDate(-1, 0, 0).Add(time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour)))).Truncate(time.Hour)
			formats := []string{"LUNCHTALK", "INFO_EVENING", "TABLETOP", "WORKSHOP"}
			row := map[string]any{"id": fmt.Sprintf("scale-event-%d", i), "title": fmt.Sprintf("Beispielveranstaltung %d: %s",
				i, net.Topics[r.IntN(len(net.Topics))].Name), "description": "Erfundene Veranstaltung für Lasttests.",
				"startsAt": start, "endsAt": start.Add(2 * time.Hour), "format": formats[r.IntN(len(formats))],
				"mode": "ONSITE", "venue": "Beispielort", "capacity": 20 + r.IntN(200), "org": orgs[r.IntN(len(orgs))],
				"measures": []string{measures[r.IntN(len(measures))]}, "topics": []string{topics[r.IntN(len(topics))], topics[r.IntN(len(topics))]},
				"regions": []string{}, "ags": string(byPopulation().AGS)}
			if r.IntN(10) < 4 {
				row["mode"], row["ags"], row["venue"], row["capacity"] = "ONLINE", nil, nil, 5000
			}
			if r.IntN(20) == 0 {
				row["regions"] = []string{regionIDs[r.IntN(len(regionIDs))]}
			}
			return row
		}},
		{"registrations", 2 * n, func(i int) map[string]any {
			person := r.IntN(n / 2)
			return map[string]any{"id": fmt.Sprintf("scale-registration-%d", i), "event": fmt.Sprintf("scale-event-%d", r.IntN(n/5)),
				"company": companyIDs[person%n], "email": fmt.Sprintf("person-%d@beispiel.invalid", person),
				"person": fmt.Sprintf("scale-person-%d", person), "name": fmt.Sprintf("Beispielperson %d", person),
				"at": now.AddDate(0, 0, -r.IntN(365)), "seq": i}
		}},
	}
	for _, st := range steps {
		start := time.Now()
		batch := make([]map[string]any, 0, 1000)
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			err := w.Write(ctx, st.kind, batch)
			batch = batch[:0]
			return err
		}
		for i := range st.count {
			batch = append(batch, st.row(i))
			if len(batch) == cap(batch) {
				if err := flush(); err != nil {
					return fmt.Errorf("scale %s: %w", st.kind, err)
				}
				fmt.Fprintf(os.Stderr, "\r%s: %d/%d", st.kind, i+1, st.count)
			}
		}
		if err := flush(); err != nil {
			return fmt.Errorf("scale %s: %w", st.kind, err)
		}
		took := time.Since(start)
		fmt.Fprintf(os.Stderr, "\r%s: %d in %v (%.0f rows/s)\n", st.kind, st.count, took.Round(time.Millisecond), float64(st.count)/took.Seconds())
	}
	return m.DB.SetScaleMarker(ctx, params)
}
