-- Storage v2, first step: each event stored once, by its writer, and each event's local calendar.
--
-- Exactly once at the writer (ingest/event-writer.ts). Every path that stores events (the direct
-- group committer, the Kafka worker, the importers, the simulator) goes through one function that
-- drops the events whose identity (org, source, id) is already stored, before the insert, and then
-- records the identities it stored in `event_keys`, a key-value table (EmbeddedRocksDB: point
-- lookups, measured in bench/key-index.ts; KeeperMap is the replicated kind on a cluster). The key
-- is `org NUL byteLength(source) NUL source NUL id`: unambiguous whatever the source holds. Its
-- value is the event time (retention may prune old keys by it).
CREATE TABLE IF NOT EXISTS event_keys
(
    key   String,
    time  DateTime64(3, 'UTC')
)
ENGINE = EmbeddedRocksDB
PRIMARY KEY key;

-- One row per writer (`direct`, `kafka:<topic>:<partition>`, `import`, `simulation`): the
-- `inserted_at` of the batch it was last storing, written before that batch's insert. A writer
-- that died between the insert and the recording of the keys left events with that stamp and no
-- key; its successor (the same writer name) records their keys before it stores anything.
CREATE TABLE IF NOT EXISTS event_writer_marks
(
    writer   String,
    pending  DateTime64(3, 'UTC')
)
ENGINE = EmbeddedRocksDB
PRIMARY KEY writer;

-- When the writer stored the event (one stamp per batch, the writer's clock); 0 for events stored
-- before this migration. The minmax index makes the recovery above read only the last parts.
ALTER TABLE events ADD COLUMN IF NOT EXISTS inserted_at DateTime64(3, 'UTC') DEFAULT toDateTime64(0, 3, 'UTC');
ALTER TABLE events ADD INDEX IF NOT EXISTS inserted_minmax inserted_at TYPE minmax GRANULARITY 1;

-- The event's day and minute of the day in its org's time zone, computed by the writer (a
-- ClickHouse time-zone argument must be a constant, so a view cannot compute it per org). Events
-- stored before this migration read them in UTC until the org's calendar is rebuilt in its zone
-- (analytics/calendar.ts, run at start for every org whose zone is not UTC).
ALTER TABLE events ADD COLUMN IF NOT EXISTS day Date DEFAULT toDate(time, 'UTC');
ALTER TABLE events ADD COLUMN IF NOT EXISTS minute UInt16 DEFAULT toUInt16(toHour(time, 'UTC') * 60 + toMinute(time, 'UTC'));

-- The zone each org's stored calendar (events.day, events.minute and the rollups keyed on them)
-- is in, and whether it is being rebuilt into it. No row: UTC, ready. A time-zone change records
-- the new zone first (writers then stamp new events in it), rebuilds, then marks it ready; the
-- rollups answer an org only when its calendar is ready in the query's zone.
CREATE TABLE IF NOT EXISTS org_calendar
(
    org         LowCardinality(String),
    zone        String,
    ready       UInt8,
    version     UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY org;

-- The identities of the events stored before this migration, streamed (no GROUP BY: a copy not
-- yet merged away writes its key again, and a key-value table keeps one).
INSERT INTO event_keys
SELECT concat(org, char(0), toString(length(source)), char(0), source, char(0), id) AS key, time
FROM events;
