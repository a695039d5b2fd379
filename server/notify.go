package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/server/mail"
)

// Notifier sends the due reminders and notifications: it claims them with
// a lease, composes and sends each mail, and records the outcome. A
// reminder is handed to one Notifier at a time, across replicas.
type Notifier struct {
	Reminders cyberlotse.ReminderService
	Composer  *mail.Composer
	Sender    mail.Sender
	Tokens    *cyberlotse.ManageTokens
	BaseURL   string
	Owner     string // unique per process, e.g. host and pid
	Policy    cyberlotse.ReminderPolicy
	Now       func() time.Time
	Logger    *slog.Logger
	Metrics   *Metrics // nil: none
}

// RunReport counts what one run did.
type RunReport struct{ Sent, Retried, Failed int }

// RunOnce sends everything due now, batch after batch, until nothing is
// left or ctx ends.
func (n *Notifier) RunOnce(ctx context.Context) (RunReport, error) {
	var rep RunReport
	for ctx.Err() == nil {
		now := n.Now()
		due, err := n.Reminders.ClaimDue(ctx, n.Owner, now, n.Policy)
		if err != nil || len(due) == 0 {
			return rep, err
		}
		for _, d := range due {
			if err := n.deliver(ctx, d); err != nil {
				if rerr := n.recordFailure(ctx, d, err, &rep); rerr != nil {
					return rep, rerr
				}
				continue
			}
			if err := n.Reminders.MarkSent(ctx, d.Reminder.ID, n.Owner, n.Now()); err != nil {
				return rep, err
			}
			rep.Sent++
		}
	}
	return rep, ctx.Err()
}

func (n *Notifier) deliver(ctx context.Context, d *cyberlotse.DueReminder) error {
	msg, err := n.Composer.Compose(n.message(d))
	if err != nil {
		return permanent{err}
	}
	return n.Sender.Send(ctx, msg)
}

// recordFailure retries temporary failures with exponential back-off up to
// the policy's attempts, and marks the rest FAILED (visible to organizers).
func (n *Notifier) recordFailure(ctx context.Context, d *cyberlotse.DueReminder, sendErr error, rep *RunReport) error {
	now := n.Now()
	var retryAt *time.Time
	var perm permanent
	if !errors.As(sendErr, &perm) && mail.IsTemporary(sendErr) && d.Reminder.Attempts < n.Policy.MaxAttempts {
		t := now.Add(n.Policy.Backoff(d.Reminder.Attempts))
		retryAt = &t
		rep.Retried++
	} else {
		rep.Failed++
	}
	n.Logger.Warn("reminder not delivered", "reminder", d.Reminder.ID, "kind", d.Reminder.Kind,
		"attempt", d.Reminder.Attempts, "retry_at", retryAt, "err", sendErr)
	return n.Reminders.MarkFailed(ctx, d.Reminder.ID, n.Owner, now, retryAt, sendErr.Error())
}

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

var noticeKinds = map[string]mail.Kind{
	cyberlotse.NoticeConfirmation:   mail.KindConfirmation,
	cyberlotse.NoticeWaitlisted:     mail.KindWaitlisted,
	cyberlotse.NoticePromoted:       mail.KindPromoted,
	cyberlotse.NoticeUpdated:        mail.KindUpdated,
	cyberlotse.NoticeEventCancelled: mail.KindCancelledEvent,
	cyberlotse.NoticeCancelled:      mail.KindCancelledRegistration,
}

func (n *Notifier) message(d *cyberlotse.DueReminder) mail.Message {
	e, r := d.Event, d.Registration
	m := mail.Message{
		Kind:             noticeKinds[d.Reminder.Kind],
		To:               mail.Address{Name: r.Attendee.Name, Email: string(r.Attendee.Email)},
		RegistrationID:   r.ID,
		WaitlistPosition: r.Position,
		ManageURL:        n.BaseURL + "/anmeldung?token=" + n.Tokens.Sign(r.ID),
		Event: mail.EventInfo{ID: e.ID, Title: e.Title, Description: e.Description, StartsAt: e.StartsAt,
			EndsAt: e.EndsAt, Venue: e.Venue, OnlineURL: e.OnlineURL, OrganizerName: d.Organizer.Name,
			Sequence: e.Sequence, Cancelled: e.Status == cyberlotse.EventCancelled},
	}
	if m.Kind == "" {
		m.Kind = mail.KindReminder
		if o, err := cyberlotse.ParseReminderOffset(d.Reminder.Kind); err == nil {
			m.ReminderLabel = mail.ReminderLabel(o.Days, o.Duration)
		}
	}
	return m
}

// Scheduler runs the Notifier every minute with gocron. A Neo4j-backed
// distributed locker lets one replica at a time run the job; the leases
// of ClaimDue keep delivery exactly-once even without it.
type Scheduler struct {
	cron gocron.Scheduler
	job  gocron.Job
}

// StartScheduler starts the reminder job and, when given, the search sync
// job (every 10 seconds).
func StartScheduler(n *Notifier, db *store.DB, every time.Duration, searchSync func(context.Context)) (*Scheduler, error) {
	s, err := gocron.NewScheduler(gocron.WithDistributedLocker(&neo4jLocker{db: db, owner: n.Owner, now: n.Now, ttl: 10 * time.Minute}))
	if err != nil {
		return nil, err
	}
	job, err := s.NewJob(gocron.DurationJob(every), gocron.NewTask(func(ctx context.Context) {
		start := time.Now()
		rep, err := n.RunOnce(ctx)
		if n.Metrics != nil {
			n.Metrics.ReminderRun(rep, time.Since(start))
		}
		if err != nil {
			n.Logger.Error("reminder job", "err", err)
		}
		if rep != (RunReport{}) {
			n.Logger.Info("reminder job", "sent", rep.Sent, "retried", rep.Retried, "failed", rep.Failed)
		}
	}), gocron.WithName("reminders"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
	if err != nil {
		return nil, err
	}
	if searchSync != nil {
		if _, err := s.NewJob(gocron.DurationJob(10*time.Second), gocron.NewTask(searchSync),
			gocron.WithName("search-sync"), gocron.WithSingletonMode(gocron.LimitModeReschedule)); err != nil {
			return nil, err
		}
	}
	s.Start()
	return &Scheduler{cron: s, job: job}, nil
}

// ScheduleReach recomputes the reach snapshots of the rollout matrix
// every interval on one replica at a time. Not at start: Matrix computes
// missing snapshots itself, and asOf shows how old the others are.
func (m *Main) ScheduleReach(s *Scheduler, every time.Duration) error {
	rollouts := store.NewRolloutService(m.DB, berlin)
	rollouts.Now = m.Now
	_, err := s.cron.NewJob(gocron.DurationJob(every), gocron.NewTask(func(ctx context.Context) {
		start := time.Now()
		if err := rollouts.RefreshReach(ctx, nil, m.Now()); err != nil {
			m.Logger.Error("reach job", "err", err)
			return
		}
		m.Logger.Info("reach job", "took", time.Since(start).Round(time.Millisecond))
	}), gocron.WithName("reach"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
	return err
}

// changeRetention is how long the change log keeps entries: a replica
// away for longer reloads its read model whole.
const changeRetention = time.Hour

// SchedulePruneChanges trims the change log every ten minutes on one
// replica at a time.
func (m *Main) SchedulePruneChanges(s *Scheduler) error {
	changes := store.NewChangeLog(m.DB)
	_, err := s.cron.NewJob(gocron.DurationJob(10*time.Minute), gocron.NewTask(func(ctx context.Context) {
		n, err := changes.Prune(ctx, m.Now(), changeRetention)
		if err != nil {
			m.Logger.Error("change log pruning", "err", err)
			return
		}
		m.Logger.Debug("change log pruned", "deleted", n)
	}), gocron.WithName("prune-changes"), gocron.WithSingletonMode(gocron.LimitModeReschedule))
	return err
}

// Kick runs the job now, e.g. right after a registration so that the
// confirmation does not wait for the next minute.
func (s *Scheduler) Kick() {
	if s != nil {
		_ = s.job.RunNow()
	}
}

// Stop waits for a running job and stops the scheduler.
func (s *Scheduler) Stop() error {
	if s == nil {
		return nil
	}
	return s.cron.Shutdown()
}

// neo4jLocker implements gocron.Locker with a lock node in Neo4j.
type neo4jLocker struct {
	db    *store.DB
	owner string
	now   func() time.Time
	ttl   time.Duration
}

func (l *neo4jLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	ok, err := l.db.TryLock(ctx, key, l.owner, l.now(), l.ttl)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("job %s runs on another replica", key)
	}
	return &neo4jLock{l: l, key: key}, nil
}

type neo4jLock struct {
	l   *neo4jLocker
	key string
}

func (k *neo4jLock) Unlock(ctx context.Context) error { return k.l.db.Unlock(ctx, k.key, k.l.owner) }
