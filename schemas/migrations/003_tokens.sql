-- API tokens. Only a SHA-256 hash of the secret is kept; the version column lets a revocation
-- replace the row.
CREATE TABLE IF NOT EXISTS api_tokens
(
    token_id     String,
    secret_hash  String,
    role         LowCardinality(String),
    orgs         Array(String),
    source       String,
    label        String,
    created_at   DateTime64(3, 'UTC'),
    revoked_at   Nullable(DateTime64(3, 'UTC')),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY token_id;
