package neo4j

import (
	"context"
	"log/slog"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// The words of a search document: what its full-text fields hold.
const documentWords = `coalesce(n.search_title, '') + ' ' + coalesce(n.search_keywords, '') + ' ' + coalesce(n.search_text, '')`

// FollowVocabulary loads the words of every search document in the
// background, then adds those of the documents changed through any
// replica every interval, following the change log. Until the first load
// has finished, typos are left to Lucene's fuzzy terms.
func (s *SearchBackend) FollowVocabulary(interval time.Duration, logger *slog.Logger) {
	if logger == nil {
		logger = slog.Default()
	}
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(s.done)
		f := vocabularyFollower{s: s, log: NewChangeLog(s.db), logger: logger}
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			f.step(ctx)
			cancel()
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Close stops following.
func (s *SearchBackend) Close() {
	if s.stop != nil {
		close(s.stop)
		<-s.done
		s.stop = nil
	}
}

type vocabularyFollower struct {
	s       *SearchBackend
	log     *ChangeLog
	logger  *slog.Logger
	applied int64 // the last change whose words are in; under step
	failing bool
}

func (f *vocabularyFollower) step(ctx context.Context) {
	err := f.catchUp(ctx)
	switch {
	case err != nil && !f.failing:
		f.logger.Warn("search: keeping the vocabulary current failed; retrying", "err", err)
	case err == nil && f.failing:
		f.logger.Info("search: the vocabulary is current again")
	}
	f.failing = err != nil
}

func (f *vocabularyFollower) catchUp(ctx context.Context) error {
	if f.s.vocabulary.Load() == nil {
		return f.loadAll(ctx)
	}
	v := f.s.vocabulary.Load()
	for {
		changes, head, pruned, err := cyberlotse.ReadChanges(ctx, f.log, f.applied, changeBatch)
		if err != nil {
			return err
		}
		if head <= f.applied {
			return nil
		}
		if pruned {
			return f.loadAll(ctx) // pruned before we saw them
		}
		if err := f.add(ctx, v, changes); err != nil {
			return err
		}
		f.applied = changes[len(changes)-1].Seq
		if len(changes) < changeBatch {
			return nil
		}
	}
}

// changeBatch bounds the changes read in one round trip.
const changeBatch = 1000

// loadAll builds the vocabulary from every document. The head is read
// first: what commits during the load is added after it.
func (f *vocabularyFollower) loadAll(ctx context.Context) error {
	head, err := f.log.Head(ctx)
	if err != nil {
		return err
	}
	v := search.NewVocabulary()
	for _, t := range search.Types {
		if err := f.s.addWords(ctx, v, t, nil); err != nil {
			return err
		}
	}
	f.s.vocabulary.Store(v)
	f.applied = head
	f.logger.Debug("search: vocabulary loaded", "words", v.Len())
	return nil
}

// add adds the words of what changes touched: events one by one, the
// documents of the reference network as a whole (a few thousand), and
// everything after a change of everything (the scale data).
func (f *vocabularyFollower) add(ctx context.Context, v *search.Vocabulary, changes []cyberlotse.Change) error {
	var events []string
	network, all := false, false
	for _, c := range changes {
		switch c.Kind {
		case cyberlotse.ChangedEvents:
			events = append(events, c.Keys...)
		case cyberlotse.ChangedNetwork:
			network = true
		case cyberlotse.ChangedAll:
			all = true
		}
	}
	for _, t := range search.Types {
		var keys []string // nil: every document of the type
		switch {
		case all:
		case t == search.TypeEvent && len(events) > 0:
			keys = events
		case t != search.TypeEvent && network:
		default:
			continue
		}
		if err := f.s.addWords(ctx, v, t, keys); err != nil {
			return err
		}
	}
	return nil
}

// addWords adds the words of the documents of type t with the given keys
// (nil: all), streamed.
func (s *SearchBackend) addWords(ctx context.Context, v *search.Vocabulary, t search.Type, keys []string) error {
	// The label and key property come from fixed tables, never from input.
	cypher := `MATCH (n:` + labelOf[t] + `) RETURN ` + documentWords + ` AS words`
	if keys != nil {
		cypher = `MATCH (n:` + labelOf[t] + `) WHERE n.` + keyProp(t) + ` IN $keys RETURN ` + documentWords + ` AS words`
	}
	return s.db.readTx(ctx, "neo4j.SearchVocabulary", func(tx neo4j.ManagedTransaction) error {
		res, err := tx.Run(ctx, cypher, map[string]any{"keys": keys})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			w, _ := res.Record().Values[0].(string)
			v.Add(w)
		}
		return res.Err()
	})
}
