package csaf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers"
)

// Store is what an import needs of the store.
type Store interface {
	StoreAdvisory(ctx context.Context, a *cyberlotse.Advisory, now time.Time) (cyberlotse.AdvisoryOutcome, string, error)
}

// BatchStore is a store that also takes many advisories in one
// transaction; Import uses it when the store offers it.
type BatchStore interface {
	Store
	StoreAdvisories(ctx context.Context, as []*cyberlotse.Advisory, now time.Time) ([]cyberlotse.AdvisoryStored, error)
}

// Source yields the documents of one import: a directory (Dir) now, a
// CSAF provider (provider metadata, ROLIE feeds, changes.csv) next.
type Source interface {
	// Len is the number of documents, or -1 if unknown in advance.
	Len() int
	// Documents yields them one at a time; an error ends the import.
	Documents(ctx context.Context) iter.Seq2[Document, error]
}

// Options steer an import.
type Options struct {
	// Keys, if set, are the provider's OpenPGP keys: every document must
	// carry a valid signature. Without them signatures are not checked.
	Keys     *Keys
	Progress *importers.Progress
	Now      func() time.Time
	// Workers is how many documents are checked (signature, hashes,
	// schema) at a time (default DefaultWorkers).
	Workers int
	// BatchSize is how many valid documents a BatchStore stores in one
	// transaction (default DefaultBatchSize); 1 stores each alone.
	BatchSize int
}

// DefaultWorkers: checking a document is CPU work (the JSON schema, the
// signature); one checker per core and one more to cover the waits.
var DefaultWorkers = runtime.GOMAXPROCS(0) + 1

// DefaultBatchSize is how many documents share a transaction: one
// transaction per document (8 at a time) took 26.7 s for 10,000 on the
// 2-core machine; see BenchmarkAdvisoryMatching for the batches. 500 a
// transaction cost the benchmark's Neo4j (512 MB heap) more CPU, 14.0 and
// 14.2 s against 10.1 and 10.3 s for 250 in alternating runs, and 125
// did too (7.1 s against 6.3 s).
const DefaultBatchSize = 250

// writers is how many batches are stored at a time: one is written while
// the next is prepared.
const writers = 2

// Summary counts what an import did.
type Summary struct {
	Read, New, Updated, Unchanged int
	SignaturesChecked             bool
	// Older lists documents that were older than the stored version.
	Older    []Rejection
	Rejected []Rejection
	Duration time.Duration
}

// Print writes the summary in German, each rejection with its reason.
func (s *Summary) Print(w io.Writer) {
	fmt.Fprintf(w, "Sicherheitshinweise: %d gelesen, %d neu, %d aktualisiert, %d unverändert, %d ältere Fassungen ignoriert, %d abgelehnt – in %s (%.0f Dokumente/s)\n",
		s.Read, s.New, s.Updated, s.Unchanged, len(s.Older), len(s.Rejected), s.Duration.Round(time.Millisecond), s.PerSecond())
	if s.SignaturesChecked {
		fmt.Fprintln(w, "  OpenPGP-Signaturen geprüft.")
	} else {
		fmt.Fprintln(w, "  OpenPGP-Signaturen nicht geprüft (keine Schlüssel angegeben).")
	}
	for _, r := range s.Older {
		fmt.Fprintf(w, "  ältere Fassung: %s: %s\n", r.Source, r.Reason)
	}
	for _, r := range s.Rejected {
		fmt.Fprintf(w, "  abgelehnt: %s: %s\n", r.Source, r.Reason)
	}
}

// PerSecond is the import's speed in documents per second.
func (s *Summary) PerSecond() float64 {
	if s.Duration <= 0 {
		return 0
	}
	return float64(s.Read) / s.Duration.Seconds()
}

// oneByOne stores a batch one advisory at a time (a Store without
// batches).
type oneByOne struct{ Store }

func (o oneByOne) StoreAdvisories(ctx context.Context, as []*cyberlotse.Advisory, now time.Time) ([]cyberlotse.AdvisoryStored, error) {
	out := make([]cyberlotse.AdvisoryStored, len(as))
	for i, a := range as {
		var err error
		if out[i].Outcome, out[i].StoredVersion, err = o.StoreAdvisory(ctx, a, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Import checks every document of src and stores the valid ones. A
// document that fails its signature, validation or a hash is counted as
// rejected with its reason and nothing of it is stored. Options.Workers
// documents are checked at a time; the valid ones are stored in batches
// (BatchStore: one transaction per batch, two batches at a time; a plain
// Store: one transaction per document, Workers at a time). A batch the
// store refuses is stored again one document at a time, so that one
// document the store cannot take does not take the others down; that
// document's error, or any other error of the store, ends the import
// (what was stored stays: each document is whole).
func Import(ctx context.Context, st Store, src Source, opt Options) (*Summary, error) {
	start := time.Now()
	now, progress := opt.Now, opt.Progress
	if now == nil {
		now = time.Now
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	batchSize, nWriters := opt.BatchSize, writers
	if batchSize <= 0 {
		batchSize = DefaultBatchSize
	}
	bs, ok := st.(BatchStore)
	if !ok {
		bs, batchSize, nWriters = oneByOne{st}, 1, workers
	}
	s := &Summary{SignaturesChecked: opt.Keys != nil}
	total := src.Len()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex // guards s, firstErr and progress
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	count := func(f func()) {
		mu.Lock()
		defer mu.Unlock()
		s.Read++
		f()
		frac := -1.0
		if total > 0 {
			frac = float64(s.Read) / float64(total)
		}
		progress.Update(s.Read, frac)
	}
	type valid struct {
		source string
		a      *cyberlotse.Advisory
	}
	record := func(v valid, r cyberlotse.AdvisoryStored) {
		count(func() {
			switch r.Outcome {
			case cyberlotse.AdvisoryNew:
				s.New++
			case cyberlotse.AdvisoryUpdated:
				s.Updated++
			case cyberlotse.AdvisoryUnchanged:
				s.Unchanged++
			case cyberlotse.AdvisoryOlder:
				s.Older = append(s.Older, Rejection{Source: v.source, Reason: fmt.Sprintf(cyberlotse.TextAdvisoryOlder, v.a.Version, r.StoredVersion)})
			}
		})
	}

	// Sources → checkers → the batcher (this goroutine) → writers.
	jobs := make(chan Document)
	checked := make(chan valid)
	batches := make(chan []valid)
	go func() {
		defer close(jobs)
		for d, err := range src.Documents(ctx) {
			if err != nil {
				fail(err)
				return
			}
			select {
			case jobs <- d:
			case <-ctx.Done():
				return
			}
		}
	}()
	var checkers sync.WaitGroup
	for range workers {
		checkers.Add(1)
		go func() {
			defer checkers.Done()
			for d := range jobs {
				var a *cyberlotse.Advisory
				var err error
				if opt.Keys != nil {
					err = opt.Keys.Check(d, now())
				}
				if err == nil {
					a, err = Parse(d)
				}
				var rej *Rejection
				switch {
				case errors.As(err, &rej):
					count(func() { s.Rejected = append(s.Rejected, *rej) })
				case err != nil:
					fail(err)
				default:
					select {
					case checked <- valid{d.Source, a}:
					case <-ctx.Done():
						return
					}
				}
			}
		}()
	}
	go func() {
		checkers.Wait()
		close(checked)
	}()
	var stores sync.WaitGroup
	for range nWriters {
		stores.Add(1)
		go func() {
			defer stores.Done()
			for batch := range batches {
				as := make([]*cyberlotse.Advisory, len(batch))
				for i, v := range batch {
					as[i] = v.a
				}
				res, err := bs.StoreAdvisories(ctx, as, now())
				if err != nil && len(batch) > 1 && ctx.Err() == nil {
					// One by one: the others must not fail with the one.
					res, err = make([]cyberlotse.AdvisoryStored, 0, len(batch)), nil
					for _, v := range batch {
						r, err1 := bs.StoreAdvisories(ctx, []*cyberlotse.Advisory{v.a}, now())
						if err1 != nil {
							err = fmt.Errorf("%s: %w", v.source, err1)
							break
						}
						res = append(res, r[0])
					}
				} else if err != nil {
					err = fmt.Errorf("%s: %w", batch[0].source, err)
				}
				for i, r := range res {
					record(batch[i], r)
				}
				if err != nil {
					fail(err)
				}
			}
		}()
	}
	var batch []valid
	for v := range checked {
		if batch = append(batch, v); len(batch) == batchSize {
			select {
			case batches <- batch:
			case <-ctx.Done():
			}
			batch = nil
		}
	}
	if len(batch) > 0 && ctx.Err() == nil {
		batches <- batch
	}
	close(batches)
	stores.Wait()

	bySource := func(xs []Rejection) {
		sort.Slice(xs, func(i, j int) bool { return xs[i].Source < xs[j].Source })
	}
	bySource(s.Rejected)
	bySource(s.Older)
	s.Duration = time.Since(start)
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return s, firstErr
	}
	progress.Finish(s.Read)
	return s, nil
}

// Dir is the source for a directory of CSAF documents (for example a
// provider's mirror): every *.json file except provider metadata, ROLIE
// feeds and service documents, with NAME.json.sha256, .sha512 and .asc
// beside it, in the order of their paths.
type Dir struct {
	paths []string
}

// OpenDir lists the documents under root.
func OpenDir(root string) (*Dir, error) {
	d := &Dir{}
	err := filepath.WalkDir(root, func(path string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || name == "provider-metadata.json" ||
			name == "service.json" || name == "category.json" || strings.HasSuffix(name, "-feed.json") ||
			strings.HasPrefix(name, "aggregator") {
			return nil
		}
		d.paths = append(d.paths, path)
		return nil
	})
	sort.Strings(d.paths)
	return d, err
}

func (d *Dir) Len() int { return len(d.paths) }

func (d *Dir) Documents(ctx context.Context) iter.Seq2[Document, error] {
	return func(yield func(Document, error) bool) {
		for _, p := range d.paths {
			doc, err := readFile(p)
			if !yield(doc, err) {
				return
			}
		}
	}
}

// readFile reads one document and the hashes published beside it.
func readFile(path string) (Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Document{}, err
	}
	d := Document{Source: path, Data: data, Sums: map[string]string{}}
	for _, alg := range []string{"sha256", "sha512"} {
		f := path + "." + alg
		if _, err := os.Stat(f); err != nil {
			continue
		}
		sum, err := hashFromFile(f)
		if err != nil {
			d.SumErrors = append(d.SumErrors, fmt.Sprintf(cyberlotse.TextAdvisoryHashFile, filepath.Base(f), err))
			continue
		}
		d.Sums[alg] = sum
	}
	if sig, err := os.ReadFile(path + ".asc"); err == nil {
		d.Signature = sig
	}
	return d, nil
}
