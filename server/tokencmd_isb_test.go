package main

import (
	"os"
	"strings"
	"testing"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// `server token --role MUNICIPAL_ISB` needs --ags, checks each key, and
// the token carries the municipalities.
func TestTokenCommandMunicipalISB(t *testing.T) {
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.VarDir = t.TempDir()
	m := NewMain(cfg)
	m.Logger = quiet
	t.Cleanup(func() { m.Close() })
	for _, args := range [][]string{{"--role", "MUNICIPAL_ISB"}, {"--role", "MUNICIPAL_ISB", "--ags", "05766036,123"}} {
		if err := tokenCommand(m, args); err == nil || !strings.Contains(err.Error(), "ags") {
			t.Errorf("%v: %v", args, err)
		}
	}
	stdout := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = w
	err = tokenCommand(m, []string{"--role", "municipal_isb", "--ags", "05766036, 05762004"})
	os.Stdout = stdout
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 4096)
	n, _ := r.Read(out)
	id, err := m.Auth.Authenticate(strings.TrimSpace(string(out[:n])))
	if err != nil || !id.Has(cyberlotse.RoleMunicipalISB) || len(id.AGS) != 2 || id.AGS[0] != "05766036" || id.AGS[1] != "05762004" {
		t.Errorf("token %q: %+v, %v", out[:n], id, err)
	}
}
