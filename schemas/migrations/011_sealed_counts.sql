-- Sealed event counts. rollup_event_counts (migration 008) is exact because it holds
-- sets of event identities, but reading it means merging one 16-byte hash per event of the range:
-- at 100M events a year of counts needs more than 2 GiB and many seconds. Most days are done,
-- though: nothing new arrives for them. A day whose sets have not changed for a while is SEALED:
-- its counts are merged once and stored as plain numbers, and readers take the plain numbers for
-- sealed days and merge sets only for the others (today, yesterday, a day that just got a late
-- event). Still exact, and a re-sent copy still cannot inflate anything:
--
-- * every write into rollup_event_counts (the view at insert, a rebuild, an erasure's recompute)
--   passes through the view below, which stamps the day as touched at that instant;
-- * a seal records the touch it was computed under (read BEFORE the sets are merged);
-- * a seal counts only while it matches the day's latest touch. A copy of an old event, a late
--   event, a rebuild: each touches the day, the seal stops matching, and the day is read from its
--   sets (where a copy finds its identity already there) until it is sealed again.
--
-- analytics/count-seals.ts seals days (the server every few minutes, `implication rollups seal`);
-- an erasure deletes the seals of the days it recomputes (a day left empty is not touched).

-- The latest write into each (org, UTC day) of rollup_event_counts.
CREATE TABLE IF NOT EXISTS rollup_count_touches
(
    org      LowCardinality(String),
    day      Date,
    touched  SimpleAggregateFunction(max, DateTime64(6, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (org, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_count_touches_mv TO rollup_count_touches AS
SELECT org, day, max(now64(6, 'UTC')) AS touched
FROM rollup_event_counts
GROUP BY org, day;

-- The counts of sealed days: one row per row key of rollup_event_counts, `n` its number of events,
-- under the id of the seal that computed it. Readers take the rows of one valid seal per day (its
-- id picked from rollup_count_seals), so a seal cut short, or a second sealer racing the first,
-- can never be counted twice; rows of outdated seals are deleted by later sealing runs.
CREATE TABLE IF NOT EXISTS rollup_sealed_counts
(
    org      LowCardinality(String),
    day      Date,
    seal     UUID,
    type     LowCardinality(String),
    feature  LowCardinality(String),
    level    Enum8('none' = 0, 'view' = 1, 'react' = 2, 'contribute' = 3, 'create' = 4),
    space    String,
    count    UInt32,
    n        UInt64,
    sealed   DateTime64(3, 'UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, seal, type, feature, level, space, count);

-- One row per seal, written once its counts are stored: a day is sealed when a row here carries
-- its latest touch. (A seal cut short before this row exists is never read.)
CREATE TABLE IF NOT EXISTS rollup_count_seals
(
    org      LowCardinality(String),
    day      Date,
    touched  DateTime64(6, 'UTC'),
    seal     UUID,
    sealed   DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (org, day, touched);

-- The days already in rollup_event_counts: touched now (they are sealed once the server's sealing
-- finds them quiet, or by `implication rollups seal`).
INSERT INTO rollup_count_touches
SELECT org, day, now64(6, 'UTC')
FROM rollup_event_counts
GROUP BY org, day;
