// Direct mode (no Kafka) under SIGKILL: a real `implication serve` on one DATA_DIR, several
// writers posting a sustained stream of unique events, the server killed mid-stream three times
// and restarted on the same data dir. Writers retry a batch that failed or got no answer, with
// the same ids. In the end every event answered 202 is stored, and none is counted twice.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createStore } from '../../server/clickhouse.ts'
import { adminToken } from '../helpers/app.ts'
import { type ServerProcess, sleep, spawnServer } from '../helpers/fault-harness.ts'

const org = 'crash-direct'
const writers = 4
const eventsPerBatch = 50
const kills = 3

const dataDir = mkdtempSync(path.join(tmpdir(), 'implication-crash-direct-'))
const servers: ServerProcess[] = []
afterAll(() => {
  for (const s of servers)
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

function start(n: number): ServerProcess {
  const server = spawnServer(`server-${n}`, 'all', {
    DATA_DIR: dataDir,
    KAFKA_BROKERS: '',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_INGEST_PER_MINUTE: '0',
  })
  servers.push(server)
  return server
}

function batch(writer: number, n: number): Record<string, unknown>[] {
  return Array.from({ length: eventsPerBatch }, (_, i) => ({
    id: `w${writer}-b${n}-e${i}`,
    type: i % 3 === 0 ? 'post.created' : 'content.viewed',
    ...(i % 3 === 0 ? {} : { feature: 'groups' }),
    time: new Date(Date.UTC(2025, 0, 6) + (n * eventsPerBatch + i) * 1000).toISOString(),
    org,
    actor: `person-${(writer * 7 + i) % 50}`,
  }))
}

interface Tally {
  acked: Set<string>
  /** Ids of batches sent again after an error or no answer: the only ones a raw row may repeat. */
  resent: Set<string>
  byStatus: Record<string, number>
}

/** One writer: batch after batch; a batch is sent again (same ids) until it is answered 202. */
async function writer(w: number, url: () => string | null, stopped: () => boolean, tally: Tally) {
  for (let n = 0; !stopped(); n++) {
    const events = batch(w, n)
    const body = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) for (const e of events) tally.resent.add(e.id as string)
      const target = url()
      if (!target) {
        await sleep(100)
        continue
      }
      let status = 'no answer'
      try {
        const res = await fetch(`${target}/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
          body,
          signal: AbortSignal.timeout(20_000),
        })
        status = String(res.status)
        const answer = (await res.json()) as { accepted?: number }
        if (res.status === 202 && answer.accepted === events.length) {
          for (const e of events) tally.acked.add(e.id as string)
          tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1
          break
        }
      } catch {
        // Killed mid-request, connection refused while restarting: sent again below.
      }
      tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1
      await sleep(100)
    }
  }
}

describe('direct mode, server killed three times mid-stream', () => {
  it('stores every acknowledged event, none twice', async () => {
    const tally: Tally = { acked: new Set(), resent: new Set(), byStatus: {} }
    let current: string | null = null
    let stopping = false

    let server = start(0)
    current = await server.url
    const running = Array.from({ length: writers }, (_, w) =>
      writer(
        w,
        () => current,
        () => stopping,
        tally,
      ),
    )

    const ackedAtKill: number[] = []
    for (let k = 1; k <= kills; k++) {
      // Let the stream run: at least a few more batches acknowledged, then kill mid-stream.
      const before = tally.acked.size
      const deadline = Date.now() + 30_000
      while (tally.acked.size < before + writers * eventsPerBatch * 15 && Date.now() < deadline)
        await sleep(50)
      await sleep(Math.floor(Math.random() * 300))
      ackedAtKill.push(tally.acked.size)
      server.child.kill('SIGKILL')
      current = null
      const death = await server.exited
      expect(death.signal, server.stderr().slice(-2000)).toBe('SIGKILL')
      // The engine's lock on the data dir goes with the process: only then a new one starts.
      server = start(k)
      current = await server.url
    }

    // A little more after the last restart, then every writer finishes its batch in hand.
    const after = tally.acked.size
    while (tally.acked.size < after + writers * eventsPerBatch * 15) await sleep(50)
    stopping = true
    await Promise.all(running)
    server.child.kill('SIGTERM')
    expect((await server.exited).code, server.stderr().slice(-2000)).toBe(0)

    // The store is free again: read it from here, raw rows included.
    const store = await createStore({ DATA_DIR: dataDir, CLICKHOUSE_URL: undefined })
    try {
      const ids = await store.client.query({
        query: 'SELECT id, count() AS n FROM events WHERE org = {org:String} GROUP BY id',
        query_params: { org },
        format: 'JSONCompactEachRow',
      })
      const rawById = new Map((await ids.json<[string, string]>()).map(([id, n]) => [id, Number(n)]))
      const totals = await store.client.query({
        query: `SELECT count() AS raw, uniqExact(source, id) AS distinct,
                       (SELECT count() FROM events FINAL WHERE org = {org:String}) AS final
                FROM events WHERE org = {org:String}`,
        query_params: { org },
        format: 'JSONEachRow',
      })
      const [row] = await totals.json<{ raw: string; distinct: string; final: string }>()
      const raw = Number(row!.raw)
      const distinct = Number(row!.distinct)
      const final = Number(row!.final)
      const missing = [...tally.acked].filter((id) => !rawById.has(id))
      const repeated = [...rawById].filter(([, n]) => n > 1).map(([id]) => id)
      const figures = {
        acknowledged: tally.acked.size,
        ackedAtKill,
        stored: distinct,
        final,
        rawRows: raw,
        rawRepeats: repeated.length,
        storedWithoutAck: [...rawById.keys()].filter((id) => !tally.acked.has(id)).length,
        byStatus: tally.byStatus,
      }
      console.log(`crash-direct: ${JSON.stringify(figures)}`)

      expect(tally.acked.size).toBeGreaterThan(writers * eventsPerBatch * 15 * (kills + 1) - 1)
      expect(missing.slice(0, 10), 'acknowledged but not stored').toEqual([])
      // Counted once: the table as the metrics read it holds each event one time.
      expect(final).toBe(distinct)
      // Every writer finished its last batch: everything stored was acknowledged in the end.
      expect(distinct).toBe(tally.acked.size)
      // A raw row twice only for a batch that was sent again because its answer never came.
      expect(repeated.filter((id) => !tally.resent.has(id)).slice(0, 10)).toEqual([])
    } finally {
      await store.close()
    }
  }, 110_000)
})
