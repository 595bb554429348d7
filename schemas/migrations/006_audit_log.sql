-- Audit log: who read or exported which report of which org, when, with which filters. Append
-- only: no code path updates or deletes its rows (erasure leaves it alone: it holds token ids,
-- never person ids).
CREATE TABLE IF NOT EXISTS audit_log
(
    at           DateTime64(3, 'UTC'),
    org          LowCardinality(String),
    token_id     String,
    role         LowCardinality(String),
    action       LowCardinality(String),
    report       LowCardinality(String),
    method       LowCardinality(String),
    route        String,
    filters      String,
    status       UInt16,
    request_id   String
)
ENGINE = MergeTree
ORDER BY (org, at);
