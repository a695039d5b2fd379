package cyberlotse_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

var liveStart = time.Date(2027, 1, 13, 12, 0, 0, 0, time.UTC)

// logOf numbers events as the shared log does.
type liveLog struct {
	room *cyberlotse.Room
	seq  uint64
}

func newLiveLog(t *testing.T, mode cyberlotse.LiveMode) *liveLog {
	t.Helper()
	l := &liveLog{room: cyberlotse.NewRoom("lunchtalk-2027-01-13")}
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened, Mode: mode})
	return l
}

func (l *liveLog) apply(ev cyberlotse.LiveEvent) error {
	l.seq++
	ev.Seq = l.seq
	if ev.At.IsZero() {
		ev.At = liveStart.Add(time.Duration(l.seq) * time.Second)
	}
	return l.room.Apply(ev)
}

func (l *liveLog) mustApply(t *testing.T, ev cyberlotse.LiveEvent) {
	t.Helper()
	if err := l.apply(ev); err != nil {
		t.Fatalf("%s: %v", ev.Kind, err)
	}
}

func wantCode(t *testing.T, err error, code cyberlotse.Code) {
	t.Helper()
	if got := cyberlotse.ErrorCode(err); got != code {
		t.Errorf("code %s (%v), want %s", got, err, code)
	}
}

func ids(qs []*cyberlotse.LiveQuestion) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.ID
	}
	return out
}

func TestLiveQuestionsOrderAndUpvotes(t *testing.T) {
	l := newLiveLog(t, cyberlotse.LiveOpen)
	for i, text := range []string{"Was tun bei Ransomware?", "Wer hilft nachts?", "Gilt das auch für Vereine?"} {
		l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: fmt.Sprintf("q%d", i+1),
			Participant: "p0", Text: "  " + text + " "})
	}
	for _, p := range []string{"p1", "p2"} {
		l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q2", Participant: p})
	}
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q3", Participant: "p1"})
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q2", Participant: "p1"}), cyberlotse.ECONFLICT)

	if got := ids(l.room.Questions(cyberlotse.ByVotes, false, "p9")); !slices.Equal(got, []string{"q2", "q3", "q1"}) {
		t.Errorf("by votes %v, want [q2 q3 q1]", got)
	}
	if got := ids(l.room.Questions(cyberlotse.ByTime, false, "p9")); !slices.Equal(got, []string{"q3", "q2", "q1"}) {
		t.Errorf("by time %v, want [q3 q2 q1]", got)
	}
	q, _ := l.room.Question("q2")
	if q.Votes != 2 || !q.UpvotedBy("p1") || q.UpvotedBy("p0") || q.Text != "Wer hilft nachts?" {
		t.Errorf("q2 = %+v", q)
	}
	// Pinned first, answered last.
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionPinned, QuestionID: "q1", Flag: true})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAnswer, QuestionID: "q2", Flag: true})
	if got := ids(l.room.Questions(cyberlotse.ByVotes, false, "p9")); !slices.Equal(got, []string{"q1", "q3", "q2"}) {
		t.Errorf("pinned and answered %v, want [q1 q3 q2]", got)
	}
}

func TestLiveModerationHidesAtOnce(t *testing.T) {
	l := newLiveLog(t, cyberlotse.LivePremoderated)
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q1", Participant: "author", Text: "Was kostet Digi-SOS?"})
	if got := ids(l.room.Questions(cyberlotse.ByVotes, false, "other")); len(got) != 0 {
		t.Errorf("a pending question is shown to others: %v", got)
	}
	if got := ids(l.room.Questions(cyberlotse.ByVotes, false, "author")); !slices.Equal(got, []string{"q1"}) {
		t.Errorf("the author does not see the own pending question: %v", got)
	}
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "other"}), cyberlotse.ENOTFOUND)
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionPinned, QuestionID: "q1", Flag: true}), cyberlotse.ECONFLICT)

	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionShown, QuestionID: "q1"})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "other"})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionHidden, QuestionID: "q1"})
	if got := ids(l.room.Questions(cyberlotse.ByVotes, false, "other")); len(got) != 0 {
		t.Errorf("a hidden question is still shown: %v", got)
	}
	if got := ids(l.room.Questions(cyberlotse.ByVotes, true, "")); !slices.Equal(got, []string{"q1"}) {
		t.Errorf("the moderator does not see the hidden question: %v", got)
	}
	err := l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "third"})
	wantCode(t, err, cyberlotse.ENOTFOUND)
	if q, _ := l.room.Question("q1"); q.Votes != 1 {
		t.Errorf("votes of the hidden question %d, want 1", q.Votes)
	}
}

func TestLivePolls(t *testing.T) {
	l := newLiveLog(t, cyberlotse.LiveOpen)
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "p1", Poll: &cyberlotse.PollSpec{
		Kind: cyberlotse.PollMultiple, Question: "Was haben Sie schon?", Options: []string{"Backup", "MFA", "Notfallplan"}}})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "a", Choices: []int{2, 0, 2}})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "b", Choices: []int{1}})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "b", Choices: []int{0}}) // changed
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "c", Choices: []int{3}}), cyberlotse.EINVALID)
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "c"}), cyberlotse.EINVALID)
	p := l.room.CurrentPoll()
	if r := p.Result(); !slices.Equal(r.Counts, []int{2, 0, 1}) || r.Voters != 2 {
		t.Errorf("result %+v, want counts [2 0 1] from 2 voters", r)
	}
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollEnded, PollID: "p1"})
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "c", Choices: []int{1}}), cyberlotse.ECONFLICT)
	if l.room.CurrentPoll() != nil {
		t.Error("an ended poll is still current")
	}

	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "p2", Poll: &cyberlotse.PollSpec{
		Kind: cyberlotse.PollScale, Question: "Wie sicher fühlen Sie sich?"}})
	for i, v := range []int{5, 4, 4, 1} {
		l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p2", Participant: fmt.Sprint(i), Choices: []int{v}})
	}
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p2", Participant: "x", Choices: []int{6}}), cyberlotse.EINVALID)
	if r := l.room.CurrentPoll().Result(); !slices.Equal(r.Counts, []int{1, 0, 0, 2, 1}) || r.Mean != 3.5 {
		t.Errorf("scale result %+v, want [1 0 0 2 1] and mean 3.5", r)
	}
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionClosed})
	if l.room.CurrentPoll() != nil || l.room.Open {
		t.Error("closing the session leaves a poll open")
	}
	wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q9", Participant: "a", Text: "Noch offen?"}), cyberlotse.ECONFLICT)
}

func TestLiveBadInput(t *testing.T) {
	l := newLiveLog(t, cyberlotse.LiveOpen)
	long := make([]rune, cyberlotse.MaxQuestionLength+1)
	for i := range long {
		long[i] = 'ä'
	}
	for _, text := range []string{"", "  ", "ab", string(long)} {
		wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q" + text, Participant: "a", Text: text}), cyberlotse.EINVALID)
	}
	for _, spec := range []cyberlotse.PollSpec{
		{Kind: cyberlotse.PollSingle, Question: "Eine?", Options: []string{"Nur eine"}},
		{Kind: cyberlotse.PollSingle, Question: "Doppelt?", Options: []string{"Ja", " ja "}},
		{Kind: cyberlotse.PollScale, Question: "Skala?", Options: []string{"1", "2"}},
		{Kind: "FREE_TEXT", Question: "Frei?", Options: []string{"a", "b"}},
		{Kind: cyberlotse.PollSingle, Question: " ", Options: []string{"a", "b"}},
	} {
		wantCode(t, l.apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "bad", Poll: &spec}), cyberlotse.EINVALID)
	}
	// A redelivered event (same Seq) is applied once.
	ev := cyberlotse.LiveEvent{Seq: 100, Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q1", Participant: "a", Text: "Einmal bitte"}
	if err := l.room.Apply(ev); err != nil {
		t.Fatal(err)
	}
	up := cyberlotse.LiveEvent{Seq: 101, Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "b"}
	for range 2 {
		if err := l.room.Apply(up); err != nil {
			t.Fatal(err)
		}
	}
	if q, _ := l.room.Question("q1"); q.Votes != 1 {
		t.Errorf("a redelivered upvote counted %d times", q.Votes)
	}
}

func TestLiveTokens(t *testing.T) {
	tokens := cyberlotse.NewLiveTokens([]byte("0123456789abcdef0123456789abcdef"))
	tok := tokens.Issue("lunchtalk-2027-01-13", "p-42", liveStart)
	if p, err := tokens.Verify(tok, "lunchtalk-2027-01-13", liveStart.Add(time.Hour)); err != nil || p != "p-42" {
		t.Fatalf("Verify = %q, %v", p, err)
	}
	other := cyberlotse.NewLiveTokens([]byte("ffffffffffffffffffffffffffffffff"))
	for name, check := range map[string]func() error{
		"expired": func() error {
			_, err := tokens.Verify(tok, "lunchtalk-2027-01-13", liveStart.Add(cyberlotse.DefaultLiveTokenTTL))
			return err
		},
		"other event": func() error { _, err := tokens.Verify(tok, "planspiel-koeln", liveStart); return err },
		"forged":      func() error { _, err := other.Verify(tok, "lunchtalk-2027-01-13", liveStart); return err },
		"garbage":     func() error { _, err := tokens.Verify("x.y", "lunchtalk-2027-01-13", liveStart); return err },
	} {
		if err := check(); cyberlotse.ErrorCode(err) != cyberlotse.EUNAUTH {
			t.Errorf("%s: %v, want UNAUTHENTICATED", name, err)
		}
	}
}

func TestLiveSummary(t *testing.T) {
	l := newLiveLog(t, cyberlotse.LiveOpen)
	for i := range 3 {
		l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: fmt.Sprint(i), Participant: "a", Text: "Frage Nummer " + fmt.Sprint(i)})
	}
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionHidden, QuestionID: "0"})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAnswer, QuestionID: "1", Flag: true})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "p", Poll: &cyberlotse.PollSpec{
		Kind: cyberlotse.PollSingle, Question: "MFA?", Options: []string{"Ja", "Nein"}}})
	l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p", Participant: "a", Choices: []int{1}})
	s := l.room.Summary(liveStart.Add(time.Hour))
	if s.Questions != 2 || s.Answered != 1 || len(s.Polls) != 1 || !slices.Equal(s.Polls[0].Result.Counts, []int{0, 1}) ||
		s.OpenedAt != liveStart.Add(time.Second) {
		t.Errorf("summary %+v", s)
	}
}

// The counts kept as votes change equal a recount of every voter's
// choices, for changed votes of each kind of poll.
func TestLivePollCountsFollowChangedVotes(t *testing.T) {
	l := newLiveLog(t, cyberlotse.LiveOpen)
	specs := map[string]*cyberlotse.PollSpec{
		"multi": {Kind: cyberlotse.PollMultiple, Question: "Was haben Sie?", Options: []string{"A", "B", "C", "D"}},
		"scale": {Kind: cyberlotse.PollScale, Question: "Wie sicher?"},
	}
	for id, spec := range specs {
		l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: id, Poll: spec})
		poll := l.room.CurrentPoll()
		for i := range 2000 {
			var choices []int
			if spec.Kind == cyberlotse.PollScale {
				choices = []int{1 + i*7%5}
			} else {
				choices = []int{i % 4, i * 3 % 4}
			}
			l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: id, Participant: fmt.Sprint(i * 13 % 50), Choices: choices})
		}
		want, sum, voters := make([]int, len(poll.Result().Counts)), 0, 0
		for p := range 50 {
			v := poll.VoteOf(fmt.Sprint(p))
			if v != nil {
				voters++
			}
			for _, c := range v {
				if spec.Kind == cyberlotse.PollScale {
					want[c-1]++
					sum += c
				} else {
					want[c]++
				}
			}
		}
		r := poll.Result()
		if !slices.Equal(r.Counts, want) || r.Voters != voters || (spec.Kind == cyberlotse.PollScale && r.Mean != float64(sum)/float64(voters)) {
			t.Errorf("%s: result %+v, recount %v from %d voters (sum %d)", id, r, want, voters, sum)
		}
		r.Counts[0] = -1
		if poll.Result().Counts[0] == -1 {
			t.Errorf("%s: a result shares the poll's counts", id)
		}
		l.mustApply(t, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollEnded, PollID: id})
	}
}
