package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	gomail "github.com/wneessen/go-mail"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	store "github.com/cyberlotse/cyberlotse/graph/neo4j"
	"github.com/cyberlotse/cyberlotse/server/mail"
)

// AdvisoryAlerts mails the officers who subscribed to a municipality's
// security warnings (KWID): urgent matches (CVSS ≥ 9.0 or a known
// exploit) at once, after every advisory import and every
// ADVISORY_ALERT_INTERVAL as a safety net; the rest in a digest at 7:00
// Berlin time. Queueing records what each subscriber was told (advisory
// key and version) in the transaction that queues the mail; the mails
// go out through a Notifier on the alert queue, exactly once like the
// reminders.
type AdvisoryAlerts struct {
	Alerts     cyberlotse.AdvisoryAlertService
	Advisories cyberlotse.AdvisoryService
	Notifier   *Notifier // on the alert queue; see NewAdvisoryAlerts
	Composer   *mail.Composer
	BaseURL    string
	Now        func() time.Time
	Logger     *slog.Logger
	// Municipalities narrows the alerts to these; nil: all. Tests, which
	// share the graph with other packages' tests, name their own.
	Municipalities []cyberlotse.AGS
}

// NewAdvisoryAlerts wires the alerts to db, sending with n's transport
// and policy under n's owner.
func NewAdvisoryAlerts(db *store.DB, n *Notifier) *AdvisoryAlerts {
	a := &AdvisoryAlerts{Alerts: store.NewAdvisoryAlertService(db), Advisories: store.NewAdvisoryService(db),
		Composer: n.Composer, BaseURL: n.BaseURL, Now: n.Now, Logger: n.Logger}
	a.Notifier = &Notifier{Reminders: a.Alerts, Compose: a.compose, Composer: n.Composer, Sender: n.Sender,
		BaseURL: n.BaseURL, Owner: n.Owner, Policy: n.Policy, Now: n.Now, Logger: n.Logger, Heartbeat: n.Heartbeat}
	return a
}

// AlertReport counts what one alert run queued and sent.
type AlertReport struct {
	Immediate, Digests int // mails queued
	Sent               RunReport
}

// QueueImmediate queues a mail for every urgent match not yet told to a
// subscriber who wants urgent ones at once.
func (a *AdvisoryAlerts) QueueImmediate(ctx context.Context) (int, error) {
	return a.queue(ctx, false, time.Time{})
}

// QueueDigests does the digests of the slot due now (the last 7:00
// Berlin time) that are not done yet: one mail per subscription with the
// matches not yet told, none when there are none. Subscriptions made
// after the slot wait for the next one.
func (a *AdvisoryAlerts) QueueDigests(ctx context.Context) (int, error) {
	return a.queue(ctx, true, cyberlotse.DigestSlot(a.Now(), berlin))
}

func (a *AdvisoryAlerts) queue(ctx context.Context, digest bool, slot time.Time) (int, error) {
	subs, err := a.Alerts.Subscriptions(ctx)
	if err != nil {
		return 0, err
	}
	var done map[string]bool
	if digest {
		if done, err = a.Alerts.DigestsDone(ctx, slot); err != nil {
			return 0, err
		}
	}
	byAGS := map[cyberlotse.AGS][]*cyberlotse.AdvisoryAlertSubscription{}
	var order []cyberlotse.AGS
	for _, s := range subs {
		if len(a.Municipalities) > 0 && !slices.Contains(a.Municipalities, s.AGS) {
			continue
		}
		if digest && (done[s.ID] || s.CreatedAt.After(slot)) || !digest && !s.Immediate {
			continue
		}
		if _, ok := byAGS[s.AGS]; !ok {
			order = append(order, s.AGS)
		}
		byAGS[s.AGS] = append(byAGS[s.AGS], s)
	}
	queued := 0
	var errs []error
	for _, ags := range order {
		matches, err := a.Advisories.MunicipalityMatches(ctx, ags)
		if cyberlotse.ErrorCode(err) == cyberlotse.ENOTFOUND {
			continue // a subscription of a municipality that is gone
		}
		if err != nil {
			return queued, err
		}
		marks, err := a.Alerts.Marks(ctx, ags)
		if err != nil {
			return queued, err
		}
		for _, s := range byAGS[ags] {
			var n int
			if digest {
				// What is mailed at once is the immediate run's; everything
				// else waits for the digest.
				want := func(adv *cyberlotse.Advisory) bool { return !s.AtOnce(adv) }
				n, err = a.Alerts.QueueDigest(ctx, s, slot, cyberlotse.AlertItems(s, matches, marks, want), a.Now())
				if n > 0 {
					queued++
				}
			} else {
				n, err = a.Alerts.QueueImmediate(ctx, s, cyberlotse.AlertItems(s, matches, marks, s.AtOnce), a.Now())
				queued += n
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("subscription %s: %w", s.ID, err))
			}
		}
	}
	return queued, errors.Join(errs...)
}

// Run queues what is due — the urgent alerts, with digest also the
// digests of the current slot — and sends the queue.
func (a *AdvisoryAlerts) Run(ctx context.Context, digest bool) (AlertReport, error) {
	var rep AlertReport
	var err error
	if rep.Immediate, err = a.QueueImmediate(ctx); err != nil {
		a.Logger.Error("advisory alerts not queued", "err", err)
	}
	if digest {
		var derr error
		if rep.Digests, derr = a.QueueDigests(ctx); derr != nil {
			a.Logger.Error("advisory digests not queued", "err", derr)
			err = errors.Join(err, derr)
		}
	}
	sent, serr := a.Notifier.RunOnce(ctx)
	rep.Sent = sent
	if rep != (AlertReport{}) {
		a.Logger.Info("advisory alerts", "immediate", rep.Immediate, "digests", rep.Digests, "sent", sent.Sent,
			"retried", sent.Retried, "failed", sent.Failed, "lost", sent.Lost)
	}
	return rep, errors.Join(err, serr)
}

// WarningsURL is the municipality's warnings page.
func (a *AdvisoryAlerts) WarningsURL(ags cyberlotse.AGS) string {
	return a.BaseURL + "/kommune/" + string(ags) + "/warnungen"
}

// compose makes the mail of a claimed alert (the Notifier's Compose).
func (a *AdvisoryAlerts) compose(ctx context.Context, d *cyberlotse.DueReminder) (*gomail.Msg, error) {
	am, err := a.Alerts.AlertMail(ctx, d.Reminder.ID)
	if err != nil {
		if code := cyberlotse.ErrorCode(err); code == cyberlotse.EUNAVAILABLE || code == cyberlotse.EINTERNAL && ctx.Err() == nil {
			return nil, temporary{err}
		}
		return nil, err
	}
	m := mail.AdvisoryMessage{ID: am.ID, To: mail.Address{Email: string(am.To)}, Digest: am.Kind == cyberlotse.AlertDigest,
		Municipality: am.MunicipalityName, WarningsURL: a.WarningsURL(am.AGS)}
	for _, it := range am.Items {
		info := mail.AdvisoryInfo{Title: it.Title, Language: it.Language, Publisher: it.Publisher, TrackingID: it.TrackingID,
			Version: it.Version, CVSS: it.CVSS, Exploit: it.Exploit, CVEs: it.CVEs, URL: it.URL}
		for _, p := range it.Products {
			info.Products = append(info.Products, mail.AdvisoryProduct{Name: p.Name, Reason: p.Reason})
		}
		for _, r := range it.Remediations {
			info.Remediations = append(info.Remediations, mail.AdvisoryRemediation{Category: r.Category, Details: r.Details, URL: r.URL})
		}
		m.Advisories = append(m.Advisories, info)
	}
	return a.Composer.ComposeAdvisory(m)
}

// Schedule adds the alert jobs: the urgent alerts every interval (a
// safety net; the advisory import queues them after each run that
// brought news), and every minute the digests of the current slot that
// are not done yet, which costs two small queries once they are. Both
// send the queue; the scheduler's lock keeps each job to one replica at a
// time.
func (a *AdvisoryAlerts) Schedule(s *Scheduler, every time.Duration) error {
	if err := s.Every("advisory-alerts", every, func(ctx context.Context) {
		_, _ = a.Run(ctx, false)
	}); err != nil {
		return err
	}
	return s.Every("advisory-digests", time.Minute, func(ctx context.Context) {
		n, err := a.QueueDigests(ctx)
		if err != nil {
			a.Logger.Error("advisory digests not queued", "err", err)
		}
		rep, err := a.Notifier.RunOnce(ctx)
		if err != nil {
			a.Logger.Error("advisory alerts not sent", "err", err)
		}
		if n > 0 || rep != (RunReport{}) {
			a.Logger.Info("advisory digests", "queued", n, "sent", rep.Sent, "retried", rep.Retried, "failed", rep.Failed, "lost", rep.Lost)
		}
	})
}
