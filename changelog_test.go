package cyberlotse

import (
	"context"
	"testing"
)

// gappyLog has changes 1…head, of which the last is missing from the
// first hidden reads, as while Neo4j applies its commit; pruned logs have
// lost change 1 for good.
type gappyLog struct {
	head   int64
	hidden int
	reads  int
}

func (l *gappyLog) Head(context.Context) (int64, error) { return l.head, nil }

func (l *gappyLog) ChangesAfter(_ context.Context, after int64, limit int) ([]Change, int64, error) {
	l.reads++
	var out []Change
	for s := after + 1; s <= l.head && len(out) < limit; s++ {
		if s == l.head && l.reads <= l.hidden {
			break
		}
		out = append(out, Change{Seq: s, Kind: ChangedEvents, Keys: []string{"e"}})
	}
	return out, l.head, nil
}

func TestReadChanges(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name       string
		log        *gappyLog
		after      int64
		wantSeqs   int
		wantPruned bool
		wantReads  int
	}{
		{"nothing new", &gappyLog{head: 3}, 3, 0, false, 1},
		{"in order", &gappyLog{head: 3}, 1, 2, false, 1},
		{"a commit not yet visible is read again", &gappyLog{head: 3, hidden: 2}, 2, 1, false, 3},
		{"a gap that stays is pruning", &gappyLog{head: 3, hidden: 100}, 2, 0, true, gapReads},
	} {
		t.Run(c.name, func(t *testing.T) {
			changes, head, pruned, err := ReadChanges(ctx, c.log, c.after, 10)
			if err != nil || head != c.log.head || len(changes) != c.wantSeqs || pruned != c.wantPruned || c.log.reads != c.wantReads {
				t.Errorf("got %d changes, head %d, pruned %v, %d reads, err %v; want %d changes, pruned %v, %d reads",
					len(changes), head, pruned, c.log.reads, err, c.wantSeqs, c.wantPruned, c.wantReads)
			}
			if len(changes) > 0 && changes[0].Seq != c.after+1 {
				t.Errorf("first change %d, want %d", changes[0].Seq, c.after+1)
			}
		})
	}
}
