// Readiness self-checks: one node per check, opened by the hash of its
// resume token (or of its read-only share token); no personal data.
CREATE CONSTRAINT selfcheck_id IF NOT EXISTS FOR (c:SelfCheck) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT selfcheck_token IF NOT EXISTS FOR (c:SelfCheck) REQUIRE c.tokenHash IS UNIQUE;
CREATE CONSTRAINT selfcheck_share_token IF NOT EXISTS FOR (c:SelfCheck) REQUIRE c.shareTokenHash IS UNIQUE;
