package graph

import (
	"encoding/base64"
	"strings"

	"github.com/cyberlotse/cyberlotse/graph/model"
)

// Relay global IDs are base64url("Type:key"): opaque to clients, stable,
// and decodable without a lookup.

func globalID(typ, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(typ + ":" + key))
}

// parseGlobalID returns the type and key of a global ID; ok is false for
// anything that is not one.
func parseGlobalID(id string) (typ, key string, ok bool) {
	b, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil {
		return "", "", false
	}
	typ, key, ok = strings.Cut(string(b), ":")
	if !ok || key == "" || !knownType[typ] {
		return "", "", false
	}
	return typ, key, true
}

var knownType = map[string]bool{
	"GovRegion": true, "District": true, "Municipality": true, "Region": true, "Organization": true,
	"Contact": true, "Event": true, "Measure": true, "Offer": true, "Topic": true, "Registration": true,
}

// keyOf accepts either a global ID of type typ or the plain key (slug), so
// that region(id: "bergisches-staedtedreieck") works as well as a Relay ID.
func keyOf(id, typ string) string {
	if t, key, ok := parseGlobalID(id); ok && t == typ {
		return key
	}
	return id
}

func pageInfo(cursors []string, hasNext bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext}
	if len(cursors) > 0 {
		pi.StartCursor, pi.EndCursor = &cursors[0], &cursors[len(cursors)-1]
	}
	return pi
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
