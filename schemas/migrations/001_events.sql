-- Activity events. Deduplication: the same (org, source, id) is one event. The sort key is that
-- identity, so ReplacingMergeTree collapses re-sent copies (the latest received wins) and readers
-- that need exact counts read with FINAL; re-sent Kafka batches are also dropped at insert by the
-- block deduplication window (insert_deduplication_token).
CREATE TABLE IF NOT EXISTS events
(
    org          LowCardinality(String),
    source       LowCardinality(String),
    id           String,
    type         LowCardinality(String),
    feature      LowCardinality(String),
    level        Enum8('none' = 0, 'view' = 1, 'react' = 2, 'contribute' = 3, 'create' = 4),
    time         DateTime64(3, 'UTC'),
    actor        String,
    space        String,
    object       String,
    parent       String,
    target       String,
    count        UInt32,
    props        String,
    received_at  DateTime64(3, 'UTC'),
    INDEX time_minmax time TYPE minmax GRANULARITY 4
)
ENGINE = ReplacingMergeTree(received_at)
ORDER BY (org, source, id)
SETTINGS non_replicated_deduplication_window = 10000;

-- Refused input, kept verbatim with the reason, so a client can see and resend what was refused.
CREATE TABLE IF NOT EXISTS rejected_events
(
    org          LowCardinality(String),
    received_at  DateTime64(3, 'UTC'),
    channel      LowCardinality(String),
    request_id   String,
    item_index   UInt32,
    event_id     String,
    path         String,
    reason       String,
    raw          String
)
ENGINE = MergeTree
ORDER BY (org, received_at);
