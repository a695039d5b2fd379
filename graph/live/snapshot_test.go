package live

import (
	"slices"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// A snapshot after votes only keeps the questions of the one before; any
// change to a question builds them anew.
func TestSnapshotKeepsQuestionsAcrossVotes(t *testing.T) {
	r := cyberlotse.NewRoom("talk")
	seq := uint64(0)
	apply := func(ev cyberlotse.LiveEvent) {
		t.Helper()
		seq++
		ev.Seq, ev.At = seq, time.Date(2027, 1, 13, 12, 0, int(seq), 0, time.UTC)
		if err := r.Apply(ev); err != nil {
			t.Fatalf("%s: %v", ev.Kind, err)
		}
	}
	apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened, Mode: cyberlotse.LiveOpen})
	apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionAsked, QuestionID: "q1", Participant: "a", Text: "Was tun bei Ransomware?"})
	apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "p1", Poll: &cyberlotse.PollSpec{
		Kind: cyberlotse.PollSingle, Question: "Backup getestet?", Options: []string{"Ja", "Nein"}}})
	first := newSnapshot(r, seq, nil)

	apply(cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p1", Participant: "b", Choices: []int{1}})
	afterVote := newSnapshot(r, seq, first)
	if &afterVote.byVotes[0] != &first.byVotes[0] {
		t.Error("a vote copied the questions again")
	}
	if got := afterVote.current.Result.Counts; !slices.Equal(got, []int{0, 1}) {
		t.Errorf("poll counts %v after the vote, want [0 1]", got)
	}

	apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionUpvote, QuestionID: "q1", Participant: "b"})
	afterUpvote := newSnapshot(r, seq, afterVote)
	if afterUpvote.byVotes[0].Votes != 1 || first.byVotes[0].Votes != 0 {
		t.Errorf("votes %d after the upvote (the earlier snapshot %d), want 1 (0)", afterUpvote.byVotes[0].Votes, first.byVotes[0].Votes)
	}
	apply(cyberlotse.LiveEvent{Kind: cyberlotse.LiveQuestionHidden, QuestionID: "q1"})
	if hidden := newSnapshot(r, seq, afterUpvote); len(hidden.byVotes) != 0 || len(hidden.allByVotes) != 1 {
		t.Errorf("after hiding: %d visible, %d for the moderation; want 0 and 1", len(hidden.byVotes), len(hidden.allByVotes))
	}
}
