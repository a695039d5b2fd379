package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// tokenCommand prints a locally signed bearer token, e.g.
// server token --role ORGANIZER --org gemeinde-kalletal --ttl 8h
// server token --role MUNICIPAL_ISB --ags 05766036
func tokenCommand(m *Main, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "ADMIN, REGIONAL_MANAGER, ORGANIZER, COMPANY_MEMBER or MUNICIPAL_ISB")
	subject := fs.String("subject", "", "who the token is for (default: the role)")
	orgs := fs.String("org", "", "organization ids for ORGANIZER, comma-separated")
	regions := fs.String("region", "", "region ids for REGIONAL_MANAGER, comma-separated")
	company := fs.String("company", "", "company id for COMPANY_MEMBER")
	ags := fs.String("ags", "", "municipality keys (AGS) for MUNICIPAL_ISB, comma-separated")
	ttl := fs.Duration("ttl", 8*time.Hour, "validity")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r := cyberlotse.Role(strings.ToUpper(*role))
	switch r {
	case cyberlotse.RoleAdmin, cyberlotse.RoleRegionalManager, cyberlotse.RoleOrganizer, cyberlotse.RoleCompanyMember,
		cyberlotse.RoleMunicipalISB:
	default:
		return errors.New("--role must be ADMIN, REGIONAL_MANAGER, ORGANIZER, COMPANY_MEMBER or MUNICIPAL_ISB")
	}
	var municipalities []cyberlotse.AGS
	for _, s := range split(*ags) {
		a, err := cyberlotse.ParseAGS(s)
		if err != nil {
			return fmt.Errorf("--ags %s: %s", s, cyberlotse.ErrorMessage(err))
		}
		municipalities = append(municipalities, a)
	}
	if r == cyberlotse.RoleMunicipalISB && len(municipalities) == 0 {
		return errors.New("--role MUNICIPAL_ISB needs --ags (the municipality keys, e.g. 05766036)")
	}
	if *ttl <= 0 || *ttl > 90*24*time.Hour {
		return errors.New("--ttl must be between 1s and 90 days")
	}
	if err := m.OpenServices(); err != nil {
		return err
	}
	id := cyberlotse.Identity{Subject: or(*subject, string(r)), Roles: []cyberlotse.Role{r},
		OrganizationIDs: split(*orgs), RegionIDs: split(*regions), CompanyID: *company, AGS: municipalities}
	token, err := m.Auth.Issue(id, *ttl)
	if err != nil {
		return err
	}
	fmt.Println(token)
	return nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
