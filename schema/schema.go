// Package schema holds Cyberlotse's contracts: the GraphQL SDL (one
// *.graphqls file per domain) and the Neo4j migrations (neo4j/NNNN_name.cypher).
package schema

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.graphqls neo4j/*.cypher
var files embed.FS

// Migration is one Cypher migration file.
type Migration struct {
	Version    int
	Name       string
	Statements []string
	// Checksum is the SHA-256 of the file's bytes; an applied migration
	// whose file changed afterwards is an error, not a silent re-run.
	Checksum string
}

var migrationName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.cypher$`)

// Migrations returns the embedded migrations ordered by version.
func Migrations() ([]Migration, error) { return ParseMigrations(files, "neo4j") }

// ParseMigrations reads NNNN_name.cypher files from dir in fsys.
func ParseMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []Migration
	seen := map[int]string{}
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration %s: name must look like 0001_what_it_does.cypher", e.Name())
		}
		version, _ := strconv.Atoi(m[1])
		if prev, ok := seen[version]; ok {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, e.Name(), version)
		}
		seen[version] = e.Name()
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		stmts := SplitStatements(string(b))
		if len(stmts) == 0 {
			return nil, fmt.Errorf("migration %s has no statements", e.Name())
		}
		out = append(out, Migration{Version: version, Name: m[2], Statements: stmts, Checksum: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SplitStatements splits a migration into statements at semicolons that
// end a line, dropping // comment lines. Schema statements cannot share a
// transaction with each other in Neo4j, so each runs on its own.
func SplitStatements(src string) []string {
	var stmts []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "//") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(trimmed, ";") {
			stmts = append(stmts, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		stmts = append(stmts, s)
	}
	return stmts
}

// SDL returns the GraphQL schema files by name.
func SDL() (map[string]string, error) {
	names, err := fs.Glob(files, "*.graphqls")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(files, n)
		if err != nil {
			return nil, err
		}
		out[n] = string(b)
	}
	return out, nil
}
