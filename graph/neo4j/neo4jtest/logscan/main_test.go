package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestExpressionPattern(t *testing.T) {
	for in, want := range map[string]string{
		`"Frieda Frisch", email: $email}`:                      `Frieda Frisch`,
		`fmt.Sprintf("Teilnehmerin %d", i),`:                   `Teilnehmerin \d+`,
		`"Klingen " + neo4jtest.NewID() + " GmbH", AGS: &x}}`:  `Klingen \S* GmbH`,
		"`e2e-${Date.now()}@example.org`;":                     `e2e-\S*@example\.org`,
		`"Muster GmbH"}, consent: true) {`:                     `Muster GmbH`,
		`prefix + " GmbH"}`:                                    ` GmbH`,
		`fmt.Sprintf("Beispiel %s (%d)", a, b)`:                `Beispiel \S* \(\d+\)`,
		`"Ayşe Demir", Email: "ayse@elektro-demir.example"}`:   `Ayşe Demir`,
		`"A", email: "a@example.org"}, consent: false) {`:      `A`,
		`strings.Repeat("x", 3) + "Zwischenname" + suffix(1)}`: `Zwischenname`,
		`"Erika " +` + "\n\t\t" + `"Mustermann", Email: e}`:    `Erika Mustermann`,
		`"unterminated`:                     ``,
		`name,`:                             ``,
		`"Zoë O'Brien (Gast)" }).fill("x")`: `Zoë O'Brien \(Gast\)`,
		`"Übende Person",`:                  `Übende Person`,
	} {
		got, _ := expressionPattern(in)
		if got != want {
			t.Errorf("expressionPattern(%q) = %q, want %q", in, got, want)
		}
	}
	// Too unspecific to look for.
	for _, in := range []string{`"A", email`, `prefix + " GmbH"}`, `"Jo" + x`} {
		if _, ok := expressionPattern(in); ok {
			t.Errorf("expressionPattern(%q) is specific enough", in)
		}
	}
}

// The scan finds what the repository's tests give attendees — an
// address at example.org, a name, a made-up company name — and nothing
// in lines about ids, senders and organizers.
func TestScanFindsAttendeeData(t *testing.T) {
	domains, names, err := collect("../../../..")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(domains, "example.org") || slices.Contains(domains, "cyberlotse.invalid") ||
		!slices.Contains(names, "Frieda Frisch") || !slices.Contains(names, `Teilnehmerin \d+`) {
		t.Fatalf("collected domains %v, names %v", domains, names)
	}
	dir := t.TempDir()
	log := "time=2026-11-23T12:00:00Z level=INFO msg=\"reminder job\" sent=3\n" +
		"time=2026-11-23T12:00:01Z level=WARN msg=\"reminder not delivered\" reminder=r-1 err=\"550 <t1-test-42@example.org> unknown\"\n" +
		"time=2026-11-23T12:00:02Z level=DEBUG msg=registered name=\"Frieda Frisch\" registration=r-2\n" +
		"time=2026-11-23T12:00:03Z level=INFO msg=sent from=noreply@cyberlotse.invalid reply_to=wirtschaft@kalletal.example\n" +
		"time=2026-11-23T12:00:04Z level=INFO msg=smtp url=smtp://user:xxxxx@mail.example.org:2525 person=p-1\n" +
		"time=2026-11-23T12:00:05Z level=INFO msg=x company=\"Klingen test-0a1b GmbH\" who=\"Teilnehmerin 7\"\n"
	if err := os.WriteFile(filepath.Join(dir, "server-1.log"), []byte(log), 0o600); err != nil {
		t.Fatal(err)
	}
	rep, err := scan([]string{dir}, matcher(domains, names))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.Join(dir, "server-1.log") + `:2: "t1-test-42@example.org"`,
		filepath.Join(dir, "server-1.log") + `:3: "Frieda Frisch"`,
		filepath.Join(dir, "server-1.log") + `:6: "Klingen test-0a1b GmbH"`,
		filepath.Join(dir, "server-1.log") + `:6: "Teilnehmerin 7"`,
	}
	if rep.Files != 1 || rep.Lines != 6 || !slices.Equal(rep.Hits, want) {
		t.Errorf("scan = %d files, %d lines, hits %q; want %q", rep.Files, rep.Lines, rep.Hits, want)
	}
}
