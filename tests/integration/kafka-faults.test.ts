// Fault tests on real brokers: a 3-node Kafka cluster (replication factor 3, min in-sync replicas
// 2) started here by scripts/kafka.ts, the API and workers as real processes sharing one store
// (chDB behind the ClickHouse HTTP interface, see tests/helpers/chdb-http-server.ts). Each test
// ingests at a steady rate while something breaks, then compares, id by id, what was answered 202
// with what ClickHouse holds: nothing missing, nothing stored twice (raw rows, merges stopped).
// IMPLICATION_SOAK_SECONDS sets the soak's length (default 150).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createStore, type Store } from '../../server/clickhouse.ts'
import { migrate } from '../../server/migrate.ts'
import { adminToken } from '../helpers/app.ts'
import { type ChdbHttpServer, startChdbHttpServer } from '../helpers/chdb-http-server.ts'
import {
  clusterStateDir,
  crashingServer,
  describeWithKafkaCluster,
  type KafkaScript,
  kafkaScript,
  reconcile,
  type ServerProcess,
  SteadyIngest,
  scrape,
  sleep,
  spawnServer,
  stderrTails,
} from '../helpers/fault-harness.ts'

const soakSeconds = Number(process.env.IMPLICATION_SOAK_SECONDS ?? 150)
const log = (line: string) => console.error(`[faults] ${line}`)

describeWithKafkaCluster('pipeline under faults (3 brokers, RF 3, min ISR 2)', () => {
  let kafka: KafkaScript
  let brokers: string
  let store: Store
  let http: ChdbHttpServer
  let dataDir: string
  const processes: ServerProcess[] = []

  beforeAll(async () => {
    kafka = await kafkaScript()
    dataDir = mkdtempSync(path.join(tmpdir(), 'implication-faults-'))
    store = await createStore({ DATA_DIR: dataDir, CLICKHOUSE_URL: undefined })
    await migrate(store.client)
    // Merges would fold duplicates away before we count them: counted raw, they must be zero. With
    // merges stopped, the many small parts must not slow inserts down (parts_to_delay_insert).
    await store.client.command({ query: 'SYSTEM STOP MERGES events' })
    await store.client.command({
      query: 'ALTER TABLE events MODIFY SETTING parts_to_delay_insert = 50000, parts_to_throw_insert = 50000',
    })
    http = await startChdbHttpServer(store.client)
    // Three JVMs starting beside other suites can miss the script's 90 s readiness wait once.
    const start = () => kafka.startKafka({ nodes: 3, stateDir: clusterStateDir, log })
    ;({ brokers } = await start().catch((err: Error) => {
      log(`cluster start failed (${err.message.split('\n')[0]}); trying once more`)
      return start()
    }))
  }, 540_000)

  afterEach(async () => {
    for (const p of processes.splice(0)) p.child.kill('SIGKILL')
  })

  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL')
    await kafka?.stopKafka({ stateDir: clusterStateDir, log })
    await http?.close()
    await store?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 120_000)

  /** Logs a test's figures; with the processes' last words when something is missing or doubled. */
  function report(name: string, figures: { missing: string[]; doubled: string[] } & Record<string, unknown>) {
    const bad = figures.missing.length > 0 || figures.doubled.length > 0
    log(`${name}: ${JSON.stringify(figures)}${bad ? `\n${stderrTails(processes)}` : ''}`)
  }

  /** Each test its own topic, group and org, on the shared cluster and store. */
  function scenario(name: string, extra: Record<string, string> = {}) {
    // A cluster left running by an interrupted run is reused: names must not meet its topics.
    const run = `${name}-${Date.now().toString(36)}`
    const org = `f-${name}`
    const env = {
      CLICKHOUSE_URL: `${http.url}/`,
      KAFKA_BROKERS: brokers,
      KAFKA_TOPIC: `faults-${run}`,
      KAFKA_GROUP_ID: `faults-${run}`,
      KAFKA_PARTITIONS: '4',
      KAFKA_REPLICATION_FACTOR: '3',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      DATA_DIR: path.join(dataDir, name),
      ...extra,
    }
    const start = (
      label: string,
      role: 'api' | 'worker' | 'all',
      more: Record<string, string> = {},
      entry?: string,
    ) => {
      const p = spawnServer(label, role, { ...env, ...more }, entry)
      processes.push(p)
      return p
    }
    return { org, env, start }
  }

  it('a broker killed during steady ingest and restarted: every 202 stored exactly once', async () => {
    const { org, start } = scenario('broker')
    const api = start('api', 'api')
    const workers = [start('worker-1', 'worker'), start('worker-2', 'worker')]
    const url = await api.url
    await Promise.all(workers.map((w) => w.url))
    const load = new SteadyIngest(() => url, org, { requestsPerSecond: 5, eventsPerRequest: 40 })
    load.start()
    await sleep(5_000)
    log('killing broker 1 (SIGKILL)')
    await kafka.stopKafkaNode(1, { stateDir: clusterStateDir, log })
    await sleep(8_000)
    await kafka.startKafkaNode(1, { stateDir: clusterStateDir, log })
    await sleep(3_000)
    const tally = await load.stop()
    const result = await reconcile(store.client, org, tally.acked)
    report('broker kill', { byStatus: tally.byStatus, ...result })
    expect(tally.acked.size).toBeGreaterThan(500)
    expect(result.missing).toEqual([])
    expect(result.doubled).toEqual([])
    expect(result.storedFinal).toBe(result.stored)
  }, 420_000)

  it('a worker SIGKILLed mid-batch, a worker added, one removed, another killed: no loss, no duplicate', async () => {
    const { org, start } = scenario('workers')
    const api = start('api', 'api')
    // Dies by SIGKILL right after its first insert, before the commit.
    const doomed = start('worker-doomed', 'worker', {}, crashingServer)
    const steady = start('worker-2', 'worker')
    const url = await api.url
    await steady.url
    const load = new SteadyIngest(() => url, org, { requestsPerSecond: 5, eventsPerRequest: 40 })
    load.start()
    expect((await doomed.exited).signal).toBe('SIGKILL')
    log('worker killed between insert and commit; adding worker-3')
    const added = start('worker-3', 'worker')
    await added.url
    await sleep(6_000)
    log('removing worker-2 (SIGTERM: drains and commits)')
    steady.child.kill('SIGTERM')
    expect((await steady.exited).code).toBe(0)
    const last = start('worker-4', 'worker')
    await last.url
    await sleep(3_000 + Math.random() * 2_000)
    log('killing worker-3 (SIGKILL) under load')
    added.child.kill('SIGKILL')
    await sleep(8_000)
    const tally = await load.stop()
    const result = await reconcile(store.client, org, tally.acked)
    report('workers', { byStatus: tally.byStatus, ...result })
    expect(tally.acked.size).toBeGreaterThan(500)
    expect(result.missing).toEqual([])
    expect(result.doubled).toEqual([])
  }, 240_000)

  it('the store refusing writes: the worker pauses without committing, lag grows, then it catches up', async () => {
    const { org, start } = scenario('store')
    const api = start('api', 'api')
    const worker = start('worker-1', 'worker')
    const [url, workerUrl] = await Promise.all([api.url, worker.url])
    const load = new SteadyIngest(() => url, org, { requestsPerSecond: 5, eventsPerRequest: 50 })
    load.start()
    await sleep(4_000)
    // An engine-side refusal: every insert into events now fails with TOO_MANY_PARTS.
    await store.client.command({ query: 'ALTER TABLE events MODIFY SETTING max_parts_in_total = 1' })
    log('events table refuses inserts')
    await sleep(3_000)
    const storedWhenRefused = (await reconcileNow(org)).stored
    const lag1 = await scrape(workerUrl, 'implication_kafka_consumer_lag')
    await sleep(8_000)
    const lag2 = await scrape(workerUrl, 'implication_kafka_consumer_lag')
    const storedLater = (await reconcileNow(org)).stored
    const failures = await scrape(workerUrl, 'implication_insert_failures_total')
    await store.client.command({ query: 'ALTER TABLE events MODIFY SETTING max_parts_in_total = 100000' })
    log(
      `store refusing: stored ${storedWhenRefused} → ${storedLater}, lag ${lag1} → ${lag2}, failures ${failures}`,
    )
    expect(storedLater).toBe(storedWhenRefused)
    expect(lag1).toBeGreaterThan(0)
    expect(lag2!).toBeGreaterThan(lag1!)
    expect(failures).toBeGreaterThan(0)
    await sleep(3_000)
    const tally = await load.stop()
    const result = await reconcile(store.client, org, tally.acked)
    report('store', { byStatus: tally.byStatus, ...result })
    expect(result.missing).toEqual([])
    expect(result.doubled).toEqual([])
    // Everything committed: the lag (read from Kafka, cached 5 s) comes back to 0.
    const lagDeadline = Date.now() + 60_000
    let lag = await scrape(workerUrl, 'implication_kafka_consumer_lag')
    while (lag !== 0 && Date.now() < lagDeadline) {
      await sleep(2_000)
      lag = await scrape(workerUrl, 'implication_kafka_consumer_lag')
    }
    expect(lag).toBe(0)
  }, 240_000)

  async function reconcileNow(org: string) {
    const r = await store.client.query({
      query: 'SELECT count() FROM events WHERE org = {org:String}',
      query_params: { org },
      format: 'JSONCompactEachRow',
    })
    const [[n] = ['0']] = await r.json<[string]>()
    return { stored: Number(n) }
  }

  it('Kafka unreachable: 503 with Retry-After and never a 202 it did not hand over; an API started meanwhile serves 503, then recovers', async () => {
    const { org, start } = scenario('unreachable')
    const api = start('api', 'api')
    const worker = start('worker-1', 'worker')
    const url = await api.url
    await worker.url
    const load = new SteadyIngest(() => url, org, { requestsPerSecond: 4, eventsPerRequest: 25 })
    load.start()
    await sleep(3_000)
    log('killing all three brokers')
    await Promise.all([1, 2, 3].map((id) => kafka.stopKafkaNode(id, { stateDir: clusterStateDir, log })))
    // A second API started while Kafka is down: it must serve, answering 503 on ingest.
    const late = start('api-late', 'api')
    const lateUrl = await late.url
    const ready = await fetch(`${lateUrl}/readyz`)
    expect(ready.status).toBe(503)
    const refused = await fetch(`${lateUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
      body: `${JSON.stringify({ id: 'late-0', type: 'post.created', time: '2025-01-06T09:00:00Z', org, actor: 'a' })}\n`,
    })
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    await sleep(12_000)
    log('restarting the brokers')
    // Three JVMs recovering at once on a busy machine may take longer than the script waits for
    // one node (90 s); the late API's /readyz below is the real wait.
    await Promise.all(
      [1, 2, 3].map((id) =>
        kafka
          .startKafkaNode(id, { stateDir: clusterStateDir, log })
          .catch((err: Error) => log(`node ${id} slow to come back: ${err.message.split('\n')[0]}`)),
      ),
    )
    // The late API connects by itself once Kafka is back.
    const deadline = Date.now() + 180_000
    while ((await fetch(`${lateUrl}/readyz`)).status !== 200 && Date.now() < deadline) await sleep(1_000)
    expect((await fetch(`${lateUrl}/readyz`)).status).toBe(200)
    const lateLoad = new SteadyIngest(() => lateUrl, org, {
      requestsPerSecond: 4,
      eventsPerRequest: 25,
      idPrefix: 'late-b',
    })
    lateLoad.start()
    await sleep(6_000)
    const [tally, lateTally] = await Promise.all([load.stop(), lateLoad.stop()])
    const acked = new Set([...tally.acked, ...lateTally.acked])
    const result = await reconcile(store.client, org, acked)
    report('unreachable', { byStatus: tally.byStatus, late: lateTally.byStatus, ...result })
    expect(tally.byStatus['503']).toBeGreaterThan(0)
    expect(tally.unavailableWithoutRetryAfter + lateTally.unavailableWithoutRetryAfter).toBe(0)
    expect(lateTally.byStatus['202']).toBeGreaterThan(0)
    expect(result.missing).toEqual([])
    expect(result.doubled).toEqual([])
  }, 540_000)

  it(
    `soak: steady ingest for ${soakSeconds}s while dashboards are queried; accepted = stored, memory bounded`,
    async () => {
      const { org, start } = scenario('soak')
      // Merges back on: a long run makes many parts. Duplicates are still looked for raw and FINAL.
      await store.client.command({ query: 'SYSTEM START MERGES events' })
      const api = start('api', 'api')
      const workers = [start('worker-1', 'worker'), start('worker-2', 'worker')]
      const url = await api.url
      const workerUrls = await Promise.all(workers.map((w) => w.url))
      const load = new SteadyIngest(() => url, org, { requestsPerSecond: 10, eventsPerRequest: 20 })
      load.start()
      const memory: Record<string, number[]> = { api: [], 'worker-1': [], 'worker-2': [] }
      const dashboard: Record<string, number> = {}
      const endAt = Date.now() + soakSeconds * 1_000
      let nextMemory = 0
      while (Date.now() < endAt) {
        for (const metric of ['summary', 'active-users', 'adoption']) {
          const res = await fetch(`${url}/v1/orgs/${org}/metrics/${metric}`, {
            headers: { authorization: `Bearer ${adminToken}` },
          })
          await res.arrayBuffer()
          dashboard[res.status] = (dashboard[res.status] ?? 0) + 1
        }
        if (Date.now() >= nextMemory) {
          nextMemory = Date.now() + 10_000
          const [a, w1, w2] = await Promise.all(
            [url, ...workerUrls].map((u) => scrape(u, 'process_resident_memory_bytes')),
          )
          memory.api!.push(a ?? 0)
          memory['worker-1']!.push(w1 ?? 0)
          memory['worker-2']!.push(w2 ?? 0)
        }
        await sleep(2_000)
      }
      const tally = await load.stop()
      const result = await reconcile(store.client, org, tally.acked)
      const mb = (n: number) => Math.round(n / 2 ** 20)
      log(
        `soak ${soakSeconds}s: ${JSON.stringify({ byStatus: tally.byStatus, dashboard, ...result })} rss MB ${JSON.stringify(
          Object.fromEntries(Object.entries(memory).map(([k, v]) => [k, v.map(mb)])),
        )}`,
      )
      expect(result.missing).toEqual([])
      expect(result.doubled).toEqual([])
      expect(result.storedFinal).toBe(result.acknowledged + result.storedWithoutAck)
      expect(Object.keys(dashboard)).toEqual(['200'])
      // Bounded memory: after warm-up (the first third), resident memory grows by less than half.
      for (const samples of Object.values(memory)) {
        const warm = Math.max(...samples.slice(0, Math.max(1, Math.floor(samples.length / 3))))
        expect(Math.max(...samples.slice(Math.floor(samples.length / 3)))).toBeLessThan(warm * 1.5)
      }
    },
    (soakSeconds + 240) * 1_000,
  )
})
