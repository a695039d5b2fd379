package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/server/mail/smtptest"
)

func TestRolloutCSVReport(t *testing.T) {
	srv := smtptest.Start(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	m, h := newTestMain(t, c, srv)
	tok, _ := m.Auth.Issue(cyberlotse.Identity{Subject: "mgr", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager},
		RegionIDs: []string{"bergisches-staedtedreieck"}}, time.Hour)
	get := func(token, query string) (int, string) {
		req := httptest.NewRequest(http.MethodGet, "/reports/rollout.csv"+query, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		b, _ := io.ReadAll(rec.Body)
		return rec.Code, string(b)
	}
	code, body := get(tok, "?region=bergisches-staedtedreieck,kalletal")
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if code != 200 || len(lines) != 27 || !strings.HasPrefix(lines[0], "\ufeffRegion;Maßnahme;Status") ||
		!strings.HasPrefix(lines[1], "bergisches-staedtedreieck;M01;") || !strings.HasPrefix(lines[26], "kalletal;M13;") {
		t.Errorf("report: %d, %d lines: %q", code, len(lines), lines[:min(3, len(lines))])
	}
	if f := strings.Split(lines[min(1, len(lines)-1)], ";"); len(f) != 12 || !strings.Contains(lines[0], ";Unternehmen;Reichweite Stand;Satelliten;") ||
		!regexp.MustCompile(`^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$`).MatchString(f[min(8, len(f)-1)]) {
		t.Errorf("reach columns: %q / %q", lines[0], lines[min(1, len(lines)-1)])
	}
	if code, _ := get("", "?region=kalletal"); code != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", code)
	}
	other, _ := m.Auth.Issue(cyberlotse.Identity{Subject: "x", Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, RegionIDs: []string{"andere"}}, time.Hour)
	if code, _ := get(other, "?region=kalletal"); code != http.StatusForbidden {
		t.Errorf("other manager: %d", code)
	}
}
