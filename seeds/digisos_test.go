package seeds

import "testing"

func TestDigiSOS(t *testing.T) {
	f, err := DigiSOS()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range f.Providers {
		names = append(names, p.Name)
	}
	if got := len(f.Providers); got != 4 || names[0] != "Telekom" || names[3] != "Ernst & Young GmbH (EY)" {
		t.Errorf("providers: %v", names)
	}
	if f.OfferID != "digi-sos" || len(f.Steps) != 7 || f.Steps[0].IsSample || !f.Steps[3].IsSample {
		t.Errorf("framework: offer %q, %d steps, %+v", f.OfferID, len(f.Steps), f.Steps)
	}
}
