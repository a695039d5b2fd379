package cyberlotse

import (
	"strings"
	"testing"
	"time"
)

func TestIncidentInputValidate(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ok := func() IncidentInput {
		return IncidentInput{What: " Ransomware ", Since: now.Add(-time.Hour), Reached: []Notification{{PartyPolice, now}}}
	}
	in := ok()
	if err := in.Validate(now); err != nil || in.What != "Ransomware" {
		t.Fatalf("%v %q", err, in.What)
	}
	for name, c := range map[string]struct {
		change func(*IncidentInput)
		field  string
	}{
		"empty what":   {func(i *IncidentInput) { i.What = "  " }, "what"},
		"long what":    {func(i *IncidentInput) { i.What = strings.Repeat("x", 2001) }, "what"},
		"no since":     {func(i *IncidentInput) { i.Since = time.Time{} }, "since"},
		"future since": {func(i *IncidentInput) { i.Since = now.Add(6 * time.Minute) }, "since"},
		"long systems": {func(i *IncidentInput) { i.Systems = strings.Repeat("x", 1001) }, "systems"},
		"twice":        {func(i *IncidentInput) { i.Reached = append(i.Reached, Notification{PartyPolice, now}) }, "reached"},
		"unknown":      {func(i *IncidentInput) { i.Reached = []Notification{{"PRESSE", now}} }, "reached"},
		"future at":    {func(i *IncidentInput) { i.Reached = []Notification{{PartyCERTNRW, now.Add(time.Hour)}} }, "reached"},
		"no at":        {func(i *IncidentInput) { i.Reached = []Notification{{PartyCERTNRW, time.Time{}}} }, "reached"},
	} {
		in := ok()
		c.change(&in)
		err := in.Validate(now)
		var e *Error
		if ErrorCode(err) != EINVALID || !asError(err, &e) || e.Details["field"] != c.field {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func asError(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func TestHandoverLinkLife(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	l, token, err := NewHandoverLink("l", "i", " CERT NRW ", "isb", now)
	if err != nil || l.Label != "CERT NRW" {
		t.Fatal(err, l)
	}
	// 256 random bits, URL-safe; only the hash is kept.
	if len(token) != 43 || strings.ContainsAny(string(token), "+/=") || l.TokenHash != token.Hash() || strings.Contains(l.TokenHash, string(token)) {
		t.Errorf("token %q hash %q", token, l.TokenHash)
	}
	if NewHandoverToken() == token || HandoverToken(string(token)+"A").Hash() != "" || HandoverToken("").Hash() != "" {
		t.Error("tokens must be fresh and only the canonical form hashes")
	}
	for _, c := range []struct {
		at   time.Duration
		want HandoverState
	}{{0, HandoverActive}, {7*24*time.Hour - time.Second, HandoverActive}, {7 * 24 * time.Hour, HandoverActive},
		{7*24*time.Hour + time.Second, HandoverExpired}} {
		if got := l.State(now.Add(c.at)); got != c.want {
			t.Errorf("after %v: %s, want %s", c.at, got, c.want)
		}
	}
	l.RevokedAt = now.Add(time.Hour)
	if l.State(now.Add(8*24*time.Hour)) != HandoverRevoked || ErrorCode(HandoverRefusal(HandoverRevoked)) != EHANDOVERREVOKED ||
		ErrorCode(HandoverRefusal(HandoverExpired)) != EHANDOVEREXPIRED || HandoverRefusal(HandoverActive) != nil {
		t.Error("revoked wins; refusals carry their codes")
	}
	if _, _, err := NewHandoverLink("l", "i", " ", "isb", now); ErrorCode(err) != EINVALID {
		t.Errorf("empty label: %v", err)
	}
	if _, _, err := NewHandoverLink("l", "i", strings.Repeat("x", 81), "isb", now); ErrorCode(err) != EINVALID {
		t.Errorf("long label: %v", err)
	}
}
