package live_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// BenchmarkVotes measures votes through the hub on one embedded NATS:
// each is appended to the log, applied and answered with its outcome,
// 16 voters at once.
func BenchmarkVotes(b *testing.B) {
	ctx := context.Background()
	hubs, _ := replicas(b, 1)
	h := hubs[0]
	if err := h.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LiveSessionOpened}); err != nil {
		b.Fatal(err)
	}
	if err := h.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollStarted, PollID: "p",
		Poll: &cyberlotse.PollSpec{Kind: cyberlotse.PollScale, Question: "Wie sicher?"}}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	per := b.N/16 + 1
	for w := range 16 {
		wg.Go(func() {
			for i := range per {
				if err := h.Do(ctx, talk, cyberlotse.LiveEvent{Kind: cyberlotse.LivePollVoted, PollID: "p",
					Participant: fmt.Sprintf("w%d-%d", w, i), Choices: []int{1 + i%5}}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.ReportMetric(float64(16*per)/time.Since(start).Seconds(), "votes/s")
}
