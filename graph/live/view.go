package live

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// View is a consistent copy of a room as one viewer sees it: the
// moderation every question and the code, a participant the visible
// questions, its own pending ones and its own votes. The questions and
// polls are shared by every view of the same version of the room
// (snapshot); only the viewer's own marks are its own.
type View struct {
	EventID   string
	Code      *string // moderators only
	Open      bool
	Mode      cyberlotse.LiveMode
	Version   int
	Moderator bool
	// Key names what this view shows: two views with the same key are
	// the same answer to the same query (the version, moderation or not,
	// the viewer's own questions, upvotes and votes), so that an update
	// can be marshalled once for all viewers who see it alike.
	Key string

	// The lists are built when first asked for: of 5,000 subscribers'
	// views of one version, most are answered with another's response
	// (by Key) and never need their own.
	snap           *snapshot
	asked, upvoted []string
	votes          map[string][]int
	once           sync.Once
	byVotes        []*QuestionView
	byTime         []*QuestionView
	polls          []*PollView
	current        *PollView
}

// ByVotes returns the questions the viewer sees, most votes first.
func (v *View) ByVotes() []*QuestionView { v.once.Do(v.build); return v.byVotes }

// ByTime returns the questions the viewer sees, newest first.
func (v *View) ByTime() []*QuestionView { v.once.Do(v.build); return v.byTime }

// Polls returns the polls with the viewer's votes, in the order started.
func (v *View) Polls() []*PollView { v.once.Do(v.build); return v.polls }

// CurrentPoll returns the open poll, if any.
func (v *View) CurrentPoll() *PollView { v.once.Do(v.build); return v.current }

// Question is a question as everyone sees it at one version.
type Question struct {
	ID       string
	Text     string
	AskedAt  time.Time
	Votes    int
	State    cyberlotse.QuestionState
	Pinned   bool
	Answered bool
}

// QuestionView is a question with the viewer's own marks.
type QuestionView struct {
	*Question
	UpvotedByMe bool
	Mine        bool
}

// Poll is a poll with its result at one version.
type Poll struct {
	ID        string
	Kind      cyberlotse.PollKind
	Question  string
	Options   []string
	Open      bool
	StartedAt time.Time
	Result    cyberlotse.PollResult
}

// PollView is a poll with the viewer's vote.
type PollView struct {
	*Poll
	MyVote []int
}

// snapshot is one version of a room, built once for all its viewers:
// built under the room's lock, read by many without it.
type snapshot struct {
	version         uint64
	open            bool
	mode            cyberlotse.LiveMode
	allByVotes      []*Question // the moderation's
	allByTime       []*Question
	byVotes, byTime []*Question // the visible ones, the participants'
	polls           []*Poll
	current         *Poll
	pending         map[string]*Question // awaiting approval, by id
	pollIndex       map[string]*Poll
}

func newSnapshot(r *cyberlotse.Room, version uint64) *snapshot {
	s := &snapshot{version: version, open: r.Open, mode: r.Mode, pending: map[string]*Question{}, pollIndex: map[string]*Poll{}}
	copies := map[string]*Question{}
	copyOf := func(q *cyberlotse.LiveQuestion) *Question {
		c, ok := copies[q.ID]
		if !ok {
			c = &Question{ID: q.ID, Text: q.Text, AskedAt: q.AskedAt, Votes: q.Votes, State: q.State, Pinned: q.Pinned, Answered: q.Answered}
			copies[q.ID] = c
		}
		return c
	}
	for _, q := range r.Questions(cyberlotse.ByVotes, true, "") {
		c := copyOf(q)
		s.allByVotes = append(s.allByVotes, c)
		switch q.State {
		case cyberlotse.QuestionVisible:
			s.byVotes = append(s.byVotes, c)
		case cyberlotse.QuestionPending:
			s.pending[q.ID] = c
		}
	}
	for _, q := range r.Questions(cyberlotse.ByTime, true, "") {
		c := copyOf(q)
		s.allByTime = append(s.allByTime, c)
		if q.State == cyberlotse.QuestionVisible {
			s.byTime = append(s.byTime, c)
		}
	}
	current := r.CurrentPoll()
	for _, p := range r.Polls() {
		c := &Poll{ID: p.ID, Kind: p.Spec.Kind, Question: p.Spec.Question, Options: slices.Clone(p.Spec.Options),
			Open: p.Open(), StartedAt: p.StartedAt, Result: p.Result()}
		s.polls = append(s.polls, c)
		s.pollIndex[p.ID] = c
		if p == current {
			s.current = c
		}
	}
	return s
}

// View returns eventID's room as the caller sees it: with a participant
// token as that participant, without one as the moderation (the event's
// organizers and admins only).
func (s *Service) View(ctx context.Context, eventID, token string) (*View, error) {
	v, _, err := s.view(ctx, eventID, token, 0)
	return v, err
}

// view is View, for a subscriber in the given tick of the update
// interval (0: the newest version); behind: a newer version exists.
func (s *Service) view(ctx context.Context, eventID, token string, tick int64) (v *View, behind bool, err error) {
	viewer, moderator := "", token == ""
	if moderator {
		if err := s.moderated(ctx, eventID); err != nil {
			return nil, false, err
		}
	} else {
		if viewer, err = s.Participant(token, eventID); err != nil {
			return nil, false, err
		}
	}
	var (
		snap           *snapshot
		asked, upvoted []string
		votes          = map[string][]int{}
	)
	behind = s.Hub.snapshotOfTick(eventID, tick, func(r *cyberlotse.Room, sn *snapshot) {
		snap = sn
		if viewer != "" {
			asked, upvoted = r.Asked(viewer), r.Upvoted(viewer)
			for _, p := range r.Polls() {
				if v := p.VoteOf(viewer); v != nil {
					votes[p.ID] = slices.Clone(v)
				}
			}
		}
	})
	v = &View{EventID: eventID, Moderator: moderator, Open: snap.open, Mode: snap.mode, Version: int(snap.version),
		Key: viewKey(snap.version, moderator, asked, upvoted, votes), snap: snap, asked: asked, upvoted: upvoted, votes: votes}
	if moderator {
		code := s.Code(eventID)
		v.Code = &code
	}
	return v, behind, nil
}

// build fills the viewer's lists from the snapshot and its own marks.
func (v *View) build() {
	snap := v.snap
	mine, up := setOf(v.asked), setOf(v.upvoted)
	personal := func(qs []*Question) []*QuestionView {
		out := make([]*QuestionView, len(qs))
		for i, q := range qs {
			out[i] = &QuestionView{Question: q, UpvotedByMe: up[q.ID], Mine: mine[q.ID]}
		}
		return out
	}
	switch {
	case v.Moderator:
		v.byVotes, v.byTime = personal(snap.allByVotes), personal(snap.allByTime)
	case hasPending(v.asked, snap.pending):
		// Rare: the viewer waits for approval of an own question, shown
		// to it in its place.
		own := func(all []*Question) []*Question {
			out := make([]*Question, 0, len(all))
			for _, q := range all {
				if q.State == cyberlotse.QuestionVisible || (q.State == cyberlotse.QuestionPending && mine[q.ID]) {
					out = append(out, q)
				}
			}
			return out
		}
		v.byVotes, v.byTime = personal(own(snap.allByVotes)), personal(own(snap.allByTime))
	default:
		v.byVotes, v.byTime = personal(snap.byVotes), personal(snap.byTime)
	}
	for _, p := range snap.polls {
		pv := &PollView{Poll: p, MyVote: v.votes[p.ID]}
		v.polls = append(v.polls, pv)
		if p == snap.current {
			v.current = pv
		}
	}
}

// viewKey is View.Key: most participants of a large session only
// watch, and all of them share the key "version|p".
func viewKey(version uint64, moderator bool, asked, upvoted []string, votes map[string][]int) string {
	var b strings.Builder
	b.WriteString(strconv.FormatUint(version, 10))
	if moderator {
		b.WriteString("|m")
		return b.String()
	}
	b.WriteString("|p")
	for _, list := range [][]string{asked, upvoted} {
		b.WriteString("|")
		for _, id := range slices.Sorted(slices.Values(list)) {
			b.WriteString(strconv.Quote(id))
		}
	}
	for _, poll := range slices.Sorted(maps.Keys(votes)) {
		fmt.Fprintf(&b, "|%q=%v", poll, votes[poll])
	}
	return b.String()
}

func setOf(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

func hasPending(asked []string, pending map[string]*Question) bool {
	for _, id := range asked {
		if _, ok := pending[id]; ok {
			return true
		}
	}
	return false
}

// DefaultUpdateInterval is the least time between two views sent to one
// subscriber: at 500 votes a second, 5,000 subscribers would otherwise
// each get hundreds of views a second; a view skipped is not lost, the
// next one holds its change.
const DefaultUpdateInterval = 250 * time.Millisecond

// Watch sends the caller's view now and after every change, at most
// once per tick of UpdateInterval (the newest view then), until ctx ends.
// Its checks are View's.
func (s *Service) Watch(ctx context.Context, eventID, token string) (<-chan *View, error) {
	// Subscribed before the first view: a change in between is not missed.
	changes, stop := s.Hub.Subscribe(eventID)
	first, err := s.View(ctx, eventID, token)
	if err != nil {
		stop()
		return nil, err
	}
	every := s.UpdateInterval
	if every == 0 {
		every = DefaultUpdateInterval
	}
	out := make(chan *View, 1)
	out <- first
	go func() {
		defer close(out)
		defer stop()
		behind := false
		for {
			if !behind {
				select {
				case <-ctx.Done():
					return
				case <-changes:
				}
			}
			// The subscribers woken in one tick share its snapshot.
			now := time.Now().UnixNano()
			v, stale, err := s.view(ctx, eventID, token, now/int64(every)+1)
			if err != nil {
				return // the token expired: the subscription ends
			}
			behind = stale
			select {
			case <-ctx.Done():
				return
			case out <- v:
			}
			// Until the interval's next tick on the clock rather than a
			// full interval from now: all subscribers of a room wake
			// together.
			pause := time.NewTimer(every - time.Duration(time.Now().UnixNano()%int64(every)))
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
