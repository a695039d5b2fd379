package cyberlotse

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// Email is a validated, lower-cased e-mail address.
type Email string

// ParseEmail validates s as a single plain address ("name@example.org").
func ParseEmail(s string) (Email, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
		return "", Invalid("email", "bitte eine gültige E-Mail-Adresse angeben, z. B. name@firma.de.")
	}
	return Email(strings.ToLower(s)), nil
}

// RegistrationStatus is the state of a registration.
type RegistrationStatus string

const (
	Confirmed  RegistrationStatus = "CONFIRMED"
	Waitlisted RegistrationStatus = "WAITLISTED"
	Cancelled  RegistrationStatus = "CANCELLED"
)

// Attendee is who registers. Name and e-mail are personal data: visible
// only to the person (manage link), the organizer and admins.
type Attendee struct {
	Name        string
	Email       Email
	CompanyName string
	AGS         *AGS
}

// Registration is a person's place (or waitlist position) at an event.
type Registration struct {
	ID          string
	EventID     string
	PersonID    string
	Attendee    Attendee
	Status      RegistrationStatus
	Position    int // 1-based waitlist position; 0 unless WAITLISTED
	CreatedAt   time.Time
	CancelledAt *time.Time
}

// RegisterInput asks for a place at an event.
type RegisterInput struct {
	EventID  string
	Attendee Attendee
	Consent  bool
}

// Validate checks the input before anything is written.
func (in RegisterInput) Validate() error {
	if !in.Consent {
		return Errorf(EINVALID, "%s", msgConsentMissing)
	}
	name := strings.TrimSpace(in.Attendee.Name)
	if name == "" || len(name) > 200 {
		return Invalid("name", "bitte Ihren Namen angeben (höchstens 200 Zeichen).")
	}
	if in.Attendee.Email == "" {
		return Invalid("email", "bitte eine gültige E-Mail-Adresse angeben, z. B. name@firma.de.")
	}
	if len(in.Attendee.CompanyName) > 200 {
		return Invalid("companyName", "höchstens 200 Zeichen.")
	}
	return nil
}

// CanRegister says whether an event takes registrations at now.
func CanRegister(e *Event, now time.Time) error {
	switch {
	case e.Status == EventCancelled:
		return &Error{Code: EINVALID, Message: msgEventCancelled, Details: map[string]any{"reason": "EVENT_CANCELLED"}}
	case !e.StartsAt.After(now):
		return &Error{Code: EINVALID, Message: msgEventPast, Details: map[string]any{"reason": "EVENT_PAST"}}
	}
	return nil
}

// RegistrationChange is what a write did: the registration it created or
// changed, whether it existed already, and who moved up from the waitlist.
type RegistrationChange struct {
	Registration *Registration
	Existing     bool
	Promoted     []*Registration
}

// RegistrationService stores registrations. Register, Cancel and the
// person's own data are reached through a signed manage token; listing an
// event's registrations is for its organizer and admins (checked by the
// caller).
type RegistrationService interface {
	// Register creates a CONFIRMED registration while places are free, a
	// WAITLISTED one after, atomically under concurrency. Registering the
	// same e-mail again returns the existing registration (Existing).
	// ENOTFOUND unknown event; EINVALID cancelled or past event.
	Register(ctx context.Context, in RegisterInput, now time.Time) (*RegistrationChange, error)
	// Cancel cancels a registration and promotes the first waitlisted
	// registrations into the freed places. ENOTFOUND unknown id.
	Cancel(ctx context.Context, id string, now time.Time) (*RegistrationChange, error)
	// RegistrationsByIDs, RegistrationsOfPerson and RegistrationsOfEvent
	// leave out registrations made anonymous after their retention period
	// (the event's counts keep them).
	RegistrationsByIDs(ctx context.Context, ids []string) ([]*Registration, error)
	// RegistrationsOfPerson lists a person's registrations, newest first.
	RegistrationsOfPerson(ctx context.Context, personID string) ([]*Registration, error)
	// RegistrationsOfEvent lists an event's registrations: confirmed by
	// time of registration, then the waitlist in order, then cancelled.
	RegistrationsOfEvent(ctx context.Context, eventID string) ([]*Registration, error)
	// DeletePerson erases a person and their registrations and reminders
	// (GDPR Art. 17); freed places go to the waitlist. It returns the
	// promotions. ENOTFOUND unknown person.
	DeletePerson(ctx context.Context, personID string, now time.Time) (*RegistrationChange, error)
}
