package graph

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// incidentOfficer loads the incident and checks that the caller is an
// officer of its municipality (or an admin).
func (r *Resolver) incidentOfficer(ctx context.Context, id string) (*cyberlotse.Incident, *cyberlotse.Identity, error) {
	in, err := r.DigiSOS.Incident(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	who := cyberlotse.IdentityFromContext(ctx)
	if err := cyberlotse.CanHandleMunicipalityAdvisories(who, in.AGS); err != nil {
		return nil, nil, err
	}
	return in, who, nil
}

func incidentInput(in model.IncidentInput) cyberlotse.IncidentInput {
	out := cyberlotse.IncidentInput{What: in.What, Since: in.Since, Systems: trimmed(in.Systems), ReachedNote: trimmed(in.ReachedNote)}
	for _, n := range in.Reached {
		if n != nil {
			out.Reached = append(out.Reached, cyberlotse.Notification{Party: n.Party, At: n.At})
		}
	}
	return out
}

// framework is the seeded framework with the Digi-SOS offer.
func (r *Resolver) framework(ctx context.Context) (*model.DigiSosFramework, error) {
	f, err := r.DigiSOSFramework()
	if err != nil {
		return nil, err
	}
	out := &model.DigiSosFramework{CallOff: f.CallOff, Steps: []*model.DigiSosStep{}, Providers: []*model.DigiSosProvider{}}
	if out.Offer, err = loadOptional(ctx, r.loaders(ctx).Offer, f.OfferID); err != nil {
		return nil, err
	}
	for i, s := range f.Steps {
		out.Steps = append(out.Steps, &model.DigiSosStep{Number: i + 1, Title: s.Title, Text: s.Text, IsSample: s.IsSample, Source: s.Source})
	}
	for _, p := range f.Providers {
		out.Providers = append(out.Providers, &model.DigiSosProvider{Name: p.Name, Source: p.Source})
	}
	return out, nil
}
