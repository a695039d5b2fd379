package search

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// gate is a backend whose searches wait until released, counting how many
// run at once.
type gate struct {
	Backend
	running, most atomic.Int32
	entered       chan struct{}
	release       chan struct{}
}

func (g *gate) Search(ctx context.Context, q Query) (*Result, error) {
	n := g.running.Add(1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	g.entered <- struct{}{}
	<-g.release
	g.running.Add(-1)
	return &Result{EstimatedTotal: 1}, nil
}

func TestLimitedRunsAtMostNSearchesAtOnce(t *testing.T) {
	g := &gate{entered: make(chan struct{}, 10), release: make(chan struct{})}
	l := NewLimited(g, 2)
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := l.Search(context.Background(), Query{Text: "x"}); err != nil || res.EstimatedTotal != 1 {
				t.Errorf("search: %v, %v", res, err)
			}
		}()
	}
	<-g.entered
	<-g.entered // two are in; the other four wait for a slot
	// A search whose request ends while it waits gives up with its error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Search(ctx, Query{Text: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while waiting: %v, want context.Canceled", err)
	}
	for range 6 {
		g.release <- struct{}{}
	}
	wg.Wait()
	if most := g.most.Load(); most != 2 {
		t.Errorf("at most %d searches ran at once, want 2", most)
	}
	if NewLimited(g, 0) != Backend(g) {
		t.Error("n = 0 must not bound the backend")
	}
}
