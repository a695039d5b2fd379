package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// claims are the bearer token's claims: roles with their scopes.
type claims struct {
	Roles   []cyberlotse.Role `json:"roles"`
	Orgs    []string          `json:"orgs,omitempty"`
	Regions []string          `json:"regions,omitempty"`
	Company string            `json:"company,omitempty"`
	// AGS are the municipalities of a MUNICIPAL_ISB: a list, or one
	// string as some identity providers write single-valued claims.
	AGS stringList `json:"ags,omitempty"`
	jwt.RegisteredClaims
}

const issuer = "cyberlotse"

// HS256Tokens issues and verifies locally signed bearer tokens (JWT, HS256).
type HS256Tokens struct {
	Key []byte
	Now func() time.Time
}

// Issue signs a token for id, valid for ttl.
func (h *HS256Tokens) Issue(id cyberlotse.Identity, ttl time.Duration) (string, error) {
	now := h.Now()
	c := claims{Roles: id.Roles, Orgs: id.OrganizationIDs, Regions: id.RegionIDs, Company: id.CompanyID, AGS: agsStrings(id.AGS),
		RegisteredClaims: jwt.RegisteredClaims{Subject: id.Subject, Issuer: issuer,
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(h.Key)
}

// Authenticate verifies a token and returns its identity; expired,
// malformed or wrongly signed tokens are EUNAUTH with a German reason.
func (h *HS256Tokens) Authenticate(token string) (*cyberlotse.Identity, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) { return h.Key, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(issuer), jwt.WithTimeFunc(h.Now),
		jwt.WithExpirationRequired())
	return c.identity(err)
}

// identity turns verified claims into the caller, or a parse error into
// EUNAUTH with a German reason (expired tokens say so).
func (c *claims) identity(err error) (*cyberlotse.Identity, error) {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, cyberlotse.Errorf(cyberlotse.EUNAUTH, "Ihr Zugangstoken ist abgelaufen. Bitte melden Sie sich erneut an.")
	case err != nil:
		return nil, cyberlotse.Errorf(cyberlotse.EUNAUTH, "Ihr Zugangstoken ist ungültig. Bitte melden Sie sich erneut an.")
	}
	var ags []cyberlotse.AGS
	for _, s := range c.AGS {
		a, err := cyberlotse.ParseAGS(s)
		if err != nil {
			return nil, cyberlotse.Errorf(cyberlotse.EUNAUTH, "Ihr Zugangstoken nennt mit „%s“ keinen gültigen Gemeindeschlüssel (ags). Bitte wenden Sie sich an Ihre Administration.", s)
		}
		ags = append(ags, a)
	}
	return &cyberlotse.Identity{Subject: c.Subject, Roles: c.Roles, OrganizationIDs: c.Orgs,
		RegionIDs: c.Regions, CompanyID: c.Company, AGS: ags}, nil
}

// stringList is a claim that is a list of strings or a single string.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

func agsStrings(ags []cyberlotse.AGS) stringList {
	var out stringList
	for _, a := range ags {
		out = append(out, string(a))
	}
	return out
}

// authenticate puts the caller's identity into the request context. No
// Authorization header: anonymous. A bad token is refused with 401 before
// any resolver runs, so a client never silently acts anonymously.
func authenticate(tokens Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Header.Get("Authorization")
		if h == "" {
			next.ServeHTTP(w, r)
			return
		}
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			writeGraphQLError(w, http.StatusUnauthorized, cyberlotse.EUNAUTH, cyberlotse.MsgUnauthenticated)
			return
		}
		id, err := tokens.Authenticate(strings.TrimSpace(raw))
		if err != nil {
			writeGraphQLError(w, http.StatusUnauthorized, cyberlotse.EUNAUTH, cyberlotse.ErrorMessage(err))
			return
		}
		next.ServeHTTP(w, r.WithContext(cyberlotse.NewContextWithIdentity(r.Context(), id)))
	})
}

func writeGraphQLError(w http.ResponseWriter, status int, code cyberlotse.Code, message string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{
		"message": message, "extensions": map[string]string{"code": string(code)}}}})
}

// secret returns the value of env, or a random secret kept in file under
// dir (created on first use, readable only by the owner), so that `make
// run` works without configuration and tokens survive restarts.
func secret(env, dir, file string) ([]byte, error) {
	if v := os.Getenv(env); v != "" {
		if len(v) < 32 {
			return nil, fmt.Errorf("%s must be at least 32 characters", env)
		}
		return []byte(v), nil
	}
	path := filepath.Join(dir, file)
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return nil, err
	}
	key := []byte(hex.EncodeToString(buf))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	return key, os.WriteFile(path, key, 0o600)
}
