package graph

import "testing"

// Global IDs come from clients: anything decodes to a known type and a
// key, or to nothing; what globalID makes comes back unchanged.
func FuzzParseGlobalID(f *testing.F) {
	for _, s := range []string{globalID("Region", "kalletal"), globalID("Event", "a:b"), "???", "", "UmVnaW9uOg", "kalletal"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		typ, key, ok := parseGlobalID(id)
		if !ok {
			if keyOf(id, "Region") != id {
				t.Fatalf("keyOf(%q) changed an id that is no global ID", id)
			}
			return
		}
		if !knownType[typ] || key == "" {
			t.Fatalf("parseGlobalID(%q) = %q, %q", id, typ, key)
		}
		if t2, k2, ok := parseGlobalID(globalID(typ, key)); !ok || t2 != typ || k2 != key {
			t.Fatalf("round trip of %q/%q gives %q/%q", typ, key, t2, k2)
		}
	})
}
