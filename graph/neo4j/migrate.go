package neo4j

import (
	"context"
	"fmt"

	"github.com/cyberlotse/cyberlotse/schema"
)

// MigrationStatus is one migration as recorded in the graph.
type MigrationStatus struct {
	Version  int
	Name     string
	Checksum string
}

// Migrate applies the migrations not yet recorded in the graph, in order,
// and records each with its checksum. A recorded migration whose checksum
// differs from the file is an error: applied migrations are never edited,
// a new one is added instead. It returns the names it applied.
func (db *DB) Migrate(ctx context.Context, migrations []schema.Migration) ([]string, error) {
	const op = "neo4j.Migrate"
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkApplied(migrations, applied); err != nil {
		return nil, err
	}
	var done []string
	for _, m := range migrations {
		if _, ok := applied[m.Version]; ok {
			continue
		}
		for i, stmt := range m.Statements {
			if _, err := db.write(ctx, op, stmt, nil); err != nil {
				return done, fmt.Errorf("%s: migration %04d_%s statement %d: %w", op, m.Version, m.Name, i+1, err)
			}
		}
		_, err := db.write(ctx, op, `
			MERGE (m:Migration {version: $version})
			ON CREATE SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()`,
			map[string]any{"version": m.Version, "name": m.Name, "checksum": m.Checksum})
		if err != nil {
			return done, err
		}
		done = append(done, fmt.Sprintf("%04d_%s", m.Version, m.Name))
	}
	if len(done) > 0 {
		// Indexes fill in the background; wait so that callers can rely on them.
		if _, err := db.write(ctx, op, "CALL db.awaitIndexes(300)", nil); err != nil {
			return done, err
		}
	}
	return done, nil
}

// CheckMigrated returns an error unless every migration is applied with its
// current checksum. /readyz uses it.
func (db *DB) CheckMigrated(ctx context.Context, migrations []schema.Migration) error {
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	if err := checkApplied(migrations, applied); err != nil {
		return err
	}
	for _, m := range migrations {
		if _, ok := applied[m.Version]; !ok {
			return fmt.Errorf("migration %04d_%s is not applied; run `server migrate`", m.Version, m.Name)
		}
	}
	return nil
}

func (db *DB) appliedMigrations(ctx context.Context) (map[int]MigrationStatus, error) {
	recs, err := db.read(ctx, "neo4j.appliedMigrations",
		`MATCH (m:Migration) RETURN m {.version, .name, .checksum} AS m`, nil)
	if err != nil {
		return nil, err
	}
	out := map[int]MigrationStatus{}
	for _, r := range rowsOf(recs, "m") {
		out[r.int("version")] = MigrationStatus{Version: r.int("version"), Name: r.str("name"), Checksum: r.str("checksum")}
	}
	return out, nil
}

func checkApplied(migrations []schema.Migration, applied map[int]MigrationStatus) error {
	known := map[int]bool{}
	for _, m := range migrations {
		known[m.Version] = true
		a, ok := applied[m.Version]
		if ok && a.Checksum != m.Checksum {
			return fmt.Errorf("migration %04d_%s was changed after it was applied (checksum %.12s in the graph, %.12s in the file); add a new migration instead of editing an applied one", m.Version, m.Name, a.Checksum, m.Checksum)
		}
	}
	for v, a := range applied {
		if !known[v] {
			return fmt.Errorf("the graph has migration %04d_%s that this build does not know; is an older binary running against a newer database?", v, a.Name)
		}
	}
	return nil
}
