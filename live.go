package cyberlotse

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The live part of an online or hybrid event (Lunchtalks for up to 5,000
// people): anonymous questions with upvotes and moderation, and polls.
//
// A session's state is a deterministic fold over its log of LiveEvents:
// every replica applies the same events in the same order (the shared
// log's order) and so holds the same Room. A writer appends an event and
// learns from applying it whether it was accepted; nothing is checked
// against state that another replica may not have seen yet. Participants
// are pseudonymous ids from LiveTokens: nothing personal is stored.

// LiveMode says whether questions need approval before others see them.
type LiveMode string

const (
	LiveOpen         LiveMode = "OPEN"
	LivePremoderated LiveMode = "PREMODERATED"
)

// LiveEventKind names what happened in a live session.
type LiveEventKind string

const (
	LiveSessionOpened  LiveEventKind = "SESSION_OPENED"
	LiveSessionClosed  LiveEventKind = "SESSION_CLOSED"
	LiveModeChanged    LiveEventKind = "MODE_CHANGED"
	LiveQuestionAsked  LiveEventKind = "QUESTION_ASKED"
	LiveQuestionUpvote LiveEventKind = "QUESTION_UPVOTED"
	LiveQuestionShown  LiveEventKind = "QUESTION_APPROVED" // approved, or shown again after hiding
	LiveQuestionHidden LiveEventKind = "QUESTION_HIDDEN"
	LiveQuestionPinned LiveEventKind = "QUESTION_PINNED" // Flag: pinned or not
	LiveQuestionAnswer LiveEventKind = "QUESTION_ANSWERED"
	LivePollStarted    LiveEventKind = "POLL_STARTED"
	LivePollVoted      LiveEventKind = "POLL_VOTED"
	LivePollEnded      LiveEventKind = "POLL_ENDED"
)

// LiveEvent is one entry of a session's log. Participant is the acting
// participant's pseudonymous id (empty for the organizer's moderation).
type LiveEvent struct {
	ID          string // unique per action: a retried append is kept once
	Seq         uint64 // position in the log, assigned on append
	Kind        LiveEventKind
	At          time.Time
	Participant string
	QuestionID  string
	PollID      string
	Text        string
	Mode        LiveMode
	Poll        *PollSpec
	Choices     []int // option indexes; for a scale the value 1–5
	Flag        bool
}

// PollKind is the kind of answer a poll takes.
type PollKind string

const (
	PollSingle   PollKind = "SINGLE_CHOICE"
	PollMultiple PollKind = "MULTIPLE_CHOICE"
	PollScale    PollKind = "SCALE" // 1 to 5
)

// PollSpec is what an organizer starts.
type PollSpec struct {
	Kind     PollKind
	Question string
	Options  []string // not for a scale
}

// Limits of live sessions.
const (
	MinQuestionLength  = 3
	MaxQuestionLength  = 300
	MaxPollOptions     = 10
	MaxPollText        = 200
	ScaleMin, ScaleMax = 1, 5
)

// Validate checks a poll before it is started.
func (p PollSpec) Validate() error {
	if q := strings.TrimSpace(p.Question); q == "" || utf8.RuneCountInString(q) > MaxPollText {
		return Invalid("poll.question", msgPollQuestion(MaxPollText))
	}
	switch p.Kind {
	case PollScale:
		if len(p.Options) > 0 {
			return Invalid("poll.options", msgScaleNoOptions)
		}
		return nil
	case PollSingle, PollMultiple:
	default:
		return Invalid("poll.kind", msgPollKind)
	}
	if len(p.Options) < 2 || len(p.Options) > MaxPollOptions {
		return Invalid("poll.options", msgPollOptionCount(MaxPollOptions))
	}
	seen := map[string]bool{}
	for _, o := range p.Options {
		o = strings.TrimSpace(o)
		if o == "" || utf8.RuneCountInString(o) > MaxPollText || seen[strings.ToLower(o)] {
			return Invalid("poll.options", msgPollOption(MaxPollText))
		}
		seen[strings.ToLower(o)] = true
	}
	return nil
}

// CheckQuestionText validates a question's text, trimmed.
func CheckQuestionText(text string) (string, error) {
	text = strings.TrimSpace(text)
	if n := utf8.RuneCountInString(text); n < MinQuestionLength || n > MaxQuestionLength {
		return "", Invalid("text", msgQuestionLength(MinQuestionLength, MaxQuestionLength))
	}
	return text, nil
}

// QuestionState is where a question stands in moderation.
type QuestionState string

const (
	QuestionPending QuestionState = "PENDING" // awaits approval (premoderated)
	QuestionVisible QuestionState = "VISIBLE"
	QuestionHidden  QuestionState = "HIDDEN"
)

// LiveQuestion is a question as the room holds it.
type LiveQuestion struct {
	ID       string
	Text     string
	AskedAt  time.Time
	Author   string // pseudonymous; never shown
	State    QuestionState
	Pinned   bool
	Answered bool
	Votes    int
	Seq      uint64 // when it was asked, for ties
	voters   map[string]bool
}

// UpvotedBy says whether participant has upvoted q.
func (q *LiveQuestion) UpvotedBy(participant string) bool { return q.voters[participant] }

// LivePoll is a poll with its votes.
type LivePoll struct {
	ID        string
	Spec      PollSpec
	StartedAt time.Time
	EndedAt   *time.Time
	votes     map[string][]int // participant → choices
	// counts and sum follow votes as they change, so that a result costs
	// no walk over all voters (500 votes a second from 1,000 participants).
	counts []int
	sum    int
}

func newLivePoll(id string, spec PollSpec, at time.Time) *LivePoll {
	n := len(spec.Options)
	if spec.Kind == PollScale {
		n = ScaleMax - ScaleMin + 1
	}
	return &LivePoll{ID: id, Spec: spec, StartedAt: at, votes: map[string][]int{}, counts: make([]int, n)}
}

// setVote replaces participant's choices and keeps the counts.
func (p *LivePoll) setVote(participant string, choices []int) {
	p.tally(p.votes[participant], -1)
	p.tally(choices, 1)
	p.votes[participant] = choices
}

func (p *LivePoll) tally(choices []int, by int) {
	for _, c := range choices {
		if p.Spec.Kind == PollScale {
			p.counts[c-ScaleMin] += by
			p.sum += by * c
		} else {
			p.counts[c] += by
		}
	}
}

// Open says whether the poll takes votes.
func (p *LivePoll) Open() bool { return p.EndedAt == nil }

// PollResult counts a poll's votes: per option (for a scale per value
// 1–5), the number of voters, and for a scale the mean.
type PollResult struct {
	Counts []int
	Voters int
	Mean   float64
}

// Result counts the poll's current votes.
func (p *LivePoll) Result() PollResult {
	r := PollResult{Counts: slices.Clone(p.counts), Voters: len(p.votes)}
	if p.Spec.Kind == PollScale && r.Voters > 0 {
		r.Mean = float64(p.sum) / float64(r.Voters)
	}
	return r
}

// VoteOf returns participant's choices (nil: has not voted).
func (p *LivePoll) VoteOf(participant string) []int { return p.votes[participant] }

// Room is a live session's state. Not safe for concurrent use: the
// caller serialises Apply and guards reads.
type Room struct {
	EventID  string
	Open     bool
	Mode     LiveMode
	OpenedAt time.Time
	Applied  uint64 // the last applied event's Seq
	// QuestionsChanged counts the changes to questions, so that a view
	// built after votes only can keep the questions of the one before.
	QuestionsChanged uint64
	questions        map[string]*LiveQuestion
	polls            map[string]*LivePoll
	pollOrder        []string
	// What each participant asked and upvoted, for their own view.
	asked, upvoted map[string][]string
}

// NewRoom returns the empty room of an event, before it is opened.
func NewRoom(eventID string) *Room {
	return &Room{EventID: eventID, Mode: LiveOpen, questions: map[string]*LiveQuestion{}, polls: map[string]*LivePoll{},
		asked: map[string][]string{}, upvoted: map[string][]string{}}
}

// Apply folds one event into the room. An event that the room refuses
// (a vote in an ended poll, a second upvote …) changes nothing and
// returns the refusal, the same on every replica; its Seq counts as
// applied all the same.
func (r *Room) Apply(ev LiveEvent) error {
	if ev.Seq != 0 && ev.Seq <= r.Applied {
		return nil // seen before: the log is delivered at least once
	}
	err := r.apply(ev)
	if ev.Seq != 0 {
		r.Applied = ev.Seq
	}
	if err == nil && ev.Kind.touchesQuestions() {
		r.QuestionsChanged++
	}
	return err
}

func (k LiveEventKind) touchesQuestions() bool {
	switch k {
	case LiveQuestionAsked, LiveQuestionUpvote, LiveQuestionShown, LiveQuestionHidden, LiveQuestionPinned, LiveQuestionAnswer:
		return true
	}
	return false
}

func (r *Room) apply(ev LiveEvent) error {
	switch ev.Kind {
	case LiveSessionOpened:
		if !r.Open && r.OpenedAt.IsZero() {
			r.OpenedAt = ev.At
		}
		r.Open = true
		if ev.Mode != "" {
			r.Mode = ev.Mode
		}
		return nil
	case LiveSessionClosed:
		r.Open = false
		for _, p := range r.polls {
			if p.Open() {
				at := ev.At
				p.EndedAt = &at
			}
		}
		return nil
	case LiveModeChanged:
		r.Mode = ev.Mode
		return nil
	}
	if !r.Open {
		return Errorf(ECONFLICT, "%s", msgLiveClosed)
	}
	switch ev.Kind {
	case LiveQuestionAsked:
		return r.ask(ev)
	case LiveQuestionUpvote:
		return r.upvote(ev)
	case LiveQuestionShown, LiveQuestionHidden, LiveQuestionPinned, LiveQuestionAnswer:
		return r.moderate(ev)
	case LivePollStarted:
		return r.startPoll(ev)
	case LivePollVoted:
		return r.vote(ev)
	case LivePollEnded:
		p, ok := r.polls[ev.PollID]
		if !ok {
			return NotFound(KindPoll, ev.PollID)
		}
		if p.Open() {
			at := ev.At
			p.EndedAt = &at
		}
		return nil
	}
	return Errorf(EINVALID, "%s", msgLiveUnknownEvent)
}

func (r *Room) ask(ev LiveEvent) error {
	text, err := CheckQuestionText(ev.Text)
	if err != nil {
		return err
	}
	if _, dup := r.questions[ev.QuestionID]; dup || ev.QuestionID == "" {
		return Errorf(ECONFLICT, "%s", msgQuestionExists)
	}
	state := QuestionVisible
	if r.Mode == LivePremoderated {
		state = QuestionPending
	}
	r.asked[ev.Participant] = append(r.asked[ev.Participant], ev.QuestionID)
	r.questions[ev.QuestionID] = &LiveQuestion{ID: ev.QuestionID, Text: text, AskedAt: ev.At, Author: ev.Participant,
		State: state, Seq: ev.Seq, voters: map[string]bool{}}
	return nil
}

func (r *Room) upvote(ev LiveEvent) error {
	q, ok := r.questions[ev.QuestionID]
	if !ok || (q.State != QuestionVisible && q.Author != ev.Participant) {
		return Errorf(ENOTFOUND, "%s", msgQuestionGone) // a hidden question is gone for participants
	}
	if q.State != QuestionVisible {
		return Errorf(ECONFLICT, "%s", msgQuestionNotVisible)
	}
	if q.voters[ev.Participant] {
		return Errorf(ECONFLICT, "%s", msgAlreadyUpvoted)
	}
	q.voters[ev.Participant] = true
	r.upvoted[ev.Participant] = append(r.upvoted[ev.Participant], ev.QuestionID)
	q.Votes++
	return nil
}

func (r *Room) moderate(ev LiveEvent) error {
	q, ok := r.questions[ev.QuestionID]
	if !ok {
		return NotFound(KindQuestion, ev.QuestionID)
	}
	switch ev.Kind {
	case LiveQuestionShown:
		q.State = QuestionVisible
	case LiveQuestionHidden:
		q.State, q.Pinned = QuestionHidden, false
	case LiveQuestionPinned:
		if ev.Flag && q.State != QuestionVisible {
			return Errorf(ECONFLICT, "%s", msgPinHidden)
		}
		q.Pinned = ev.Flag
	case LiveQuestionAnswer:
		q.Answered = ev.Flag
		if ev.Flag {
			q.Pinned = false
		}
	}
	return nil
}

func (r *Room) startPoll(ev LiveEvent) error {
	if ev.Poll == nil {
		return Invalid("poll", msgPollKind)
	}
	if err := ev.Poll.Validate(); err != nil {
		return err
	}
	if _, dup := r.polls[ev.PollID]; dup || ev.PollID == "" {
		return Errorf(ECONFLICT, "%s", msgPollExists)
	}
	spec := *ev.Poll
	spec.Question = strings.TrimSpace(spec.Question)
	spec.Options = slices.Clone(spec.Options)
	for i := range spec.Options {
		spec.Options[i] = strings.TrimSpace(spec.Options[i])
	}
	r.polls[ev.PollID] = newLivePoll(ev.PollID, spec, ev.At)
	r.pollOrder = append(r.pollOrder, ev.PollID)
	return nil
}

func (r *Room) vote(ev LiveEvent) error {
	p, ok := r.polls[ev.PollID]
	if !ok {
		return NotFound(KindPoll, ev.PollID)
	}
	if !p.Open() {
		return Errorf(ECONFLICT, "%s", msgPollEnded)
	}
	choices, err := checkChoices(p.Spec, ev.Choices)
	if err != nil {
		return err
	}
	p.setVote(ev.Participant, choices) // a new vote replaces the old one while the poll is open
	return nil
}

// checkChoices validates a vote against its poll and returns it sorted.
func checkChoices(spec PollSpec, choices []int) ([]int, error) {
	choices = slices.Clone(choices)
	slices.Sort(choices)
	choices = slices.Compact(choices)
	switch spec.Kind {
	case PollScale:
		if len(choices) != 1 || choices[0] < ScaleMin || choices[0] > ScaleMax {
			return nil, Invalid("choices", msgScaleVote(ScaleMin, ScaleMax))
		}
		return choices, nil
	case PollSingle:
		if len(choices) != 1 {
			return nil, Invalid("choices", msgSingleVote)
		}
	case PollMultiple:
		if len(choices) == 0 {
			return nil, Invalid("choices", msgMultipleVote)
		}
	}
	for _, c := range choices {
		if c < 0 || c >= len(spec.Options) {
			return nil, Invalid("choices", msgNoSuchOption)
		}
	}
	return choices, nil
}

// QuestionOrder sorts the questions a room shows.
type QuestionOrder string

const (
	ByVotes QuestionOrder = "VOTES"  // pinned first, then most votes, then oldest
	ByTime  QuestionOrder = "RECENT" // pinned first, then newest
)

// Questions returns what viewer sees, in order: moderators every
// question; participants the visible ones and their own pending ones.
// Answered questions go after the open ones.
func (r *Room) Questions(order QuestionOrder, moderator bool, viewer string) []*LiveQuestion {
	out := make([]*LiveQuestion, 0, len(r.questions))
	for _, q := range r.questions {
		if moderator || q.State == QuestionVisible || (q.State == QuestionPending && q.Author == viewer && viewer != "") {
			out = append(out, q)
		}
	}
	slices.SortFunc(out, func(a, b *LiveQuestion) int {
		if c := cmp.Compare(boolRank(b.Pinned), boolRank(a.Pinned)); c != 0 {
			return c
		}
		if c := cmp.Compare(boolRank(a.Answered), boolRank(b.Answered)); c != 0 {
			return c
		}
		if order == ByVotes {
			if c := cmp.Compare(b.Votes, a.Votes); c != 0 {
				return c
			}
			return cmp.Compare(a.Seq, b.Seq)
		}
		return cmp.Compare(b.Seq, a.Seq)
	})
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Asked returns the ids of the questions participant asked.
func (r *Room) Asked(participant string) []string { return slices.Clone(r.asked[participant]) }

// VotesOf returns participant's votes by poll id; nil when it has none.
func (r *Room) VotesOf(participant string) map[string][]int {
	var out map[string][]int
	for _, id := range r.pollOrder {
		if v := r.polls[id].votes[participant]; v != nil {
			if out == nil {
				out = map[string][]int{}
			}
			out[id] = slices.Clone(v)
		}
	}
	return out
}

// Upvoted returns the ids of the questions participant upvoted.
func (r *Room) Upvoted(participant string) []string { return slices.Clone(r.upvoted[participant]) }

// Question returns a question by id.
func (r *Room) Question(id string) (*LiveQuestion, bool) {
	q, ok := r.questions[id]
	return q, ok
}

// Polls returns the polls in the order they were started.
func (r *Room) Polls() []*LivePoll {
	out := make([]*LivePoll, len(r.pollOrder))
	for i, id := range r.pollOrder {
		out[i] = r.polls[id]
	}
	return out
}

// CurrentPoll is the open poll started last, if any.
func (r *Room) CurrentPoll() *LivePoll {
	for i := len(r.pollOrder) - 1; i >= 0; i-- {
		if p := r.polls[r.pollOrder[i]]; p.Open() {
			return p
		}
	}
	return nil
}

// LiveSummary is what stays of a session once its live data is deleted:
// counts and poll results, nothing of any participant.
type LiveSummary struct {
	EventID   string
	OpenedAt  time.Time
	ClosedAt  time.Time
	Questions int // asked and not hidden
	Answered  int
	Polls     []PollSummary
}

// PollSummary is one poll's result.
type PollSummary struct {
	ID        string
	Kind      PollKind
	Question  string
	Options   []string
	StartedAt time.Time
	Result    PollResult
}

// Summary sums the room up at closedAt.
func (r *Room) Summary(closedAt time.Time) LiveSummary {
	s := LiveSummary{EventID: r.EventID, OpenedAt: r.OpenedAt, ClosedAt: closedAt}
	for _, q := range r.questions {
		if q.State == QuestionHidden {
			continue
		}
		s.Questions++
		if q.Answered {
			s.Answered++
		}
	}
	for _, p := range r.Polls() {
		s.Polls = append(s.Polls, PollSummary{ID: p.ID, Kind: p.Spec.Kind, Question: p.Spec.Question,
			Options: slices.Clone(p.Spec.Options), StartedAt: p.StartedAt, Result: p.Result()})
	}
	return s
}

// LiveStore keeps the summaries of ended sessions, for the event page.
type LiveStore interface {
	// SaveLiveSummary stores (or replaces) an event's summary. Codes:
	// NOT_FOUND (no such event), UNAVAILABLE.
	SaveLiveSummary(ctx context.Context, s LiveSummary) error
	// LiveSummary returns an event's summary, nil if none was stored.
	LiveSummary(ctx context.Context, eventID string) (*LiveSummary, error)
}
