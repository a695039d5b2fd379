package importers

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Progress shows how far an import is: on a terminal a bar updated in
// place ("\r"), otherwise a plain line every few seconds, so that logs of
// scheduled or piped runs stay readable.
type Progress struct {
	W     io.Writer
	TTY   bool
	Label string
	// Every is the pause between updates; default 100 ms on a terminal,
	// 2 s otherwise.
	Every time.Duration
	Now   func() time.Time

	start, last time.Time
	shown       bool
}

// NewProgress returns a progress display on w; tty says whether w is a
// terminal (os.Stdout.Stat() has os.ModeCharDevice).
func NewProgress(w io.Writer, tty bool, label string) *Progress {
	return &Progress{W: w, TTY: tty, Label: label}
}

func (p *Progress) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Update reports rows done and the fraction of the input read (0..1, or
// negative when unknown). It prints at most once per Every.
func (p *Progress) Update(rows int, frac float64) {
	if p == nil || p.W == nil {
		return
	}
	now := p.now()
	if p.start.IsZero() {
		p.start = now
	}
	every := p.Every
	if every == 0 {
		every = 2 * time.Second
		if p.TTY {
			every = 100 * time.Millisecond
		}
	}
	if now.Sub(p.last) < every {
		return
	}
	p.last = now
	p.print(rows, frac, now)
}

func (p *Progress) print(rows int, frac float64, now time.Time) {
	rate := 0.0
	if d := now.Sub(p.start).Seconds(); d > 0 {
		rate = float64(rows) / d
	}
	if frac > 1 {
		frac = 1
	}
	if p.TTY {
		bar := ""
		pct := ""
		if frac >= 0 {
			const width = 24
			full := int(frac * width)
			bar = "[" + strings.Repeat("█", full) + strings.Repeat("░", width-full) + "] "
			pct = fmt.Sprintf("%3.0f %%  ", frac*100)
		}
		fmt.Fprintf(p.W, "\r%s %s%s%d Zeilen  %.0f Zeilen/s   ", p.Label, bar, pct, rows, rate)
		p.shown = true
		return
	}
	pct := ""
	if frac >= 0 {
		pct = fmt.Sprintf(" (%.0f %%)", frac*100)
	}
	fmt.Fprintf(p.W, "%s: … %d Zeilen%s, %.0f Zeilen/s\n", p.Label, rows, pct, rate)
}

// Finish prints the final state and ends the terminal line.
func (p *Progress) Finish(rows int) {
	if p == nil || p.W == nil {
		return
	}
	now := p.now()
	if p.start.IsZero() {
		p.start = now
	}
	if p.TTY {
		p.print(rows, 1, now)
		fmt.Fprintln(p.W)
		return
	}
	if p.shown || !p.last.IsZero() {
		p.print(rows, 1, now)
	}
}
