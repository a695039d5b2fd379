// Live sessions (#15): what stays of a session once its live data is
// deleted — counts and poll results, one summary per event.
CREATE CONSTRAINT live_summary_event IF NOT EXISTS FOR (s:LiveSummary) REQUIRE s.eventId IS UNIQUE;
