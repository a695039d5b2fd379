// Advisories for municipalities, the officers' side: a municipality's
// mark on an advisory (one per municipality and advisory key, kept across
// the advisory's versions), the officers' alert subscriptions (one per
// municipality and e-mail address), and the lookups of the admins' list
// and the product suggestions.
CREATE CONSTRAINT advisory_mark_ags_key IF NOT EXISTS FOR (m:AdvisoryMark) REQUIRE (m.ags, m.advisoryKey) IS UNIQUE;
CREATE CONSTRAINT advisory_alert_subscription_id IF NOT EXISTS FOR (s:AdvisoryAlertSubscription) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT advisory_alert_subscription_address IF NOT EXISTS FOR (s:AdvisoryAlertSubscription) REQUIRE (s.ags, s.email) IS UNIQUE;
CREATE INDEX advisory_alert_subscription_ags IF NOT EXISTS FOR (s:AdvisoryAlertSubscription) ON (s.ags);
CREATE INDEX advisory_severity IF NOT EXISTS FOR (a:Advisory) ON (a.severity);
