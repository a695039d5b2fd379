package cyberlotse

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The readiness self-check: a short checklist a small company answers on
// its own, modelled on the structure of DIN SPEC 27076 (the
// "CyberRisikoCheck"): 27 requirements in six areas, status questions that
// make some requirements not applicable, TOP requirements weighing +3 when
// met and -3 when not, the others 1 or 0. The wording is our own (see
// CheckCatalogue); the result is a score, a profile per area and one
// recommendation per unmet requirement, most urgent first.

// CheckArea is one of the six areas of the checklist.
type CheckArea string

const (
	AreaOrganisation CheckArea = "ORGANISATION" // organisation and awareness, 1–7
	AreaIdentity     CheckArea = "IDENTITY"     // identity and access, 8–10
	AreaBackup       CheckArea = "BACKUP"       // backup, 11–14
	AreaPatch        CheckArea = "PATCH"        // patch and change management, 15–17
	AreaMalware      CheckArea = "MALWARE"      // protection against malware, 18–20
	AreaNetwork      CheckArea = "NETWORK"      // IT systems and networks, 21–27
)

// CheckAreas lists the areas in catalogue order.
var CheckAreas = []CheckArea{AreaOrganisation, AreaIdentity, AreaBackup, AreaPatch, AreaMalware, AreaNetwork}

// StatusQuestion asks whether something exists at all in the company; a
// "no" makes the requirements about it not applicable.
type StatusQuestion string

const (
	StatusHomeOffice        StatusQuestion = "HOME_OFFICE"
	StatusRemoteAccess      StatusQuestion = "REMOTE_ACCESS"
	StatusWLAN              StatusQuestion = "WLAN"
	StatusRemoteMaintenance StatusQuestion = "REMOTE_MAINTENANCE"
	StatusBackups           StatusQuestion = "BACKUPS"
)

// StatusQuestions lists the status questions in the order they are asked.
var StatusQuestions = []StatusQuestion{StatusHomeOffice, StatusRemoteAccess, StatusWLAN, StatusRemoteMaintenance, StatusBackups}

// CheckAnswer is the answer to one requirement. UNKNOWN ("weiß nicht")
// counts as not met: what nobody knows to be in place cannot be relied on.
type CheckAnswer string

const (
	AnswerYes     CheckAnswer = "YES"
	AnswerNo      CheckAnswer = "NO"
	AnswerUnknown CheckAnswer = "UNKNOWN"
)

func (a CheckAnswer) valid() bool { return a == AnswerYes || a == AnswerNo || a == AnswerUnknown }

// Requirement is one entry of the checklist.
type Requirement struct {
	Number int // 1..27
	Area   CheckArea
	// Top requirements weigh +3 when met and -3 when not; the others 1/0.
	Top bool
	// Question is asked; Hint explains it in a sentence.
	Question, Hint string
	// Recommendation says what to do when the requirement is not met.
	Recommendation string
	// TopicIDs link the requirement to the topic vocabulary (seeds/topics.yaml),
	// so that a gap leads to events, contacts, offers and measures.
	TopicIDs []string
	// NeedsStatus: not applicable when this status question is answered no.
	NeedsStatus StatusQuestion
	// NotMetWithout: counts as not met, without being asked, when this
	// status question is answered no (no backups at all: no backup concept).
	NotMetWithout StatusQuestion
}

// Points is what the requirement adds to the score: met or not.
func (r *Requirement) Points(met bool) int {
	switch {
	case r.Top && met:
		return 3
	case r.Top:
		return -3
	case met:
		return 1
	}
	return 0
}

// CheckStatus is the state of a self-check.
type CheckStatus string

const (
	CheckInProgress CheckStatus = "IN_PROGRESS"
	CheckPaused     CheckStatus = "PAUSED"
	CheckFinished   CheckStatus = "FINISHED"
)

// SelfCheck is one company's run through the checklist. It holds no
// personal data: no name, no e-mail; company size, sector and place are
// optional. Whoever holds the resume token owns it.
type SelfCheck struct {
	ID     string
	Status CheckStatus
	// Version rises with every change of the answers; finishing checks it.
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
	FinishedAt *time.Time
	Employees  *int
	Sector     string // WZ 2008 code, optional
	AGS        *AGS   // the company's municipality, optional
	// Statuses and Answers as given so far.
	Statuses map[StatusQuestion]bool
	Answers  map[int]CheckAnswer
	// Shared says whether a read-only share link exists.
	Shared bool
}

// CheckProfile is what a company says about itself when it starts.
type CheckProfile struct {
	Employees *int
	Sector    string
	AGS       *AGS
}

// Validate checks a profile.
func (p CheckProfile) Validate() error {
	if p.Employees != nil && (*p.Employees < 0 || *p.Employees > 1000000) {
		return Invalid("employees", "die Zahl der Beschäftigten muss zwischen 0 und 1.000.000 liegen.")
	}
	if len(p.Sector) > 20 || strings.ContainsAny(p.Sector, "\n\r\t") {
		return Invalid("sector", "bitte einen Wirtschaftszweig nach WZ 2008 angeben, z. B. 62.01 (höchstens 20 Zeichen).")
	}
	return nil
}

// CheckUpdate is a set of answers given at once; both maps may be partial.
type CheckUpdate struct {
	Statuses map[StatusQuestion]bool
	Answers  map[int]CheckAnswer
}

// Validate checks that every key names a status question or requirement
// and every answer is one of the allowed values.
func (u CheckUpdate) Validate() error {
	if len(u.Statuses) == 0 && len(u.Answers) == 0 {
		return Invalid("answers", "bitte mindestens eine Antwort angeben.")
	}
	for q := range u.Statuses {
		if !isStatusQuestion(q) {
			return Invalid("statuses", fmt.Sprintf("unbekannte Statusfrage %q.", q))
		}
	}
	for n, a := range u.Answers {
		if RequirementByNumber(n) == nil {
			return Invalid("answers", fmt.Sprintf("die Anforderung %d gibt es nicht (erlaubt: 1 bis %d).", n, len(CheckCatalogue.Requirements)))
		}
		if !a.valid() {
			return Invalid("answers", "erlaubt sind YES, NO und UNKNOWN (weiß nicht).")
		}
	}
	return nil
}

func isStatusQuestion(q StatusQuestion) bool {
	for _, s := range StatusQuestions {
		if s == q {
			return true
		}
	}
	return false
}

// RequirementByNumber returns the requirement with number n, or nil.
func RequirementByNumber(n int) *Requirement {
	if n < 1 || n > len(CheckCatalogue.Requirements) {
		return nil
	}
	return &CheckCatalogue.Requirements[n-1]
}

// Applicability says whether a requirement is asked, given the statuses.
type Applicability int

const (
	Applicable    Applicability = iota // asked and counted
	NotApplicable                      // a status question excluded it
	ImpliedNotMet                      // not asked, counts as not met
	StatusOpen                         // its status question is not answered yet
)

// ApplicabilityOf says whether r applies given the status answers so far.
func ApplicabilityOf(r *Requirement, statuses map[StatusQuestion]bool) Applicability {
	if r.NeedsStatus != "" {
		has, ok := statuses[r.NeedsStatus]
		switch {
		case !ok:
			return StatusOpen
		case !has:
			return NotApplicable
		}
	}
	if r.NotMetWithout != "" {
		if has, ok := statuses[r.NotMetWithout]; ok && !has {
			return ImpliedNotMet
		}
	}
	return Applicable
}

// AreaScore is the profile of one area.
type AreaScore struct {
	Area CheckArea
	// Points between MinPoints (every applicable requirement unmet) and
	// MaxPoints (all met); Percent places Points on 0..100 between them.
	Points, MinPoints, MaxPoints, Percent int
	// Met of Applicable requirements; NotApplicable were excluded.
	Met, Applicable, NotApplicable int
}

// Recommendation is what to do about one unmet requirement.
type Recommendation struct {
	Requirement *Requirement
	Answer      CheckAnswer // NO or UNKNOWN; NO also when implied
	Implied     bool        // not asked: implied by a status answer
	Rank        int         // 1 = most urgent
}

// CheckResult is the evaluation of a check's answers.
type CheckResult struct {
	Points, MinPoints, MaxPoints, Percent int
	Areas                                 []AreaScore
	Recommendations                       []Recommendation
	// Open are the numbers of applicable requirements not answered yet,
	// and OpenStatuses the status questions not answered yet.
	Open         []int
	OpenStatuses []StatusQuestion
	// Answered of Applicable requirements (implied ones count as answered).
	Answered, Applicable int
}

// Complete says whether every status question and every applicable
// requirement has an answer.
func (r *CheckResult) Complete() bool { return len(r.Open) == 0 && len(r.OpenStatuses) == 0 }

// Evaluate scores answers against the catalogue. Unanswered requirements
// count neither way (they are listed in Open); a requirement whose status
// question is still open counts as open. Pure: no clock, no store.
func Evaluate(statuses map[StatusQuestion]bool, answers map[int]CheckAnswer) *CheckResult {
	res := &CheckResult{}
	byArea := map[CheckArea]*AreaScore{}
	for _, a := range CheckAreas {
		res.Areas = append(res.Areas, AreaScore{Area: a})
	}
	for i := range res.Areas {
		byArea[res.Areas[i].Area] = &res.Areas[i]
	}
	for _, q := range StatusQuestions {
		if _, ok := statuses[q]; !ok {
			res.OpenStatuses = append(res.OpenStatuses, q)
		}
	}
	for i := range CheckCatalogue.Requirements {
		r := &CheckCatalogue.Requirements[i]
		as := byArea[r.Area]
		ans, answered := answers[r.Number]
		implied := false
		switch ApplicabilityOf(r, statuses) {
		case NotApplicable:
			as.NotApplicable++
			continue
		case StatusOpen:
			answered = false
		case ImpliedNotMet:
			ans, answered, implied = AnswerNo, true, true
		}
		res.Applicable++
		if !answered {
			// Open: counted neither way, so that the running score
			// stays within what is known.
			res.Open = append(res.Open, r.Number)
			continue
		}
		as.Applicable++
		as.MaxPoints += r.Points(true)
		as.MinPoints += r.Points(false)
		res.Answered++
		met := ans == AnswerYes
		as.Points += r.Points(met)
		if met {
			as.Met++
		} else {
			res.Recommendations = append(res.Recommendations, Recommendation{Requirement: r, Answer: ans, Implied: implied})
		}
	}
	for i := range res.Areas {
		a := &res.Areas[i]
		a.Percent = percent(a.Points, a.MinPoints, a.MaxPoints)
		res.Points += a.Points
		res.MinPoints += a.MinPoints
		res.MaxPoints += a.MaxPoints
	}
	res.Percent = percent(res.Points, res.MinPoints, res.MaxPoints)
	sortRecommendations(res.Recommendations)
	return res
}

// percent places points on 0..100 between lo (all unmet) and hi (all met);
// 0 when nothing is counted.
func percent(points, lo, hi int) int {
	if hi <= lo {
		return 0
	}
	return (200*(points-lo) + (hi - lo)) / (2 * (hi - lo)) // rounded half up
}

// sortRecommendations orders by urgency: TOP requirements first, then
// those answered "no" before "don't know", then by the area order of the
// catalogue (backup and patching before networks, as their numbers go),
// then by number. Ranks are 1-based.
func sortRecommendations(rs []Recommendation) {
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Requirement.Top != b.Requirement.Top {
			return a.Requirement.Top
		}
		if (a.Answer == AnswerNo) != (b.Answer == AnswerNo) {
			return a.Answer == AnswerNo
		}
		return a.Requirement.Number < b.Requirement.Number
	})
	for i := range rs {
		rs[i].Rank = i + 1
	}
}

// CanAnswer says whether a check still takes answers.
func CanAnswer(c *SelfCheck) error {
	if c.Status == CheckFinished {
		return &Error{Code: ECONFLICT, Message: msgCheckFinished, Details: map[string]any{"reason": "CHECK_FINISHED"}}
	}
	return nil
}

// CanFinish says whether a check can be finished: every status question
// and every applicable requirement answered.
func CanFinish(c *SelfCheck, res *CheckResult) error {
	if err := CanAnswer(c); err != nil {
		return err
	}
	if !res.Complete() {
		open := make([]string, 0, len(res.Open)+len(res.OpenStatuses))
		for _, q := range res.OpenStatuses {
			open = append(open, string(q))
		}
		for _, n := range res.Open {
			open = append(open, fmt.Sprint(n))
		}
		return &Error{Code: EINVALID, Message: fmt.Sprintf(msgCheckIncomplete, len(res.OpenStatuses), len(res.Open)),
			Details: map[string]any{"reason": "CHECK_INCOMPLETE", "open": open}}
	}
	return nil
}

// CheckToken is a secret that opens a self-check (resume: full control;
// share: read only). Only its hash is stored; the token itself is shown
// once, when it is made.
type CheckToken string

// NewCheckToken returns a fresh random token (256 bits).
func NewCheckToken() CheckToken {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // never happens on supported platforms
	}
	return CheckToken(base64.RawURLEncoding.EncodeToString(b))
}

// Hash is what the store keeps of the token. A token that is not of the
// right form hashes to "" and so matches nothing.
func (t CheckToken) Hash() string {
	s := strings.TrimSpace(string(t))
	// Only the canonical form: the decoder skips line breaks and ignores
	// the unused bits of the last character.
	if b, err := base64.RawURLEncoding.DecodeString(s); err != nil || len(b) != 32 || base64.RawURLEncoding.EncodeToString(b) != s {
		return ""
	}
	sum := sha256.Sum256([]byte("selfcheck:" + s))
	return hex.EncodeToString(sum[:])
}

// CheckStats are the anonymised figures of one region's finished checks,
// for regional managers. Below MinAggregateGroup checks nothing but
// Hidden is shown.
type CheckStats struct {
	RegionID string
	Hidden   bool
	Finished int // 0 when Hidden
	// Percent is the mean overall percent; Areas the mean per area.
	Percent float64
	Areas   []AreaStat
}

// AreaStat is the mean percent of one area over a region's checks.
type AreaStat struct {
	Area    CheckArea
	Percent float64
}

// AbandonedCheckMonths: a check nobody finished and nobody touched for
// this many months is deleted (server: the daily retention job).
const AbandonedCheckMonths = 12

// MinAggregateGroup is the smallest group of finished checks whose
// figures are shown, so that no single company can be recognised.
const MinAggregateGroup = 5

// FinishedCheck is what aggregates are made of: one finished check's
// percent and per-area percents (in CheckAreas order), nothing else.
type FinishedCheck struct {
	Percent int
	Areas   []int
}

// Aggregate makes the anonymised figures of one region from its finished
// checks: Hidden below MinAggregateGroup.
func Aggregate(regionID string, checks []FinishedCheck) CheckStats {
	st := CheckStats{RegionID: regionID}
	if len(checks) < MinAggregateGroup {
		st.Hidden = true
		return st
	}
	st.Finished = len(checks)
	sums := make([]int, len(CheckAreas))
	total := 0
	for _, c := range checks {
		total += c.Percent
		for i := range sums {
			if i < len(c.Areas) {
				sums[i] += c.Areas[i]
			}
		}
	}
	n := float64(len(checks))
	st.Percent = round1(float64(total) / n)
	for i, a := range CheckAreas {
		st.Areas = append(st.Areas, AreaStat{Area: a, Percent: round1(float64(sums[i]) / n)})
	}
	return st
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// SelfCheckService stores self-checks. Everything but Stats is reached
// through a token the caller verified (its hash); Stats is for regional
// managers and admins (checked by the caller). None of it appears in the
// read model, so its writes need no change-log entry.
type SelfCheckService interface {
	// CreateCheck stores a new check with the hash of its resume token.
	CreateCheck(ctx context.Context, c *SelfCheck, tokenHash string) error
	// CheckByToken returns the check of a resume token hash; ENOTFOUND
	// when none matches.
	CheckByToken(ctx context.Context, tokenHash string) (*SelfCheck, error)
	// CheckByShareToken returns the check of a share token hash; ENOTFOUND
	// when none matches.
	CheckByShareToken(ctx context.Context, tokenHash string) (*SelfCheck, error)
	// UpdateCheck merges answers and sets the status (IN_PROGRESS or
	// PAUSED), atomically; ECONFLICT when the check is finished,
	// ENOTFOUND when it is gone.
	UpdateCheck(ctx context.Context, id string, u CheckUpdate, status CheckStatus, now time.Time) (*SelfCheck, error)
	// UpdateProfile replaces size, sector and place (a known AGS), also of
	// a finished check (its answers and result stay; the next actions
	// start from the new place); ENOTFOUND when it is gone.
	UpdateProfile(ctx context.Context, id string, p CheckProfile, now time.Time) (*SelfCheck, error)
	// FinishCheck marks a check finished with its result (for the
	// aggregates), if it is still at version (the one res was computed
	// from); ECONFLICT when finished already or changed meanwhile.
	FinishCheck(ctx context.Context, id string, version int, res *CheckResult, now time.Time) (*SelfCheck, error)
	// SetShareToken sets (hash non-empty) or removes the share token.
	SetShareToken(ctx context.Context, id, hash string, now time.Time) (*SelfCheck, error)
	// DeleteAbandonedChecks erases the unfinished checks last changed
	// before before, and says how many.
	DeleteAbandonedChecks(ctx context.Context, before time.Time) (int, error)
	// DeleteCheck erases a check completely; ENOTFOUND when it is gone.
	DeleteCheck(ctx context.Context, id string) error
	// FinishedChecks returns, per region id, the figures of the finished
	// checks in its municipalities and those of its satellites.
	FinishedChecks(ctx context.Context, regionIDs []string) (map[string][]FinishedCheck, error)
}
