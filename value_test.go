package cyberlotse_test

import (
	"testing"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

func TestParseAGS(t *testing.T) {
	for in, ok := range map[string]bool{"05766036": true, " 05120000 ": true, "5766036": false, "06411000": false, "0576603a": false, "": false} {
		_, err := cyberlotse.ParseAGS(in)
		if (err == nil) != ok {
			t.Errorf("ParseAGS(%q) err = %v, want ok %v", in, err, ok)
		}
		if err != nil && cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
			t.Errorf("ParseAGS(%q) code = %s", in, cyberlotse.ErrorCode(err))
		}
	}
	if a, _ := cyberlotse.ParseAGS("05766036"); a.District() != "05766" {
		t.Errorf("district of Kalletal = %s", a.District())
	}
}

func TestParsePostcodeAndMeasureCode(t *testing.T) {
	if _, err := cyberlotse.ParsePostcode("32689"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"3268", "326890", "abcde"} {
		if _, err := cyberlotse.ParsePostcode(bad); err == nil {
			t.Errorf("ParsePostcode(%q) accepted", bad)
		}
	}
	for code, ok := range map[string]bool{"M01": true, "M09": true, "M13": true, "M00": false, "M14": false, "m01": false} {
		if _, err := cyberlotse.ParseMeasureCode(code); (err == nil) != ok {
			t.Errorf("ParseMeasureCode(%q) err = %v", code, err)
		}
	}
}

func TestPageAndCursor(t *testing.T) {
	p, err := cyberlotse.NewPage(nil, nil)
	if err != nil || p.First != cyberlotse.DefaultPageSize || p.After != nil {
		t.Errorf("default page = %+v, %v", p, err)
	}
	c := cyberlotse.Cursor{Keys: []string{"Kalletal", "05766036"}}
	s := c.Encode()
	first := 5
	p, err = cyberlotse.NewPage(&first, &s)
	if err != nil || p.First != 5 || p.After.Key(0) != "Kalletal" || p.After.Key(1) != "05766036" || p.After.Key(2) != "" {
		t.Errorf("page = %+v, %v", p, err)
	}
	for _, bad := range []int{0, -1, 101} {
		if _, err := cyberlotse.NewPage(&bad, nil); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
			t.Errorf("first=%d: err = %v", bad, err)
		}
	}
	junk := "%%%"
	if _, err := cyberlotse.NewPage(nil, &junk); cyberlotse.ErrorCode(err) != cyberlotse.EINVALID {
		t.Errorf("junk cursor: err = %v", err)
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	err := cyberlotse.NotFound(cyberlotse.KindEvent, "x")
	if cyberlotse.ErrorCode(err) != cyberlotse.ENOTFOUND || cyberlotse.ErrorMessage(err) != "Veranstaltung „x“ wurde nicht gefunden." {
		t.Errorf("%v", err)
	}
	other := errMock("driver: connection refused at 10.0.0.1")
	if cyberlotse.ErrorCode(other) != cyberlotse.EINTERNAL || cyberlotse.ErrorMessage(other) != cyberlotse.MsgInternal {
		t.Errorf("internal error leaks: %s", cyberlotse.ErrorMessage(other))
	}
}

type errMock string

func (e errMock) Error() string { return string(e) }

func TestNetworkValidateFindsBrokenReferences(t *testing.T) {
	n := &cyberlotse.Network{
		GovRegions:     []*cyberlotse.GovRegion{{Key: "Detmold"}},
		Districts:      []*cyberlotse.District{{Key: "05766", GovRegionKey: "Detmold"}},
		Municipalities: []*cyberlotse.Municipality{{AGS: "05766036", DistrictKey: "05766"}},
		Organizations:  []*cyberlotse.Organization{{ID: "org"}},
		Regions: []*cyberlotse.Region{
			{ID: "model", Kind: cyberlotse.ModelRegion, ManagerID: "org"},
			{ID: "sat", Kind: cyberlotse.Satellite, ManagerID: "nobody", SatelliteOfID: "model"},
		},
		RegionMembers: map[string][]cyberlotse.AGS{"model": {"05766036"}, "sat": {"05999999"}},
		Contacts:      []*cyberlotse.Contact{{ID: "c", OrganizationID: "org", Responsibilities: []cyberlotse.Responsibility{{Level: cyberlotse.LevelDistrict, Key: "05111"}}}},
	}
	err := n.Validate()
	if err == nil {
		t.Fatal("broken network validated")
	}
	for _, want := range []string{`region sat: unknown manager "nobody"`, `region sat: unknown municipality "05999999"`, `contact c: unknown responsibility DISTRICT "05111"`} {
		if !contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Bad Oeynhausen": "bad-oeynhausen", "Münster": "muenster", "Planspiel: Ransomware!": "planspiel-ransomware",
		"  Straße 42 ": "strasse-42", "Halle (Westf.)": "halle-westf",
	} {
		if got := cyberlotse.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
