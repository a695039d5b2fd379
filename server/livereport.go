package main

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	cyberlotse "github.com/cyberlotse/cyberlotse"
)

// Headers and words of the live sessions' CSV export (German, for
// spreadsheets in German).
var (
	liveCSVQuestions = []string{"Frage", "Stimmen", "Status", "Beantwortet", "Angeheftet", "Gestellt um"}
	liveCSVPolls     = []string{"Umfrage", "Art", "Antwort", "Stimmen", "Anteil (%)", "Teilnehmende", "Mittelwert"}
	liveStates       = map[cyberlotse.QuestionState]string{cyberlotse.QuestionPending: "wartet auf Freigabe",
		cyberlotse.QuestionVisible: "sichtbar", cyberlotse.QuestionHidden: "ausgeblendet"}
	pollKinds = map[cyberlotse.PollKind]string{cyberlotse.PollSingle: "Einfachauswahl",
		cyberlotse.PollMultiple: "Mehrfachauswahl", cyberlotse.PollScale: "Skala 1–5"}
)

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nein"
}

// liveCSV exports a live session's questions and poll results for the
// event's organizers and admins, while its live data is kept
// (LIVE_RETENTION): GET /reports/live/{event}.csv.
func (m *Main) liveCSV(w http.ResponseWriter, req *http.Request) {
	eventID := strings.TrimSuffix(req.PathValue("file"), ".csv")
	if m.Live == nil {
		m.failed(w, "live export", cyberlotse.LiveUnavailable())
		return
	}
	v, err := m.Live.View(req.Context(), eventID, "")
	if err != nil {
		status := map[cyberlotse.Code]int{cyberlotse.EUNAUTH: http.StatusUnauthorized, cyberlotse.EFORBIDDEN: http.StatusForbidden,
			cyberlotse.ENOTFOUND: http.StatusNotFound, cyberlotse.ECONFLICT: http.StatusConflict, cyberlotse.EINVALID: http.StatusBadRequest}[cyberlotse.ErrorCode(err)]
		if status == 0 {
			m.failed(w, "live export", err)
			return
		}
		http.Error(w, cyberlotse.ErrorMessage(err), status)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="live-%s.csv"`, eventID))
	w.Write([]byte("\ufeff")) // BOM: spreadsheets read the umlauts as UTF-8
	out := csv.NewWriter(w)
	out.Comma = ';'
	out.Write(liveCSVQuestions)
	for _, q := range v.ByVotes() {
		out.Write([]string{q.Text, strconv.Itoa(q.Votes), liveStates[q.State], yesNo(q.Answered), yesNo(q.Pinned),
			q.AskedAt.In(berlin).Format("02.01.2006 15:04:05")})
	}
	out.Write(nil)
	out.Write(liveCSVPolls)
	for _, p := range v.Polls() {
		labels := p.Options
		if p.Kind == cyberlotse.PollScale {
			labels = []string{"1", "2", "3", "4", "5"}
		}
		mean := ""
		if p.Kind == cyberlotse.PollScale && p.Result.Voters > 0 {
			mean = strings.Replace(strconv.FormatFloat(p.Result.Mean, 'f', 2, 64), ".", ",", 1)
		}
		for i, label := range labels {
			share := "0"
			if p.Result.Voters > 0 {
				share = strconv.Itoa(p.Result.Counts[i] * 100 / p.Result.Voters)
			}
			out.Write([]string{p.Question, pollKinds[p.Kind], label, strconv.Itoa(p.Result.Counts[i]), share,
				strconv.Itoa(p.Result.Voters), mean})
		}
	}
	out.Flush()
	m.Logger.Info("live export", "audit", true, "by", cyberlotse.IdentityFromContext(req.Context()).Subject, "event", eventID)
}
