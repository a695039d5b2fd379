// Advisory alerts (KWID): what was told to whom (subscription, advisory
// key and version), the digests done per subscription and slot, and the
// queue of alert mails, claimed with leases like the reminders.
CREATE CONSTRAINT advisory_alert_sent_key IF NOT EXISTS FOR (s:AdvisoryAlertSent) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT advisory_digest_slot_key IF NOT EXISTS FOR (d:AdvisoryDigestSlot) REQUIRE d.key IS UNIQUE;
CREATE CONSTRAINT advisory_alert_id IF NOT EXISTS FOR (a:AdvisoryAlert) REQUIRE a.id IS UNIQUE;
CREATE INDEX advisory_digest_slot_slot IF NOT EXISTS FOR (d:AdvisoryDigestSlot) ON (d.slot);
CREATE INDEX advisory_alert_due IF NOT EXISTS FOR (a:AdvisoryAlert) ON (a.state, a.dueAt);
CREATE INDEX advisory_alert_subscription IF NOT EXISTS FOR (a:AdvisoryAlert) ON (a.subscription);
