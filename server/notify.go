package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-co-op/gocron/v2"
	gomail "github.com/wneessen/go-mail"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/server/mail"
)

// Notifier sends the due reminders and notifications: it claims them with
// a lease, composes and sends each mail, and records the outcome. A
// reminder is handed to one Notifier at a time, across replicas.
//
// Delivery is exactly once but for one gap: a replica that dies (or loses
// Neo4j for longer than a lease) after the SMTP server accepted a mail and
// before MarkSent recorded it leaves the reminder PENDING; once the lease
// expires another replica sends it again. That copy carries the same
// Message-ID (the reminder's id), so the two are recognisable as one mail.
type Notifier struct {
	Reminders MailQueue
	// Compose makes the mail of a claimed item; nil: the event mail of a
	// reminder or notification (Composer.Compose).
	Compose  func(ctx context.Context, d *cyberlotse.DueReminder) (*gomail.Msg, error)
	Composer *mail.Composer
	Sender   mail.Sender
	Tokens   *cyberlotse.ManageTokens
	BaseURL  string
	Owner    string // unique per process, e.g. host and pid
	Policy   cyberlotse.ReminderPolicy
	Now      func() time.Time
	Logger   *slog.Logger
	Metrics  *Metrics // nil: none
	// Heartbeat is how often the leases of the batch being sent are
	// renewed (wall-clock time); zero: a quarter of Policy.Lease.
	Heartbeat time.Duration

	kicked atomic.Bool // Kick since the last claim
}

// MailQueue is what the Notifier needs of a queue of mails: the
// reminders (cyberlotse.ReminderService) or the advisory alerts
// (cyberlotse.AdvisoryAlertService), both claimed with leases.
type MailQueue interface {
	ClaimDue(ctx context.Context, owner string, now time.Time, p cyberlotse.ReminderPolicy) ([]*cyberlotse.DueReminder, error)
	RenewLeases(ctx context.Context, owner string, ids []string, until time.Time) ([]string, error)
	ReleaseLeases(ctx context.Context, owner string, ids []string) error
	MarkSent(ctx context.Context, id, owner string, now time.Time) error
	MarkFailed(ctx context.Context, id, owner string, now time.Time, retryAt *time.Time, reason string) error
}

// RunReport counts what one run did. Lost counts claims that this
// replica could not keep until it settled them: their lease expired (its
// heartbeat did not reach Neo4j) or another replica claimed them after it.
type RunReport struct{ Sent, Retried, Failed, Lost int }

// RunOnce sends everything due now, batch after batch, until nothing is
// left or ctx ends.
func (n *Notifier) RunOnce(ctx context.Context) (RunReport, error) {
	var rep RunReport
	for ctx.Err() == nil {
		// A Kick that comes while this run is under way is dropped by
		// gocron; the flag makes the run look once more instead.
		n.kicked.Store(false)
		now := n.Now()
		due, err := n.Reminders.ClaimDue(ctx, n.Owner, now, n.Policy)
		if err != nil {
			return rep, err
		}
		n.Logger.Debug("reminders claimed", "owner", n.Owner, "claims", len(due))
		if len(due) == 0 {
			if n.kicked.Load() {
				continue
			}
			return rep, nil
		}
		if done, err := n.sendBatch(ctx, due, now, &rep); done || err != nil {
			return rep, err
		}
	}
	return rep, ctx.Err()
}

// settleTimeout bounds recording an outcome, which goes on when ctx has
// ended: a mail that went out is worth recording, or it goes out again.
const settleTimeout = 10 * time.Second

// sendBatch sends the claimed reminders one after the other while a
// heartbeat renews their leases. It ends the run early (done) when ctx
// ends — the unsent claims are released for other replicas — and after a
// failure without an answer from the server (unreachable, hanging,
// dropping the connection): such a server costs one timeout per run, not
// one per mail, and the rest of the batch waits unattempted.
func (n *Notifier) sendBatch(ctx context.Context, due []*cyberlotse.DueReminder, claimedAt time.Time, rep *RunReport) (done bool, err error) {
	l := n.hold(ctx, due, claimedAt)
	defer l.release(ctx)
	for i, d := range due {
		if err := ctx.Err(); err != nil {
			return true, err
		}
		id := d.Reminder.ID
		if !l.holds(id) {
			l.settle(id)
			rep.Lost++
			continue
		}
		sendErr := n.deliver(ctx, d)
		if sendErr != nil && ctx.Err() != nil {
			// Shutting down: the attempt was cut off, not failed; release
			// gives the claim back.
			return true, ctx.Err()
		}
		l.settle(id)
		settleCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
		var settleErr error
		if sendErr == nil {
			if settleErr = n.Reminders.MarkSent(settleCtx, id, n.Owner, n.Now()); settleErr == nil {
				rep.Sent++
			}
		} else {
			settleErr = n.recordFailure(settleCtx, d, sendErr, rep)
		}
		cancel()
		if cyberlotse.ErrorCode(settleErr) == cyberlotse.ECONFLICT {
			// The lease expired and another replica claimed the reminder:
			// a mail sent here may go out twice, with the same Message-ID.
			n.Logger.Warn("reminder claimed by another replica before its outcome was recorded",
				"reminder", id, "sent", sendErr == nil)
			rep.Lost++
			continue
		}
		if settleErr != nil {
			return true, settleErr
		}
		if sendErr != nil && mail.IsTemporary(sendErr) && mail.ReplyCode(sendErr) == 0 {
			if waiting := len(due) - 1 - i; waiting > 0 {
				n.Logger.Warn("mail server not answering; the rest of the batch waits for the next run",
					"waiting", waiting, "err", sendErr)
			}
			return true, nil
		}
	}
	return false, nil
}

func (n *Notifier) deliver(ctx context.Context, d *cyberlotse.DueReminder) error {
	var msg *gomail.Msg
	var err error
	if n.Compose != nil {
		msg, err = n.Compose(ctx, d)
	} else {
		msg, err = n.Composer.Compose(n.message(d))
	}
	if err != nil {
		var tmp temporary
		if errors.As(err, &tmp) {
			return err
		}
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
	var tmp temporary
	retry := !errors.As(sendErr, &perm) && (mail.IsTemporary(sendErr) || errors.As(sendErr, &tmp)) &&
		d.Reminder.Attempts < n.Policy.MaxAttempts
	if retry {
		t := now.Add(n.Policy.Backoff(d.Reminder.Attempts))
		retryAt = &t
	}
	n.Logger.Warn("reminder not delivered", "reminder", d.Reminder.ID, "kind", d.Reminder.Kind,
		"attempt", d.Reminder.Attempts, "retry_at", retryAt, "err", sendErr)
	// The organizer reads the reason (lastError): in German, without the
	// internals that the log above has.
	if err := n.Reminders.MarkFailed(ctx, d.Reminder.ID, n.Owner, now, retryAt, mail.FailureReason(sendErr)); err != nil {
		return err
	}
	if retry {
		rep.Retried++
	} else {
		rep.Failed++
	}
	return nil
}

// leases keeps the claims of a batch alive while it is sent: a heartbeat
// renews the unsettled ones, and a claim counts as held only while more
// than half of its lease is left, so that a replica cut off from Neo4j
// stops sending well before another one may take its claims over.
type leases struct {
	n       *Notifier
	stop    chan struct{}
	stopped chan struct{}

	mu    sync.Mutex
	open  map[string]bool // claimed, not settled; false: lost to another replica
	until time.Time
}

func (n *Notifier) hold(ctx context.Context, due []*cyberlotse.DueReminder, claimedAt time.Time) *leases {
	l := &leases{n: n, stop: make(chan struct{}), stopped: make(chan struct{}),
		open: make(map[string]bool, len(due)), until: claimedAt.Add(n.Policy.Lease)}
	for _, d := range due {
		l.open[d.Reminder.ID] = true
	}
	every := n.Heartbeat
	if every <= 0 {
		every = max(n.Policy.Lease/4, time.Second)
	}
	go l.beat(ctx, every)
	return l
}

func (l *leases) beat(ctx context.Context, every time.Duration) {
	defer close(l.stopped)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ids := l.unsettled()
		if len(ids) == 0 {
			continue
		}
		until := l.n.Now().Add(l.n.Policy.Lease)
		held, err := l.n.Reminders.RenewLeases(ctx, l.n.Owner, ids, until)
		if err != nil {
			if ctx.Err() == nil {
				l.n.Logger.Warn("reminder leases not renewed", "owner", l.n.Owner, "claims", len(ids), "err", err)
			}
			continue
		}
		l.mu.Lock()
		still := make(map[string]bool, len(held))
		for _, id := range held {
			still[id] = true
		}
		for _, id := range ids {
			if l.open[id] && !still[id] {
				l.open[id] = false
			}
		}
		l.until = until
		l.mu.Unlock()
		l.n.Logger.Debug("reminder leases renewed", "owner", l.n.Owner, "claims", len(held), "until", until)
	}
}

// holds reports whether the claim on id is still safely this replica's.
func (l *leases) holds(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open[id] && l.until.Sub(l.n.Now()) > l.n.Policy.Lease/2
}

func (l *leases) settle(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.open, id)
}

func (l *leases) unsettled() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	ids := make([]string, 0, len(l.open))
	for id, held := range l.open {
		if held {
			ids = append(ids, id)
		}
	}
	return ids
}

// release stops the heartbeat and gives the unsettled claims back, so that
// another replica need not wait for their leases to expire.
func (l *leases) release(ctx context.Context) {
	close(l.stop)
	<-l.stopped
	ids := l.unsettled()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	if err := l.n.Reminders.ReleaseLeases(ctx, l.n.Owner, ids); err != nil {
		l.n.Logger.Warn("reminder leases not released; they expire", "claims", len(ids), "err", err)
	}
}

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// temporary marks a failure to compose that may pass (the database out of
// reach): the item is retried like a mail the server deferred.
type temporary struct{ error }

func (t temporary) Unwrap() error { return t.error }

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
		ID:               d.Reminder.ID,
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

// Scheduler runs the Notifier every interval with gocron, on every
// replica at once: the per-reminder leases of ClaimDue hand each reminder
// to one replica, so no scheduler lock is needed, and a registration's
// Kick sends its confirmation at once on the replica that took it, even
// while another replica is dead. The other jobs (search sync, reach,
// change log pruning) run on one replica at a time under a Neo4j lock with
// a short lease that its holder renews while the job runs and releases
// when it ends: a replica that dies holding it blocks the job for at most
// one lease.
//
// (The scheduler lock used to be the reminders' too, taken for ten minutes
// and never renewed: a replica that died holding it held up every
// confirmation of the others for up to ten minutes.)
type Scheduler struct {
	cron gocron.Scheduler
	job  gocron.Job
	n    *Notifier
}

// schedulerLease is how long a job's lock outlives a replica that died
// holding it.
const schedulerLease = 20 * time.Second

// StartScheduler starts the reminder job and, when given, the search sync
// job (every 10 seconds).
func StartScheduler(n *Notifier, db *store.DB, every time.Duration, searchSync func(context.Context)) (*Scheduler, error) {
	locker := &neo4jLocker{db: db, owner: n.Owner, now: n.Now, lease: schedulerLease, logger: n.Logger}
	s, err := gocron.NewScheduler(gocron.WithDistributedLocker(locker))
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
			n.Logger.Info("reminder job", "sent", rep.Sent, "retried", rep.Retried, "failed", rep.Failed, "lost", rep.Lost)
		}
	}), gocron.WithName("reminders"), gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithDisabledDistributedJobLocker(true))
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
	return &Scheduler{cron: s, job: job, n: n}, nil
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
// confirmation does not wait for the next run; when the job is running
// already, that run looks for due reminders once more before it ends.
func (s *Scheduler) Kick() {
	if s != nil {
		s.n.kicked.Store(true)
		_ = s.job.RunNow()
	}
}

// Every adds a job run right away and then every interval, never twice at
// once; the scheduler's distributed lock keeps it to one replica at a
// time.
func (s *Scheduler) Every(name string, every time.Duration, run func(context.Context)) error {
	_, err := s.cron.NewJob(gocron.DurationJob(every), gocron.NewTask(run), gocron.WithName(name),
		gocron.WithSingletonMode(gocron.LimitModeReschedule), gocron.WithStartAt(gocron.WithStartImmediately()))
	return err
}

// Stop waits for a running job and stops the scheduler.
func (s *Scheduler) Stop() error {
	if s == nil {
		return nil
	}
	return s.cron.Shutdown()
}

// neo4jLocker implements gocron.Locker with a lock node in Neo4j, leased
// for lease and renewed every quarter lease while the job runs.
type neo4jLocker struct {
	db     *store.DB
	owner  string
	now    func() time.Time
	lease  time.Duration
	beat   time.Duration // zero: lease/4
	logger *slog.Logger
}

func (l *neo4jLocker) Lock(ctx context.Context, key string) (gocron.Lock, error) {
	ok, err := l.db.TryLock(ctx, key, l.owner, l.now(), l.lease)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("job %s runs on another replica", key)
	}
	// The heartbeat lives until Unlock, whatever becomes of ctx.
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	k := &neo4jLock{l: l, key: key, cancel: cancel, done: make(chan struct{})}
	go k.heartbeat(hctx)
	return k, nil
}

type neo4jLock struct {
	l      *neo4jLocker
	key    string
	cancel context.CancelFunc
	done   chan struct{}
}

// heartbeat renews the lease until Unlock. A lock lost after Neo4j was
// out of reach for a whole lease cannot stop the running job; the jobs
// under this lock are idempotent, so two runs at once waste work only.
func (k *neo4jLock) heartbeat(ctx context.Context) {
	defer close(k.done)
	every := k.l.beat
	if every <= 0 {
		every = k.l.lease / 4
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		ok, err := k.l.db.TryLock(ctx, k.key, k.l.owner, k.l.now(), k.l.lease)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			k.l.logger.Warn("scheduler lock not renewed", "job", k.key, "err", err)
		case !ok:
			k.l.logger.Warn("scheduler lock lost to another replica", "job", k.key)
		}
	}
}

// Unlock stops the heartbeat and releases the lock, also when ctx has
// ended (the scheduler shutting down).
func (k *neo4jLock) Unlock(ctx context.Context) error {
	k.cancel()
	<-k.done
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	return k.l.db.Unlock(ctx, k.key, k.l.owner)
}
