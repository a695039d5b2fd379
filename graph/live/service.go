package live

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Limiter bounds how often a key may act (graph.RateLimiter).
type Limiter interface{ Allow(key string) bool }

// Service is what the API offers of live sessions: organizers open,
// moderate and close them; participants join anonymously, ask, upvote
// and vote, within rate limits per participant and per address.
type Service struct {
	Hub    *Hub
	Events cyberlotse.EventService
	Store  cyberlotse.LiveStore
	Tokens *cyberlotse.LiveTokens
	// CodeKey derives each event's short code (the same on every replica).
	CodeKey []byte
	Now     func() time.Time
	NewID   func() string
	// PerParticipant and PerAddress bound the questions, upvotes and votes
	// of one participant and of one client address (nil: unbounded).
	PerParticipant, PerAddress Limiter
}

// codeAlphabet leaves out letters and digits that are easily confused.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// Code is the event's short code for joining, e.g. on a slide.
func (s *Service) Code(eventID string) string {
	h := hmac.New(sha256.New, s.CodeKey)
	h.Write([]byte("live-code:" + eventID))
	sum := h.Sum(nil)
	var b strings.Builder
	for _, c := range sum[:6] {
		b.WriteByte(codeAlphabet[int(c)%len(codeAlphabet)])
	}
	return b.String()
}

// event returns an online or hybrid event.
func (s *Service) event(ctx context.Context, eventID string) (*cyberlotse.Event, error) {
	events, err := s.Events.EventsByIDs(ctx, []string{eventID})
	if err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return nil, cyberlotse.NotFound(cyberlotse.KindEvent, eventID)
	}
	if e := events[0]; e.Mode == cyberlotse.ModeOnline || e.Mode == cyberlotse.ModeHybrid {
		return e, nil
	}
	return nil, cyberlotse.LiveNotOnline()
}

// moderated checks that the caller may moderate eventID's session.
func (s *Service) moderated(ctx context.Context, eventID string) error {
	e, err := s.event(ctx, eventID)
	if err != nil {
		return err
	}
	return cyberlotse.CanManageEvent(cyberlotse.IdentityFromContext(ctx), e.OrganizerID)
}

// Open opens (or reopens) eventID's session in mode and returns its code.
func (s *Service) Open(ctx context.Context, eventID string, mode cyberlotse.LiveMode) (string, error) {
	if err := s.moderated(ctx, eventID); err != nil {
		return "", err
	}
	code := s.Code(eventID)
	if err := s.Hub.Log.SetCode(ctx, code, eventID); err != nil {
		return "", err
	}
	return code, s.Hub.Do(ctx, eventID, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened, Mode: mode})
}

// Close ends the session and stores its summary.
func (s *Service) Close(ctx context.Context, eventID string) (*cyberlotse.LiveSummary, error) {
	if err := s.moderated(ctx, eventID); err != nil {
		return nil, err
	}
	if err := s.Hub.Do(ctx, eventID, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionClosed}); err != nil {
		return nil, err
	}
	var sum cyberlotse.LiveSummary
	s.Hub.View(eventID, func(r *cyberlotse.Room) { sum = r.Summary(s.Now()) })
	if err := s.Store.SaveLiveSummary(ctx, sum); err != nil {
		return nil, err
	}
	return &sum, nil
}

// moderation lists what only organizers do.
var moderation = map[cyberlotse.LiveEventKind]bool{
	cyberlotse.LiveModeChanged: true, cyberlotse.LiveQuestionShown: true, cyberlotse.LiveQuestionHidden: true,
	cyberlotse.LiveQuestionPinned: true, cyberlotse.LiveQuestionAnswer: true, cyberlotse.LivePollStarted: true,
	cyberlotse.LivePollEnded: true,
}

// Moderate applies an organizer's action; a started poll gets a new id,
// which it returns.
func (s *Service) Moderate(ctx context.Context, eventID string, ev cyberlotse.LiveEvent) (string, error) {
	if !moderation[ev.Kind] {
		return "", cyberlotse.LiveModerationOnly()
	}
	if err := s.moderated(ctx, eventID); err != nil {
		return "", err
	}
	if ev.Kind == cyberlotse.LivePollStarted {
		ev.PollID = s.NewID()
	}
	ev.Participant = ""
	return ev.PollID, s.Hub.Do(ctx, eventID, ev)
}

// Join admits an anonymous participant to the open session of an event,
// found by its id or its code, and returns the token and the event id.
func (s *Service) Join(ctx context.Context, eventIDOrCode string) (token, eventID string, err error) {
	eventID = eventIDOrCode
	if code := strings.ToUpper(strings.TrimSpace(eventIDOrCode)); len(code) == 6 && strings.Trim(code, codeAlphabet) == "" {
		if eventID, err = s.Hub.Log.EventOfCode(ctx, code); err != nil {
			return "", "", err
		}
		if eventID == "" {
			return "", "", cyberlotse.LiveUnknownCode()
		}
	}
	if _, err := s.event(ctx, eventID); err != nil {
		return "", "", err
	}
	open := false
	s.Hub.View(eventID, func(r *cyberlotse.Room) { open = r.Open })
	if !open {
		return "", "", cyberlotse.LiveNotOpen()
	}
	return s.Tokens.Issue(eventID, s.NewID(), s.Now()), eventID, nil
}

// participant checks a participant's token and the rate limits.
func (s *Service) participant(token, eventID, address string) (string, error) {
	p, err := s.Tokens.Verify(token, eventID, s.Now())
	if err != nil {
		return "", err
	}
	if (s.PerParticipant != nil && !s.PerParticipant.Allow(eventID+"|"+p)) ||
		(s.PerAddress != nil && address != "" && !s.PerAddress.Allow(eventID+"|"+address)) {
		return "", cyberlotse.LiveTooFast()
	}
	return p, nil
}

// Ask adds a participant's question and returns its id.
func (s *Service) Ask(ctx context.Context, token, eventID, text, address string) (string, error) {
	text, err := cyberlotse.CheckQuestionText(text)
	if err != nil {
		return "", err
	}
	p, err := s.participant(token, eventID, address)
	if err != nil {
		return "", err
	}
	id := s.NewID()
	return id, s.Hub.Do(ctx, eventID, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: id, Participant: p, Text: text})
}

// Upvote adds a participant's vote for a question.
func (s *Service) Upvote(ctx context.Context, token, eventID, questionID, address string) error {
	p, err := s.participant(token, eventID, address)
	if err != nil {
		return err
	}
	return s.Hub.Do(ctx, eventID, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: questionID, Participant: p})
}

// Vote records (or changes) a participant's vote in an open poll.
func (s *Service) Vote(ctx context.Context, token, eventID, pollID string, choices []int, address string) error {
	p, err := s.participant(token, eventID, address)
	if err != nil {
		return err
	}
	return s.Hub.Do(ctx, eventID, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: pollID, Participant: p, Choices: choices})
}

// Participant returns the participant of a valid token, for views.
func (s *Service) Participant(token, eventID string) (string, error) {
	return s.Tokens.Verify(token, eventID, s.Now())
}
