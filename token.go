package cyberlotse

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// ManageTokens signs and checks the tokens of manage links: whoever holds
// the link may see, cancel, export and delete the registration's person
// data. A token is the registration id and an HMAC of it; no account needed.
type ManageTokens struct{ key []byte }

// NewManageTokens returns a signer with a secret key of at least 32 bytes.
func NewManageTokens(key []byte) *ManageTokens { return &ManageTokens{key: key} }

func (t *ManageTokens) mac(id string) []byte {
	h := hmac.New(sha256.New, t.key)
	h.Write([]byte("registration:" + id))
	return h.Sum(nil)[:18]
}

// Sign returns the token for a registration id.
func (t *ManageTokens) Sign(registrationID string) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(registrationID)) + "." + enc.EncodeToString(t.mac(registrationID))
}

// Verify returns the registration id of a valid token.
func (t *ManageTokens) Verify(token string) (string, error) {
	enc := base64.RawURLEncoding
	idPart, macPart, ok := strings.Cut(strings.TrimSpace(token), ".")
	id, err1 := enc.DecodeString(idPart)
	mac, err2 := enc.DecodeString(macPart)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, t.mac(string(id))) {
		return "", Errorf(EUNAUTH, "%s", msgBadManageToken)
	}
	return string(id), nil
}
