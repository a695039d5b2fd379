package schema

import (
	"testing"
	"testing/fstest"
)

func TestSplitStatements(t *testing.T) {
	got := SplitStatements("// comment\nCREATE INDEX a IF NOT EXISTS\n  FOR (n:N) ON (n.a);\n\nCREATE INDEX b FOR (n:N) ON (n.b);\n")
	if len(got) != 2 || got[0] != "CREATE INDEX a IF NOT EXISTS\n  FOR (n:N) ON (n.a)" || got[1] != "CREATE INDEX b FOR (n:N) ON (n.b)" {
		t.Errorf("got %q", got)
	}
}

func TestParseMigrationsOrdersAndChecks(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_second.cypher": {Data: []byte("RETURN 2;")},
		"m/0001_first.cypher":  {Data: []byte("RETURN 1;")},
	}
	ms, err := ParseMigrations(fsys, "m")
	if err != nil || len(ms) != 2 || ms[0].Name != "first" || ms[1].Version != 2 || ms[0].Checksum == ms[1].Checksum {
		t.Fatalf("%+v %v", ms, err)
	}
	fsys["m/0002_again.cypher"] = &fstest.MapFile{Data: []byte("RETURN 3;")}
	if _, err := ParseMigrations(fsys, "m"); err == nil {
		t.Error("two migrations with one version accepted")
	}
	bad := fstest.MapFS{"m/first.cypher": {Data: []byte("RETURN 1;")}}
	if _, err := ParseMigrations(bad, "m"); err == nil {
		t.Error("badly named migration accepted")
	}
}

func TestEmbeddedMigrationsAndSDL(t *testing.T) {
	ms, err := Migrations()
	if err != nil || len(ms) < 2 || ms[0].Version != 1 {
		t.Fatalf("%v %v", ms, err)
	}
	sdl, err := SDL()
	if err != nil || sdl["events.graphqls"] == "" || sdl["relay.graphqls"] == "" {
		t.Fatalf("SDL files: %v", err)
	}
}
