package graph

import (
	"context"
	"net/url"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// registrationOfToken verifies a manage token and loads its registration.
func (r *Resolver) registrationOfToken(ctx context.Context, token string) (*cyberlotse.Registration, error) {
	id, err := r.Tokens.Verify(token)
	if err != nil {
		return nil, err
	}
	regs, err := r.Registrations.RegistrationsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(regs) == 0 {
		return nil, cyberlotse.Errorf(cyberlotse.ENOTFOUND, "Zu diesem Link sind keine Daten (mehr) gespeichert.")
	}
	return regs[0], nil
}

// manageableEvent loads an event the caller may manage: ENOTFOUND,
// EUNAUTH or EFORBIDDEN otherwise.
func (r *Resolver) manageableEvent(ctx context.Context, id string) (*cyberlotse.Event, error) {
	key := keyOf(id, "Event")
	e, err := load(ctx, r.loaders(ctx).Event, key, cyberlotse.KindEvent, key)
	if err != nil {
		return nil, err
	}
	return e, cyberlotse.CanManageEvent(cyberlotse.IdentityFromContext(ctx), e.OrganizerID)
}

// alreadyRegistered answers a registration with an address that is
// registered for the event already. The caller has shown no more than the
// address, so the answer holds what they entered and the state of the
// existing registration, but none of the stored personal data, no
// reminders (the registration comes without its person) and no manage
// link: that link reaches the person only by e-mail, in the confirmation.
// Handing it out here let anyone who knew an address read, cancel and
// delete that person's registrations.
func alreadyRegistered(existing *cyberlotse.Registration, entered cyberlotse.Attendee) *model.RegistrationPayload {
	return &model.RegistrationPayload{AlreadyRegistered: true, Registration: &cyberlotse.Registration{
		ID: existing.ID, EventID: existing.EventID, Status: existing.Status, Position: existing.Position,
		CreatedAt: existing.CreatedAt, Attendee: entered}}
}

// registered tells the mail job that registrations changed (when wired).
func (r *Resolver) registered() {
	if r.Registered != nil {
		r.Registered()
	}
}

func (r *Resolver) manageURL(token string) string {
	return r.BaseURL + "/anmeldung?token=" + url.QueryEscape(token)
}

func registerInput(eventID string, a model.AttendeeInput, consent bool) (cyberlotse.RegisterInput, error) {
	in := cyberlotse.RegisterInput{EventID: eventID, Consent: consent, Attendee: cyberlotse.Attendee{Name: a.Name}}
	if !consent {
		return in, in.Validate()
	}
	email, err := cyberlotse.ParseEmail(a.Email)
	if err != nil {
		return in, err
	}
	in.Attendee.Email = email
	if a.CompanyName != nil {
		in.Attendee.CompanyName = *a.CompanyName
	}
	if a.Ags != nil {
		ags, err := cyberlotse.ParseAGS(*a.Ags)
		if err != nil {
			return in, err
		}
		in.Attendee.AGS = &ags
	}
	return in, in.Validate()
}

func eventInput(in model.EventInput) (cyberlotse.EventInput, error) {
	out := cyberlotse.EventInput{Title: in.Title, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Format: in.Format,
		Mode: in.Mode, Capacity: in.Capacity, OrganizerID: in.Organizer, RegionIDs: in.Regions,
		MeasureCodes: in.Measures, TopicIDs: in.Topics}
	for dst, src := range map[*string]*string{&out.Description: in.Description, &out.Venue: in.Venue,
		&out.OnlineURL: in.OnlineURL, &out.RegistrationNote: in.RegistrationNote} {
		if src != nil {
			*dst = *src
		}
	}
	if in.Ags != nil {
		a, err := cyberlotse.ParseAGS(*in.Ags)
		if err != nil {
			return out, err
		}
		out.AGS = a
	}
	for _, s := range in.ReminderOffsets {
		o, err := cyberlotse.ParseReminderOffset(s)
		if err != nil {
			return out, err
		}
		out.ReminderOffsets = append(out.ReminderOffsets, o)
	}
	return out, nil
}

func eventUpdate(in model.EventUpdateInput) (cyberlotse.EventUpdate, error) {
	u := cyberlotse.EventUpdate{Title: in.Title, Description: in.Description, Venue: in.Venue, OnlineURL: in.OnlineURL,
		RegistrationNote: in.RegistrationNote, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Capacity: in.Capacity}
	if in.Ags != nil {
		a, err := cyberlotse.ParseAGS(*in.Ags)
		if err != nil {
			return u, err
		}
		u.AGS = &a
	}
	return u, nil
}
