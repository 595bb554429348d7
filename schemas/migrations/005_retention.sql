-- Retention: every event carries the retention of its org, in months (default 25), and a TTL
-- drops it once `time` is older than that. The column is stamped after the fact (settings
-- change and an hourly sweep, server/retention.ts) rather than looked up inside the TTL, which
-- cannot read another table; see README "Privacy and access".
ALTER TABLE events ADD COLUMN IF NOT EXISTS retention_months UInt16 DEFAULT 25;

ALTER TABLE events MODIFY TTL addMonths(toDateTime(time), retention_months);
