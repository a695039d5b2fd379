package search

import (
	"html"
	"strings"
	"unicode"

	"github.com/agnivade/levenshtein"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Tokens splits a query into plain words (letters and digits), lower-cased.
// Everything else — quotes, ~ * : ( ) and friends — separates words and
// never reaches a backend as syntax.
func Tokens(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// CheckText validates a query's text: not empty, not too long.
func CheckText(text string) error {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return cyberlotse.Invalid("query", "bitte einen Suchbegriff eingeben, z. B. „Planspiel Wuppertal“.")
	case len([]rune(t)) > MaxQueryLength:
		return cyberlotse.Invalid("query", "der Suchbegriff darf höchstens 200 Zeichen lang sein.")
	}
	return nil
}

// Fuzziness is the number of typos a word of this length may have.
func Fuzziness(word string) int {
	switch n := len([]rune(word)); {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// matches reports whether a word of a text matches a query token: the
// same word, a word starting with it, or within its typo allowance.
func matches(word string, tokens []string) bool {
	w := strings.ToLower(word)
	for _, t := range tokens {
		if strings.HasPrefix(w, t) || levenshtein.ComputeDistance(w, t) <= Fuzziness(t) {
			return true
		}
	}
	return false
}

// HighlightText escapes text for HTML and wraps the words that match the
// query tokens in <em>…</em>. Long texts are cut to about width runes
// around the first match. ok is false when nothing matched.
func HighlightText(text string, tokens []string, width int) (snippet string, ok bool) {
	runes := []rune(text)
	var b strings.Builder
	first := -1
	type span struct{ from, to int }
	var spans []span
	for i := 0; i < len(runes); {
		if !unicode.IsLetter(runes[i]) && !unicode.IsDigit(runes[i]) {
			i++
			continue
		}
		j := i
		for j < len(runes) && (unicode.IsLetter(runes[j]) || unicode.IsDigit(runes[j])) {
			j++
		}
		if len(tokens) > 0 && matches(string(runes[i:j]), tokens) {
			spans = append(spans, span{i, j})
			if first < 0 {
				first = i
			}
		}
		i = j
	}
	if first < 0 {
		return "", false
	}
	from, to := 0, len(runes)
	if width > 0 && len(runes) > width {
		from = max(0, first-width/3)
		to = min(len(runes), from+width)
	}
	if from > 0 {
		b.WriteString("…")
	}
	pos := from
	for _, s := range spans {
		if s.from < from || s.to > to {
			continue
		}
		b.WriteString(html.EscapeString(string(runes[pos:s.from])))
		b.WriteString("<em>" + html.EscapeString(string(runes[s.from:s.to])) + "</em>")
		pos = s.to
	}
	b.WriteString(html.EscapeString(string(runes[pos:to])))
	if to < len(runes) {
		b.WriteString("…")
	}
	return b.String(), true
}
