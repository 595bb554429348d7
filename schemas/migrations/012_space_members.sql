-- Per space and person: communities keeps, for every (space, person) pair of all history
-- up to the range end, the last active, join and leave times. Read from the events, that is every
-- event in a space (3.5M of the 10M of the benchmark's organisation); this rollup keeps one row
-- per (org, UTC month, space, actor) with those three times as max, so a re-sent copy cannot
-- change a row. Readers take the months before the one holding the range end and scan the events
-- only from that month's start (communities.ts). The person id is `actor`: erasure deletes its rows.
CREATE TABLE IF NOT EXISTS rollup_space_actor_month
(
    org          LowCardinality(String),
    month        Date,
    space        String,
    actor        String,
    last_active  SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_in      SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
    last_left    SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYear(month)
ORDER BY (org, month, space, actor);

-- The times default to 1970-01-01 (maxIf over no event), as the raw query's do.
CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_space_actor_month_mv TO rollup_space_actor_month AS
SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, space, actor,
       maxIf(time, CAST(level, 'Int8') >= 1) AS last_active,
       maxIf(time, type = 'group.joined' OR level = 'create') AS last_in,
       maxIf(time, type = 'group.left') AS last_left
FROM events
WHERE space != ''
GROUP BY org, month, space, actor;

-- Backfill of the events stored before this migration (idempotent: max). Large groupings spill
-- to disk rather than exhaust memory.
INSERT INTO rollup_space_actor_month
SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, space, actor,
       maxIf(time, CAST(level, 'Int8') >= 1), maxIf(time, type = 'group.joined' OR level = 'create'),
       maxIf(time, type = 'group.left')
FROM events
WHERE space != ''
GROUP BY org, month, space, actor
SETTINGS max_bytes_before_external_group_by = 1000000000;
