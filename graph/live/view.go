package live

import (
	"context"
	"slices"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// View is a consistent copy of a room as one viewer sees it: the
// moderation every question and the code, a participant the visible
// questions, its own pending ones and its own votes.
type View struct {
	EventID   string
	Code      *string // moderators only
	Open      bool
	Mode      cyberlotse.LiveMode
	Version   int
	Moderator bool
	ByVotes   []*QuestionView
	ByTime    []*QuestionView
	Polls     []*PollView
	Current   *PollView
}

// QuestionView is a question as the viewer sees it.
type QuestionView struct {
	ID          string
	Text        string
	AskedAt     time.Time
	Votes       int
	State       cyberlotse.QuestionState
	Pinned      bool
	Answered    bool
	UpvotedByMe bool
	Mine        bool
}

// PollView is a poll with its current result and the viewer's vote.
type PollView struct {
	ID        string
	Kind      cyberlotse.PollKind
	Question  string
	Options   []string
	Open      bool
	StartedAt time.Time
	Result    cyberlotse.PollResult
	MyVote    []int
}

// View returns eventID's room as the caller sees it: with a participant
// token as that participant, without one as the moderation (the event's
// organizers and admins only).
func (s *Service) View(ctx context.Context, eventID, token string) (*View, error) {
	viewer, moderator := "", token == ""
	if moderator {
		if err := s.moderated(ctx, eventID); err != nil {
			return nil, err
		}
	} else {
		var err error
		if viewer, err = s.Participant(token, eventID); err != nil {
			return nil, err
		}
	}
	v := &View{EventID: eventID, Moderator: moderator}
	if moderator {
		code := s.Code(eventID)
		v.Code = &code
	}
	s.Hub.view(eventID, func(r *cyberlotse.Room, version uint64) {
		v.Open, v.Mode, v.Version = r.Open, r.Mode, int(version)
		v.ByVotes = questionViews(r.Questions(cyberlotse.ByVotes, moderator, viewer), viewer)
		v.ByTime = questionViews(r.Questions(cyberlotse.ByTime, moderator, viewer), viewer)
		current := r.CurrentPoll()
		for _, p := range r.Polls() {
			pv := &PollView{ID: p.ID, Kind: p.Spec.Kind, Question: p.Spec.Question, Options: slices.Clone(p.Spec.Options),
				Open: p.Open(), StartedAt: p.StartedAt, Result: p.Result(), MyVote: slices.Clone(p.VoteOf(viewer))}
			v.Polls = append(v.Polls, pv)
			if p == current {
				v.Current = pv
			}
		}
	})
	return v, nil
}

func questionViews(qs []*cyberlotse.LiveQuestion, viewer string) []*QuestionView {
	out := make([]*QuestionView, len(qs))
	for i, q := range qs {
		out[i] = &QuestionView{ID: q.ID, Text: q.Text, AskedAt: q.AskedAt, Votes: q.Votes, State: q.State, Pinned: q.Pinned,
			Answered: q.Answered, UpvotedByMe: viewer != "" && q.UpvotedBy(viewer), Mine: viewer != "" && q.Author == viewer}
	}
	return out
}

// DefaultUpdateInterval is the least time between two views sent to one
// subscriber: at 500 votes a second, 5,000 subscribers would otherwise
// each get hundreds of views a second; a view skipped is not lost, the
// next one holds its change.
const DefaultUpdateInterval = 250 * time.Millisecond

// Watch sends the caller's view now and after every change, at most
// every UpdateInterval (the newest view then), until ctx ends. Its checks
// are View's.
func (s *Service) Watch(ctx context.Context, eventID, token string) (<-chan *View, error) {
	first, err := s.View(ctx, eventID, token)
	if err != nil {
		return nil, err
	}
	changes, stop := s.Hub.Subscribe(eventID)
	every := s.UpdateInterval
	if every == 0 {
		every = DefaultUpdateInterval
	}
	out := make(chan *View, 1)
	out <- first
	go func() {
		defer close(out)
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-changes:
			}
			v, err := s.View(ctx, eventID, token)
			if err != nil {
				return // the token expired: the subscription ends
			}
			select {
			case <-ctx.Done():
				return
			case out <- v:
			}
			pause := time.NewTimer(every)
			select {
			case <-ctx.Done():
				pause.Stop()
				return
			case <-pause.C:
			}
		}
	}()
	return out, nil
}
