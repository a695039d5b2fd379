package importers

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/importers/ics"
)

// DefaultHorizon is how far ahead recurring series are expanded.
const DefaultHorizon = 365 * 24 * time.Hour

// FeedOptions configure the import of one iCalendar feed.
type FeedOptions struct {
	Options
	// OrganizerID is the organization the feed's events are ORGANIZED_BY.
	OrganizerID string
	// Feed names the feed: its events that are missing from a later read
	// are cancelled. The import command uses the URL, or for a file the
	// organizer id (successive exports of one calendar are one feed).
	Feed string
	// Horizon bounds the expansion of series; default DefaultHorizon.
	Horizon time.Duration
}

// ImportFeed reads an iCalendar feed and upserts its events, then cancels
// the feed's future events that it no longer contains. Cancelling is
// skipped when a batch failed or the feed holds no event at all, so that
// a broken read never cancels a calendar.
func (im *Importer) ImportFeed(ctx context.Context, r io.Reader, opt FeedOptions) (*Result, error) {
	start := time.Now()
	now := im.now()
	res := &Result{Kind: "Veranstaltungen", DryRun: opt.DryRun}
	if opt.Horizon <= 0 {
		opt.Horizon = DefaultHorizon
	}
	if opt.Feed == "" {
		opt.Feed = opt.OrganizerID
	}
	if !im.knownOrganization(opt.OrganizerID) {
		return nil, cyberlotse.NotFound(cyberlotse.KindOrganization, opt.OrganizerID)
	}
	feed, err := ics.Parse(r, ics.Options{From: now, Horizon: opt.Horizon, Berlin: im.berlin()})
	if err != nil {
		return nil, err
	}
	res.Notes = append(res.Notes, fmt.Sprintf("Feed „%s“: %d Termine (VEVENT), %d Vorkommen ab heute bis %s",
		opt.Feed, feed.Events, len(feed.Occurrences), now.Add(opt.Horizon).In(im.berlin()).Format("02.01.2006")))
	kept := map[string]bool{}
	for _, rj := range feed.Rejected {
		res.Report.Reject(0, rj.UID, rj.Field, rj.Value, strings.TrimSpace(rj.Summary+": "+rj.Reason))
		kept[rj.UID] = true
	}
	source := im.source(opt.Options)
	var items []item[*cyberlotse.FeedEvent]
	for _, o := range feed.Occurrences {
		fe, ok := im.feedEvent(o, opt.OrganizerID, source, &res.Report)
		if !ok {
			kept[o.UID] = true
			continue
		}
		items = append(items, item[*cyberlotse.FeedEvent]{key: fe.Key, rec: fe})
	}
	res.Rows = len(feed.Occurrences) + len(feed.Rejected)
	err = writeBatches(ctx, im, sendAll(items, im.batchSize()), res, func(ctx context.Context, recs []*cyberlotse.FeedEvent) (*cyberlotse.ImportResult, error) {
		return im.Store.ImportFeedEvents(ctx, opt.Feed, recs, now, opt.DryRun)
	})
	if err != nil {
		return nil, err
	}
	switch {
	case res.FailedBatches > 0:
		res.Report.Hint(0, opt.Feed, "", "", "Absagen übersprungen: nicht alle Termine konnten gespeichert werden")
	case feed.Events == 0:
		res.Report.Hint(0, opt.Feed, "", "", "der Feed enthält keinen Termin – zur Sicherheit wird nichts abgesagt")
	default:
		seen := cyberlotse.FeedSeen{UIDs: feed.UIDs, HorizonEnd: now.Add(opt.Horizon)}
		for _, it := range items {
			seen.Keys = append(seen.Keys, it.key)
		}
		for uid := range kept {
			seen.Kept = append(seen.Kept, uid)
		}
		if res.Cancelled, err = im.Store.CancelMissingFeedEvents(ctx, opt.Feed, seen, now, opt.DryRun); err != nil {
			return nil, err
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

func (im *Importer) knownOrganization(id string) bool {
	for _, o := range im.Organizations {
		if o.ID == id {
			return true
		}
	}
	return false
}

var (
	onlineWords = regexp.MustCompile(`(?i)\b(online|webinar|zoom|ms teams|microsoft teams|teams-meeting|webex|livestream|videokonferenz)\b|https?://`)
	httpsURL    = regexp.MustCompile(`https://[^\s<>"]+`)
)

// formatWords guess an event's format from its title and categories
// (folded); the first match wins, INFO_EVENING otherwise.
var formatWords = []struct {
	format cyberlotse.EventFormat
	words  []string
}{
	{cyberlotse.FormatLunchtalk, []string{"lunchtalk", "lunch talk", "mittagstalk"}},
	{cyberlotse.FormatTabletop, []string{"planspiel", "tabletop", "krisenuebung", "notfalluebung"}},
	{cyberlotse.FormatKickoff, []string{"auftakt", "kick off", "kickoff"}},
	{cyberlotse.FormatConference, []string{"konferenz", "kongress", "tagung", "symposium", "fachforum"}},
	{cyberlotse.FormatWorkshop, []string{"workshop", "seminar", "schulung", "training", "kurs"}},
}

func guessFormat(title string, categories []string) cyberlotse.EventFormat {
	for _, c := range categories {
		switch f := cyberlotse.EventFormat(strings.ToUpper(strings.TrimSpace(c))); f {
		case cyberlotse.FormatInfoEvening, cyberlotse.FormatLunchtalk, cyberlotse.FormatTabletop,
			cyberlotse.FormatKickoff, cyberlotse.FormatWorkshop, cyberlotse.FormatConference:
			return f
		}
	}
	text := " " + cyberlotse.FoldName(title+" "+strings.Join(categories, " ")) + " "
	for _, fw := range formatWords {
		for _, w := range fw.words {
			if strings.Contains(text, w) {
				return fw.format
			}
		}
	}
	return cyberlotse.FormatInfoEvening
}

// feedEvent turns an occurrence into an event of the organizer: title,
// time, format, mode and the municipality found in LOCATION.
func (im *Importer) feedEvent(o ics.Occurrence, organizer, source string, rep *Report) (*cyberlotse.FeedEvent, bool) {
	if o.Summary == "" {
		rep.Reject(0, o.Key, "SUMMARY", "", "Titel (SUMMARY) fehlt")
		return nil, false
	}
	title := o.Summary
	if r := []rune(title); len(r) > 200 {
		title = string(r[:199]) + "…"
	}
	e := &cyberlotse.Event{Title: title, Description: o.Description, StartsAt: o.Start, EndsAt: o.End,
		Format: guessFormat(o.Summary, o.Categories), Status: cyberlotse.EventScheduled, OrganizerID: organizer,
		Provenance: cyberlotse.Provenance{Sample: false, Source: source}}
	if o.Status == "CANCELLED" {
		e.Status = cyberlotse.EventCancelled
	}
	if strings.HasPrefix(o.URL, "https://") {
		e.OnlineURL = o.URL
	}
	loc := o.Location
	online := onlineWords.MatchString(loc) || (loc == "" && e.OnlineURL != "")
	m := im.Places.InText(loc)
	if e.OnlineURL == "" && online {
		if u := httpsURL.FindString(loc + " " + o.Description); u != "" {
			e.OnlineURL = strings.TrimRight(u, ".,;)")
		}
	}
	if !httpsURL.MatchString(loc) || m != nil {
		e.Venue = loc
	}
	switch {
	case m != nil && online:
		e.Mode, e.AGS = cyberlotse.ModeHybrid, m.AGS
	case m != nil:
		e.Mode, e.AGS = cyberlotse.ModeOnsite, m.AGS
	case online:
		e.Mode = cyberlotse.ModeOnline
	default:
		e.Mode = cyberlotse.ModeOnsite
		reason := "Ort fehlt – Termin ohne Gemeinde gespeichert (erscheint nicht in der Umkreissuche)"
		if loc != "" {
			reason = "Ort keiner Gemeinde in NRW zuzuordnen (keine bekannte PLZ, kein Gemeindename) – Termin ohne Gemeinde gespeichert"
		}
		rep.Hint(0, o.Key, "LOCATION", loc, reason)
	}
	e.ID = cyberlotse.EventSlug(title, o.Start, im.berlin())
	return &cyberlotse.FeedEvent{Key: o.Key, UID: o.UID, Sequence: o.Sequence, Event: e}, true
}
