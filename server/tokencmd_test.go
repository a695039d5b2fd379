package main

import (
	"os"
	"testing"
)

// `server token` opens the services without a database: nothing may reach
// for one (the search vocabulary's follower did, and the command panicked
// in the background). Close waits for what was started.
func TestTokenCommandWithoutDatabase(t *testing.T) {
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	cfg.VarDir = t.TempDir()
	m := NewMain(cfg)
	m.Logger = quiet
	stdout := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = w
	err = tokenCommand(m, []string{"--role", "REGIONAL_MANAGER", "--region", "kalletal", "--ttl", "1h"})
	os.Stdout = stdout
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 4096)
	n, _ := r.Read(out)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	id, err := m.Auth.Authenticate(string(out[:n-1]))
	if err != nil || id.Subject != "REGIONAL_MANAGER" || len(id.RegionIDs) != 1 || id.RegionIDs[0] != "kalletal" {
		t.Errorf("token %q: %+v, %v", out[:n], id, err)
	}
}
