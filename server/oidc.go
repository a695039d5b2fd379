package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Authenticator turns a bearer token into an identity.
type Authenticator interface {
	Authenticate(token string) (*cyberlotse.Identity, error)
}

// OIDCTokens verifies RS256 and ES256 tokens of an OpenID Connect issuer
// against its published keys (JWKS). Keys are fetched on first use and
// again when a token names an unknown key id, so key rotation needs no
// restart; refetching is limited to once a minute.
type OIDCTokens struct {
	Issuer   string // OIDC_ISSUER
	Audience string // OIDC_AUDIENCE
	Client   *http.Client
	Now      func() time.Time

	mu      sync.Mutex
	keys    map[string]any // kid → *rsa.PublicKey or *ecdsa.PublicKey
	fetched time.Time
}

func (o *OIDCTokens) Authenticate(token string) (*cyberlotse.Identity, error) {
	// The roles and scopes use the same claim names as local tokens.
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, o.key,
		jwt.WithValidMethods([]string{"RS256", "ES256"}), jwt.WithIssuer(o.Issuer), jwt.WithAudience(o.Audience),
		jwt.WithTimeFunc(o.Now), jwt.WithExpirationRequired())
	return c.identity(err)
}

func (o *OIDCTokens) key(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	o.mu.Lock()
	defer o.mu.Unlock()
	if k, ok := o.keys[kid]; ok {
		return k, nil
	}
	if !o.fetched.IsZero() && o.Now().Sub(o.fetched) < time.Minute {
		return nil, fmt.Errorf("unknown key id %q", kid)
	}
	keys, err := o.fetch()
	o.fetched = o.Now()
	if err != nil {
		return nil, err
	}
	o.keys = keys
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown key id %q", kid)
}

// fetch reads the issuer's discovery document and its JWKS.
func (o *OIDCTokens) fetch() (map[string]any, error) {
	var disc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := o.getJSON(strings.TrimSuffix(o.Issuer, "/")+"/.well-known/openid-configuration", &disc); err != nil {
		return nil, err
	}
	if disc.Issuer != o.Issuer {
		return nil, fmt.Errorf("oidc: discovery names issuer %q, want %q", disc.Issuer, o.Issuer)
	}
	var set struct {
		Keys []struct {
			Kid, Kty, Use, Crv, N, E, X, Y string
		} `json:"keys"`
	}
	if err := o.getJSON(disc.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := map[string]any{}
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		switch k.Kty {
		case "RSA":
			n, err1 := base64.RawURLEncoding.DecodeString(k.N)
			e, err2 := base64.RawURLEncoding.DecodeString(k.E)
			if err1 == nil && err2 == nil {
				keys[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
			}
		case "EC":
			x, err1 := base64.RawURLEncoding.DecodeString(k.X)
			y, err2 := base64.RawURLEncoding.DecodeString(k.Y)
			if err1 == nil && err2 == nil && k.Crv == "P-256" {
				keys[k.Kid] = &ecdsa.PublicKey{Curve: elliptic.P256(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
			}
		}
	}
	return keys, nil
}

func (o *OIDCTokens) getJSON(url string, v any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := o.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("oidc: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("oidc: GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Authenticators accepts local HS256 tokens (server token) and, when an
// issuer is configured, the issuer's RS256/ES256 tokens, by signing method.
type Authenticators struct {
	Local *HS256Tokens
	OIDC  *OIDCTokens // nil without OIDC_ISSUER
}

func (a Authenticators) Authenticate(token string) (*cyberlotse.Identity, error) {
	alg := ""
	if t, _, err := jwt.NewParser().ParseUnverified(token, jwt.MapClaims{}); err == nil {
		alg, _ = t.Header["alg"].(string)
	}
	if a.OIDC != nil && (alg == "RS256" || alg == "ES256") {
		return a.OIDC.Authenticate(token)
	}
	return a.Local.Authenticate(token)
}
