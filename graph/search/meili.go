package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/meilisearch/meilisearch-go"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Meili is the Meilisearch backend. Writes (settings, documents, keys) use
// the master key; queries use a search-only key (SearchKey), found or
// created on first use. Every HTTP request has a timeout, and waiting for
// an indexing task has its own.
//
// Failures come back as *MeiliError: network errors, timeouts and 5xx
// answers carry cyberlotse.ESEARCH with a German message; anything else
// (a 4xx that means our request or configuration is wrong, a failed task)
// is internal. Error() never contains the cause; log the error with slog
// (MeiliError is a slog.LogValuer) to see it.
type Meili struct {
	url          string
	masterKey    string
	index        string
	timeout      time.Duration
	taskTimeout  time.Duration
	pollInterval time.Duration
	httpClient   *http.Client

	admin meilisearch.ServiceManager // master key

	searchKey *string       // fixed by MeiliSearchKey; nil: SearchKey
	keySem    chan struct{} // one key lookup at a time, cancellable
	mu        sync.Mutex
	reader    meilisearch.ServiceManager // search key; nil until looked up
}

var (
	_ Backend       = (*Meili)(nil)
	_ Indexer       = (*Meili)(nil)
	_ ReindexTarget = (*Meili)(nil)
)

// MeiliOption configures NewMeili.
type MeiliOption func(*Meili)

// MeiliIndex sets the index uid (default "cyberlotse").
func MeiliIndex(uid string) MeiliOption { return func(m *Meili) { m.index = uid } }

// MeiliTimeout bounds every HTTP request (default 5s).
func MeiliTimeout(d time.Duration) MeiliOption { return func(m *Meili) { m.timeout = d } }

// MeiliTaskTimeout bounds waiting for one indexing or settings task
// (default 2 minutes).
func MeiliTaskTimeout(d time.Duration) MeiliOption { return func(m *Meili) { m.taskTimeout = d } }

// MeiliSearchKey sets the key for queries, so that SearchKey is not asked
// (for a key provisioned outside the application).
func MeiliSearchKey(key string) MeiliOption { return func(m *Meili) { m.searchKey = &key } }

// DefaultMeiliIndex is the default index uid.
const DefaultMeiliIndex = "cyberlotse"

// Description of the search-only key that SearchKey finds or creates.
const meiliSearchKeyDescription = "cyberlotse search"

// MsgSearchUnavailable is what a person is told when Meilisearch cannot be
// reached.
const MsgSearchUnavailable = "Die Suche ist gerade nicht erreichbar. Bitte versuchen Sie es später erneut."

var indexUIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,400}$`)

// NewMeili returns the backend for the Meilisearch at url. It does no I/O:
// call EnsureSettings at start-up.
func NewMeili(rawURL, masterKey string, opts ...MeiliOption) (*Meili, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("search: MEILI_URL %q is not an http(s) URL", rawURL)
	}
	m := &Meili{
		url:          strings.TrimRight(u.String(), "/"),
		masterKey:    masterKey,
		index:        DefaultMeiliIndex,
		timeout:      5 * time.Second,
		taskTimeout:  2 * time.Minute,
		pollInterval: 100 * time.Millisecond,
		keySem:       make(chan struct{}, 1),
	}
	for _, o := range opts {
		o(m)
	}
	if !indexUIDPattern.MatchString(m.index) {
		return nil, fmt.Errorf("search: Meilisearch index uid %q: only letters, digits, - and _", m.index)
	}
	if m.timeout <= 0 || m.taskTimeout <= 0 {
		return nil, errors.New("search: Meilisearch timeouts must be positive")
	}
	m.httpClient = &http.Client{Timeout: m.timeout}
	m.admin = m.client(masterKey)
	return m, nil
}

// Index returns the index uid.
func (m *Meili) Index() string { return m.index }

func (m *Meili) client(key string) meilisearch.ServiceManager {
	// Retries are off: a search fails fast, and the sync job retries on its
	// next run (the client's own backoff would sleep for seconds).
	return meilisearch.New(m.url, meilisearch.WithAPIKey(key),
		meilisearch.WithCustomClient(m.httpClient), meilisearch.DisableRetries())
}

// ---- errors ----

// MeiliError is a failed call to Meilisearch. Error() is safe to show; the
// cause (status, Meilisearch's code and message, the endpoint) is kept in
// Cause for logs, and LogValue puts it into slog records.
type MeiliError struct {
	Op    string            // what was attempted: "search", "upsert", "settings", …
	Err   *cyberlotse.Error // what a person is told; nil: internal (shown as cyberlotse.MsgInternal)
	Cause error
}

func (e *MeiliError) Error() string {
	if e.Err != nil {
		return "meilisearch " + e.Op + ": " + e.Err.Message
	}
	return "meilisearch " + e.Op + " failed"
}

// Unwrap gives errors.As the *cyberlotse.Error (so ErrorCode says ESEARCH)
// and errors.Is/As the cause.
func (e *MeiliError) Unwrap() []error {
	var errs []error
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

// LogValue shows the operation, the code and the cause in logs.
func (e *MeiliError) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("op", e.Op)}
	if e.Err != nil {
		attrs = append(attrs, slog.String("code", string(e.Err.Code)))
	}
	if e.Cause != nil {
		attrs = append(attrs, slog.String("cause", e.Cause.Error()))
	}
	return slog.GroupValue(attrs...)
}

// TaskError is an indexing or settings task that did not succeed.
type TaskError struct {
	UID     int64
	Type    string
	Status  string
	Code    string // Meilisearch's error code, e.g. invalid_document_id
	Message string
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("meilisearch task %d (%s) %s: %s [%s]", e.UID, e.Type, e.Status, e.Message, e.Code)
}

// classify maps a client error to a *MeiliError.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var done *MeiliError
	if errors.As(err, &done) {
		return err
	}
	if unavailable(err) {
		return &MeiliError{Op: op, Err: cyberlotse.Errorf(cyberlotse.ESEARCH, "%s", MsgSearchUnavailable), Cause: err}
	}
	return &MeiliError{Op: op, Cause: err}
}

// unavailable tells whether err means that the service cannot answer now
// (as opposed to an answer that says our request is wrong).
func unavailable(err error) bool {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		switch me.ErrCode {
		case meilisearch.MeilisearchCommunicationError, meilisearch.MeilisearchTimeoutError,
			meilisearch.MeilisearchMaxRetriesExceeded:
			return true
		}
		if me.StatusCode >= 500 || me.StatusCode == http.StatusTooManyRequests {
			return true
		}
		if me.OriginError != nil && me.ErrCode != meilisearch.ErrCodeResponseUnmarshalBody {
			return unavailable(me.OriginError)
		}
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var ue *url.Error
	return errors.As(err, &ue)
}

// authFailed tells whether Meilisearch refused the key.
func authFailed(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && (me.StatusCode == http.StatusUnauthorized || me.StatusCode == http.StatusForbidden)
}

func apiErrorCode(err error) string {
	var me *meilisearch.Error
	if errors.As(err, &me) {
		return me.MeilisearchApiError.Code
	}
	return ""
}

// ---- settings ----

// SynonymGroups are multi-way synonyms: every word of a group finds the
// others. Multi-word and hyphenated entries are allowed.
var SynonymGroups = [][]string{
	{"KMU", "Mittelstand", "Unternehmen"},
	{"Planspiel", "Tabletop-Übung", "Tabletop", "Krisenübung"},
	{"Polizei", "Interventionsteam", "ZAC"},
	{"Notfall", "Vorfall", "Angriff", "Cyberangriff"},
}

// GermanStopWords are common German words that carry no meaning in a query.
var GermanStopWords = []string{
	"am", "an", "auf", "aus", "bei", "das", "dem", "den", "der", "des", "die",
	"ein", "eine", "einem", "einen", "einer", "eines", "für", "im", "in", "ist",
	"mit", "oder", "und", "vom", "von", "zu", "zum", "zur",
}

// synonymMap turns groups into Meilisearch's map: each word to the others.
func synonymMap(groups [][]string) map[string][]string {
	out := map[string][]string{}
	for _, g := range groups {
		for _, w := range g {
			for _, other := range g {
				if other != w && !slices.Contains(out[w], other) {
					out[w] = append(out[w], other)
				}
			}
		}
	}
	return out
}

// Attributes of the Meilisearch documents (see toMeili).
var (
	meiliSearchable = []string{"title", "keywords", "text", "postcodes"}
	meiliFilterable = []string{"type", "ags", "districts", "regions", "format", "measures", "startsAt", "status", "_geo"}
	meiliSortable   = []string{"startsAt"}
	meiliRanking    = []string{"words", "typo", "proximity", "attribute", "sort", "exactness"}
	meiliFacets     = []string{"type", "format", "districts", "measures"}
)

const meiliMaxValuesPerFacet = 200

// desiredSettings are the index settings EnsureSettings applies.
func desiredSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		RankingRules:         slices.Clone(meiliRanking),
		SearchableAttributes: slices.Clone(meiliSearchable),
		FilterableAttributes: slices.Clone(meiliFilterable),
		SortableAttributes:   slices.Clone(meiliSortable),
		StopWords:            slices.Clone(GermanStopWords),
		Synonyms:             synonymMap(SynonymGroups),
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 4, TwoTypos: 8},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
			// Postcodes, AGS and years must match exactly: 32689 is not 32683.
			DisableOnNumbers: true,
		},
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: meiliMaxValuesPerFacet,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeAlpha},
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: MaxHits},
	}
}

// settingsEqual compares the settings EnsureSettings manages; lists whose
// order has no meaning compare as sets.
func settingsEqual(want, got *meilisearch.Settings) bool {
	if got == nil {
		return false
	}
	if !slices.Equal(want.RankingRules, got.RankingRules) ||
		!slices.Equal(want.SearchableAttributes, got.SearchableAttributes) ||
		!sameSet(want.FilterableAttributes, got.FilterableAttributes) ||
		!sameSet(want.SortableAttributes, got.SortableAttributes) ||
		!sameSet(want.StopWords, got.StopWords) {
		return false
	}
	if len(want.Synonyms) != len(got.Synonyms) {
		return false
	}
	for k, v := range want.Synonyms {
		if g, ok := got.Synonyms[k]; !ok || !sameSet(v, g) {
			return false
		}
	}
	wt, gt := want.TypoTolerance, got.TypoTolerance
	if gt == nil || wt.Enabled != gt.Enabled || wt.MinWordSizeForTypos != gt.MinWordSizeForTypos ||
		wt.DisableOnNumbers != gt.DisableOnNumbers || len(gt.DisableOnWords) != 0 || len(gt.DisableOnAttributes) != 0 {
		return false
	}
	if got.Faceting == nil || got.Faceting.MaxValuesPerFacet != want.Faceting.MaxValuesPerFacet {
		return false
	}
	return got.Pagination != nil && got.Pagination.MaxTotalHits == want.Pagination.MaxTotalHits
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// EnsureSettings creates the index (primary key "id") if it is missing and
// applies the settings when they differ from the index's. Idempotent; call
// it at start-up. Every task is waited for and must succeed.
func (m *Meili) EnsureSettings(ctx context.Context) error {
	const op = "settings"
	idx := m.admin.Index(m.index)

	cctx, cancel := context.WithTimeout(ctx, m.timeout)
	info, err := idx.FetchInfoWithContext(cctx)
	cancel()
	switch {
	case err != nil && apiErrorCode(err) == "index_not_found":
		cctx, cancel := context.WithTimeout(ctx, m.timeout)
		t, err := m.admin.CreateIndexWithContext(cctx, &meilisearch.IndexConfig{Uid: m.index, PrimaryKey: "id"})
		cancel()
		if err != nil {
			return classify(op, err)
		}
		if err := m.wait(ctx, op, t); err != nil {
			var te *TaskError
			// Created meanwhile by another instance: fine.
			if !errors.As(err, &te) || te.Code != "index_already_exists" {
				return err
			}
		}
	case err != nil:
		return classify(op, err)
	case info.PrimaryKey != "" && info.PrimaryKey != "id":
		return &MeiliError{Op: op, Cause: fmt.Errorf("index %q has primary key %q, want \"id\"", m.index, info.PrimaryKey)}
	}

	want := desiredSettings()
	cctx, cancel = context.WithTimeout(ctx, m.timeout)
	got, err := idx.GetSettingsWithContext(cctx)
	cancel()
	if err != nil && unavailable(err) {
		return classify(op, err)
	}
	// A settings answer this client cannot decode (newer server) is no
	// reason to stop: the update below is idempotent.
	if err == nil && settingsEqual(want, got) {
		return nil
	}
	cctx, cancel = context.WithTimeout(ctx, m.timeout)
	t, err := idx.UpdateSettingsWithContext(cctx, want)
	cancel()
	if err != nil {
		return classify(op, err)
	}
	return m.wait(ctx, op, t)
}

// wait waits for a task and requires that it succeeded.
func (m *Meili) wait(ctx context.Context, op string, t *meilisearch.TaskInfo) error {
	wctx, cancel := context.WithTimeout(ctx, m.taskTimeout)
	defer cancel()
	task, err := m.admin.WaitForTaskWithContext(wctx, t.TaskUID, m.pollInterval)
	if err != nil {
		return classify(op, err)
	}
	if task.Status != meilisearch.TaskStatusSucceeded {
		return &MeiliError{Op: op, Cause: &TaskError{UID: t.TaskUID, Type: string(task.Type), Status: string(task.Status),
			Code: task.Error.Code, Message: task.Error.Message}}
	}
	return nil
}

// ---- keys ----

// SearchKey finds or creates the API key for queries: actions ["search"]
// on this index only, description "cyberlotse search", no expiry. Without
// a master key (a development instance) it returns "" and queries go
// without a key.
func (m *Meili) SearchKey(ctx context.Context) (string, error) {
	if m.searchKey != nil {
		return *m.searchKey, nil
	}
	if m.masterKey == "" {
		return "", nil
	}
	const op = "search key"
	for offset := int64(0); ; {
		cctx, cancel := context.WithTimeout(ctx, m.timeout)
		res, err := m.admin.GetKeysWithContext(cctx, &meilisearch.KeysQuery{Limit: 100, Offset: offset})
		cancel()
		if err != nil {
			return "", classify(op, err)
		}
		for _, k := range res.Results {
			if m.isSearchKey(k) {
				return k.Key, nil
			}
		}
		offset += int64(len(res.Results))
		if len(res.Results) == 0 || offset >= res.Total {
			break
		}
	}
	cctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	k, err := m.admin.CreateKeyWithContext(cctx, &meilisearch.Key{
		Name:        "cyberlotse-search",
		Description: meiliSearchKeyDescription,
		Actions:     []string{"search"},
		Indexes:     []string{m.index},
	})
	if err != nil {
		return "", classify(op, err)
	}
	return k.Key, nil
}

func (m *Meili) isSearchKey(k meilisearch.Key) bool {
	return k.Description == meiliSearchKeyDescription && slices.Equal(k.Actions, []string{"search"}) &&
		slices.Equal(k.Indexes, []string{m.index}) && (k.ExpiresAt.IsZero() || k.ExpiresAt.After(time.Now()))
}

// searcher returns the client with the search key, looking the key up once.
func (m *Meili) searcher(ctx context.Context) (meilisearch.ServiceManager, error) {
	if c := m.cachedSearcher(); c != nil {
		return c, nil
	}
	select {
	case m.keySem <- struct{}{}:
	case <-ctx.Done():
		return nil, classify("search key", ctx.Err())
	}
	defer func() { <-m.keySem }()
	if c := m.cachedSearcher(); c != nil { // looked up while we waited
		return c, nil
	}
	key, err := m.SearchKey(ctx)
	if err != nil {
		return nil, err
	}
	c := m.client(key)
	m.mu.Lock()
	m.reader = c
	m.mu.Unlock()
	return c, nil
}

func (m *Meili) cachedSearcher() meilisearch.ServiceManager {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reader
}

// forgetSearcher drops the cached search client c (its key was refused).
func (m *Meili) forgetSearcher(c meilisearch.ServiceManager) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.reader == c {
		m.reader = nil
	}
}

// search runs one query with the search key; a refused key is looked up
// again once (it may have been deleted or rotated).
func (m *Meili) search(ctx context.Context, op string, req *meilisearch.SearchRequest, out any) error {
	var raw *json.RawMessage
	if err := m.withSearcher(ctx, op, func(ctx context.Context, c meilisearch.ServiceManager) (err error) {
		raw, err = c.Index(m.index).SearchRawWithContext(ctx, req.Query, req)
		return err
	}); err != nil {
		return err
	}
	if raw == nil {
		return &MeiliError{Op: op, Cause: errors.New("empty search response")}
	}
	if err := json.Unmarshal(*raw, out); err != nil {
		return &MeiliError{Op: op, Cause: fmt.Errorf("decoding search response: %w", err)}
	}
	return nil
}

// multiSearch runs a federated multi-search and decodes it into out, like
// search.
func (m *Meili) multiSearch(ctx context.Context, op string, req *meilisearch.MultiSearchRequest, out *meiliResponse) error {
	var resp *meilisearch.MultiSearchResponse
	if err := m.withSearcher(ctx, op, func(ctx context.Context, c meilisearch.ServiceManager) (err error) {
		resp, err = c.MultiSearchWithContext(ctx, req)
		return err
	}); err != nil {
		return err
	}
	if resp == nil {
		return &MeiliError{Op: op, Cause: errors.New("empty search response")}
	}
	if err := decodeFederated(resp, out); err != nil {
		return &MeiliError{Op: op, Cause: fmt.Errorf("decoding search response: %w", err)}
	}
	return nil
}

// withSearcher calls Meilisearch with the search key and the timeout;
// once more with a fresh key when the cached one was refused (rotated).
func (m *Meili) withSearcher(ctx context.Context, op string, call func(context.Context, meilisearch.ServiceManager) error) error {
	for attempt := 0; ; attempt++ {
		c, err := m.searcher(ctx)
		if err != nil {
			return err
		}
		cctx, cancel := context.WithTimeout(ctx, m.timeout)
		err = call(cctx, c)
		cancel()
		if err == nil {
			return nil
		}
		if authFailed(err) && attempt == 0 && m.searchKey == nil {
			m.forgetSearcher(c)
			continue
		}
		return classify(op, err)
	}
}

// decodeFederated reads a federated answer into the shape of a single
// search; the weighted score orders the merged list.
func decodeFederated(resp *meilisearch.MultiSearchResponse, out *meiliResponse) error {
	raw, err := json.Marshal(resp.Hits)
	if err != nil {
		return err
	}
	var hits []struct {
		meiliHit
		Federation struct {
			WeightedRankingScore float64 `json:"weightedRankingScore"`
		} `json:"_federation"`
	}
	if err := json.Unmarshal(raw, &hits); err != nil {
		return err
	}
	out.Hits = make([]meiliHit, len(hits))
	for i, h := range hits {
		out.Hits[i] = h.meiliHit
		out.Hits[i].RankingScore = h.Federation.WeightedRankingScore
	}
	out.EstimatedTotalHits = int(resp.EstimatedTotalHits)
	out.FacetDistribution = map[string]map[string]int{}
	for facet, dist := range resp.FacetDistribution {
		var counts map[string]int
		if err := json.Unmarshal(dist, &counts); err != nil {
			return err
		}
		out.FacetDistribution[facet] = counts
	}
	return nil
}

// ---- queries ----

// Highlight markers sent to Meilisearch: private-use characters that
// toMeili removes from documents, so they cannot be confused with text.
// They become <em>…</em> after the text around them is HTML-escaped.
const (
	markPre  = "\uE000"
	markPost = "\uE001"

	markPreRune  = '\uE000'
	markPostRune = '\uE001'
)

// validateQuery checks q (the text with CheckText, shared by the backends;
// the rest as the API does) and returns its plain text for Meilisearch.
func validateQuery(q Query) (string, error) {
	if err := CheckText(q.Text); err != nil {
		return "", err
	}
	if q.First < 0 || q.First > MaxPageSize {
		return "", cyberlotse.Invalid("first", fmt.Sprintf("zwischen 1 und %d Treffer pro Seite.", MaxPageSize))
	}
	if q.Offset < 0 {
		return "", cyberlotse.Invalid("after", "der Cursor gehört nicht zu einer Suche.")
	}
	if n := q.Near; n != nil && !(validLatLon(n.Lat, n.Lon) && n.RadiusKm > 0 && !math.IsInf(n.RadiusKm, 0)) {
		return "", cyberlotse.Invalid("near", "Breite −90…90, Länge −180…180 und ein Umkreis über 0 km.")
	}
	return plainText(strings.TrimSpace(q.Text)), nil
}

func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 // false for NaN
}

// plainText neutralizes Meilisearch's query syntax: double quotes (phrase
// search) become spaces, and a dash that starts a word (negation, "-foo")
// is dropped; a dash inside a word ("E-Mail") stays. Typographic quotes
// and dashes are treated alike, in case a normalizer folds them. All other
// characters (~ * : ( ) AND OR …) have no meaning to Meilisearch and stay.
func plainText(s string) string {
	var b strings.Builder
	inWord := false
	for _, r := range s {
		switch {
		case isQuote(r), r == markPreRune, r == markPostRune, unicode.IsControl(r):
			b.WriteByte(' ')
			inWord = false
		case isDash(r) && !inWord:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
			inWord = unicode.IsLetter(r) || unicode.IsDigit(r) || (isDash(r) && inWord)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func isQuote(r rune) bool {
	switch r {
	case '"', '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', '\u2033', '\uFF02':
		return true
	}
	return false
}

func isDash(r rune) bool {
	return r == '-' || (r >= '\u2010' && r <= '\u2015') || r == '\u2212' || r == '\uFE63' || r == '\uFF0D'
}

// searchable tells whether text has anything Meilisearch can match.
func searchable(text string) bool {
	return strings.IndexFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// quoteFilter quotes a value for a Meilisearch filter expression: inside
// double quotes, \ and " are escaped with a backslash.
func quoteFilter(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// buildFilter turns the restrictions of q into one filter expression; ""
// when there are none.
func buildFilter(q Query) string {
	var parts []string
	if len(q.Types) > 0 {
		vals := make([]string, len(q.Types))
		for i, t := range q.Types {
			vals[i] = quoteFilter(string(t))
		}
		parts = append(parts, "type IN ["+strings.Join(vals, ", ")+"]")
	}
	if q.AGS != nil {
		parts = append(parts, "ags = "+quoteFilter(string(*q.AGS)))
	}
	if q.District != nil {
		parts = append(parts, "districts = "+quoteFilter(string(*q.District)))
	}
	if q.Region != nil {
		parts = append(parts, "regions = "+quoteFilter(*q.Region))
	}
	// The date window narrows events only, as on Neo4j: other objects
	// have no start and stay.
	if q.From != nil {
		parts = append(parts, `(type != "EVENT" OR startsAt >= `+strconv.FormatInt(ceilUnix(*q.From), 10)+")")
	}
	if q.To != nil {
		parts = append(parts, `(type != "EVENT" OR startsAt < `+strconv.FormatInt(ceilUnix(*q.To), 10)+")")
	}
	if q.Format != nil {
		parts = append(parts, "format = "+quoteFilter(string(*q.Format)))
	}
	if q.Measure != nil {
		parts = append(parts, "measures = "+quoteFilter(*q.Measure))
	}
	if n := q.Near; n != nil {
		parts = append(parts, fmt.Sprintf("_geoRadius(%s, %s, %d)", formatFloat(n.Lat), formatFloat(n.Lon),
			int64(math.Round(n.RadiusKm*1000))))
	}
	return strings.Join(parts, " AND ")
}

// ceilUnix is t in whole seconds, rounded up, so that "startsAt >= x" and
// "startsAt < x" keep the meaning of [From, To) for stored whole seconds.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Search crop: the text field is shown as a snippet of about this many words.
const snippetWords = 30

// buildSearchRequest is the Meilisearch request for a validated query.
func buildSearchRequest(q Query, text string) *meilisearch.SearchRequest {
	limit := q.First
	if limit == 0 {
		limit = DefaultPageSize
	}
	req := &meilisearch.SearchRequest{
		Query:                 text,
		Offset:                int64(q.Offset),
		Limit:                 int64(limit),
		AttributesToRetrieve:  []string{"type", "key", "title", "text", "keywords"},
		AttributesToHighlight: []string{"title", "text", "keywords"},
		HighlightPreTag:       markPre,
		HighlightPostTag:      markPost,
		AttributesToCrop:      []string{"text"},
		CropLength:            snippetWords,
		CropMarker:            "…",
		Facets:                slices.Clone(meiliFacets),
		ShowRankingScore:      true,
	}
	if f := buildFilter(q); f != "" {
		req.Filter = f
	}
	return req
}

type meiliHit struct {
	Type         string   `json:"type"`
	Key          string   `json:"key"`
	Title        string   `json:"title"`
	Text         string   `json:"text"`
	Keywords     []string `json:"keywords"`
	Postcodes    []string `json:"postcodes"`
	RankingScore float64  `json:"_rankingScore"`
	Formatted    struct {
		Title    string   `json:"title"`
		Text     string   `json:"text"`
		Keywords []string `json:"keywords"`
	} `json:"_formatted"`
	// every word's highlights, for hits of a federated search (the
	// _formatted text marks only the words of the query that found it)
	allWords []Highlight
}

type meiliResponse struct {
	Hits               []meiliHit                `json:"hits"`
	EstimatedTotalHits int                       `json:"estimatedTotalHits"`
	FacetDistribution  map[string]map[string]int `json:"facetDistribution"`
}

// Search implements Backend.
func (m *Meili) Search(ctx context.Context, q Query) (*Result, error) {
	text, err := validateQuery(q)
	if err != nil {
		return nil, err
	}
	if !searchable(text) {
		// Only quotes, dashes or punctuation: Meilisearch would answer with
		// every document (a placeholder search).
		return &Result{Hits: []Hit{}, Facets: facetsFrom(nil)}, nil
	}
	req := buildSearchRequest(q, text)
	var resp meiliResponse
	if words := distinctWords(text); len(words) > 1 {
		err = m.multiSearch(ctx, "search", federated(req, words, m.index), &resp)
		markAllWords(resp.Hits, Tokens(text))
	} else {
		err = m.search(ctx, "search", req, &resp)
	}
	if err != nil {
		return nil, err
	}
	return resultFrom(&resp), nil
}

// markAllWords highlights every word of the query in the hits, with the
// highlighter of the Neo4j backend (the same fuzziness as Meilisearch's
// typo tolerance); a hit it finds nothing in keeps Meilisearch's marks.
func markAllWords(hits []meiliHit, tokens []string) {
	for i, h := range hits {
		var out []Highlight
		for _, f := range []struct {
			name, text string
			width      int
		}{{"title", h.Title, 0}, {"text", h.Text, 160}, {"keywords", strings.Join(h.Keywords, " · "), 120}} {
			if snip, ok := HighlightText(f.text, tokens, f.width); ok {
				out = append(out, Highlight{Field: f.name, Snippet: snip})
			}
		}
		if len(out) > 0 {
			hits[i].allWords = out
		}
	}
}

// maxWordQueries bounds the queries one federated search sends.
const maxWordQueries = 8

// distinctWords are the words of text, each once (case-insensitive), at
// most maxWordQueries.
func distinctWords(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.Fields(text) {
		if k := strings.ToLower(w); !seen[k] && searchable(w) {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out[:min(len(out), maxWordQueries)]
}

// allWordsWeight ranks objects with every word above those with one.
const allWordsWeight = 1.2

// federated is req as one federated multi-search: the whole text with
// every word required, and each word alone. Several words mean "any of
// them", as on Neo4j, where Meilisearch's own matching strategies drop
// words from the end ("Sprechstunde Planspiel Sicherheitsfrühstück"
// would never look for the last word alone). Meilisearch merges the
// lists by weighted ranking score, keeps each object once and merges the
// facets; paging is the federation's.
func federated(req *meilisearch.SearchRequest, words []string, index string) *meilisearch.MultiSearchRequest {
	query := func(text string, strategy meilisearch.MatchingStrategy, weight float64) *meilisearch.SearchRequest {
		return &meilisearch.SearchRequest{IndexUID: index, Query: text, MatchingStrategy: strategy, Filter: req.Filter,
			AttributesToRetrieve: req.AttributesToRetrieve, AttributesToHighlight: req.AttributesToHighlight,
			HighlightPreTag: req.HighlightPreTag, HighlightPostTag: req.HighlightPostTag,
			AttributesToCrop: req.AttributesToCrop, CropLength: req.CropLength, CropMarker: req.CropMarker,
			ShowRankingScore: true, FederationOptions: &meilisearch.SearchFederationOptions{Weight: weight}}
	}
	queries := []*meilisearch.SearchRequest{query(strings.Join(words, " "), meilisearch.All, allWordsWeight)}
	for _, w := range words {
		queries = append(queries, query(w, meilisearch.Last, 1))
	}
	return &meilisearch.MultiSearchRequest{Queries: queries, Federation: &meilisearch.MultiSearchFederation{
		Offset: req.Offset, Limit: req.Limit, FacetsByIndex: map[string][]string{index: req.Facets},
		MergeFacets: &meilisearch.MultiSearchFederationMergeFacets{}}}
}

func resultFrom(resp *meiliResponse) *Result {
	res := &Result{Hits: make([]Hit, 0, len(resp.Hits)), EstimatedTotal: resp.EstimatedTotalHits,
		Facets: facetsFrom(resp.FacetDistribution)}
	for _, h := range resp.Hits {
		if h.Type == "" || h.Key == "" {
			continue
		}
		res.Hits = append(res.Hits, Hit{Type: Type(h.Type), Key: h.Key, Score: h.RankingScore, Highlights: highlightsFrom(h)})
	}
	return res
}

// facetsFrom maps Meilisearch's facetDistribution; the maps are never nil.
func facetsFrom(dist map[string]map[string]int) Facets {
	f := Facets{Types: map[Type]int{}, Formats: map[string]int{}, Districts: map[string]int{}, Measures: map[string]int{}}
	for v, n := range dist["type"] {
		f.Types[Type(v)] = n
	}
	maps := map[string]map[string]int{"format": f.Formats, "districts": f.Districts, "measures": f.Measures}
	for name, dst := range maps {
		for v, n := range dist[name] {
			if v != "" {
				dst[v] = n
			}
		}
	}
	return f
}

// highlightsFrom returns the fields of a hit that contain a match, in the
// order title, text, keywords (matching keywords joined by " · ").
func highlightsFrom(h meiliHit) []Highlight {
	if h.allWords != nil {
		return h.allWords
	}
	var out []Highlight
	if s, ok := highlight(h.Formatted.Title); ok {
		out = append(out, Highlight{Field: "title", Snippet: s})
	}
	if s, ok := highlight(h.Formatted.Text); ok {
		out = append(out, Highlight{Field: "text", Snippet: s})
	}
	var kws []string
	for _, k := range h.Formatted.Keywords {
		if s, ok := highlight(k); ok {
			kws = append(kws, s)
		}
	}
	if len(kws) > 0 {
		out = append(out, Highlight{Field: "keywords", Snippet: strings.Join(kws, " · ")})
	}
	return out
}

// highlight turns Meilisearch's marked text into HTML: the text is escaped
// and the markers become <em>…</em> (always balanced). ok is false when
// nothing is marked. Meilisearch does not escape anything itself.
func highlight(s string) (string, bool) {
	if !strings.Contains(s, markPre) {
		return "", false
	}
	s = wholeWords(s)
	var b strings.Builder
	open := false
	for len(s) > 0 {
		i := strings.IndexAny(s, markPre+markPost)
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == markPreRune && !open:
			b.WriteString("<em>")
			open = true
		case r == markPostRune && open:
			b.WriteString("</em>")
			open = false
		}
		s = s[i+size:]
	}
	if open {
		b.WriteString("</em>")
	}
	return b.String(), true
}

// wholeWords widens each marked match to the whole word around it:
// Meilisearch marks a typo match only as far as it matched ("Kaletal"
// marks "Kalleta" of "Kalletal"), and a reader wants the word.
func wholeWords(s string) string {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	rs := []rune(s)
	out := make([]rune, 0, len(rs)+2)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case markPreRune:
			start := len(out)
			for start > 0 && isWord(out[start-1]) {
				start--
			}
			out = slices.Insert(out, start, markPreRune)
		case markPostRune:
			for i+1 < len(rs) && isWord(rs[i+1]) {
				i++
				out = append(out, rs[i])
			}
			out = append(out, markPostRune)
		default:
			out = append(out, rs[i])
		}
	}
	return string(out)
}

// ---- suggestions ----

const (
	defaultSuggestions = 8
	maxSuggestions     = MaxPageSize
	maxSuggestPrefix   = 50 // runes; longer prefixes complete nothing
)

var digitsPrefix = regexp.MustCompile(`^[0-9]{1,5}$`)

// Suggest implements Backend: a prefix of digits completes postcodes,
// anything else municipality and region names. An empty or overlong
// prefix completes nothing (no error), as in the Neo4j backend.
func (m *Meili) Suggest(ctx context.Context, prefix string, limit int) ([]Suggestion, error) {
	prefix = strings.TrimSpace(prefix)
	if prefix == "" || utf8.RuneCountInString(prefix) > maxSuggestPrefix {
		return []Suggestion{}, nil
	}
	if limit <= 0 {
		limit = defaultSuggestions
	}
	limit = min(limit, maxSuggestions)
	if first, _, _ := strings.Cut(prefix, " "); digitsPrefix.MatchString(first) {
		return m.suggestPostcodes(ctx, first, limit)
	}
	text := plainText(prefix)
	if !searchable(text) {
		return []Suggestion{}, nil
	}
	var resp meiliResponse
	if err := m.search(ctx, "suggest", suggestNamesRequest(text, limit), &resp); err != nil {
		return nil, err
	}
	return nameSuggestions(resp.Hits, limit), nil
}

func suggestNamesRequest(text string, limit int) *meilisearch.SearchRequest {
	return &meilisearch.SearchRequest{
		Query:                text,
		Limit:                int64(limit),
		Filter:               "type IN [" + quoteFilter(string(TypeMunicipality)) + ", " + quoteFilter(string(TypeRegion)) + "]",
		AttributesToSearchOn: []string{"title"},
		AttributesToRetrieve: []string{"type", "key", "title"},
	}
}

func nameSuggestions(hits []meiliHit, limit int) []Suggestion {
	out := []Suggestion{}
	for _, h := range hits {
		var kind SuggestionKind
		switch Type(h.Type) {
		case TypeMunicipality:
			kind = SuggestMunicipality
		case TypeRegion:
			kind = SuggestRegion
		default:
			continue
		}
		out = append(out, Suggestion{Kind: kind, Text: h.Title, Key: h.Key, Value: h.Title})
		if len(out) == limit {
			break
		}
	}
	return out
}

func (m *Meili) suggestPostcodes(ctx context.Context, digits string, limit int) ([]Suggestion, error) {
	var resp meiliResponse
	if err := m.search(ctx, "suggest", suggestPostcodesRequest(digits, limit), &resp); err != nil {
		return nil, err
	}
	return postcodeSuggestions(resp.Hits, digits, limit), nil
}

func suggestPostcodesRequest(digits string, limit int) *meilisearch.SearchRequest {
	return &meilisearch.SearchRequest{
		Query: digits,
		// A municipality can have many postcodes and a short prefix many
		// municipalities: fetch more, then pick and sort the postcodes.
		Limit:                int64(max(3*limit, 30)),
		Filter:               "type = " + quoteFilter(string(TypeMunicipality)),
		AttributesToSearchOn: []string{"postcodes"},
		AttributesToRetrieve: []string{"type", "key", "title", "postcodes"},
	}
}

// postcodeSuggestions lists the postcodes starting with digits, sorted by
// postcode and name; Meilisearch's hits only preselect municipalities.
func postcodeSuggestions(hits []meiliHit, digits string, limit int) []Suggestion {
	out := []Suggestion{}
	for _, h := range hits {
		if Type(h.Type) != TypeMunicipality {
			continue
		}
		for _, pc := range h.Postcodes {
			if strings.HasPrefix(pc, digits) {
				out = append(out, Suggestion{Kind: SuggestPostcode, Text: pc + " " + h.Title, Key: h.Key, Value: pc})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Value != out[j].Value {
			return out[i].Value < out[j].Value
		}
		return out[i].Text < out[j].Text
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// ---- writes ----

// Upsert adds or replaces documents and waits until Meilisearch indexed
// them.
func (m *Meili) Upsert(ctx context.Context, docs []Document) error {
	if len(docs) == 0 {
		return nil
	}
	const op = "upsert"
	body := make([]map[string]any, len(docs))
	for i, d := range docs {
		body[i] = toMeili(d)
	}
	cctx, cancel := context.WithTimeout(ctx, m.timeout)
	t, err := m.admin.Index(m.index).AddDocumentsWithContext(cctx, &body, nil)
	cancel()
	if err != nil {
		return classify(op, err)
	}
	return m.wait(ctx, op, t)
}

// Delete removes documents by Document.ID (unknown ids are no error) and
// waits until Meilisearch removed them.
func (m *Meili) Delete(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	const op = "delete"
	mids := make([]string, len(ids))
	for i, id := range ids {
		mids[i] = meiliID(id)
	}
	cctx, cancel := context.WithTimeout(ctx, m.timeout)
	t, err := m.admin.Index(m.index).DeleteDocumentsWithContext(cctx, mids, nil)
	cancel()
	if err != nil {
		return classify(op, err)
	}
	return m.wait(ctx, op, t)
}

// Reset deletes every document (settings stay), for a reindex.
func (m *Meili) Reset(ctx context.Context) error {
	const op = "reset"
	cctx, cancel := context.WithTimeout(ctx, m.timeout)
	t, err := m.admin.Index(m.index).DeleteAllDocumentsWithContext(cctx, nil)
	cancel()
	if err != nil {
		return classify(op, err)
	}
	return m.wait(ctx, op, t)
}

// toMeili is the Meilisearch document of d. Lists are never null; format
// and status are left out when empty (so that they are no facet value);
// startsAt is Unix seconds; _geo is set when both coordinates are valid.
func toMeili(d Document) map[string]any {
	id := d.ID
	if id == "" {
		id = DocumentID(d.Type, d.Key)
	}
	doc := map[string]any{
		"id":        meiliID(id),
		"type":      string(d.Type),
		"key":       d.Key,
		"title":     clean(d.Title),
		"text":      clean(d.Text),
		"keywords":  cleanAll(d.Keywords),
		"ags":       list(d.AGS),
		"districts": list(d.Districts),
		"regions":   list(d.Regions),
		"measures":  list(d.Measures),
		"postcodes": list(d.Postcodes),
		"sample":    d.Sample,
	}
	if d.Format != "" {
		doc["format"] = d.Format
	}
	if d.Status != "" {
		doc["status"] = d.Status
	}
	if d.StartsAt != nil {
		doc["startsAt"] = d.StartsAt.Unix()
	}
	if d.Lat != nil && d.Lon != nil && validLatLon(*d.Lat, *d.Lon) {
		doc["_geo"] = map[string]any{"lat": *d.Lat, "lng": *d.Lon}
	}
	return doc
}

func list(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// clean removes the highlight markers from indexed text.
func clean(s string) string {
	if !strings.ContainsAny(s, markPre+markPost) {
		return s
	}
	return strings.NewReplacer(markPre, "", markPost, "").Replace(s)
}

func cleanAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = clean(x)
	}
	return out
}

var meiliIDPattern = regexp.MustCompile(`^[A-Za-z0-9-]{1,511}$`)

// meiliID maps a document id to a valid Meilisearch id (letters, digits,
// - and _, at most 511 bytes), so that no document can fail a whole task.
// Valid ids without "_" stay as they are; any other byte is written as _XX
// (hex), which keeps the mapping one to one; overlong ids are hashed.
func meiliID(id string) string {
	if meiliIDPattern.MatchString(id) {
		return id
	}
	var b strings.Builder
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "_%02X", c)
		}
	}
	s := b.String()
	if len(s) > 511 || s == "" {
		sum := sha256.Sum256([]byte(id))
		s = "_H" + hex.EncodeToString(sum[:])
	}
	return s
}
