// Measure rollout per region, its history, and companies reached.
CREATE CONSTRAINT rollout_key IF NOT EXISTS FOR (r:Rollout) REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT company_key IF NOT EXISTS FOR (c:Company) REQUIRE c.key IS UNIQUE;
CREATE INDEX rollout_change_at IF NOT EXISTS FOR (c:RolloutChange) ON (c.at);
