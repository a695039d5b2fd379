// Registrations, people and the reminder queue.
CREATE INDEX registration_status IF NOT EXISTS FOR (r:Registration) ON (r.status);
CREATE INDEX reminder_due IF NOT EXISTS FOR (r:Reminder) ON (r.state, r.dueAt);
CREATE CONSTRAINT scheduler_lock_name IF NOT EXISTS FOR (l:SchedulerLock) REQUIRE l.name IS UNIQUE;
