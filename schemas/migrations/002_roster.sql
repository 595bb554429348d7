-- Workforce snapshots. A new upload is a new snapshot; readers use the latest one per org.
CREATE TABLE IF NOT EXISTS roster
(
    org          LowCardinality(String),
    snapshot     DateTime64(3, 'UTC'),
    person_id    String,
    department   String,
    site         String,
    manager      String,
    hired_at     Nullable(Date32),
    left_at      Nullable(Date32)
)
ENGINE = MergeTree
ORDER BY (org, snapshot, person_id);
