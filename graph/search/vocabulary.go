package search

import (
	"sort"
	"sync"
	"unicode/utf8"
)

// MaxExpansions bounds the words a typo expands to, as Lucene's fuzzy
// query does (its default is 50).
const MaxExpansions = 50

// Vocabulary is the set of words of the search documents, for finding
// the words a misspelt query word may mean. The Neo4j backend expands a
// typo into these words in Go and asks its index for exact terms: Lucene's
// own fuzzy terms build a Levenshtein automaton per term and field on every
// query, which cost 30–50 ms of Neo4j CPU for a three-word search where the
// exact terms cost 5 ms. Words are only added: a word whose documents are
// gone costs one term look-up that finds nothing. Safe for concurrent use.
type Vocabulary struct {
	mu    sync.RWMutex
	root  trieNode
	words int
}

type trieNode struct {
	r        rune
	word     bool
	children []*trieNode // sorted by r
}

func (n *trieNode) child(r rune, create bool) *trieNode {
	i := sort.Search(len(n.children), func(i int) bool { return n.children[i].r >= r })
	if i < len(n.children) && n.children[i].r == r {
		return n.children[i]
	}
	if !create {
		return nil
	}
	c := &trieNode{r: r}
	n.children = append(n.children, nil)
	copy(n.children[i+1:], n.children[i:])
	n.children[i] = c
	return c
}

// NewVocabulary returns an empty vocabulary.
func NewVocabulary() *Vocabulary { return &Vocabulary{} }

// Add adds the words of texts (split like queries: Tokens). Numbers are
// left out: they are never matched with typos.
func (v *Vocabulary) Add(texts ...string) {
	var words []string
	for _, t := range texts {
		for _, w := range Tokens(t) {
			if !isNumber(w) {
				words = append(words, w)
			}
		}
	}
	if len(words) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, w := range words {
		n := &v.root
		for _, r := range w {
			n = n.child(r, true)
		}
		if !n.word {
			n.word = true
			v.words++
		}
	}
}

// Len is the number of words.
func (v *Vocabulary) Len() int {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.words
}

// Similar returns the words other than word itself within maxEdits edits
// of it (insertions, deletions, substitutions and swaps of neighbours, as
// Lucene counts them), the closest first and at most limit.
func (v *Vocabulary) Similar(word string, maxEdits, limit int) []string {
	q := []rune(word)
	if maxEdits <= 0 || limit <= 0 || len(q) == 0 {
		return nil
	}
	w := walk{q: q, max: maxEdits, rows: [][]int{make([]int, len(q)+1)}}
	for i := range w.rows[0] {
		w.rows[0][i] = i
	}
	v.mu.RLock()
	for _, c := range v.root.children {
		w.visit(c, 1)
	}
	v.mu.RUnlock()
	sort.Slice(w.found, func(i, j int) bool {
		a, b := w.found[i], w.found[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		return a.word < b.word
	})
	out := make([]string, 0, min(limit, len(w.found)))
	for _, f := range w.found {
		if len(out) == limit {
			break
		}
		if f.word != word {
			out = append(out, f.word)
		}
	}
	return out
}

type similarWord struct {
	word string
	dist int
}

// walk is one search through the trie, depth first: the row of the
// edit-distance table for the node at each depth (reused between
// siblings), cut off where every cell of a row exceeds max.
type walk struct {
	q      []rune
	max    int
	rows   [][]int // rows[d]: the row for the prefix of length d
	prefix []rune
	found  []similarWord
}

func (w *walk) visit(n *trieNode, depth int) {
	w.prefix = append(w.prefix[:depth-1], n.r)
	if len(w.rows) <= depth {
		w.rows = append(w.rows, make([]int, len(w.q)+1))
	}
	prev, row := w.rows[depth-1], w.rows[depth]
	row[0] = depth
	best := row[0]
	for i := 1; i <= len(w.q); i++ {
		cost := 1
		if w.q[i-1] == n.r {
			cost = 0
		}
		row[i] = min(prev[i]+1, row[i-1]+1, prev[i-1]+cost)
		// A swap of two neighbours counts as one edit.
		if depth > 1 && i > 1 && w.q[i-1] == w.prefix[depth-2] && w.q[i-2] == n.r {
			row[i] = min(row[i], w.rows[depth-2][i-2]+1)
		}
		best = min(best, row[i])
	}
	if n.word && row[len(w.q)] <= w.max {
		w.found = append(w.found, similarWord{word: string(w.prefix), dist: row[len(w.q)]})
	}
	if best > w.max {
		return
	}
	for _, c := range n.children {
		w.visit(c, depth+1)
	}
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return utf8.RuneCountInString(w) > 0
}
