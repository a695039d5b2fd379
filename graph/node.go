package graph

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// node loads the object a global ID names, through the request's loaders.
func (r *Resolver) node(ctx context.Context, typ, key string) (model.Node, error) {
	l := r.loaders(ctx)
	// Each case returns its typed pointer only when found: a nil *T in a
	// non-nil interface would not marshal as null.
	var (
		n   model.Node
		err error
	)
	switch typ {
	case "GovRegion":
		n, err = asNode(load(ctx, l.GovRegion, key, cyberlotse.KindGovRegion, key))
	case "District":
		n, err = asNode(load(ctx, l.District, cyberlotse.DistrictKey(key), cyberlotse.KindDistrict, key))
	case "Municipality":
		n, err = asNode(load(ctx, l.Municipality, cyberlotse.AGS(key), cyberlotse.KindMunicipality, key))
	case "Region":
		n, err = asNode(load(ctx, l.Region, key, cyberlotse.KindRegion, key))
	case "Organization":
		n, err = asNode(load(ctx, l.Organization, key, cyberlotse.KindOrganization, key))
	case "Contact":
		n, err = asNode(load(ctx, l.Contact, key, cyberlotse.KindContact, key))
	case "Event":
		n, err = asNode(load(ctx, l.Event, key, cyberlotse.KindEvent, key))
	case "Measure":
		n, err = asNode(load(ctx, l.Measure, key, cyberlotse.KindMeasure, key))
	case "Offer":
		n, err = asNode(load(ctx, l.Offer, key, cyberlotse.KindOffer, key))
	case "Topic":
		n, err = asNode(load(ctx, l.Topic, key, cyberlotse.KindTopic, key))
	case "Registration":
		n, err = asNode(r.registrationNode(ctx, key))
	}
	return n, err
}

// registrationNode loads a registration for whom Query.registrations
// shows it: the organizer of its event and admins. A registration is
// personal data; the person themselves reads it with the manage link
// (myRegistration). Anonymous callers learn nothing, not even whether it
// exists.
func (r *Resolver) registrationNode(ctx context.Context, key string) (*cyberlotse.Registration, error) {
	if cyberlotse.IdentityFromContext(ctx) == nil {
		return nil, cyberlotse.CanManageEvent(nil, "")
	}
	regs, err := r.Registrations.RegistrationsByIDs(ctx, []string{key})
	if err != nil {
		return nil, err
	}
	if len(regs) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindRegistration, key)
	}
	if _, err := r.manageableEvent(ctx, regs[0].EventID); err != nil {
		return nil, err
	}
	return regs[0], nil
}

func asNode[T any](v *T, err error) (model.Node, error) {
	if err != nil || v == nil {
		return nil, err
	}
	return v, nil
}
