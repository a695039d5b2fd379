package cyberlotse

import (
	"context"
	"fmt"
	"strings"
)

// ResolvePlace turns a PlaceQuery into exactly one municipality, or an
// EINVALID error that says which forms are accepted or which
// municipalities a postcode or name could mean.
func ResolvePlace(ctx context.Context, store MatchStore, q PlaceQuery) (*Municipality, *Company, error) {
	if q.AGS == nil && q.Postcode == nil && q.Town == nil && q.CompanyID == nil {
		return nil, nil, Errorf(EINVALID, "%s", msgPlaceMissing)
	}
	if q.Town != nil {
		t := strings.TrimSpace(*q.Town)
		if t == "" || len(t) > 100 {
			return nil, nil, Errorf(EINVALID, "%s", msgPlaceMissing)
		}
		q.Town = &t
	}
	places, company, err := store.Places(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	switch len(places) {
	case 0:
		return nil, nil, &Error{Code: EINVALID, Message: fmt.Sprintf(msgPlaceUnknown, describePlace(q)),
			Details: map[string]any{"reason": "UNKNOWN_PLACE"}}
	case 1:
		return places[0], company, nil
	}
	var names []string
	var candidates []map[string]string
	for _, m := range places {
		names = append(names, fmt.Sprintf("%s (ags %s)", m.Name, m.AGS))
		candidates = append(candidates, map[string]string{"ags": string(m.AGS), "name": m.Name})
	}
	return nil, nil, &Error{Code: EINVALID,
		Message: fmt.Sprintf(msgPlaceAmbiguous, describePlace(q), strings.Join(names, ", ")),
		Details: map[string]any{"reason": "AMBIGUOUS_PLACE", "candidates": candidates}}
}

func describePlace(q PlaceQuery) string {
	switch {
	case q.AGS != nil:
		return "Der Gemeindeschlüssel " + string(*q.AGS)
	case q.Postcode != nil && q.Town != nil:
		return fmt.Sprintf("Die Postleitzahl %s mit dem Ort „%s“", *q.Postcode, *q.Town)
	case q.Postcode != nil:
		return "Die Postleitzahl " + string(*q.Postcode)
	case q.Town != nil:
		return fmt.Sprintf("Der Ort „%s“", *q.Town)
	}
	return "Das Unternehmen " + *q.CompanyID
}

var umlauts = strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss")

// FoldPlaceName lowers a place name and spells out umlauts, so that
// "Muenster" finds Münster. The store runs the same folding in Cypher.
func FoldPlaceName(s string) string { return umlauts.Replace(strings.ToLower(strings.TrimSpace(s))) }
