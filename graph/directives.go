package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// HasRole is the @hasRole directive: the one place that checks roles.
// Scopes (which organization or region) are checked by the domain.
func HasRole(ctx context.Context, _ any, next graphql.Resolver, roles []cyberlotse.Role) (any, error) {
	id := cyberlotse.IdentityFromContext(ctx)
	if id == nil {
		return nil, cyberlotse.Errorf(cyberlotse.EUNAUTH, "%s", cyberlotse.MsgUnauthenticated)
	}
	if !id.Has(roles...) {
		return nil, cyberlotse.Errorf(cyberlotse.EFORBIDDEN, "%s", cyberlotse.MsgForbiddenRole)
	}
	return next(ctx)
}
