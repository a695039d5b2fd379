package search

import (
	"strings"
	"testing"
)

// Query texts come from anyone: checking, tokenizing and highlighting
// never fail, highlights stay balanced and escape what was in the text,
// and Meilisearch gets no syntax (plainText).
func FuzzSearchText(f *testing.F) {
	for _, s := range []string{"Planspiel Ransomware Wuperthal", `"Planspiel" AND -Wuppertal`, "<script>", "Kall*", "ä ö ü ß",
		"\uE000Kalle\uE001tal", strings.Repeat("x", 300), ""} {
		f.Add(s, "Gemeinde Kalletal & <Co> – Planspiel im Bergischen Land")
	}
	f.Fuzz(func(t *testing.T, query, text string) {
		if CheckText(query) != nil {
			return
		}
		tokens := Tokens(query)
		snippet, ok := HighlightText(text, tokens, 120)
		if ok && strings.Count(snippet, "<em>") != strings.Count(snippet, "</em>") {
			t.Fatalf("unbalanced highlight %q", snippet)
		}
		if ok && strings.Contains(strings.ReplaceAll(strings.ReplaceAll(snippet, "<em>", ""), "</em>", ""), "<") {
			t.Fatalf("unescaped < in %q", snippet)
		}
		if p := plainText(query); strings.ContainsAny(p, "\"\uE000\uE001") {
			t.Fatalf("plainText(%q) = %q keeps syntax", query, p)
		}
		if h, ok := highlight(text); ok && strings.Count(h, "<em>") != strings.Count(h, "</em>") {
			t.Fatalf("unbalanced Meilisearch highlight %q", h)
		}
	})
}
