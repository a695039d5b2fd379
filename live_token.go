package cyberlotse

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// LiveTokens issues and checks the anonymous tokens of live-session
// participants: a random participant id, the event it is valid for and
// an expiry, signed with an HMAC. Nothing of it is stored and nothing in
// it points to a person or a registration.
type LiveTokens struct {
	key []byte
	TTL time.Duration // how long a token is valid; DefaultLiveTokenTTL if 0
}

// DefaultLiveTokenTTL covers a talk and its questions afterwards.
const DefaultLiveTokenTTL = 12 * time.Hour

// NewLiveTokens returns a signer with a secret key of at least 32 bytes.
func NewLiveTokens(key []byte) *LiveTokens { return &LiveTokens{key: key} }

func (t *LiveTokens) mac(payload string) []byte {
	h := hmac.New(sha256.New, t.key)
	h.Write([]byte("live:" + payload))
	return h.Sum(nil)[:18]
}

// Issue returns a token for participant in the event's session, valid
// from now for the TTL.
func (t *LiveTokens) Issue(eventID, participant string, now time.Time) string {
	ttl := t.TTL
	if ttl == 0 {
		ttl = DefaultLiveTokenTTL
	}
	payload := eventID + "|" + participant + "|" + strconv.FormatInt(now.Add(ttl).Unix(), 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(t.mac(payload))
}

// Verify returns the participant of a token valid for the event at now.
// A forged, foreign or expired token is UNAUTHENTICATED.
func (t *LiveTokens) Verify(token, eventID string, now time.Time) (string, error) {
	participant, _, err := t.VerifyUntil(token, eventID, now)
	return participant, err
}

// VerifyUntil is Verify that also says until when the token is valid, for
// a subscription that checks it once and then only watches the time.
func (t *LiveTokens) VerifyUntil(token, eventID string, now time.Time) (string, time.Time, error) {
	enc := base64.RawURLEncoding
	payloadPart, macPart, ok := strings.Cut(strings.TrimSpace(token), ".")
	payload, err1 := enc.DecodeString(payloadPart)
	mac, err2 := enc.DecodeString(macPart)
	if !ok || err1 != nil || err2 != nil || !hmac.Equal(mac, t.mac(string(payload))) {
		return "", time.Time{}, Errorf(EUNAUTH, "%s", msgBadLiveToken)
	}
	parts := strings.Split(string(payload), "|")
	if len(parts) != 3 || parts[0] != eventID || parts[1] == "" {
		return "", time.Time{}, Errorf(EUNAUTH, "%s", msgBadLiveToken)
	}
	expires, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || !now.Before(time.Unix(expires, 0)) {
		return "", time.Time{}, Errorf(EUNAUTH, "%s", msgExpiredLiveToken)
	}
	return parts[1], time.Unix(expires, 0), nil
}
