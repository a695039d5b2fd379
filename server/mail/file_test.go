package mail_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	cmail "github.com/cyberlotse/cyberlotse/server/mail"
)

// The file sender writes each message as a complete .eml file with a name
// that sorts by time of writing.
func TestFileSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "outbox") // created on demand
	clock := time.Date(2025, 9, 4, 16, 0, 0, 123, time.UTC)
	s := cmail.NewFileSender(dir)
	s.Now = func() time.Time { return clock }

	first, second := confirmation(), confirmation()
	second.Kind = cmail.KindReminder
	second.ReminderLabel = "morgen"
	if err := s.Send(context.Background(), mustCompose(t, first), mustCompose(t, second)); err != nil {
		t.Fatalf("Send: %v", err)
	}
	clock = clock.Add(time.Second)
	third := confirmation()
	third.Kind = cmail.KindCancelledRegistration
	if err := s.Send(context.Background(), mustCompose(t, third)); err != nil {
		t.Fatalf("Send: %v", err)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 {
		t.Fatalf("files %q, want 3 .eml and no temporary ones", names)
	}
	pattern := regexp.MustCompile(`^\d{8}T\d{6}\.\d{9}Z-\d{6}-[A-Z2-7]{10}\.eml$`)
	for _, n := range names {
		if !pattern.MatchString(n) {
			t.Errorf("name %q does not match %s", n, pattern)
		}
	}
	if !strings.HasPrefix(names[0], "20250904T160000.000000123Z-") || !strings.HasPrefix(names[2], "20250904T160001.000000123Z-") {
		t.Errorf("names %q do not carry the clock's time", names)
	}

	// os.ReadDir sorts by name: the order of writing
	wantKinds := []string{"CONFIRMATION", "REMINDER", "CANCELLED_REGISTRATION"}
	var kinds []string
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		m := parse(t, raw)
		kinds = append(kinds, m.Header.Get("X-Cyberlotse-Kind"))
		if to := m.Header.Get("To"); !strings.Contains(to, "<joerg@tischlerei-hohenhausen.example>") {
			t.Errorf("%s: To %q", n, to)
		}
		mustContain(t, n, m.Plain, manageURL)
		m.ics(t)
	}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("kinds in name order %q, want %q", kinds, wantKinds)
	}
	info, err := os.Stat(filepath.Join(dir, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600: the files hold personal data", info.Mode())
	}
}

// Names stay unique within one instant.
func TestFileSenderUniqueNames(t *testing.T) {
	dir := t.TempDir()
	s := &cmail.FileSender{Dir: dir, Now: func() time.Time { return time.Date(2025, 9, 4, 16, 0, 0, 0, time.UTC) }}
	msg := mustCompose(t, confirmation())
	for range 20 {
		if err := s.Send(context.Background(), msg); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 20 {
		t.Errorf("%d files, want 20", len(entries))
	}
}

func TestFileSenderErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := cmail.NewFileSender(t.TempDir())
	if err := s.Send(ctx, mustCompose(t, confirmation())); !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context = %v", err)
	}

	file := filepath.Join(t.TempDir(), "kein-verzeichnis")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := cmail.NewFileSender(file).Send(context.Background(), mustCompose(t, confirmation()))
	if err == nil || !strings.HasPrefix(err.Error(), "mail.FileSender.Send: ") {
		t.Errorf("Send into a file = %v, want an error naming the operation", err)
	}
}
