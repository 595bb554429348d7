// A real worker process killed (SIGKILL) after its insert and before its commit, or after its
// events went in and before their keys were recorded, then restarted: every event is stored
// exactly once (raw rows counted, not through FINAL).
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { KafkaSink } from '../../ingest/kafka/kafka-sink.ts'
import { createKafkajsQueue } from '../../ingest/kafka/kafkajs-queue.ts'
import { judgeEvent, type StoredEvent } from '../../schemas/event.ts'
import { createStore } from '../../server/clickhouse.ts'
import { adminToken } from '../helpers/app.ts'
import { validEvents } from '../helpers/events.ts'
import { describeWithKafka, kafkaBrokers, uniqueTopic, waitFor } from '../helpers/kafka.ts'

const cli = path.resolve(import.meta.dirname, '../../server/cli.ts')
/** The same server, with a worker that SIGKILLs itself after its first insert. */
const crashingServer = path.resolve(import.meta.dirname, '../helpers/crashing-worker.ts')

interface Worker {
  child: ChildProcess
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  address: Promise<string>
  stderr: () => string
}

function startWorker(env: Record<string, string>, entry = cli): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'serve', '--role', 'all'], {
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn', IMPLICATION_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let err = ''
  const address = new Promise<string>((resolve) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(err)
      if (match) resolve(match[1]!)
    })
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return { child, exited, address, stderr: () => err }
}

for (const { crashAt, when } of [
  { crashAt: 'commit', when: 'between insert and commit' },
  { crashAt: 'keys', when: 'between the insert and the recording of the keys' },
])
  describeWithKafka(`Kafka worker crash ${when}`, () => {
    const { topic, group } = uniqueTopic(`crash-${crashAt}`)
    const dataDir = mkdtempSync(path.join(tmpdir(), 'implication-crash-'))
    const workers: Worker[] = []
    afterAll(() => {
      for (const w of workers) w.child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    })

    it('stores exactly N events, none lost, none doubled', async () => {
      const N = 3000
      const env = {
        DATA_DIR: dataDir,
        KAFKA_BROKERS: kafkaBrokers!,
        KAFKA_TOPIC: topic,
        KAFKA_GROUP_ID: group,
        KAFKA_PARTITIONS: '3',
        KAFKA_SESSION_TIMEOUT_MS: '6000',
      }
      const sink = new KafkaSink(
        createKafkajsQueue({ brokers: kafkaBrokers!.split(','), clientId: 'crash-test' }),
        {
          topic,
          partitions: 3,
          replicationFactor: -1,
        },
      )
      await sink.start()
      const now = new Date()
      const events = validEvents('crash-org', N).map(
        (e) => (judgeEvent(e, { now, defaultSource: 'test' }) as { event: StoredEvent }).event,
      )
      await sink.write(events)
      await sink.close()

      // First worker: dies by SIGKILL right after its first insert, before committing the offsets.
      const doomed = startWorker({ ...env, CRASH_AT: crashAt }, crashingServer)
      workers.push(doomed)
      const death = await doomed.exited
      expect(death.signal, doomed.stderr()).toBe('SIGKILL')

      // Second worker on the same store and group: re-reads the uncommitted batch and goes on.
      const survivor = startWorker(env)
      workers.push(survivor)
      const url = await survivor.address
      await waitFor(
        'all events stored by the restarted worker',
        async () => {
          const res = await fetch(`${url}/v1/orgs/crash-org/ingest/status`, {
            headers: { authorization: `Bearer ${adminToken}` },
          })
          return ((await res.json()) as { stored_events: number }).stored_events
        },
        (n) => n >= N,
      )
      survivor.child.kill('SIGTERM')
      expect((await survivor.exited).code).toBe(0)

      // The store is free again: count what is really there, raw rows included.
      const store = await createStore({ DATA_DIR: dataDir, CLICKHOUSE_URL: undefined })
      const result = await store.client.query({
        query: `SELECT count() AS raw, uniqExact(source, id) AS distinct,
                     (SELECT count() FROM events FINAL WHERE org = 'crash-org') AS final
              FROM events WHERE org = 'crash-org'`,
        format: 'JSONEachRow',
      })
      const [row] = await result.json<{ raw: string; distinct: string; final: string }>()
      await store.close()
      expect({ raw: Number(row!.raw), distinct: Number(row!.distinct), final: Number(row!.final) }).toEqual({
        raw: N,
        distinct: N,
        final: N,
      })
    })
  })
