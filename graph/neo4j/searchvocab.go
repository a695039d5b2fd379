package neo4j

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// The words of a search document: what its full-text fields hold.
const documentWords = `coalesce(n.search_title, '') + ' ' + coalesce(n.search_keywords, '') + ' ' + coalesce(n.search_text, '')`

// FollowVocabulary loads the words and the searchDocs of every search
// document in the background, then those of the documents changed through
// any replica every interval, following the change log, and at once after
// this process's own writes (read-your-writes). Until the first load has
// finished, typos are left to Lucene's fuzzy terms and filters and facets
// to Cypher.
func (s *SearchBackend) FollowVocabulary(interval time.Duration, logger *slog.Logger) {
	if logger == nil {
		logger = slog.Default()
	}
	s.stop, s.done = make(chan struct{}), make(chan struct{})
	f := &vocabularyFollower{s: s, log: NewChangeLog(s.db), logger: logger}
	s.follower = f
	s.db.followSearch(s, f.afterWrite)
	go func() {
		defer close(s.done)
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
		s.db.followSearch(s, nil)
		close(s.stop)
		<-s.done
		s.stop = nil
	}
}

type vocabularyFollower struct {
	s      *SearchBackend
	log    *ChangeLog
	logger *slog.Logger

	mu      sync.Mutex // one catch-up at a time: the follower's or a writer's
	applied int64      // the last change whose documents are in
	failing bool
}

// afterWrite catches up after a commit of this process that changed
// search documents, so that its next search filters them as they are
// now. Before the first load there is nothing to keep current.
func (f *vocabularyFollower) afterWrite(ctx context.Context) {
	if f.s.docs.Load() == nil {
		return
	}
	f.step(ctx)
}

func (f *vocabularyFollower) step(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
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
	if f.s.docs.Load() == nil {
		return f.loadAll(ctx)
	}
	v, docs := f.s.vocabulary.Load(), f.s.docs.Load()
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
		if err := f.add(ctx, v, docs, changes); err != nil {
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

// loadAll builds the vocabulary and the searchDocs from every document.
// The head is read first: what commits during the load is added after it.
func (f *vocabularyFollower) loadAll(ctx context.Context) error {
	head, err := f.log.Head(ctx)
	if err != nil {
		return err
	}
	v, docs := search.NewVocabulary(), newSearchDocs()
	for _, t := range search.Types {
		if err := f.s.loadDocuments(ctx, v, docs, t, nil); err != nil {
			return err
		}
	}
	f.s.docs.Store(docs) // first: a loaded vocabulary says both are
	f.s.vocabulary.Store(v)
	f.applied = head
	f.logger.Debug("search: vocabulary and documents loaded", "words", v.Len(), "documents", len(docs.byID))
	return nil
}

// add loads again what changes touched: events one by one, the documents
// of the reference network as a whole (a few thousand), and everything
// after a change of everything (the scale data).
func (f *vocabularyFollower) add(ctx context.Context, v *search.Vocabulary, docs *searchDocs, changes []cyberlotse.Change) error {
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
		if err := f.s.loadDocuments(ctx, v, docs, t, keys); err != nil {
			return err
		}
	}
	return nil
}

// loadDocuments adds the words of the documents of type t with the given
// keys (nil: all) to v and puts their searchDocs into docs, streamed.
func (s *SearchBackend) loadDocuments(ctx context.Context, v *search.Vocabulary, docs *searchDocs, t search.Type, keys []string) error {
	// The label and key property come from fixed tables, never from input.
	cypher := `MATCH (n:` + labelOf[t] + `) RETURN {` + docMap + `} AS d`
	if keys != nil {
		cypher = `MATCH (n:` + labelOf[t] + `) WHERE n.` + keyProp(t) + ` IN $keys RETURN {` + docMap + `} AS d`
	}
	fresh := map[string]*searchDoc{}
	err := s.db.readTx(ctx, "neo4j.SearchDocuments", func(tx neo4j.ManagedTransaction) error {
		clear(fresh)
		res, err := tx.Run(ctx, cypher, map[string]any{"keys": keys})
		if err != nil {
			return err
		}
		for res.Next(ctx) {
			id, d, words := docFrom(rowOf(res.Record(), "d"))
			v.Add(words)
			fresh[id] = d
		}
		return res.Err()
	})
	if err != nil {
		return err
	}
	docs.replace(labelOf[t], keys, fresh)
	return nil
}
