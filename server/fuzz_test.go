package main

import (
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Bearer tokens come from anyone: only the claims this server signed give
// an identity (base64 may spell the same signature more than one way);
// everything else is UNAUTHENTICATED.
func FuzzAuthenticate(f *testing.F) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tokens := &HS256Tokens{Key: []byte(strings.Repeat("k", 32)), Now: func() time.Time { return now }}
	good, err := tokens.Issue(cyberlotse.Identity{Subject: "mgr", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}, time.Hour)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, good[:len(good)-2], "a.b.c", "", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
		strings.Replace(good, ".", "..", 1)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, err := tokens.Authenticate(token)
		switch {
		case err == nil && (id.Subject != "mgr" || len(id.Roles) != 1 || id.Roles[0] != cyberlotse.RoleAdmin):
			t.Fatalf("claims the server did not sign were accepted: %q → %+v", token, id)
		case err != nil && cyberlotse.ErrorCode(err) != cyberlotse.EUNAUTH:
			t.Fatalf("Authenticate(%q): %v, want UNAUTHENTICATED", token, err)
		}
	})
}
