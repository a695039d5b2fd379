package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/cyberlotse/cyberlotse/graph/live"
)

// A Lunchtalk's 5,000 subscribers mostly see the same thing: the same
// version of the room, asked for with the same query (the web's). gqlgen
// would execute and marshal each update once per subscriber, which at
// 5,000 subscribers and four updates a second is most of the server's
// work. The fan-out executes each distinct answer once and hands the
// same response to every subscriber whose view and query are alike.
//
// How: the operation middleware gives each subscription a slot; the
// liveSession resolver fills it with the session's updates and gives
// gqlgen a feed of its own instead; for each response the middleware
// takes the next update, answers from the cache when an alike
// subscriber's response is there (without executing), and otherwise
// puts the update on the feed and lets gqlgen execute it.

// liveAnswersPerVersion bounds the cached answers of one version of a
// room: views with the viewer's own votes are mostly unique, and
// caching them only costs memory.
const liveAnswersPerVersion = 256

// liveRooms bounds the rooms the cache holds answers for; beyond it the
// cache starts afresh (a few sessions run at once; finished ones would
// otherwise keep their last answers).
const liveRooms = 64

// liveVersions is how many versions of a room the cache keeps answers
// for: subscribers woken in one tick share its version, but the last of
// them may still be answered when the first of the next tick arrive.
const liveVersions = 16

// liveFanout caches, per event, the answers to its newest versions.
type liveFanout struct {
	mu      sync.Mutex
	rooms   map[string]map[int]*liveAnswers // by event ID and version
	observe func(shared bool)               // told of each update sent
}

type liveAnswers struct {
	byKey map[string]*liveAnswer
}

// liveAnswer is one response, or the promise of it while the first
// subscriber who needs it executes it.
type liveAnswer struct {
	done chan struct{}
	resp *graphql.Response // nil: the execution failed; execute your own
}

// liveStream is one subscription's state in the fan-out.
type liveStream struct {
	watcher *live.Watcher   // the session's views for this subscriber
	feed    chan *live.View // what gqlgen's execution reads
	shape   string          // the query with its variables, the token's left out
}

type liveSlotKey struct{}

// liveSlot is filled by the liveSession resolver when the operation is
// a subscription to it.
type liveSlot struct{ stream *liveStream }

func newLiveFanout(observe func(shared bool)) *liveFanout {
	if observe == nil {
		observe = func(bool) {}
	}
	return &liveFanout{rooms: map[string]map[int]*liveAnswers{}, observe: observe}
}

// aroundOperations gives subscriptions a slot and answers the liveSession
// subscriptions through the cache.
func (f *liveFanout) aroundOperations(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription {
		return next(ctx)
	}
	slot := &liveSlot{}
	execute := next(context.WithValue(ctx, liveSlotKey{}, slot))
	return func(ctx context.Context) *graphql.Response {
		if slot.stream == nil {
			return execute(ctx)
		}
		return f.respond(ctx, slot.stream, execute)
	}
}

// stream takes over a liveSession subscription's views: the channel
// returned is what gqlgen reads, and the middleware takes each view from
// w when gqlgen asks for the next response (no goroutine per
// subscriber). Without a slot (not a subscription through the handler,
// or more than one root field) the views go to gqlgen as they are.
func (f *liveFanout) stream(ctx context.Context, w *live.Watcher) <-chan *live.View {
	slot, _ := ctx.Value(liveSlotKey{}).(*liveSlot)
	oc := graphql.GetOperationContext(ctx)
	if slot == nil || slot.stream != nil || len(oc.Operation.SelectionSet) != 1 {
		return w.Channel(ctx)
	}
	shape, ok := queryShape(ctx, oc)
	if !ok {
		return w.Channel(ctx)
	}
	slot.stream = &liveStream{watcher: w, feed: make(chan *live.View, 1), shape: shape}
	return slot.stream.feed
}

// queryShape is what besides the view decides the answer: the query
// text, the operation and the variables, without the participant's
// token, which is never part of the answer.
func queryShape(ctx context.Context, oc *graphql.OperationContext) (string, bool) {
	vars := oc.Variables
	if arg := graphql.GetFieldContext(ctx).Field.Arguments.ForName("token"); arg != nil && arg.Value.Kind == ast.Variable {
		vars = maps.Clone(vars)
		delete(vars, arg.Value.Raw)
	}
	b, err := json.Marshal(vars) // map keys sorted: one text per shape
	if err != nil {
		return "", false
	}
	return oc.RawQuery + "\x00" + oc.OperationName + "\x00" + string(b), true
}

// respond answers the stream's next update.
func (f *liveFanout) respond(ctx context.Context, s *liveStream, execute graphql.ResponseHandler) *graphql.Response {
	v, ok := s.watcher.Next(ctx)
	if !ok {
		return nil // ctx ended, or the token expired
	}
	run := func() *graphql.Response {
		f.observe(false)
		s.feed <- v
		return execute(ctx)
	}
	a, first := f.answer(v.EventID, v.Version, s.shape+"\x00"+v.Key)
	if a == nil {
		return run() // an old version, or too many distinct views
	}
	if !first {
		<-a.done
		if a.resp != nil {
			f.observe(true)
			return &graphql.Response{Data: a.resp.Data}
		}
		return run()
	}
	resp := run()
	if resp != nil && len(resp.Errors) == 0 {
		// A copy: gqlgen writes each subscription's responses into one
		// buffer of its own, reset for the next update.
		a.resp = &graphql.Response{Data: bytes.Clone(resp.Data)}
	}
	close(a.done)
	return resp
}

// answer finds or reserves the answer for key at version: first says the
// caller reserved it and must execute. nil: not to be cached.
func (f *liveFanout) answer(eventID string, version int, key string) (a *liveAnswer, first bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	versions := f.rooms[eventID]
	if versions == nil {
		if len(f.rooms) >= liveRooms {
			clear(f.rooms)
		}
		versions = map[int]*liveAnswers{}
		f.rooms[eventID] = versions
	}
	answers := versions[version]
	if answers == nil {
		if len(versions) >= liveVersions {
			oldest := version
			for v := range versions {
				oldest = min(oldest, v)
			}
			if oldest == version {
				return nil, false // older than every version kept
			}
			delete(versions, oldest)
		}
		answers = &liveAnswers{byKey: map[string]*liveAnswer{}}
		versions[version] = answers
	}
	if a, ok := answers.byKey[key]; ok {
		return a, false
	}
	if len(answers.byKey) >= liveAnswersPerVersion {
		return nil, false
	}
	a = &liveAnswer{done: make(chan struct{})}
	answers.byKey[key] = a
	return a, true
}
