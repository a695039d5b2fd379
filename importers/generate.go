package importers

import (
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var (
	genSurnames = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
		"Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
		"Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Köhler", "Jüngst"}
	genTrades = []string{"Metallbau", "Werkzeugbau", "Elektrotechnik", "Sanitär", "Steuerberatung", "IT-Service",
		"Bäckerei", "Spedition", "Dachdeckerei", "Zahntechnik", "Druckerei", "Maschinenbau", "Ingenieurbüro",
		"Autohaus", "Gartenbau", "Tischlerei", "Kunststofftechnik", "Logistik", "Pflegedienst", "Reisebüro"}
	genForms = []string{"GmbH", "GmbH & Co. KG", "e.K.", "KG", "OHG", "AG", "UG (haftungsbeschränkt)", "GbR"}
	genWZ    = []string{"25.62", "43.21", "62.01", "47.11", "56.10", "69.20", "71.12", "45.20", "86.21", "41.20",
		"10.71", "28.41", "49.41", "18.12", "22.29", "81.30", "88.10", "79.11", "16.23", "33.12"}
)

// GenerateCompanies writes n invented companies as a semicolon-separated
// UTF-8 CSV in the shape of a chamber's export (Firma; WZ; Beschäftigte;
// PLZ; Ort), placed at real postcodes of the municipalities. The output
// depends only on n, seed, the municipalities and prefix, which starts
// every name (tests and benchmarks use a unique one to keep their rows
// apart). Every name is unique, so every row is a company of its own.
func GenerateCompanies(w io.Writer, n int, seed uint64, munis []*cyberlotse.Municipality, prefix string) error {
	var places []*cyberlotse.Municipality
	for _, m := range munis {
		if len(m.Postcodes) > 0 {
			places = append(places, m)
		}
	}
	if len(places) == 0 {
		return fmt.Errorf("GenerateCompanies: no municipality with postcodes")
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write([]string{"Firma", "WZ", "Beschäftigte", "PLZ", "Ort"}); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		m := places[rng.IntN(len(places))]
		pc := m.Postcodes[rng.IntN(len(m.Postcodes))]
		name := fmt.Sprintf("%s %s %s %d %s", prefix, genSurnames[rng.IntN(len(genSurnames))],
			genTrades[rng.IntN(len(genTrades))], i+1, genForms[rng.IntN(len(genForms))])
		var employees int
		switch p := rng.IntN(100); {
		case p < 70:
			employees = 1 + rng.IntN(9)
		case p < 90:
			employees = 10 + rng.IntN(40)
		case p < 98:
			employees = 50 + rng.IntN(200)
		default:
			employees = 250 + rng.IntN(1750)
		}
		emp := strconv.Itoa(employees)
		if employees >= 1000 { // as spreadsheets write it in Germany
			emp = strconv.Itoa(employees/1000) + "." + fmt.Sprintf("%03d", employees%1000)
		}
		if err := cw.Write([]string{strings.TrimSpace(name), genWZ[rng.IntN(len(genWZ))], emp, string(pc), m.Name}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
