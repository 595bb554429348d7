-- Rollups maintained at insert: dashboards read these instead of scanning every event.
-- Every aggregate here is idempotent (max, min): a re-sent copy of an event, or a backfill run
-- twice over the same events, cannot change a rollup row, so the rollups are exact without FINAL.
-- Counts and sums are NOT rolled up (a duplicate would inflate them): they still read events FINAL.
-- Person-id column: `actor` in both tables (erasure must delete from them too).

-- One row per (org, UTC day, actor): the highest level reached that day and the first / first
-- engaged (react or above, NULL when none) / last event times. Read for orgs whose time zone is
-- UTC and queries without a feature or space filter; other queries scan events.
CREATE TABLE IF NOT EXISTS rollup_actor_day
(
    org            LowCardinality(String),
    day            Date,
    actor          String,
    max_level      SimpleAggregateFunction(max, Int8),
    first_time     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    first_engaged  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC'))),
    last_time      SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (org, day, actor);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_actor_day_mv TO rollup_actor_day AS
SELECT org, toDate(time, 'UTC') AS day, actor,
       max(CAST(level, 'Int8')) AS max_level,
       min(time) AS first_time,
       minIfOrNull(time, CAST(level, 'Int8') >= 2) AS first_engaged,
       max(time) AS last_time
FROM events
GROUP BY org, day, actor;

-- One row per (org, UTC day): the set of active people (level view or above), as an exact
-- uniqExact state. A set ignores a second copy of an event. DAU/WAU/MAU merge a few hundred of
-- these rows instead of scanning the events.
CREATE TABLE IF NOT EXISTS rollup_day_actives
(
    org            LowCardinality(String),
    day            Date,
    actives        AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (org, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_day_actives_mv TO rollup_day_actives AS
SELECT org, toDate(time, 'UTC') AS day, uniqExactStateIf(actor, CAST(level, 'Int8') >= 1) AS actives
FROM events
GROUP BY org, day;

-- One row per (org, UTC month, actor, feature, space): the first event and first engaged event
-- times. Adoption times ("first engaged event ever") and the actor-based workforce read it; being
-- time-valued (not day-valued) it is exact in every org time zone.
CREATE TABLE IF NOT EXISTS rollup_actor_firsts
(
    org            LowCardinality(String),
    month          Date,
    actor          String,
    feature        LowCardinality(String),
    space          String,
    first_time     SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    first_engaged  SimpleAggregateFunction(min, Nullable(DateTime64(3, 'UTC')))
)
ENGINE = AggregatingMergeTree
ORDER BY (org, actor, feature, space, month);

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_actor_firsts_mv TO rollup_actor_firsts AS
SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, actor, feature, space,
       min(time) AS first_time,
       minIfOrNull(time, CAST(level, 'Int8') >= 2) AS first_engaged
FROM events
GROUP BY org, month, actor, feature, space;

-- Backfill of events stored before this migration (idempotent, so a race with inserts that the
-- views above already saw is harmless). For very large stores use `implication rollups rebuild`.
INSERT INTO rollup_actor_day
SELECT org, toDate(time, 'UTC') AS day, actor,
       max(CAST(level, 'Int8')), min(time), minIfOrNull(time, CAST(level, 'Int8') >= 2), max(time)
FROM events
GROUP BY org, day, actor;

INSERT INTO rollup_day_actives
SELECT org, toDate(time, 'UTC') AS day, uniqExactStateIf(actor, CAST(level, 'Int8') >= 1)
FROM events
GROUP BY org, day;

INSERT INTO rollup_actor_firsts
SELECT org, toStartOfMonth(toDate(time, 'UTC')) AS month, actor, feature, space,
       min(time), minIfOrNull(time, CAST(level, 'Int8') >= 2)
FROM events
GROUP BY org, month, actor, feature, space;
