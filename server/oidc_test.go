package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// oidcIssuer is a local OpenID Connect oidcIssuer: discovery and a JWKS whose keys
// tests can rotate.
type oidcIssuer struct {
	srv  *httptest.Server
	mu   sync.Mutex
	keys []map[string]string
}

func newIssuer(t *testing.T) *oidcIssuer {
	is := &oidcIssuer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": is.srv.URL, "jwks_uri": is.srv.URL + "/jwks"})
	})
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"keys": is.keys})
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func (is *oidcIssuer) addRSA(t *testing.T, kid string) *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is.mu.Lock()
	is.keys = append(is.keys, map[string]string{"kid": kid, "kty": "RSA", "use": "sig",
		"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())})
	is.mu.Unlock()
	return k
}

func (is *oidcIssuer) addEC(t *testing.T, kid string) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	is.mu.Lock()
	is.keys = append(is.keys, map[string]string{"kid": kid, "kty": "EC", "crv": "P-256",
		"x": b64(k.X.FillBytes(make([]byte, 32))), "y": b64(k.Y.FillBytes(make([]byte, 32)))})
	is.mu.Unlock()
	return k
}

func sign(t *testing.T, method jwt.SigningMethod, kid string, key any, iss, aud string, exp time.Time) string {
	c := claims{Roles: []cyberlotse.Role{cyberlotse.RoleRegionalManager}, Regions: []string{"bergisches-staedtedreieck"},
		RegisteredClaims: jwt.RegisteredClaims{Subject: "sso-user", Issuer: iss, Audience: jwt.ClaimStrings{aud},
			ExpiresAt: jwt.NewNumericDate(exp)}}
	tok := jwt.NewWithClaims(method, c)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestOIDCTokensWithKeyRotation(t *testing.T) {
	is := newIssuer(t)
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	rsaKey := is.addRSA(t, "k1")
	o := &OIDCTokens{Issuer: is.srv.URL, Audience: "cyberlotse", Now: c.Now}
	auth := Authenticators{Local: &HS256Tokens{Key: []byte(strings.Repeat("s", 32)), Now: c.Now}, OIDC: o}
	exp := c.Now().Add(time.Hour)

	id, err := auth.Authenticate(sign(t, jwt.SigningMethodRS256, "k1", rsaKey, is.srv.URL, "cyberlotse", exp))
	if err != nil || id.Subject != "sso-user" || !id.Has(cyberlotse.RoleRegionalManager) || id.RegionIDs[0] != "bergisches-staedtedreieck" {
		t.Fatalf("RS256: %+v %v", id, err)
	}
	// The oidcIssuer rotates to a new EC key; a token with the new kid is
	// accepted after a refetch (at most once a minute).
	ecKey := is.addEC(t, "k2")
	c.Add(2 * time.Minute)
	if _, err := auth.Authenticate(sign(t, jwt.SigningMethodES256, "k2", ecKey, is.srv.URL, "cyberlotse", c.Now().Add(time.Hour))); err != nil {
		t.Fatalf("ES256 after rotation: %v", err)
	}
	for name, tok := range map[string]string{
		"wrong audience":   sign(t, jwt.SigningMethodRS256, "k1", rsaKey, is.srv.URL, "someone-else", c.Now().Add(time.Hour)),
		"wrong oidcIssuer": sign(t, jwt.SigningMethodRS256, "k1", rsaKey, "https://evil.example", "cyberlotse", c.Now().Add(time.Hour)),
		"expired":          sign(t, jwt.SigningMethodRS256, "k1", rsaKey, is.srv.URL, "cyberlotse", c.Now().Add(-time.Minute)),
		"unknown key":      sign(t, jwt.SigningMethodRS256, "k9", rsaKey, is.srv.URL, "cyberlotse", c.Now().Add(time.Hour)),
		"alg none":         "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwicm9sZXMiOlsiQURNSU4iXX0.",
	} {
		if _, err := auth.Authenticate(tok); cyberlotse.ErrorCode(err) != cyberlotse.EUNAUTH {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
