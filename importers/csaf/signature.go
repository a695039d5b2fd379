package csaf

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ProtonMail/gopenpgp/v2/crypto"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Keys are the OpenPGP public keys a provider signs its advisories with
// (provider-metadata.json names them under public_openpgp_keys). The
// signatures are checked with gopenpgp, as the CSAF library's own
// downloader does.
type Keys struct{ ring *crypto.KeyRing }

// LoadKeys reads ASCII-armored public keys.
func LoadKeys(armored ...string) (*Keys, error) {
	if len(armored) == 0 {
		return nil, errors.New("csaf: no OpenPGP key")
	}
	ring, err := crypto.NewKeyRing(nil)
	if err != nil {
		return nil, err
	}
	for i, a := range armored {
		k, err := crypto.NewKeyFromArmored(a)
		if err != nil {
			return nil, fmt.Errorf("csaf: OpenPGP key %d: %w", i+1, err)
		}
		if err := ring.AddKey(k); err != nil {
			return nil, fmt.Errorf("csaf: OpenPGP key %d: %w", i+1, err)
		}
	}
	return &Keys{ring: ring}, nil
}

// checkFingerprint compares an armored key's fingerprint with the one
// the provider metadata lists for it (if any).
func checkFingerprint(armored, want string) error {
	if want == "" {
		return nil
	}
	k, err := crypto.NewKeyFromArmored(armored)
	if err != nil {
		return err
	}
	if got := k.GetFingerprint(); !strings.EqualFold(got, strings.ReplaceAll(want, " ", "")) {
		return fmt.Errorf("Fingerabdruck %s passt nicht zum angegebenen %s", got, want)
	}
	return nil
}

// Check verifies the document's detached signature (NAME.json.asc) at
// time at; a missing or bad signature is a *Rejection.
func (k *Keys) Check(d Document, at time.Time) error {
	if len(d.Signature) == 0 {
		return reject(d.Source, cyberlotse.TextAdvisoryNoSignature)
	}
	sig, err := crypto.NewPGPSignatureFromArmored(string(d.Signature))
	if err != nil {
		return reject(d.Source, cyberlotse.TextAdvisoryBadSignature, err)
	}
	if err := k.ring.VerifyDetached(crypto.NewPlainMessage(d.Data), sig, at.Unix()); err != nil {
		return reject(d.Source, cyberlotse.TextAdvisoryBadSignature, err)
	}
	return nil
}

// TestKey is a throwaway signing key for tests of every layer.
type TestKey struct{ ring *crypto.KeyRing }

// NewTestKey generates a fresh key (x25519, fast).
func NewTestKey() (*TestKey, error) {
	k, err := crypto.GenerateKey("Test-CERT", "csaf@example.test", "x25519", 0)
	if err != nil {
		return nil, err
	}
	ring, err := crypto.NewKeyRing(k)
	if err != nil {
		return nil, err
	}
	return &TestKey{ring: ring}, nil
}

// Fingerprint is the key's fingerprint (hex).
func (t *TestKey) Fingerprint() string { return t.ring.GetKeys()[0].GetFingerprint() }

// Public is the armored public key.
func (t *TestKey) Public() (string, error) {
	k, err := t.ring.GetKey(0)
	if err != nil {
		return "", err
	}
	return k.GetArmoredPublicKey()
}

// Sign returns the armored detached signature of data.
func (t *TestKey) Sign(data []byte) (string, error) {
	sig, err := t.ring.SignDetached(crypto.NewPlainMessage(data))
	if err != nil {
		return "", err
	}
	return sig.GetArmored()
}
