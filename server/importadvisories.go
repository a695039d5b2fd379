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

// advisoryOverlap is how far back each scheduled fetch reaches before the
// previous one began: the provider's clock and ours may differ, and a
// document listed while we fetched must not be missed. Documents fetched
// twice count as unchanged.
const advisoryOverlap = time.Hour

// RunAdvisoryProvider fetches what a CSAF provider changed since the last
// successful run (everything the first time), checks and stores it, and
// records from when on to fetch next time. Rejections are logged with
// their reasons.
func (m *Main) RunAdvisoryProvider(ctx context.Context, url string) (*csaf.Summary, error) {
	advs := store.NewAdvisoryService(m.DB)
	since, err := advs.ProviderSince(ctx, url)
	if err != nil {
		return nil, err
	}
	start := m.Now()
	prov, err := csaf.OpenProvider(advisoryHTTPClient, url, since)
	if err != nil {
		return nil, err
	}
	sum, err := csaf.Import(ctx, advs, prov, csaf.Options{Keys: prov.Keys, Now: m.Now})
	if err != nil {
		return sum, err
	}
	for _, r := range sum.Rejected {
		m.Logger.Warn("advisory rejected", "provider", url, "document", r.Source, "reason", r.Reason)
	}
	if prov.Keys == nil {
		m.Logger.Warn("advisory provider names no OpenPGP keys; signatures not checked", "provider", url)
	}
	if err := advs.SetProviderSince(ctx, url, start.Add(-advisoryOverlap), start); err != nil {
		return sum, err
	}
	m.Logger.Info("advisories fetched", "provider", url, "read", sum.Read, "new", sum.New, "updated", sum.Updated,
		"unchanged", sum.Unchanged, "older", len(sum.Older), "rejected", len(sum.Rejected), "took", sum.Duration.Round(time.Millisecond))
	return sum, nil
}

// fetchAdvisories is the scheduled import of one provider: it fetches
// what changed and, when that brought new advisories or versions, queues
// and sends the urgent alerts at once (alerts nil: none).
func (m *Main) fetchAdvisories(ctx context.Context, url string, alerts *AdvisoryAlerts) {
	sum, err := m.RunAdvisoryProvider(ctx, url)
	if err != nil {
		m.Logger.Error("advisory import", "provider", url, "err", err)
	}
	if sum != nil && sum.New+sum.Updated > 0 && alerts != nil {
		_, _ = alerts.Run(ctx, false)
	}
}

// AdvisoryProviders reads ADVISORY_PROVIDERS: provider-metadata.json URLs
// separated by commas or spaces, HTTPS only.
func AdvisoryProviders(list string) ([]string, error) {
	var out []string
	for _, u := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		if !strings.HasPrefix(u, "https://") {
			return nil, fmt.Errorf("ADVISORY_PROVIDERS: %q ist keine HTTPS-Adresse einer provider-metadata.json", u)
		}
		out = append(out, u)
	}
	return out, nil
}

// ScheduleAdvisories adds the advisory alert jobs (AdvisoryAlerts.Schedule;
// none when ADVISORY_ALERT_INTERVAL is 0) and one job per provider of ADVISORY_PROVIDERS,
// run every interval (and once right away), that queues and sends the
// urgent alerts after each import that brought news; the scheduler's
// distributed lock keeps each provider to one replica at a time.
func (m *Main) ScheduleAdvisories(s *Scheduler, providers string, every time.Duration) error {
	list, err := AdvisoryProviders(providers)
	if err != nil || s == nil {
		return err
	}
	var alerts *AdvisoryAlerts
	if m.Config.AdvisoryAlertEvery > 0 && m.Notifier != nil {
		alerts = NewAdvisoryAlerts(m.DB, m.Notifier)
		if err := alerts.Schedule(s, m.Config.AdvisoryAlertEvery); err != nil {
			return err
		}
	}
	if len(list) == 0 {
		return nil
	}
	for _, u := range list {
		err := s.Every("advisories "+u, every, func(ctx context.Context) { m.fetchAdvisories(ctx, u, alerts) })
		if err != nil {
			return err
		}
	}
	m.Logger.Info("advisory imports scheduled", "providers", len(list), "every", every)
	return nil
}
