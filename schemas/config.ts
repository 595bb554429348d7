// The process configuration: the environment, parsed once at start into a typed object.
import { z } from 'zod'

const positiveInt = (def: number) => z.coerce.number().int().positive().default(def)

export const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATA_DIR: z.string().min(1).default('./data'),
  CLICKHOUSE_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s):// URL, e.g. http://user:pass@host:8123/db' })
    .optional(),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, 'must be host:port[,host:port...]')
    .optional(),
  KAFKA_TOPIC: z.string().min(1).default('implication.events'),
  KAFKA_PARTITIONS: positiveInt(6),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(-1).default(-1),
  KAFKA_GROUP_ID: z.string().min(1).default('implication-writers'),
  /** How long the group waits for a silent worker before giving its partitions to another. */
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).max(300_000).default(30_000),
  IMPLICATION_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Key of the pseudonyms in per-person lists; generated under DATA_DIR when unset. */
  IMPLICATION_PSEUDONYM_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Simulate the `demo` org on a start with an empty store (`npm start` sets 1). */
  IMPLICATION_DEMO: z
    .enum(['0', '1', 'true', 'false'], { error: 'must be 0, 1, true or false' })
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  MAX_BODY_BYTES: positiveInt(10 * 1024 * 1024),
  MAX_EVENTS_PER_REQUEST: positiveInt(50_000),
  /** Largest export accepted by the history import upload (POST /v1/orgs/:org/imports/:source). */
  IMPORT_MAX_BYTES: positiveInt(200 * 1024 * 1024),
  SINK_FLUSH_ROWS: positiveInt(20_000),
  SINK_FLUSH_MS: positiveInt(50),
  SINK_MAX_BUFFERED_ROWS: positiveInt(200_000),
  // --- The rejected store's cap per org (ingest/rejected-store.ts): past either bound, the org's
  // oldest refusals are deleted (down to 90% of the cap) and counted as dropped (ingest status
  // `rejected_dropped`, /metrics implication_rejected_dropped_total). Every refused line is still
  // named in the answer to its request. ---
  /** Refusals kept per org: 100,000, ten days of a sender refusing 7 lines a minute, all of it a
   * few MiB of index; the trim's window query over them takes well under a second. */
  REJECTED_MAX_ROWS_PER_ORG: positiveInt(100_000),
  /** Bytes of raw text kept per org: 256 MiB, 25 refused bodies of the largest size
   * (MAX_BODY_BYTES), or 100,000 refusals of 2.6 KiB: large garbage cannot fill the disk. */
  REJECTED_MAX_BYTES_PER_ORG: positiveInt(256 * 1024 * 1024),
  // --- Hardening: rate limits, CORS, body limits, per-query engine limits ---
  /** Requests per minute per token (per client address before authentication); 0 turns it off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  /** … for ingest and admin tokens, which send events and rosters in bulk; 0 turns it off. */
  RATE_LIMIT_INGEST_PER_MINUTE: z.coerce.number().int().min(0).default(12_000),
  /** Origins allowed to call the API from a browser (CORS), comma-separated; unset: no CORS. */
  CORS_ORIGINS: z
    .string()
    .regex(
      /^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/,
      'must be origins like https://a.example,https://b.example',
    )
    .optional(),
  /** Largest body of the routes other than events and roster (settings, tokens). */
  API_BODY_LIMIT_BYTES: positiveInt(1024 * 1024),
  /** ClickHouse max_execution_time of each analytics or export query, in seconds (else 504). */
  QUERY_MAX_EXECUTION_SECONDS: positiveInt(30),
  /** ClickHouse max_memory_usage of each analytics or export query, in bytes (else 503). */
  QUERY_MAX_MEMORY_BYTES: positiveInt(2 * 1024 * 1024 * 1024),
  // --- Slow clients: how long a connection may take to say what it wants ---
  // A client that trickles its request holds a socket and a parser; these bounds close it. They
  // must leave room for a real upload: the largest bodies are MAX_BODY_BYTES (10 MiB of events)
  // and IMPORT_MAX_BYTES (200 MiB of history export) sent over a slow office or VPN link.
  /** The request line and headers must be in within this (Node's headersTimeout): 10 s is ample
   * for a few KiB of headers on any link, and bounds the classic header trickle. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** A body must keep up at least this average rate once HTTP_BODY_GRACE_MS has passed, else
   * 408 and the connection is closed. 16 KiB/s (128 kbit/s) is below any working link, far above
   * a trickle: 10 MiB of events may take up to 11 min at that pace, a trickle of 10 bytes/s is
   * closed after the grace. 0 turns the rate check off. */
  HTTP_BODY_MIN_BYTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(0)
    .default(16 * 1024),
  /** Time a body is given before the minimum rate applies (a small body on a slow start). */
  HTTP_BODY_GRACE_MS: z.coerce.number().int().min(100).default(10_000),
  /** The whole request, headers and body, must be in within this (Node's requestTimeout), else
   * 408. 15 min lets a full 200 MiB import through at 2 Mbit/s (230 KiB/s); slower links should
   * use `implication import` on the server, or raise this. Answers are not bound by it. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(15 * 60_000),
  /** A socket with no byte either way for this long is closed (fastify connectionTimeout). Must
   * exceed the longest answer's silent time: QUERY_MAX_EXECUTION_SECONDS (30 s) per query, and an
   * export runs a few; 120 s. */
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  /** An idle keep-alive connection is closed after this (fastify keepAliveTimeout): 72 s, above
   * the 60 s idle timeout of common load balancers, so that they never reuse a closed socket. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(72_000),
  // --- end slow clients ---
  // --- end hardening ---
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Rollups
  /** Where metrics read: the rollups maintained at insert (default), or a scan of the raw events
   * (the benchmark's baseline; answers are the same). */
  IMPLICATION_METRICS_SOURCE: z.enum(['rollup', 'raw']).default('rollup'),
})

export type Config = z.infer<typeof configSchema>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses the environment; a bad value throws one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const result = configSchema.safeParse(clean)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const name = issue?.path.join('.') ?? 'environment'
  const shown = typeof clean[name] === 'string' && !/TOKEN|URL/.test(name) ? ` (got "${clean[name]}")` : ''
  throw new ConfigError(`invalid configuration: ${name} ${issue?.message ?? 'is invalid'}${shown}`)
}
