package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/importers"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

const importAdvisoriesUsage = `usage: server import advisories DIR

  Reads the CSAF 2.0 advisories in DIR and below (*.json, with NAME.json.sha256
  and NAME.json.sha512 beside them if published), validates each against the
  CSAF JSON schema and its hashes, and stores it in one transaction: new, updated
  (a higher tracking version), unchanged, or ignored (older than the stored one).
  A document that fails is rejected with its reason; nothing of it is stored.
`

// importAdvisoriesCommand runs `server import advisories DIR`.
func importAdvisoriesCommand(ctx context.Context, m *Main, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(os.Stderr, importAdvisoriesUsage)
		return errors.New("import advisories: name exactly one directory")
	}
	dir := args[0]
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("import advisories: %s ist kein lesbares Verzeichnis", dir)
	}
	src, err := csaf.OpenDir(dir)
	if err != nil {
		return fmt.Errorf("import advisories: %w", err)
	}
	if err := m.OpenDB(ctx); err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return err
	}
	progress := importers.NewProgress(stdout, isTerminal(stdout), "Sicherheitshinweise")
	sum, err := csaf.Import(ctx, store.NewAdvisoryService(m.DB), src, progress, m.Now)
	if sum != nil {
		sum.Print(stdout)
	}
	if err != nil {
		return fmt.Errorf("import advisories %s: %s", dir, describe(err))
	}
	return nil
}
