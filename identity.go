package cyberlotse

import (
	"context"
	"slices"
)

// Role is what a caller may do; scope (which organizations, regions or
// company) comes with the Identity.
type Role string

const (
	RoleAdmin           Role = "ADMIN"
	RoleRegionalManager Role = "REGIONAL_MANAGER"
	RoleOrganizer       Role = "ORGANIZER"
	RoleCompanyMember   Role = "COMPANY_MEMBER"
	// RoleMunicipalISB is a municipality's information security officer
	// (Informationssicherheitsbeauftragte): keeps the municipality's
	// product list and handles its advisories (KWID).
	RoleMunicipalISB Role = "MUNICIPAL_ISB"
)

// Identity is the authenticated caller, from a verified bearer token.
type Identity struct {
	Subject         string
	Roles           []Role
	OrganizationIDs []string // for ORGANIZER
	RegionIDs       []string // for REGIONAL_MANAGER
	CompanyID       string   // for COMPANY_MEMBER
	AGS             []AGS    // for MUNICIPAL_ISB: the municipalities (claim "ags")
}

// Has reports whether the identity has one of roles.
func (id *Identity) Has(roles ...Role) bool {
	if id == nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(id.Roles, r) {
			return true
		}
	}
	return false
}

type identityKey struct{}

// NewContextWithIdentity returns ctx carrying id.
func NewContextWithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFromContext returns the caller, or nil for an anonymous one.
func IdentityFromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(identityKey{}).(*Identity)
	return id
}

// CanManageEvent says whether id may change an event of the organizing
// organization orgID and see its registrations: admins always, organizers
// for their own organizations.
func CanManageEvent(id *Identity, orgID string) error {
	switch {
	case id == nil:
		return Errorf(EUNAUTH, "%s", msgUnauthenticated)
	case id.Has(RoleAdmin):
		return nil
	case id.Has(RoleOrganizer) && slices.Contains(id.OrganizationIDs, orgID):
		return nil
	}
	return Errorf(EFORBIDDEN, msgNotOrganizer, orgID)
}

// CanHandleMunicipalityAdvisories says whether id may see and keep a
// municipality's product list, its advisories and their marks, and its
// alert subscriptions: admins always, information security officers for
// their own municipalities. Regional managers see counts only
// (CanSeeRegionAdvisorySummary).
func CanHandleMunicipalityAdvisories(id *Identity, ags AGS) error {
	return officerOf(id, ags, msgNotMunicipalISB)
}

// officerOf is the check behind the officers' pages: admins always, an
// information security officer for the municipalities of the token
// (claim ags); refused gives notMine with the AGS.
func officerOf(id *Identity, ags AGS, notMine string) error {
	switch {
	case id == nil:
		return Errorf(EUNAUTH, "%s", msgUnauthenticated)
	case id.Has(RoleAdmin):
		return nil
	case id.Has(RoleMunicipalISB) && slices.Contains(id.AGS, ags):
		return nil
	}
	return Errorf(EFORBIDDEN, notMine, ags)
}

// CanSeeRegionAdvisorySummary says whether id may see the advisory counts
// of a region's municipalities: admins always, regional managers for
// their own regions (and the satellites of their model regions).
func CanSeeRegionAdvisorySummary(id *Identity, regionID, satelliteOf string) error {
	switch {
	case id == nil:
		return Errorf(EUNAUTH, "%s", msgUnauthenticated)
	case id.Has(RoleAdmin):
		return nil
	case id.Has(RoleRegionalManager) && (slices.Contains(id.RegionIDs, regionID) ||
		satelliteOf != "" && slices.Contains(id.RegionIDs, satelliteOf)):
		return nil
	}
	return Errorf(EFORBIDDEN, msgNotRegionManagerAdvisories, regionID)
}
