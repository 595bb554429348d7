// GET /metrics in the Prometheus text format (0.0.4): a small registry of counters, gauges and
// histograms, fed by the ingest answers, the sinks, the Kafka worker and the response hook; the
// consumer lag is read from Kafka when scraped (cached a few seconds).
import type { FastifyInstance } from 'fastify'
import type { PartitionLag } from '../ingest/kafka/queue.ts'

type Labels = Record<string, string>

const labelKey = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',')

const series = (name: string, labelText: string, value: number) =>
  `${name}${labelText ? `{${labelText}}` : ''} ${Number.isFinite(value) ? value : 0}`

interface Family {
  render(): string[]
}

export class Counter implements Family {
  private readonly values = new Map<string, number>()
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels)
    this.values.set(key, (this.values.get(key) ?? 0) + by)
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0
  }
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} counter`,
      ...[...this.values].map(([key, value]) => series(this.name, key, value)),
    ]
  }
}

/** A gauge whose values are read when scraped. */
export class Gauge implements Family {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Array<[Labels, number]>,
  ) {}
  render(): string[] {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      ...this.read().map(([labels, value]) => series(this.name, labelKey(labels), value)),
    ]
  }
}

export class Histogram implements Family {
  private readonly data = new Map<string, { buckets: number[]; sum: number; count: number }>()
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const key = labelKey(labels)
    let entry = this.data.get(key)
    if (!entry) {
      entry = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }
      this.data.set(key, entry)
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]!) entry.buckets[i]!++
    entry.sum += value
    entry.count++
  }
  count(labels: Labels = {}): number {
    return this.data.get(labelKey(labels))?.count ?? 0
  }
  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`]
    for (const [key, entry] of this.data) {
      const withLe = (le: string) => (key ? `${key},le="${le}"` : `le="${le}"`)
      this.bounds.forEach((bound, i) => {
        lines.push(series(`${this.name}_bucket`, withLe(String(bound)), entry.buckets[i]!))
      })
      lines.push(series(`${this.name}_bucket`, withLe('+Inf'), entry.count))
      lines.push(series(`${this.name}_sum`, key, entry.sum))
      lines.push(series(`${this.name}_count`, key, entry.count))
    }
    return lines
  }
}

const secondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
const sizeBuckets = [1, 10, 100, 500, 1_000, 5_000, 10_000, 20_000, 50_000, 100_000]

/** Where the consumer lag comes from (the Kafka admin), when this process knows a consumer group. */
export type LagSource = () => Promise<PartitionLag[]>

/** The process's instruments; one per runtime, handed to the parts that feed it. */
export class Observability {
  readonly eventsAccepted = new Counter(
    'implication_events_accepted_total',
    'Events answered 202 (handed to the sink and durable there).',
  )
  readonly eventsRefused = new Counter(
    'implication_events_refused_total',
    'Events refused by validation (kept in the rejected store).',
  )
  readonly ingestRequests = new Counter(
    'implication_ingest_requests_total',
    'POST /v1/events answers by status code (503: the sink could not take the events).',
  )
  readonly sinkBatchEvents = new Histogram(
    'implication_sink_batch_events',
    'Events per batch handed to the sink (one accepted request) or inserted by a Kafka worker.',
    sizeBuckets,
  )
  readonly insertSeconds = new Histogram(
    'implication_insert_duration_seconds',
    'Time to insert one batch into ClickHouse, by writer (direct sink or Kafka worker).',
    secondsBuckets,
  )
  readonly insertFailures = new Counter(
    'implication_insert_failures_total',
    'Inserts that ClickHouse refused (the worker retries them without committing).',
  )
  readonly workerStored = new Counter(
    'implication_worker_events_stored_total',
    'Events the Kafka worker stored and committed.',
  )
  readonly queryLatency = new Histogram(
    'implication_query_duration_seconds',
    'Time to answer a metric or export request, by metric name.',
    secondsBuckets,
  )
  readonly httpRequests = new Counter('implication_http_requests_total', 'HTTP answers by route and status.')
  readonly rejectedDropped = new Counter(
    'implication_rejected_dropped_total',
    "Refusals this process deleted from an org's rejected store to keep it within its cap (oldest first; each was reported to its sender).",
  )
  private lagSource: LagSource | null = null
  private lagCache: { at: number; value: PartitionLag[] | null; error: string | null } | null = null
  private readonly families: Family[]

  constructor(private readonly lagCacheMs = 5_000) {
    this.families = [
      this.eventsAccepted,
      this.eventsRefused,
      this.ingestRequests,
      this.sinkBatchEvents,
      this.insertSeconds,
      this.insertFailures,
      this.workerStored,
      this.queryLatency,
      this.httpRequests,
      this.rejectedDropped,
      new Gauge('process_resident_memory_bytes', 'Resident memory of the process.', () => [
        [{}, process.memoryUsage().rss],
      ]),
      new Gauge('nodejs_heap_used_bytes', 'V8 heap in use.', () => [[{}, process.memoryUsage().heapUsed]]),
      new Gauge('nodejs_external_memory_bytes', 'Memory held outside the V8 heap (buffers).', () => [
        [{}, process.memoryUsage().external],
      ]),
      new Gauge('process_uptime_seconds', 'Seconds since the process started.', () => [
        [{}, process.uptime()],
      ]),
    ]
  }

  /** The consumer-group lag is reported once a source is set (processes that know Kafka). */
  setLagSource(source: LagSource): void {
    this.lagSource = source
  }

  private async lag(): Promise<{ value: PartitionLag[] | null; error: string | null }> {
    if (!this.lagSource) return { value: null, error: null }
    if (this.lagCache && Date.now() - this.lagCache.at < this.lagCacheMs) return this.lagCache
    try {
      this.lagCache = { at: Date.now(), value: await this.lagSource(), error: null }
    } catch (err) {
      this.lagCache = { at: Date.now(), value: null, error: (err as Error).message }
    }
    return this.lagCache
  }

  async render(): Promise<string> {
    const lines = this.families.flatMap((f) => f.render())
    if (this.lagSource) {
      const { value } = await this.lag()
      lines.push(
        '# HELP implication_kafka_consumer_lag Messages not yet committed by the worker group, per partition.',
        '# TYPE implication_kafka_consumer_lag gauge',
        ...(value ?? []).map((p) =>
          series('implication_kafka_consumer_lag', labelKey({ partition: String(p.partition) }), p.lag),
        ),
        '# HELP implication_kafka_lag_up 1 when the lag could be read from Kafka at the last scrape.',
        '# TYPE implication_kafka_lag_up gauge',
        series('implication_kafka_lag_up', '', value ? 1 : 0),
      )
    }
    return `${lines.join('\n')}\n`
  }
}

/**
 * Feeds the instruments from the HTTP answers (ingest counts from the 202 body, latency of metric
 * and export routes by name), echoes the request id, and serves GET /metrics (admin tokens).
 */
export function installObservability(app: FastifyInstance, observability: Observability): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id)
    const route = request.routeOptions.url
    if (request.method === 'POST' && route === '/v1/events') {
      observability.ingestRequests.inc({ status: String(reply.statusCode) })
      if (reply.statusCode === 202 && typeof payload === 'string') {
        try {
          const body = JSON.parse(payload) as { accepted?: number; rejected?: number }
          if (body.accepted) {
            observability.eventsAccepted.inc({}, body.accepted)
            observability.sinkBatchEvents.observe(body.accepted, { writer: 'ingest' })
          }
          if (body.rejected) observability.eventsRefused.inc({}, body.rejected)
        } catch {
          // Not our JSON answer: nothing to count.
        }
      }
    }
    return payload
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url
    if (!route) return
    observability.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) })
    // One route per metric (…/metrics/adoption) or a parameter (…/exports/:report): label by name.
    const named = /^\/v1\/orgs\/:org\/(?:metrics|exports)\/([^/]+)$/.exec(route)
    if (named) {
      const part = named[1]!
      const params = (request.params ?? {}) as Record<string, string | undefined>
      // A parameter's value is a label only when the route took it (no label per typo).
      const metric = !part.startsWith(':')
        ? part
        : reply.statusCode < 400
          ? (params[part.slice(1)] ?? 'unknown')
          : 'invalid'
      observability.queryLatency.observe(reply.elapsedTime / 1000, { metric })
    }
  })

  app.get(
    '/metrics',
    {
      schema: { summary: 'Prometheus metrics of this process', tags: ['operations'] },
    },
    async (_request, reply) =>
      reply.type('text/plain; version=0.0.4; charset=utf-8').send(await observability.render()),
  )
}
