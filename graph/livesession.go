package graph

import (
	"context"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/live"
	"github.com/cyberlotse/cyberlotse/graph/model"
)

// maxLiveQuestions bounds one page of a session's questions.
const maxLiveQuestions = 500

// live returns the live sessions' service, UNAVAILABLE when this server
// runs without one (commands, tests of other parts).
func (r *Resolver) live() (*live.Service, error) {
	if r.Live == nil {
		return nil, cyberlotse.LiveUnavailable()
	}
	return r.Live, nil
}

// moderate applies an organizer's action and returns the moderation's view.
func (r *Resolver) moderate(ctx context.Context, eventID string, ev cyberlotse.LiveEvent) (*live.View, error) {
	s, err := r.live()
	if err != nil {
		return nil, err
	}
	if _, err := s.Moderate(ctx, eventID, ev); err != nil {
		return nil, err
	}
	return s.View(ctx, eventID, "")
}

// moderationEvents maps the API's moderation actions to the room's events.
var moderationEvents = map[model.ModerationAction]cyberlotse.LiveEvent{
	model.ModerationActionApprove:        {Kind: cyberlotse.LiveQuestionShown},
	model.ModerationActionHide:           {Kind: cyberlotse.LiveQuestionHidden},
	model.ModerationActionPin:            {Kind: cyberlotse.LiveQuestionPinned, Flag: true},
	model.ModerationActionUnpin:          {Kind: cyberlotse.LiveQuestionPinned},
	model.ModerationActionMarkAnswered:   {Kind: cyberlotse.LiveQuestionAnswer, Flag: true},
	model.ModerationActionMarkUnanswered: {Kind: cyberlotse.LiveQuestionAnswer},
}

func (r *Resolver) auditLive(ctx context.Context, what, eventID string) {
	subject := ""
	if id := cyberlotse.IdentityFromContext(ctx); id != nil {
		subject = id.Subject
	}
	r.Audit.InfoContext(ctx, what, "by", subject, "event", eventID)
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
