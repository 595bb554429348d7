-- Paging cursors and the rejected store's cap.
--
-- A page of the rejected store or of the audit log ends with a cursor: the sort key of its last
-- row. Rows of one millisecond share their time, and a client may choose its x-request-id, so the
-- key ends with a UUID drawn for each row at insert (ingest/rejected-store.ts, server/audit.ts):
-- with it every row has its own place in the order and a page boundary can never skip one. Rows
-- stored before this migration read the zero UUID; their (time, request id, item index) told them
-- apart already, but for a client that sent one request id twice in one millisecond.
ALTER TABLE rejected_events ADD COLUMN IF NOT EXISTS row_id UUID;

ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS row_id UUID;

-- What the per-org cap of the rejected store (REJECTED_MAX_ROWS_PER_ORG, REJECTED_MAX_BYTES_PER_ORG)
-- deleted: one row per trim, the rows and bytes of raw text of the org's oldest refusals that went.
-- GET /v1/orgs/:org/ingest/status sums them (rejected_dropped). No person id: counts only.
CREATE TABLE IF NOT EXISTS rejected_dropped
(
    org    LowCardinality(String),
    at     DateTime64(3, 'UTC'),
    rows   UInt64,
    bytes  UInt64
)
ENGINE = MergeTree
ORDER BY (org, at);
