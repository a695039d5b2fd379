package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	coderws "github.com/coder/websocket"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// liveBenchCommand drives one live session on a running server (`server
// livebench`, `make bench-live`): subscribers half over graphql-ws and
// half over graphql-sse, questions and votes from participants at fixed
// rates, then checks that every subscriber holds the final state (every
// question, the exact vote counts) and reports how long the questions
// took from the mutation's answer to the last subscriber, and the
// server's peak memory.
func liveBenchCommand(ctx context.Context, m *Main, args []string) error {
	fs := flag.NewFlagSet("livebench", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080", "server to drive; several replicas comma-separated (subscribers and participants spread over them)")
	subscribers := fs.Int("subscribers", 5000, "subscriptions, half graphql-ws, half graphql-sse")
	participants := fs.Int("participants", 1000, "participants asking and voting")
	votesPerSecond := fs.Int("votes", 500, "votes per second")
	questionsPerSecond := fs.Float64("questions", 1, "questions per second")
	duration := fs.Duration("duration", 60*time.Second, "how long to drive load")
	out := fs.String("json", "", "write the results as JSON to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := m.OpenDB(ctx); err != nil {
		return err
	}
	if err := m.OpenServices(); err != nil {
		return err
	}
	orga, err := m.Auth.Issue(cyberlotse.Identity{Subject: "livebench", Roles: []cyberlotse.Role{cyberlotse.RoleAdmin}}, 2*time.Hour)
	if err != nil {
		return err
	}
	b := &liveBench{urls: strings.Split(*url, ","), client: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 0}}}
	var created struct{ CreateEvent struct{ Slug string } }
	if err := b.do(ctx, orga, "", `mutation($t: String!) { createEvent(input: {title: $t, startsAt: "2099-06-01T12:00:00+02:00",
		format: LUNCHTALK, mode: ONLINE, onlineUrl: "https://example.org/lunchtalk", organizer: "gemeinde-kalletal"}) { slug } }`,
		map[string]any{"t": fmt.Sprintf("Lasttest Lunchtalk %d", time.Now().UnixNano())}, &created); err != nil {
		return err
	}
	b.event = created.CreateEvent.Slug
	defer b.do(context.Background(), orga, "", `mutation($e: ID!) { cancelEvent(id: $e, reason: "Lasttest") { status } }`,
		map[string]any{"e": b.event}, nil)
	var started struct {
		StartPoll struct{ CurrentPoll struct{ ID string } }
	}
	if err := b.do(ctx, orga, "", `mutation($e: ID!) { openLiveSession(eventId: $e) { version } }`, map[string]any{"e": b.event}, nil); err != nil {
		return err
	}
	if err := b.do(ctx, orga, "", `mutation($e: ID!) { startPoll(eventId: $e, poll: {kind: SINGLE_CHOICE, question: "Lasttest?",
		options: ["A", "B", "C", "D"]}) { currentPoll { id } } }`, map[string]any{"e": b.event}, &started); err != nil {
		return err
	}
	b.poll = started.StartPoll.CurrentPoll.ID

	fmt.Fprintf(os.Stderr, "joining %d participants and %d subscribers …\n", *participants, *subscribers)
	tokens := make([]string, *participants+*subscribers)
	if err := b.join(ctx, tokens); err != nil {
		return err
	}
	subs := make([]*liveSubscriber, *subscribers)
	for i := range subs {
		subs[i] = &liveSubscriber{ws: i%2 == 0, seen: map[string]time.Time{}}
	}
	subCtx, stopSubs := context.WithCancel(ctx)
	defer stopSubs()
	var opened sync.WaitGroup
	for i, s := range subs {
		opened.Add(1)
		// i/2: graphql-ws and graphql-sse alike on every replica
		go s.run(subCtx, b, b.url(i/2), tokens[*participants+i], fmt.Sprintf("10.200.%d.%d", i/256, i%256), &opened)
		if i%100 == 99 {
			time.Sleep(20 * time.Millisecond) // spread the handshakes a little
		}
	}
	opened.Wait()
	failed := 0
	for _, s := range subs {
		if s.err != nil {
			if failed == 0 {
				fmt.Fprintf(os.Stderr, "first failure (graphql-ws: %v): %v\n", s.ws, s.err)
			}
			failed++
		}
	}
	fmt.Fprintf(os.Stderr, "%d subscribers connected (%d failed); driving load for %v …\n", len(subs)-failed, failed, *duration)

	var stopSampling []func() float64
	for _, u := range b.urls {
		stopSampling = append(stopSampling, samplePeakRSS(u))
	}

	// The load: votes at a fixed rate from random participants, questions
	// at theirs; each remembers what was accepted.
	var (
		mu           sync.Mutex
		lastVote     = map[int]int{} // participant → choice accepted last
		asked        = map[string]time.Time{}
		voteErrs     atomic.Int64
		votesSent    atomic.Int64
		votesRetried atomic.Int64
	)
	loadCtx, stopLoad := context.WithTimeout(ctx, *duration)
	defer stopLoad()
	var load sync.WaitGroup
	tick := func(rate float64, fn func(r *rand.Rand)) {
		load.Go(func() {
			r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
			interval := time.Duration(float64(time.Second) / rate)
			next := time.Now()
			var inflight sync.WaitGroup
			defer inflight.Wait()
			for loadCtx.Err() == nil {
				next = next.Add(interval)
				time.Sleep(time.Until(next))
				rr := rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))
				inflight.Go(func() { fn(rr) })
			}
		})
	}
	// Each participant votes from one goroutine at a time, so that the
	// order of its votes is the order they were answered in.
	var busy sync.Map
	tick(float64(*votesPerSecond), func(r *rand.Rand) {
		p := r.IntN(*participants)
		if _, taken := busy.LoadOrStore(p, true); taken {
			return
		}
		defer busy.Delete(p)
		choice := r.IntN(4)
		vote := func() error {
			return b.doAt(context.Background(), b.url(p), "", fmt.Sprintf("10.%d.%d.%d", p/65536, p/256%256, p%256),
				`mutation($e: ID!, $t: String!, $p: ID!, $c: [Int!]!) { votePoll(eventId: $e, token: $t, pollId: $p, choices: $c) { version } }`,
				map[string]any{"e": b.event, "t": tokens[p], "p": b.poll, "c": []int{choice}}, nil)
		}
		err := vote()
		// UNAVAILABLE: appended but not seen applied in time, so it may
		// count or not; the same vote again (as the message asks) settles
		// it, since a vote replaces the participant's earlier one.
		for try := 0; try < 5 && err != nil && strings.Contains(err.Error(), `"UNAVAILABLE"`); try++ {
			votesRetried.Add(1)
			err = vote()
		}
		votesSent.Add(1)
		if err != nil {
			if voteErrs.Add(1) <= 3 {
				fmt.Fprintf(os.Stderr, "vote refused: %v\n", err)
			}
			return
		}
		mu.Lock()
		lastVote[p] = choice
		mu.Unlock()
	})
	tick(*questionsPerSecond, func(r *rand.Rand) {
		p := r.IntN(*participants)
		var res struct {
			AskQuestion struct {
				Questions []struct {
					ID   string
					Mine bool
				}
			}
		}
		text := fmt.Sprintf("Lastfrage %d", r.Uint32())
		err := b.doAt(context.Background(), b.url(p), "", fmt.Sprintf("10.%d.%d.%d", p/65536, p/256%256, p%256),
			`mutation($e: ID!, $t: String!, $x: String!) { askQuestion(eventId: $e, token: $t, text: $x) { questions(order: RECENT, first: 1) { id mine } } }`,
			map[string]any{"e": b.event, "t": tokens[p], "x": text}, &res)
		answered := time.Now()
		if err != nil || len(res.AskQuestion.Questions) == 0 {
			fmt.Fprintf(os.Stderr, "question: %v\n", err)
			return
		}
		mu.Lock()
		asked[res.AskQuestion.Questions[0].ID] = answered
		mu.Unlock()
	})
	load.Wait()

	// Settle: every subscriber must reach the final state.
	want := make([]int, 4)
	for _, c := range lastVote {
		want[c]++
	}
	deadline := time.Now().Add(30 * time.Second)
	behind := len(subs)
	for time.Now().Before(deadline) {
		behind = 0
		for _, s := range subs {
			if !s.holds(want, asked) {
				behind++
			}
		}
		if behind == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	var peaks []float64 // per replica
	for _, stop := range stopSampling {
		peaks = append(peaks, stop())
	}
	peak := slices.Max(peaks)
	stopSubs()
	shown := 0
	for _, s := range subs {
		if shown < 3 && !s.holds(want, asked) {
			shown++
			s.mu.Lock()
			s.parse()
			fmt.Fprintf(os.Stderr, "behind: websocket %v, error %v, counts %v, %d of %d questions seen\n", s.ws, s.err, s.counts, len(s.seen), len(asked))
			s.mu.Unlock()
		}
	}

	var delays []time.Duration
	for id, at := range asked {
		var last time.Duration
		for _, s := range subs {
			s.mu.Lock()
			if seen, ok := s.seen[id]; ok && seen.Sub(at) > last {
				last = seen.Sub(at)
			}
			s.mu.Unlock()
		}
		delays = append(delays, max(last, 0))
	}
	slices.Sort(delays)
	pct := func(p float64) float64 {
		if len(delays) == 0 {
			return 0
		}
		return float64(delays[min(len(delays)-1, int(p*float64(len(delays))))].Microseconds()) / 1000
	}
	result := map[string]any{"at": time.Now().UTC().Format(time.RFC3339), "subscribers": len(subs), "failedSubscribers": failed,
		"participants": *participants, "durationSeconds": duration.Seconds(), "votesSent": votesSent.Load(), "voteErrors": voteErrs.Load(),
		"votesRetried": votesRetried.Load(),
		"questions":    len(asked), "subscribersNotAtFinalState": behind, "expectedCounts": want,
		"delayP50Ms": pct(0.50), "delayP95Ms": pct(0.95), "delayP99Ms": pct(0.99), "peakServerRSSBytes": peak,
		"replicas": len(b.urls), "peakRSSBytesPerReplica": peaks}
	fmt.Printf("\nlive session: %d subscribers (graphql-ws and graphql-sse, %d failed to connect), %d participants, %v\n",
		len(subs), failed, *participants, *duration)
	fmt.Printf("votes sent %d (%.0f/s), refused %d, retried after UNAVAILABLE %d; questions %d; final counts %v\n", votesSent.Load(),
		float64(votesSent.Load())/duration.Seconds(), voteErrs.Load(), votesRetried.Load(), len(asked), want)
	fmt.Printf("subscribers not holding every question and the exact counts after 30 s: %d\n", behind)
	fmt.Printf("question delivery, answer → last subscriber: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms\n", pct(0.5), pct(0.95), pct(0.99))
	for i, p := range peaks {
		fmt.Printf("server %d of %d (%s): peak memory %.0f MiB\n", i+1, len(peaks), b.urls[i], p/(1<<20))
	}
	if *out != "" {
		data, _ := json.MarshalIndent(result, "", "  ")
		if err := os.WriteFile(*out, data, 0o644); err != nil {
			return err
		}
	}
	if behind > 0 || failed > 0 || voteErrs.Load() > 0 {
		return fmt.Errorf("livebench: %d subscribers behind, %d failed to connect, %d votes refused", behind, failed, voteErrs.Load())
	}
	return nil
}

type liveBench struct {
	urls        []string // the replicas
	event, poll string
	client      *http.Client
}

// url is the replica that participant or subscriber n talks to.
func (b *liveBench) url(n int) string { return b.urls[n%len(b.urls)] }

// do posts an operation to the first replica; see doAt.
func (b *liveBench) do(ctx context.Context, bearer, address, query string, vars map[string]any, into any) error {
	return b.doAt(ctx, b.urls[0], bearer, address, query, vars, into)
}

// doAt posts an operation to url; address is sent as X-Forwarded-For (the
// server runs with TRUST_PROXY), as participants come from many addresses.
func (b *liveBench) doAt(ctx context.Context, url, bearer, address, query string, vars map[string]any, into any) error {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if address != "" {
		req.Header.Set("X-Forwarded-For", address)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var res struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.Unmarshal(data, &res); err != nil || len(res.Errors) > 0 {
		return fmt.Errorf("%d %.300s", resp.StatusCode, data)
	}
	if into != nil {
		return json.Unmarshal(res.Data, into)
	}
	return nil
}

// join fills tokens with new participants' tokens, 32 at a time.
func (b *liveBench) join(ctx context.Context, tokens []string) error {
	var wg sync.WaitGroup
	var first atomic.Value
	sem := make(chan struct{}, 32)
	for i := range tokens {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			var j struct{ JoinLiveSession struct{ Token string } }
			if err := b.do(ctx, "", "", `mutation($e: String!) { joinLiveSession(eventIdOrCode: $e) { token } }`,
				map[string]any{"e": b.event}, &j); err != nil {
				first.CompareAndSwap(nil, err)
				return
			}
			tokens[i] = j.JoinLiveSession.Token
		})
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		return err
	}
	return nil
}

// liveSubscriber follows the session and keeps when it first saw each
// question and its latest update. It reads each update's ids with a scan,
// not with encoding/json: at 5,000 subscribers and four updates a second
// full decoding took a core of the machine the server runs on; the poll's
// counts are decoded from the latest update only when asked for.
type liveSubscriber struct {
	ws  bool
	err error

	mu     sync.Mutex
	seen   map[string]time.Time
	last   []byte // the latest update's payload
	parsed bool   // counts is last's
	counts []int
}

const liveBenchSubscription = `subscription($e: ID!, $t: String) { liveSession(eventId: $e, token: $t) {
	version questions(order: RECENT, first: 20) { id text votes upvotedByMe mine } currentPoll { id question options result { counts voters } myVote } } }`

func (s *liveSubscriber) holds(want []int, asked map[string]time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.parse()
	if !slices.Equal(s.counts, want) {
		return false
	}
	for id := range asked {
		if _, ok := s.seen[id]; !ok {
			return false
		}
	}
	return true
}

// view takes an update: every "id" in it counts as seen now (questions;
// the poll's id too, which no one asks about).
func (s *liveSubscriber) view(data []byte) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for rest := data; ; {
		i := bytes.Index(rest, liveBenchID)
		if i < 0 {
			break
		}
		rest = rest[i+len(liveBenchID):]
		end := bytes.IndexByte(rest, '"')
		if end < 0 {
			break
		}
		if _, ok := s.seen[string(rest[:end])]; !ok {
			s.seen[string(rest[:end])] = now
		}
		rest = rest[end:]
	}
	s.last, s.parsed = append(s.last[:0], data...), false
}

var liveBenchID = []byte(`"id":"`)

// parse decodes the latest update's poll counts; the caller holds mu.
func (s *liveSubscriber) parse() {
	if s.parsed {
		return
	}
	s.parsed = true
	var msg struct {
		Payload *struct{ Data liveBenchData } // graphql-ws
		Data    liveBenchData                 // graphql-sse
	}
	if json.Unmarshal(s.last, &msg) != nil {
		return
	}
	d := msg.Data
	if msg.Payload != nil {
		d = msg.Payload.Data
	}
	if p := d.LiveSession.CurrentPoll; p != nil {
		s.counts = p.Result.Counts
	}
}

type liveBenchData struct {
	LiveSession struct {
		CurrentPoll *struct{ Result struct{ Counts []int } }
	}
}

func (s *liveSubscriber) run(ctx context.Context, b *liveBench, url, token, address string, opened *sync.WaitGroup) {
	once := sync.OnceFunc(opened.Done)
	defer once()
	vars := map[string]any{"e": b.event, "t": token}
	// From many addresses, as in a real talk (the server counts open
	// streams per address).
	header := http.Header{"X-Forwarded-For": {address}}
	if s.ws {
		conn, _, err := coderws.Dial(ctx, "ws"+strings.TrimPrefix(url, "http")+"/graphql",
			&coderws.DialOptions{Subprotocols: []string{"graphql-transport-ws"}, HTTPHeader: header})
		if err != nil {
			s.err = err
			return
		}
		defer conn.CloseNow()
		conn.SetReadLimit(4 << 20)
		write := func(v any) error { data, _ := json.Marshal(v); return conn.Write(ctx, coderws.MessageText, data) }
		if err := write(map[string]any{"type": "connection_init"}); err != nil {
			s.err = err
			return
		}
		if _, _, err := conn.Read(ctx); err != nil {
			s.err = err
			return
		}
		if err := write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]any{"query": liveBenchSubscription, "variables": vars}}); err != nil {
			s.err = err
			return
		}
		once()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if bytes.Contains(data, []byte(`"type":"next"`)) {
				s.view(data)
			}
		}
	}
	body, _ := json.Marshal(map[string]any{"query": liveBenchSubscription, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("X-Forwarded-For", address)
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		s.err = err
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.err = fmt.Errorf("SSE: %s", resp.Status)
		return
	}
	once()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 4<<20)
	for sc.Scan() {
		if data, ok := bytes.CutPrefix(sc.Bytes(), []byte("data: ")); ok {
			s.view(data)
		}
	}
}
