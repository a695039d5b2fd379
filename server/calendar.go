package main

import (
	"net/http"
	"strings"
	"time"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
	"github.com/cyberlotse/cyberlotse/server/mail"
)

// calendarFeed serves upcoming events as a subscribable iCalendar feed,
// optionally for one region (?region=slug) or municipality (?ags=…).
func (m *Main) calendarFeed(r *graph.Resolver) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		now := m.Now()
		f := cyberlotse.EventFilter{From: &now}
		name := "Cyberlotse – Veranstaltungen"
		if region := req.URL.Query().Get("region"); region != "" {
			f.Region = &region
		}
		if s := req.URL.Query().Get("ags"); s != "" {
			ags, err := cyberlotse.ParseAGS(s)
			if err != nil {
				http.Error(w, cyberlotse.ErrorMessage(err), http.StatusBadRequest)
				return
			}
			f.AGS = &ags
		}
		var events []mail.EventInfo
		page := cyberlotse.Page{First: cyberlotse.MaxPageSize}
		for len(events) < 2000 {
			items, more, err := r.Events.FindEvents(req.Context(), f, page)
			if err != nil {
				m.failed(w, "calendar feed", err)
				return
			}
			for _, e := range items {
				if e.Status != cyberlotse.EventCancelled {
					events = append(events, eventInfo(e))
				}
			}
			if !more {
				break
			}
			c := cyberlotse.EventCursor(items[len(items)-1])
			page.After = &c
		}
		writeCalendar(w, mail.Calendar(events, name))
	}
}

// eventCalendar serves one event as an .ics file (/calendar/<id>.ics).
func (m *Main) eventCalendar(r *graph.Resolver) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		id, ok := strings.CutSuffix(req.PathValue("file"), ".ics")
		if !ok {
			http.NotFound(w, req)
			return
		}
		events, err := r.Events.EventsByIDs(req.Context(), []string{id})
		if err != nil {
			m.failed(w, "event calendar", err)
			return
		}
		if len(events) == 0 {
			http.Error(w, cyberlotse.NotFound(cyberlotse.KindEvent, id).Message, http.StatusNotFound)
			return
		}
		writeCalendar(w, mail.Calendar([]mail.EventInfo{eventInfo(events[0])}, events[0].Title))
	}
}

func eventInfo(e *cyberlotse.Event) mail.EventInfo {
	return mail.EventInfo{ID: e.ID, Title: e.Title, Description: e.Description, StartsAt: e.StartsAt,
		EndsAt: e.EndsAt, Venue: e.Venue, OnlineURL: e.OnlineURL, Sequence: e.Sequence,
		Cancelled: e.Status == cyberlotse.EventCancelled, UpdatedAt: time.Time{}}
}

func writeCalendar(w http.ResponseWriter, ics []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(ics)
}
