-- The social events: a copy, kept at insert, of the few events that link people or
-- content to each other — those naming a target or a parent, and questions. They are a few per
-- cent of the events (emails, views, sessions and searches are the bulk), and the queries that
-- join people to people (collaboration's actor → target interactions, questions and their first
-- replies) read them instead of scanning every event: at 10M events, about 200k rows instead of
-- 10M.
--
-- The columns of `events` but `props`, the same identity and engine as `events`: a re-sent copy collapses in
-- merges, and readers that count read with FINAL, exactly as they do on `events`. Erasure treats
-- it like `events` (the actor's rows deleted, the target blanked: server/erasure.ts), the retention
-- sweep stamps it like `events` and the same TTL drops old rows (server/retention.ts).
CREATE TABLE IF NOT EXISTS rollup_social_events
(
    org              LowCardinality(String),
    source           LowCardinality(String),
    id               String,
    type             LowCardinality(String),
    feature          LowCardinality(String),
    level            Enum8('none' = 0, 'view' = 1, 'react' = 2, 'contribute' = 3, 'create' = 4),
    time             DateTime64(3, 'UTC'),
    actor            String,
    space            String,
    object           String,
    parent           String,
    target           String,
    count            UInt32,
    received_at      DateTime64(3, 'UTC'),
    retention_months UInt16 DEFAULT 0
)
ENGINE = ReplacingMergeTree(received_at)
ORDER BY (org, source, id)
TTL if(retention_months = 0, toDateTime('2106-01-01 00:00:00', 'UTC'), addMonths(toDateTime(time), retention_months));

CREATE MATERIALIZED VIEW IF NOT EXISTS rollup_social_events_mv TO rollup_social_events AS
SELECT org, source, id, type, feature, level, time, actor, space, object, parent, target, count,
       received_at, retention_months
FROM events
WHERE target != '' OR parent != '' OR type = 'question.asked';

-- Backfill of the events stored before this migration (a copy the view also saw collapses like
-- any re-sent event).
INSERT INTO rollup_social_events
SELECT org, source, id, type, feature, level, time, actor, space, object, parent, target, count,
       received_at, retention_months
FROM events
WHERE target != '' OR parent != '' OR type = 'question.asked';
