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
func tokenCommand(m *Main, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "ADMIN, REGIONAL_MANAGER, ORGANIZER or COMPANY_MEMBER")
	subject := fs.String("subject", "", "who the token is for (default: the role)")
	orgs := fs.String("org", "", "organization ids for ORGANIZER, comma-separated")
	regions := fs.String("region", "", "region ids for REGIONAL_MANAGER, comma-separated")
	company := fs.String("company", "", "company id for COMPANY_MEMBER")
	ttl := fs.Duration("ttl", 8*time.Hour, "validity")
	if err := fs.Parse(args); err != nil {
		return err
	}
	r := cyberlotse.Role(strings.ToUpper(*role))
	switch r {
	case cyberlotse.RoleAdmin, cyberlotse.RoleRegionalManager, cyberlotse.RoleOrganizer, cyberlotse.RoleCompanyMember:
	default:
		return errors.New("--role must be ADMIN, REGIONAL_MANAGER, ORGANIZER or COMPANY_MEMBER")
	}
	if *ttl <= 0 || *ttl > 90*24*time.Hour {
		return errors.New("--ttl must be between 1s and 90 days")
	}
	if err := m.OpenServices(); err != nil {
		return err
	}
	id := cyberlotse.Identity{Subject: or(*subject, string(r)), Roles: []cyberlotse.Role{r},
		OrganizationIDs: split(*orgs), RegionIDs: split(*regions), CompanyID: *company}
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
