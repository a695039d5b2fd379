package seeds

import (
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

func TestLoad(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if got := len(n.Municipalities); got != 396 {
		t.Errorf("municipalities = %d, want 396", got)
	}
	if got := len(n.Districts); got != 53 {
		t.Errorf("districts = %d, want 53", got)
	}
	if got := len(n.GovRegions); got != 5 {
		t.Errorf("gov regions = %d, want 5", got)
	}
	if got := len(n.Measures); got != 13 {
		t.Errorf("measures = %d, want 13", got)
	}
	police := 0
	for _, o := range n.Organizations {
		if o.Kind == cyberlotse.OrgPolice {
			police++
		}
	}
	if police != 47 {
		t.Errorf("police authorities = %d, want 47 Kreispolizeibehörden", police)
	}
	t.Logf("%d organizations, %d contacts, %d events, %d offers, %d topics, %d regions",
		len(n.Organizations), len(n.Contacts), len(n.Events), len(n.Offers), len(n.Topics), len(n.Regions))
}

// The three levels of police responsibility for the examples the DESIGN
// names, walked through the loaded data.
func TestPoliceResponsibility(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	orgs := map[string]*cyberlotse.Organization{}
	for _, o := range n.Organizations {
		orgs[o.ID] = o
	}
	muni := municipalityIndex(n)
	tests := []struct {
		ags              cyberlotse.AGS
		police, khst, hq string
	}{
		{"05766036", "lr-lippe", "pp-bielefeld", "pp-bielefeld"},       // Kalletal
		{"05124000", "pp-wuppertal", "pp-wuppertal", "pp-duesseldorf"}, // Wuppertal
		{"05120000", "pp-wuppertal", "pp-wuppertal", "pp-duesseldorf"}, // Remscheid
		{"05122000", "pp-wuppertal", "pp-wuppertal", "pp-duesseldorf"}, // Solingen
		{"05314000", "pp-bonn", "pp-bonn", "pp-koeln"},                 // Bonn
		{"05954036", "pp-bochum", "pp-bochum", "pp-dortmund"},          // Witten
		{"05978024", "pp-dortmund", "pp-dortmund", "pp-dortmund"},      // Lünen
	}
	for _, tt := range tests {
		m := muni[tt.ags]
		p := orgs[m.PoliceID]
		k := orgs[p.KriminalhauptstelleID]
		if m.PoliceID != tt.police || k.ID != tt.khst || k.CybercrimeHQID != tt.hq {
			t.Errorf("%s %s: police %s → KHSt %s → HQ %s, want %s → %s → %s",
				tt.ags, m.Name, m.PoliceID, k.ID, k.CybercrimeHQID, tt.police, tt.khst, tt.hq)
		}
	}
}

func TestKalletalEveningIsBerlinLocalTime(t *testing.T) {
	n, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range n.Events {
		if e.ID == "kalletal-infoabend-2025-09-04" {
			if got := e.StartsAt.Format(time.RFC3339); got != "2025-09-04T18:00:00+02:00" {
				t.Errorf("startsAt = %s", got)
			}
			if e.AGS != "05766036" || e.Sample {
				t.Errorf("ags = %s, sample = %v; want Kalletal, real", e.AGS, e.Sample)
			}
			return
		}
	}
	t.Fatal("Kalletal information evening missing")
}
