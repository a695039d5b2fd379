package cyberlotse

import (
	"encoding/base64"
	"encoding/json"
)

// Page sizes for Relay connections.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// Page asks for up to First items after the item identified by After.
type Page struct {
	First int
	After *Cursor
}

// Cursor is a keyset position in an ordered list: the sort key values of
// the last item seen. Keyset cursors stay correct when items are inserted
// before the position, unlike offsets.
type Cursor struct {
	Keys []string `json:"k"`
}

// NewPage validates the Relay arguments first and after.
func NewPage(first *int, after *string) (Page, error) {
	p := Page{First: DefaultPageSize}
	if first != nil {
		if *first < 1 || *first > MaxPageSize {
			return Page{}, Errorf(EINVALID, "%s", msgPageSize(MaxPageSize))
		}
		p.First = *first
	}
	if after != nil && *after != "" {
		c, err := DecodeCursor(*after)
		if err != nil {
			return Page{}, err
		}
		p.After = &c
	}
	return p, nil
}

// Encode returns the opaque string form of c.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses the opaque form made by Encode.
func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || len(c.Keys) == 0 {
		return Cursor{}, Errorf(EINVALID, "%s", msgBadCursor)
	}
	return c, nil
}

// Key returns the i-th key of the cursor, or "" when it has fewer keys.
func (c *Cursor) Key(i int) string {
	if c == nil || i >= len(c.Keys) {
		return ""
	}
	return c.Keys[i]
}
