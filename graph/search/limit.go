package search

import "context"

// Limited bounds how many full-text searches run at once; the others wait
// for a slot or until their request ends. A fuzzy search costs the
// backend tens of milliseconds of CPU; bounding them keeps the cores free
// for the lookups answered from memory.
type Limited struct {
	Backend
	slots chan struct{}
}

// NewLimited lets at most n searches of b run at once (n ≤ 0: no limit).
func NewLimited(b Backend, n int) Backend {
	if n <= 0 {
		return b
	}
	return &Limited{Backend: b, slots: make(chan struct{}, n)}
}

func (l *Limited) Search(ctx context.Context, q Query) (*Result, error) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-l.slots }()
	return l.Backend.Search(ctx, q)
}
