-- Exact event counts: features, email, roi and summary count and sum events; they read
-- this rollup instead of `events FINAL`.
--
-- One row per (org, UTC day, type, feature, level, space, count) holds the SET of the events'
-- identities (source, id), as an exact uniqExact state, not a running count. A re-sent copy of an
-- event has the same identity and the same day, type, feature, level, space and count, so it lands
-- in the same row and in a set that already holds it: it cannot inflate the count, before or after
-- any merge. The number of events of a row is uniqExactMerge(events); the sum of their `count`
-- field is that number × the row's `count` (hence `count` is part of the key: most events carry 1,
-- pre-aggregated feeds such as email.sent a handful of values a day). A copy that changed one of
-- those fields on the way would be counted in two rows, while FINAL keeps only its latest version:
-- the contract (EVENTS.md) makes (org, source, id) one event, and senders re-send it unchanged.
-- No person id is stored (the identities are event ids, hashed); an erasure recomputes the days of
-- the erased person's events (server/erasure.ts). Days are cut in UTC, like rollup_actor_day.
CREATE TABLE IF NOT EXISTS rollup_event_counts
(
    org      LowCardinality(String),
    day      Date,
    type     LowCardinality(String),
    feature  LowCardinality(String),
    level    Enum8('none' = 0, 'view' = 1, 'react' = 2, 'contribute' = 3, 'create' = 4),
    space    String,
    count    UInt32,
    events   AggregateFunction(uniqExact, String, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, type, feature, level, space, count);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_event_counts_mv TO rollup_event_counts AS
SELECT org, toDate(time, 'UTC') AS day, type, feature, level, space, count,
       uniqExactState(CAST(source, 'String'), id) AS events
FROM events
GROUP BY org, day, type, feature, level, space, count;

-- Backfill of events stored before this migration (idempotent: a set ignores identities it holds,
-- so a race with inserts that the view above already saw is harmless). It holds every identity's
-- hash in memory at once: for very large stores use `implication rollups rebuild` (month by month).
INSERT INTO rollup_event_counts
SELECT org, toDate(time, 'UTC') AS day, type, feature, level, space, count,
       uniqExactState(CAST(source, 'String'), id)
FROM events
GROUP BY org, day, type, feature, level, space, count;
