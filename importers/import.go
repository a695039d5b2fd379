package importers

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// DefaultBatchSize is how many rows one transaction writes.
const DefaultBatchSize = 1000

// DefaultWriters is how many batches are written at a time: two keep the
// database busy while the next batch travels to it.
const DefaultWriters = 2

// Importer reads files and writes them through the store.
type Importer struct {
	Store cyberlotse.ImportService
	// Places is the NRW reference geography; Organizations and Topics
	// resolve contacts, organizers and measure topics.
	Places        *Gazetteer
	Organizations []*cyberlotse.Organization
	Topics        []*cyberlotse.Topic
	Now           func() time.Time
	Berlin        *time.Location
	// BatchSize rows per transaction; default DefaultBatchSize.
	BatchSize int
	// Progress, when set, shows the progress of the writes.
	Progress *Progress
	// RetryPause is the wait before a failed batch is tried again; default 1 s.
	RetryPause time.Duration
	// Writers is how many batches are written at a time; default
	// DefaultWriters.
	Writers int
}

// Options apply to every kind of import.
type Options struct {
	// DryRun validates and classifies everything in rolled-back
	// transactions: the counts say what would happen; nothing is stored.
	DryRun bool
	// Source names the input (file name or URL) in the provenance of
	// imported objects: "Import <Source> <date>".
	Source string
}

// Result is what an import did.
type Result struct {
	Kind string // German, e.g. "Unternehmen"
	cyberlotse.ImportCounts
	// Rows counts the data rows (records, events, measures) read.
	Rows   int
	Report Report
	// FailedBatches counts batches that failed twice; their rows are in
	// the report and nothing of them was stored.
	FailedBatches int
	// Cancelled lists events marked CANCELLED because the feed dropped them.
	Cancelled []string
	// IDs maps natural keys to the ids of created or updated objects.
	IDs      map[string]string
	DryRun   bool
	Duration time.Duration
	// Notes are facts about the input for the terminal: encoding,
	// separator, ignored columns.
	Notes []string
}

// RowsPerSecond is the throughput of the whole import.
func (r *Result) RowsPerSecond() float64 {
	if r.Duration <= 0 {
		return 0
	}
	return float64(r.Rows) / r.Duration.Seconds()
}

// Summary is the German terminal summary, e.g.
// "Unternehmen: 3 angelegt, 0 geändert, 95 unverändert, 2 abgelehnt".
func (r *Result) Summary() string {
	var b strings.Builder
	if r.DryRun {
		b.WriteString("Probelauf – nichts gespeichert. ")
	}
	fmt.Fprintf(&b, "%s: %s, %d abgelehnt", r.Kind, r.ImportCounts, r.Report.Rejected())
	if n := len(r.Cancelled); n > 0 {
		fmt.Fprintf(&b, ", %d abgesagt (nicht mehr im Feed)", n)
	}
	if h := r.Report.Hints(); h > 0 {
		fmt.Fprintf(&b, ", %d Hinweise", h)
	}
	fmt.Fprintf(&b, " – %d Zeilen in %s (%.0f Zeilen/s)", r.Rows, formatDuration(r.Duration), r.RowsPerSecond())
	if r.FailedBatches > 0 {
		fmt.Fprintf(&b, "\nACHTUNG: %d Stapel konnten auch im zweiten Versuch nicht gespeichert werden; ihre Zeilen stehen im Bericht.", r.FailedBatches)
	}
	return b.String()
}

func formatDuration(d time.Duration) string {
	return strings.Replace(fmt.Sprintf("%.1f s", d.Seconds()), ".", ",", 1)
}

// Print writes the summary, the notes and up to 20 problems.
func (r *Result) Print(w io.Writer) {
	for _, n := range r.Notes {
		fmt.Fprintln(w, n)
	}
	fmt.Fprintln(w, r.Summary())
	if len(r.Report.Problems) > 0 {
		r.Report.Summary(w, 20)
	}
}

func (im *Importer) now() time.Time {
	if im.Now != nil {
		return im.Now()
	}
	return time.Now()
}

func (im *Importer) batchSize() int {
	if im.BatchSize > 0 {
		return im.BatchSize
	}
	return DefaultBatchSize
}

func (im *Importer) berlin() *time.Location {
	if im.Berlin != nil {
		return im.Berlin
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}

func (im *Importer) source(opt Options) string {
	return fmt.Sprintf("Import %s %s", opt.Source, im.now().In(im.berlin()).Format(time.DateOnly))
}

// item is one valid row on its way to the store.
type item[T any] struct {
	line int
	key  string
	rec  T
}

// batch is a slice of rows and how far the input is read after it.
type batch[T any] struct {
	items []item[T]
	frac  float64
}

// writeBatches writes the batches as they come, each in one transaction,
// with im.Writers transactions at a time. A failing batch is tried once
// more; if it fails again its rows are reported (nothing of it is stored)
// and the other batches go on.
func writeBatches[T any](ctx context.Context, im *Importer, in <-chan batch[T], res *Result,
	write func(ctx context.Context, recs []T) (*cyberlotse.ImportResult, error)) error {
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	workers := im.Writers
	if workers <= 0 {
		workers = DefaultWriters
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range in {
				if ctx.Err() != nil {
					continue // drain
				}
				recs := make([]T, len(b.items))
				for i, it := range b.items {
					recs[i] = it.rec
				}
				out, err := write(ctx, recs)
				if err != nil && ctx.Err() == nil {
					pause := im.RetryPause
					if pause == 0 {
						pause = time.Second
					}
					select {
					case <-time.After(pause):
					case <-ctx.Done():
					}
					out, err = write(ctx, recs)
				}
				mu.Lock()
				if err != nil {
					if ctx.Err() == nil {
						res.FailedBatches++
						first, last := b.items[0], b.items[len(b.items)-1]
						for _, it := range b.items {
							res.Report.Reject(it.line, it.key, "", "", fmt.Sprintf(
								"nicht gespeichert: der Stapel %s bis %s scheiterte zweimal (%s)", where(first), where(last), cyberlotse.ErrorMessage(err)))
						}
					}
					mu.Unlock()
					continue
				}
				res.Add(out.ImportCounts)
				for k, id := range out.IDs {
					if res.IDs == nil {
						res.IDs = map[string]string{}
					}
					res.IDs[k] = id
				}
				for _, k := range out.Stale {
					res.Report.Hint(0, k, "SEQUENCE", "", "im Feed steht eine ältere Fassung (niedrigere SEQUENCE) als gespeichert – unverändert gelassen")
				}
				done += len(b.items)
				im.Progress.Update(done, b.frac)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	im.Progress.Finish(done)
	return nil
}

func where[T any](it item[T]) string {
	if it.line > 0 {
		return fmt.Sprintf("Zeile %d", it.line)
	}
	return it.key
}

// sendAll splits items into batches on a channel, for sources read at once.
func sendAll[T any](items []item[T], size int) <-chan batch[T] {
	ch := make(chan batch[T], 1)
	go func() {
		defer close(ch)
		for i := 0; i < len(items); i += size {
			end := min(i+size, len(items))
			ch <- batch[T]{items: items[i:end], frac: float64(end) / float64(len(items))}
		}
	}()
	return ch
}
