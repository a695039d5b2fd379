package cyberlotse

import (
	"strings"
	"testing"
)

// Fuzz targets for the parsers of outside input. Their seeds run as
// ordinary tests in `make test`; `make fuzz` runs each for a while.

func FuzzParseAGS(f *testing.F) {
	for _, s := range []string{"05766036", "5766036", " 05766036 ", "0576603", "ABCDEFGH", "", "057660360"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAGS(s)
		if err != nil {
			return
		}
		if len(a) != 8 || strings.Trim(string(a), "0123456789") != "" {
			t.Fatalf("ParseAGS(%q) = %q", s, a)
		}
		if again, err := ParseAGS(string(a)); err != nil || again != a {
			t.Fatalf("ParseAGS(%q) = %q, %v; not stable", a, again, err)
		}
	})
}

func FuzzParsePostcode(f *testing.F) {
	for _, s := range []string{"32689", "01067", "3268", "326890", "32 689", "", "٣٢٦٨٩"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePostcode(s)
		if err == nil && (len(p) != 5 || strings.Trim(string(p), "0123456789") != "") {
			t.Fatalf("ParsePostcode(%q) = %q", s, p)
		}
	})
}

func FuzzParseEmail(f *testing.F) {
	for _, s := range []string{"erika@example.org", "Erika <erika@example.org>", "a@b", "a@b.c", "@", "", "a@@b.de",
		strings.Repeat("a", 300) + "@example.org", "\"quoted name\"@example.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEmail(s)
		if err != nil {
			return
		}
		if len(e) > 254 || strings.Count(string(e), "@") < 1 || e != Email(strings.ToLower(string(e))) {
			t.Fatalf("ParseEmail(%q) = %q", s, e)
		}
	})
}

func FuzzParseReminderOffset(f *testing.F) {
	for _, s := range []string{"P7D", "P1D", "PT2H", "PT30M", "P1DT2H", "P0D", "-P1D", "P", "PT", "P999999999D", "1D", "",
		"PT7000000H"} { // the last once overflowed
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseReminderOffset(s)
		if err != nil {
			return
		}
		again, err := ParseReminderOffset(o.String())
		if err != nil || again != o {
			t.Fatalf("ParseReminderOffset(%q) = %v; its String %q parses to %v, %v", s, o, o.String(), again, err)
		}
	})
}

func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{Cursor{Keys: []string{"2025-09-04T16:00:00Z", "kalletal"}}.Encode(), "kaputt", "", "e30", "eyJrIjpbXX0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCursor(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("DecodeCursor(%q): %v, want EINVALID", s, err)
			}
			return
		}
		// JSON spells invalid UTF-8 as U+FFFD, so the first round trip may
		// normalize a key; from then on the cursor must be stable.
		once, err := DecodeCursor(c.Encode())
		if err != nil {
			t.Fatalf("cursor %q does not decode after encoding: %v", s, err)
		}
		twice, err := DecodeCursor(once.Encode())
		if err != nil || strings.Join(twice.Keys, "\x00") != strings.Join(once.Keys, "\x00") {
			t.Fatalf("cursor %q is not stable: %v then %v, %v", s, once, twice, err)
		}
	})
}
