package search

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestVocabularySimilar(t *testing.T) {
	v := NewVocabulary()
	v.Add("Planspiel Ransomware in Wuppertal", "Wuppertaler Lunchtalk: Phishing", "Kalletal 32689", "Notfall Notfallplan")
	if got := v.Len(); got != 10 { // the postcode is not a word
		t.Fatalf("Len = %d, want 10", got)
	}
	for _, c := range []struct {
		word string
		max  int
		want []string
	}{
		{"wuperthal", 2, []string{"wuppertal"}},
		{"phising", 1, []string{"phishing"}},
		{"kalletla", 1, []string{"kalletal"}}, // two neighbours swapped: one edit
		{"notfal", 1, []string{"notfall"}},
		{"notfall", 1, nil}, // the word itself is not an expansion
		{"wuppertal", 2, []string{"wuppertaler"}},
		{"zzzz", 1, nil},
		{"phising", 0, nil},
	} {
		if got := v.Similar(c.word, c.max, MaxExpansions); !slices.Equal(got, c.want) {
			t.Errorf("Similar(%q, %d) = %q, want %q", c.word, c.max, got, c.want)
		}
	}
	if got := v.Similar("notfal", 2, 1); !slices.Equal(got, []string{"notfall"}) {
		t.Errorf("limit 1: got %q, want the closest word only", got)
	}
}

// The trie walk finds exactly the words a plain distance computation finds.
func TestVocabularyMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	letters := []rune("abcdeäöü")
	word := func() string {
		w := make([]rune, 2+r.IntN(7))
		for i := range w {
			w[i] = letters[r.IntN(len(letters))]
		}
		return string(w)
	}
	v := NewVocabulary()
	var all []string
	for range 2000 {
		w := word()
		v.Add(w)
		all = append(all, w)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	for range 200 {
		q := word()
		for max := 1; max <= 2; max++ {
			var want []string
			for _, w := range all {
				if w != q && osa([]rune(q), []rune(w)) <= max {
					want = append(want, w)
				}
			}
			got := v.Similar(q, max, len(all))
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("Similar(%q, %d) = %q, want %q", q, max, got, want)
			}
		}
	}
}

// osa is the optimal string alignment distance, computed in full.
func osa(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func BenchmarkVocabularySimilar(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	v := NewVocabulary()
	for range 30000 {
		w := make([]rune, 4+r.IntN(10))
		for i := range w {
			w[i] = rune('a' + r.IntN(26))
		}
		v.Add(string(w))
	}
	v.Add("wuppertal planspiel ransomware")
	for b.Loop() {
		v.Similar("wuperthal", 2, MaxExpansions)
		v.Similar("ransomwar", 2, MaxExpansions)
	}
}
