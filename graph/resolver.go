// Package graph is the GraphQL face of Cyberlotse: thin resolvers over the
// domain services, per-request dataloaders, error presentation and limits.
package graph

import (
	"log/slog"
	"sync"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph/live"
	"github.com/cyberlotse/cyberlotse/graph/search"
)

// Resolver is the root resolver; it holds the domain services.
type Resolver struct {
	Geo      cyberlotse.GeoService
	Network  cyberlotse.NetworkService
	Events   cyberlotse.EventService
	Measures cyberlotse.MeasureService
	Match    *cyberlotse.Matchmaker
	Search   search.Backend

	Registrations cyberlotse.RegistrationService
	EventWriter   cyberlotse.EventWriter
	Reminders     cyberlotse.ReminderService
	Rollouts      cyberlotse.RolloutService
	SelfChecks    cyberlotse.SelfCheckService
	// AdvisoryStore keeps advisories and product lists; AdvisoryDesk the
	// officers' marks, alert subscriptions and the admins' list.
	AdvisoryStore cyberlotse.AdvisoryService
	AdvisoryDesk  cyberlotse.AdvisoryDesk
	// Wiba keeps the WiBA catalogue and the municipalities' answers.
	Wiba cyberlotse.WibaService
	// IsbNetwork keeps the officers' profiles (issue 17).
	IsbNetwork cyberlotse.IsbNetworkStore
	// Live runs the live sessions (questions and polls); nil: UNAVAILABLE.
	Live *live.Service
	// fanout shares the live sessions' updates among alike subscribers.
	fanout *liveFanout
	// matrixCache keeps executed rollout matrices; nil: Rollouts has no
	// in-memory snapshots to key them by.
	matrixCache     *matrixCache
	matrixCacheOnce sync.Once
	// Audit logs who changed what (subjects and keys, no personal data).
	Audit  *slog.Logger
	Tokens *cyberlotse.ManageTokens
	// BaseURL is the public address of the web, for manage and calendar links.
	BaseURL string
	Now     func() time.Time
	Berlin  *time.Location
	// Limits on registrations per client address and per e-mail address.
	IPLimit, EmailLimit *RateLimiter
	// CheckLimit bounds the self-checks started per client address.
	CheckLimit *RateLimiter
	// ObserveOperation, when set, gets every GraphQL operation's name,
	// duration and error codes, for metrics.
	ObserveOperation func(name string, took time.Duration, codes []string)
	// ObserveLiveUpdate, when set, learns of each update sent to a live
	// session's subscriber: shared when another subscriber's answer was
	// sent as it was, without executing the query again.
	ObserveLiveUpdate func(shared bool)
	// ObserveMatrixAnswer, when set, learns of each rolloutMatrix answered:
	// kept when it came from the cache of executed answers.
	ObserveMatrixAnswer func(kept bool)
	// Registered is called after a registration changed, to send its mail
	// without waiting for the next scheduler run.
	Registered func()
	// DigiSOS keeps the municipalities' incidents and handover links;
	// DigiSOSFramework reads the seeded steps and providers.
	DigiSOS          cyberlotse.DigiSOSService
	DigiSOSFramework func() (*cyberlotse.DigiSOSFramework, error)
}
