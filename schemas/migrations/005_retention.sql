-- Retention: every event carries the retention of its org in months, and a TTL drops it once
-- `time` is older than that. 0 means "not stamped yet": rows arrive with 0 and the retention
-- sweep (server/retention.ts, hourly, and on a settings change) stamps them with their org's
-- retention (default 25). A TTL cannot look another table up, hence the stamp.
ALTER TABLE events ADD COLUMN IF NOT EXISTS retention_months UInt16 DEFAULT 0;

ALTER TABLE events MODIFY TTL if(retention_months = 0, toDateTime('2106-01-01 00:00:00', 'UTC'), addMonths(toDateTime(time), retention_months));
