package main

import (
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the operator's view in the Prometheus format at /metrics:
// GraphQL operations, Neo4j queries, the reminder and search-sync jobs,
// and the Go runtime.
type Metrics struct {
	registry     *prometheus.Registry
	operations   *prometheus.HistogramVec
	opErrors     *prometheus.CounterVec
	queries      *prometheus.HistogramVec
	queryErrors  *prometheus.CounterVec
	reminders    *prometheus.CounterVec
	reminderRuns prometheus.Histogram
	searchSynced prometheus.Counter
	liveUpdates  *prometheus.CounterVec
	matrix       *prometheus.CounterVec
}

func NewMetrics() *Metrics {
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		operations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "cyberlotse_graphql_operation_seconds",
			Help: "GraphQL operation latency by operation name.", Buckets: buckets}, []string{"operation"}),
		opErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cyberlotse_graphql_errors_total",
			Help: "GraphQL errors by operation and extensions.code."}, []string{"operation", "code"}),
		queries: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "cyberlotse_neo4j_query_seconds",
			Help: "Neo4j round-trip latency by store operation.", Buckets: buckets}, []string{"op"}),
		queryErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cyberlotse_neo4j_errors_total",
			Help: "Failed Neo4j queries by store operation."}, []string{"op"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cyberlotse_reminders_total",
			Help: "Reminder and notification mails by outcome (sent, retried, failed, lost: claimed by another replica after the lease expired)."}, []string{"result"}),
		reminderRuns: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "cyberlotse_reminder_job_seconds",
			Help: "Duration of a reminder job run.", Buckets: buckets}),
		searchSynced: prometheus.NewCounter(prometheus.CounterOpts{Name: "cyberlotse_search_outbox_synced_total",
			Help: "Search outbox entries applied to Meilisearch."}),
		liveUpdates: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cyberlotse_live_updates_total",
			Help: "Live session updates sent to subscribers: executed for them, or shared (another subscriber's answer to the same view and query)."}, []string{"answer"}),
		matrix: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "cyberlotse_rollout_matrix_answers_total",
			Help: "Rollout matrices answered: executed, or kept (an answer executed before for the same query, viewer scope and data)."}, []string{"answer"}),
	}
	m.registry.MustRegister(m.operations, m.opErrors, m.queries, m.queryErrors, m.reminders, m.reminderRuns, m.searchSynced, m.liveUpdates, m.matrix,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// Operation records a GraphQL operation.
func (m *Metrics) Operation(name string, took time.Duration, codes []string) {
	m.operations.WithLabelValues(name).Observe(took.Seconds())
	for _, c := range codes {
		m.opErrors.WithLabelValues(name, c).Inc()
	}
}

// LiveUpdate records an update sent to a live session's subscriber.
func (m *Metrics) LiveUpdate(shared bool) {
	answer := "executed"
	if shared {
		answer = "shared"
	}
	m.liveUpdates.WithLabelValues(answer).Inc()
}

// MatrixAnswer records a rollout matrix answered.
func (m *Metrics) MatrixAnswer(kept bool) {
	answer := "executed"
	if kept {
		answer = "kept"
	}
	m.matrix.WithLabelValues(answer).Inc()
}

// Query records a Neo4j round trip.
func (m *Metrics) Query(op string, took time.Duration, err error) {
	op = strings.TrimPrefix(op, "neo4j.")
	m.queries.WithLabelValues(op).Observe(took.Seconds())
	if err != nil {
		m.queryErrors.WithLabelValues(op).Inc()
	}
}

// ReminderRun records one run of the reminder job.
func (m *Metrics) ReminderRun(rep RunReport, took time.Duration) {
	m.reminders.WithLabelValues("sent").Add(float64(rep.Sent))
	m.reminders.WithLabelValues("retried").Add(float64(rep.Retried))
	m.reminders.WithLabelValues("failed").Add(float64(rep.Failed))
	m.reminders.WithLabelValues("lost").Add(float64(rep.Lost))
	m.reminderRuns.Observe(took.Seconds())
}
