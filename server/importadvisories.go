package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/importers"
	"github.com/cyberlotse/cyberlotse/importers/csaf"
)

const importAdvisoriesUsage = `usage: server import advisories DIR|https://…/provider-metadata.json [--keys KEY.asc[,KEY.asc…]]

  Reads the CSAF 2.0 advisories in DIR and below (*.json, with NAME.json.sha256
  and NAME.json.sha512 beside them if published), validates each against the
  CSAF JSON schema and its hashes, and stores it in one transaction: new, updated
  (a higher tracking version), unchanged, or ignored (older than the stored one).
  A document that fails is rejected with its reason; nothing of it is stored.
  With the URL of a CSAF provider's provider-metadata.json, its documents are
  fetched over HTTPS (ROLIE feeds, else changes.csv) with their hashes and
  signatures, checked with the OpenPGP keys the metadata names.

  --keys   the provider's OpenPGP public keys (armored): then every document needs
           a valid detached signature NAME.json.asc; without --keys signatures are
           not checked (the summary says so)
`

// advisoryHTTPClient fetches from CSAF providers; tests trust their own
// TLS server with it.
var advisoryHTTPClient = &http.Client{Timeout: 2 * time.Minute}

// importAdvisoriesCommand runs `server import advisories DIR`.
func importAdvisoriesCommand(ctx context.Context, m *Main, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("import advisories", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprint(os.Stderr, importAdvisoriesUsage) }
	keyFiles := fs.String("keys", "", "OpenPGP public keys (armored files, comma-separated)")
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(positional) != 1 {
		fmt.Fprint(os.Stderr, importAdvisoriesUsage)
		return errors.New("import advisories: name exactly one directory or provider URL")
	}
	dir := positional[0]
	if strings.HasPrefix(dir, "http://") {
		return errors.New("import advisories: CSAF-Anbieter werden nur über HTTPS gelesen (https://…/provider-metadata.json)")
	}
	var keys *csaf.Keys
	if *keyFiles != "" {
		var armored []string
		for _, f := range strings.Split(*keyFiles, ",") {
			b, err := os.ReadFile(f)
			if err != nil {
				return fmt.Errorf("import advisories: Schlüssel %s: %w", f, err)
			}
			armored = append(armored, string(b))
		}
		var err error
		if keys, err = csaf.LoadKeys(armored...); err != nil {
			return fmt.Errorf("import advisories: %w", err)
		}
	}
	var src csaf.Source
	if strings.HasPrefix(dir, "https://") {
		prov, err := csaf.OpenProvider(advisoryHTTPClient, dir, time.Time{})
		if err != nil {
			return fmt.Errorf("import advisories: %w", err)
		}
		if keys == nil {
			keys = prov.Keys
		}
		src = prov
	} else {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return fmt.Errorf("import advisories: %s ist kein lesbares Verzeichnis", dir)
		}
		d, err := csaf.OpenDir(dir)
		if err != nil {
			return fmt.Errorf("import advisories: %w", err)
		}
		src = d
	}
	if err := m.OpenDB(ctx); err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return err
	}
	progress := importers.NewProgress(stdout, isTerminal(stdout), "Sicherheitshinweise")
	sum, err := csaf.Import(ctx, store.NewAdvisoryService(m.DB), src, csaf.Options{Keys: keys, Progress: progress, Now: m.Now})
	if sum != nil {
		sum.Print(stdout)
	}
	if err != nil {
		return fmt.Errorf("import advisories %s: %s", dir, describe(err))
	}
	return nil
}
