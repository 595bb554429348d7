-- Per-org settings (time zone, privacy threshold, ROI assumptions, index weights) as JSON;
-- the highest version is current, older versions stay as history.
CREATE TABLE IF NOT EXISTS org_settings
(
    org         LowCardinality(String),
    settings    String,
    updated_at  DateTime64(3, 'UTC'),
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (org, version);
