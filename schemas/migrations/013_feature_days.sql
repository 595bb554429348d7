-- Per person and feature, the days of use: feature adoption keeps, for every
-- (person, feature) of all history up to the range end, the first use, the first engaged day,
-- whether they were active in the range and its last 28 days, and the periods they were active
-- in. Read from the events, that is every view-or-above event; this rollup keeps one row per
-- (org, UTC month, actor, feature) with two bit sets of the month's days: days with a
-- view-or-above event and days with a react-or-above one (bit d-1 for day d). OR is idempotent,
-- so a re-sent copy cannot change a row. Days are cut in UTC: it serves orgs whose time zone is
-- UTC (analytics/metrics/features.ts). The person id is `actor`: erasure deletes its rows.
CREATE TABLE IF NOT EXISTS rollup_actor_feature_month
(
    org           LowCardinality(String),
    month         Date,
    actor         String,
    feature       LowCardinality(String),
    days          SimpleAggregateFunction(groupBitOr, UInt32),
    engaged_days  SimpleAggregateFunction(groupBitOr, UInt32)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(month)
ORDER BY (org, month, feature, actor);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_actor_feature_month_mv TO rollup_actor_feature_month AS
SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, actor, feature,
       groupBitOr(bitShiftLeft(toUInt32(1), toDayOfMonth(time, 'UTC') - 1)) AS days,
       groupBitOrIf(bitShiftLeft(toUInt32(1), toDayOfMonth(time, 'UTC') - 1), CAST(level, 'Int8') >= 2) AS engaged_days
FROM events
WHERE CAST(level, 'Int8') >= 1
GROUP BY org, month, actor, feature;

-- Backfill of the events stored before this migration (idempotent: OR). Large groupings spill
-- to disk rather than exhaust memory.
INSERT INTO rollup_actor_feature_month
SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, actor, feature,
       groupBitOr(bitShiftLeft(toUInt32(1), toDayOfMonth(time, 'UTC') - 1)),
       groupBitOrIf(bitShiftLeft(toUInt32(1), toDayOfMonth(time, 'UTC') - 1), CAST(level, 'Int8') >= 2)
FROM events
WHERE CAST(level, 'Int8') >= 1
GROUP BY org, month, actor, feature
SETTINGS max_bytes_before_external_group_by = 1000000000;
