package main

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	cyberlotse "github.com/cyberlotse/cyberlotse"
	"github.com/cyberlotse/cyberlotse/graph"
)

// rolloutCSV exports the rollout matrix of the regions in ?region= (one
// or more, comma-separated) for managers of those regions and admins, as
// CSV with German headers (semicolon-separated, for spreadsheets in German).
func (m *Main) rolloutCSV(r *graph.Resolver) http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		ctx := req.Context()
		caller := cyberlotse.IdentityFromContext(ctx)
		var ids []string
		for _, id := range strings.Split(req.URL.Query().Get("region"), ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			http.Error(w, "Bitte ?region=<Schlüssel> angeben, z. B. ?region=bergisches-staedtedreieck.", http.StatusBadRequest)
			return
		}
		regions, err := r.Network.RegionsByIDs(ctx, ids)
		if err != nil || len(regions) != len(ids) {
			http.Error(w, "Mindestens eine der Regionen gibt es nicht.", http.StatusNotFound)
			return
		}
		for _, reg := range regions {
			if err := cyberlotse.CanManageRegion(caller, reg.ID, reg.SatelliteOfID); err != nil {
				status := http.StatusForbidden
				if cyberlotse.ErrorCode(err) == cyberlotse.EUNAUTH {
					status = http.StatusUnauthorized
				}
				http.Error(w, cyberlotse.ErrorMessage(err), status)
				return
			}
		}
		cells, err := r.Rollouts.Matrix(ctx, ids)
		if err != nil {
			m.failed(w, "rollout report", err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="umsetzung.csv"`)
		w.Write([]byte("\ufeff")) // BOM: spreadsheets read the umlauts as UTF-8
		out := csv.NewWriter(w)
		out.Comma = ';'
		out.Write([]string{"Region", "Maßnahme", "Status", "Fortschritt (%)", "Erfasst", "Veranstaltungen",
			"Anmeldungen", "Unternehmen", "Reichweite Stand", "Satelliten", "Zuletzt geändert", "Geändert von"})
		for _, c := range cells {
			updated := ""
			if c.UpdatedAt != nil {
				updated = c.UpdatedAt.In(berlin).Format("02.01.2006 15:04")
			}
			recorded := "nein"
			if c.Recorded {
				recorded = "ja"
			}
			out.Write([]string{c.RegionID, c.MeasureCode, string(c.Status), strconv.Itoa(c.Progress), recorded,
				strconv.Itoa(c.Reach.Events), strconv.Itoa(c.Reach.Registrations), strconv.Itoa(c.Reach.Companies),
				c.Reach.AsOf.In(berlin).Format("02.01.2006 15:04"), strconv.Itoa(c.Reach.Satellites), updated, c.UpdatedBy})
		}
		out.Flush()
		m.Logger.Info("rollout report", "audit", true, "by", caller.Subject, "regions", ids)
	}
}
