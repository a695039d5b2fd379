package live

import (
	"context"
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
	questions       uint64 // the room's QuestionsChanged
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

// newSnapshot builds r's snapshot; the questions of prev (the one before,
// or nil) are kept when no question changed since: most changes in a talk
// are votes in a poll.
func newSnapshot(r *cyberlotse.Room, version uint64, prev *snapshot) *snapshot {
	s := &snapshot{version: version, questions: r.QuestionsChanged, open: r.Open, mode: r.Mode, pollIndex: map[string]*Poll{}}
	if prev != nil && prev.questions == r.QuestionsChanged {
		s.allByVotes, s.allByTime, s.byVotes, s.byTime, s.pending = prev.allByVotes, prev.allByTime, prev.byVotes, prev.byTime, prev.pending
	} else {
		s.copyQuestions(r)
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

// copyQuestions fills s's question lists with copies of r's questions.
func (s *snapshot) copyQuestions(r *cyberlotse.Room) {
	s.pending = map[string]*Question{}
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
}

// View returns eventID's room as the caller sees it: with a participant
// token as that participant, without one as the moderation (the event's
// organizers and admins only).
func (s *Service) View(ctx context.Context, eventID, token string) (*View, error) {
	viewer, _, err := s.viewer(ctx, eventID, token)
	if err != nil {
		return nil, err
	}
	return s.viewOf(eventID, viewer, nil), nil
}

// viewer checks the caller: a participant's id and until when its token
// is valid, or "" for the moderation.
func (s *Service) viewer(ctx context.Context, eventID, token string) (string, time.Time, error) {
	if token == "" {
		return "", time.Time{}, s.moderated(ctx, eventID)
	}
	return s.Tokens.VerifyUntil(token, eventID, s.Now())
}

// viewOf returns viewer's view ("" the moderation's) of snap, or of the
// newest version when snap is nil.
func (s *Service) viewOf(eventID, viewer string, snap *snapshot) *View {
	moderator := viewer == ""
	var (
		asked, upvoted []string
		votes          map[string][]int
	)
	own := func(r *cyberlotse.Room) {
		if !moderator {
			asked, upvoted, votes = r.Asked(viewer), r.Upvoted(viewer), r.VotesOf(viewer)
		}
	}
	if snap == nil {
		s.Hub.snapshot(eventID, func(r *cyberlotse.Room, sn *snapshot) { snap = sn; own(r) })
	} else if !moderator {
		s.Hub.View(eventID, own)
	}
	v := &View{EventID: eventID, Moderator: moderator, Open: snap.open, Mode: snap.mode, Version: int(snap.version),
		Key: viewKey(snap.version, moderator, asked, upvoted, votes), snap: snap, asked: asked, upvoted: upvoted, votes: votes}
	if moderator {
		code := s.Code(eventID)
		v.Code = &code
	}
	return v
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
	v := strconv.FormatUint(version, 10)
	switch {
	case moderator:
		return v + "|m"
	case len(asked) == 0 && len(upvoted) == 0 && len(votes) == 0:
		return v + "|p"
	}
	var b strings.Builder
	b.WriteString(v)
	b.WriteString("|p")
	for _, list := range [][]string{asked, upvoted} {
		b.WriteString("|")
		for _, id := range slices.Sorted(slices.Values(list)) {
			b.WriteString(strconv.Quote(id))
		}
	}
	for _, poll := range slices.Sorted(maps.Keys(votes)) {
		b.WriteString("|")
		b.WriteString(strconv.Quote(poll))
		for _, c := range votes[poll] {
			b.WriteString(",")
			b.WriteString(strconv.Itoa(c))
		}
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
// subscriber (see Hub.UpdateInterval).
const DefaultUpdateInterval = 250 * time.Millisecond

// CrowdSize is the number of a room's subscribers on one replica from
// which they are told at most every second tick: each notice costs a
// frame per subscriber (20,000 frames a second at 5,000 subscribers and
// 250 ms), and halving them keeps a Lunchtalk's delivery within a second
// on two cores where every tick would not.
const CrowdSize = 1000

// Watcher is one caller's following of a session: Next returns its view
// now and then after each change, at most once per tick of the hub's
// update interval (the newest view then). It ends with ctx or when the
// caller's token expires.
type Watcher struct {
	s               *Service
	eventID, viewer string
	until           time.Time
	changes         <-chan *snapshot
	first           *View
}

// Follow checks the caller once, as View does (then only its token's
// time is watched), and starts following eventID until ctx ends.
func (s *Service) Follow(ctx context.Context, eventID, token string) (*Watcher, error) {
	viewer, until, err := s.viewer(ctx, eventID, token)
	if err != nil {
		return nil, err
	}
	// Subscribed before the first view: a change in between is not missed.
	changes, stop := s.Hub.Subscribe(eventID)
	context.AfterFunc(ctx, stop)
	return &Watcher{s: s, eventID: eventID, viewer: viewer, until: until, changes: changes,
		first: s.viewOf(eventID, viewer, nil)}, nil
}

// Channel sends the views from Next on a channel, from a goroutine of
// its own, until the following ends.
func (w *Watcher) Channel(ctx context.Context) <-chan *View {
	out := make(chan *View, 1)
	go func() {
		defer close(out)
		for {
			v, ok := w.Next(ctx)
			if !ok {
				return
			}
			select {
			case <-ctx.Done():
				return
			case out <- v:
			}
		}
	}()
	return out
}

// Next waits for the caller's next view; false when the following ended.
// Not for concurrent use.
func (w *Watcher) Next(ctx context.Context) (*View, bool) {
	if v := w.first; v != nil {
		w.first = nil
		return v, true
	}
	select {
	case <-ctx.Done():
		return nil, false
	case snap := <-w.changes:
		if w.viewer != "" && !w.s.Now().Before(w.until) {
			return nil, false // the token expired: the subscription ends
		}
		return w.s.viewOf(w.eventID, w.viewer, snap), true
	}
}
