package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/importers"
)

const importUsage = `usage: server import KIND SOURCE [flags]

  server import companies FILE.csv      companies (key: register number, else name + PLZ)
  server import contacts  FILE.csv      contacts of organizations (key: e-mail, else name + organization)
  server import events    FILE.ics|https://… --organizer ORG-ID [--feed KEY] [--horizon 365d]
                                        an iCalendar feed (key: UID, + instance start for series)
  server import measures  FILE.yaml     the measure catalogue (key: code), shaped like seeds/measures.yaml
  server import advisories DIR|URL     CSAF 2.0 advisories from a directory or a provider-metadata.json URL

flags:
  --dry-run        validate and count, store nothing
  --report FILE    the CSV of rejected rows (default: NAME.rejected.csv next to the input)
  --batch N        rows per transaction (default 1000)
`

// importCommand runs `server import KIND SOURCE [flags]`. Flags may stand
// before or after SOURCE.
func importCommand(ctx context.Context, m *Main, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, importUsage)
		return errors.New("import: name what to import (companies, contacts, events, measures, advisories)")
	}
	kind := args[0]
	if kind == "advisories" {
		return importAdvisoriesCommand(ctx, m, args[1:], stdout)
	}
	fs := flag.NewFlagSet("import "+kind, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprint(os.Stderr, importUsage) }
	dryRun := fs.Bool("dry-run", false, "validate and count, store nothing")
	report := fs.String("report", "", "CSV of rejected rows (default: NAME.rejected.csv next to the input)")
	organizer := fs.String("organizer", "", "events: id of the organizing organization")
	feed := fs.String("feed", "", "events: name of the feed (default: the URL, or for a file the organizer id)")
	horizon := fs.String("horizon", "365d", "events: how far ahead series are expanded (e.g. 365d, 90d, 2160h)")
	batchSize := fs.Int("batch", importers.DefaultBatchSize, "rows per transaction")
	var positional []string
	rest := args[1:]
	for {
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
		fmt.Fprint(os.Stderr, importUsage)
		return fmt.Errorf("import %s: name exactly one file or URL", kind)
	}
	src := positional[0]
	hz, err := parseHorizon(*horizon)
	if err != nil {
		return err
	}
	switch kind {
	case "companies", "contacts", "measures":
	case "events":
		if *organizer == "" {
			return errors.New("import events: --organizer ORG-ID is required (the organization whose calendar this is)")
		}
	default:
		fmt.Fprint(os.Stderr, importUsage)
		return fmt.Errorf("import: unknown kind %q (companies, contacts, events, measures, advisories)", kind)
	}
	data, err := readSource(ctx, src)
	if err != nil {
		return err
	}
	if err := m.OpenDB(ctx); err != nil {
		return err
	}
	if err := m.Migrate(ctx); err != nil {
		return err
	}
	label := map[string]string{"companies": "Unternehmen", "contacts": "Kontakte", "events": "Veranstaltungen", "measures": "Maßnahmen"}[kind]
	im, err := m.Importer(ctx, importers.NewProgress(stdout, isTerminal(stdout), label))
	if err != nil {
		return err
	}
	im.BatchSize = *batchSize
	opt := importers.Options{DryRun: *dryRun, Source: sourceName(src)}
	var res *importers.Result
	switch kind {
	case "companies":
		res, err = im.ImportCompanies(ctx, data, opt)
	case "contacts":
		res, err = im.ImportContacts(ctx, data, opt)
	case "measures":
		res, err = im.ImportMeasures(ctx, data, opt)
	case "events":
		key := *feed
		if key == "" {
			key = *organizer
			if isURL(src) {
				key = src
			}
		}
		res, err = im.ImportFeed(ctx, strings.NewReader(string(data)), importers.FeedOptions{Options: opt,
			OrganizerID: *organizer, Feed: key, Horizon: hz})
	}
	if err != nil {
		return fmt.Errorf("import %s %s: %s", kind, src, describe(err))
	}
	res.Print(stdout)
	path := *report
	if path == "" && !isURL(src) {
		path = strings.TrimSuffix(src, filepath.Ext(src)) + ".rejected.csv"
	}
	if path != "" && (len(res.Report.Problems) > 0 || *report != "" || exists(path)) {
		if err := res.Report.WriteFile(path); err != nil {
			return fmt.Errorf("Bericht %s: %w", path, err)
		}
		fmt.Fprintf(stdout, "Bericht: %s (%d abgelehnt, %d Hinweise)\n", path, res.Report.Rejected(), res.Report.Hints())
	}
	if res.FailedBatches > 0 {
		return fmt.Errorf("%d Stapel nicht gespeichert", res.FailedBatches)
	}
	return nil
}

// describe shows a domain error's German message and keeps others as they are.
func describe(err error) string {
	if cyberlotse.ErrorCode(err) != cyberlotse.EINTERNAL {
		return cyberlotse.ErrorMessage(err)
	}
	return err.Error()
}

// Importer loads what an import needs from the graph once: the
// municipalities with their postcodes, the organizations and the topics.
func (m *Main) Importer(ctx context.Context, progress *importers.Progress) (*importers.Importer, error) {
	geo := store.NewGeoService(m.DB)
	districts, err := geo.Districts(ctx, nil)
	if err != nil {
		return nil, err
	}
	keys := make([]cyberlotse.DistrictKey, len(districts))
	for i, d := range districts {
		keys[i] = d.Key
	}
	byDistrict, err := geo.MunicipalitiesOfDistricts(ctx, keys)
	if err != nil {
		return nil, err
	}
	var munis []*cyberlotse.Municipality
	for _, k := range keys {
		munis = append(munis, byDistrict[k]...)
	}
	if len(munis) == 0 {
		return nil, errors.New("the graph holds no municipalities; run `server seed` first")
	}
	network := store.NewNetworkService(m.DB)
	orgs, err := network.Organizations(ctx, cyberlotse.OrganizationFilter{})
	if err != nil {
		return nil, err
	}
	topics, err := network.Topics(ctx)
	if err != nil {
		return nil, err
	}
	return &importers.Importer{Store: store.NewImportService(m.DB, berlin), Places: importers.NewGazetteer(munis),
		Organizations: orgs, Topics: topics, Now: m.Now, Berlin: berlin, Progress: progress}, nil
}

// Feed is a calendar feed imported on a schedule.
type Feed struct {
	URL         string
	OrganizerID string
}

// FeedJobs parses IMPORT_FEEDS: entries "URL|organizer-id" separated by
// ";" or line breaks, e.g.
// "https://www.kalletal.de/veranstaltungen.ics|gemeinde-kalletal;https://…|asw-west".
func FeedJobs(feeds string) ([]Feed, error) {
	var out []Feed
	seen := map[string]bool{}
	for _, entry := range strings.FieldsFunc(feeds, func(r rune) bool { return r == ';' || r == '\n' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		u, org, ok := strings.Cut(entry, "|")
		u, org = strings.TrimSpace(u), strings.TrimSpace(org)
		if !ok || u == "" || org == "" {
			return nil, fmt.Errorf("IMPORT_FEEDS: %q must look like https://…/calendar.ics|organizer-id", entry)
		}
		if !isURL(u) {
			return nil, fmt.Errorf("IMPORT_FEEDS: %q is not an http(s) URL", u)
		}
		if seen[u] {
			return nil, fmt.Errorf("IMPORT_FEEDS: %s is listed twice", u)
		}
		seen[u] = true
		out = append(out, Feed{URL: u, OrganizerID: org})
	}
	return out, nil
}

// RunFeed fetches one feed and imports it (the feed's key is its URL),
// logging the summary and the problems. The scheduled job calls it.
func (m *Main) RunFeed(ctx context.Context, f Feed) (*importers.Result, error) {
	data, err := readSource(ctx, f.URL)
	if err != nil {
		return nil, err
	}
	im, err := m.Importer(ctx, nil)
	if err != nil {
		return nil, err
	}
	res, err := im.ImportFeed(ctx, strings.NewReader(string(data)), importers.FeedOptions{
		Options: importers.Options{Source: f.URL}, OrganizerID: f.OrganizerID, Feed: f.URL})
	if err != nil {
		return nil, fmt.Errorf("feed %s: %s", f.URL, describe(err))
	}
	m.Logger.Info("feed import", "feed", f.URL, "organizer", f.OrganizerID, "created", res.Created, "updated", res.Updated,
		"unchanged", res.Unchanged, "rejected", res.Report.Rejected(), "cancelled", len(res.Cancelled), "duration", res.Duration.Round(time.Millisecond))
	for _, p := range res.Report.Sorted() {
		m.Logger.Warn("feed import problem", "feed", f.URL, "uid", p.Key, "field", p.Field, "reason", p.Reason, "hint", p.Hint)
	}
	return res, nil
}

// ScheduleFeeds adds one job per feed of IMPORT_FEEDS to the scheduler,
// run every interval (and once right away); the scheduler's distributed
// lock keeps each feed to one replica at a time.
func (m *Main) ScheduleFeeds(s *Scheduler, feeds string, every time.Duration) error {
	list, err := FeedJobs(feeds)
	if err != nil || len(list) == 0 || s == nil {
		return err
	}
	for _, f := range list {
		err := s.Every("import-feed "+f.URL, every, func(ctx context.Context) {
			if _, err := m.RunFeed(ctx, f); err != nil {
				m.Logger.Error("feed import", "feed", f.URL, "err", err)
			}
		})
		if err != nil {
			return err
		}
	}
	m.Logger.Info("feed imports scheduled", "feeds", len(list), "every", every)
	return nil
}

// maxFeedBytes bounds a downloaded feed.
const maxFeedBytes = 20 << 20

// readSource reads a file, or fetches an http(s) URL.
func readSource(ctx context.Context, src string) ([]byte, error) {
	if !isURL(src) {
		return os.ReadFile(src)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	req.Header.Set("User-Agent", "Cyberlotse-Import/1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("Feed %s nicht erreichbar: %w", src, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("Feed %s: HTTP %s", src, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxFeedBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFeedBytes {
		return nil, fmt.Errorf("Feed %s ist größer als %d MB", src, maxFeedBytes>>20)
	}
	return data, nil
}

func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// sourceName is how an input is named in the provenance: a file's base
// name, or the URL.
func sourceName(src string) string {
	if isURL(src) {
		return src
	}
	return filepath.Base(src)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// isTerminal reports whether w is a terminal (character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// parseHorizon reads "365d", "365" (days) or a Go duration ("2160h").
func parseHorizon(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	days := strings.TrimSuffix(s, "d")
	if n, err := strconv.Atoi(days); err == nil && n > 0 {
		return time.Duration(n) * 24 * time.Hour, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("--horizon %q: expected days such as 365d or a duration such as 2160h", s)
}
