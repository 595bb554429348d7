// Per-worker throughput, the figure behind docs/SCALE-OUT.md's capacity table: a topic is filled
// with N accepted events, then ONE worker (embedded chDB, this process) drains it into the store,
// timed from its start to the last commit. `npx tsx bench/worker-throughput.ts [--events N]`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { EventWriterWorker } from '../ingest/kafka/event-writer-worker.ts'
import { KafkaSink } from '../ingest/kafka/kafka-sink.ts'
import { createKafkajsQueue } from '../ingest/kafka/kafkajs-queue.ts'
import { RejectedStore } from '../ingest/rejected-store.ts'
import { judgeEvent, type StoredEvent } from '../schemas/event.ts'
import { createStore } from '../server/clickhouse.ts'
import { migrate } from '../server/migrate.ts'
import { acquireBroker } from './kafka.ts'

const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' } } })
const total = Number(values.events)
const partitions = 4
const log = (line: string) => console.error(line)

const broker = await acquireBroker(log)
if (!broker) process.exit(2)
const topic = `worker-bench-${Date.now()}`
const queue = createKafkajsQueue({ brokers: broker.brokers.split(','), clientId: 'worker-bench' })
const sink = new KafkaSink(queue, { topic, partitions, replicationFactor: -1 })
await sink.start()
const now = new Date()
const chunk = 5_000
for (let sent = 0; sent < total; sent += chunk) {
  const events: StoredEvent[] = []
  for (let i = sent; i < Math.min(total, sent + chunk); i++) {
    const judged = judgeEvent(
      {
        id: `w-${i}`,
        type: i % 3 === 0 ? 'post.created' : 'content.viewed',
        ...(i % 3 === 0 ? {} : { feature: 'groups' }),
        time: new Date(Date.UTC(2025, 0, 6) + i * 1_000).toISOString(),
        org: 'bench-org',
        actor: `person-${i % 2_000}`,
        space: `space-${i % 40}`,
      },
      { now, defaultSource: 'bench' },
    ) as { event: StoredEvent }
    events.push(judged.event)
  }
  await sink.write(events)
  process.stderr.write(`\rfilled ${Math.min(total, sent + chunk)}/${total}`)
}
await sink.close()
process.stderr.write('\n')

const dataDir = mkdtempSync(path.join(tmpdir(), 'implication-worker-bench-'))
const store = await createStore({ DATA_DIR: dataDir, CLICKHOUSE_URL: undefined })
await migrate(store.client)
const worker = new EventWriterWorker(
  createKafkajsQueue({ brokers: broker.brokers.split(','), clientId: 'wb' }),
  store.client,
  new RejectedStore(store.client),
  {
    topic,
    groupId: `${topic}-group`,
  },
)
const started = performance.now()
const cpuStart = process.cpuUsage()
await worker.start()
while (worker.stats.stored < total) {
  await new Promise((resolve) => setTimeout(resolve, 100))
  process.stderr.write(`\rstored ${worker.stats.stored}/${total}`)
}
const seconds = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuStart)
process.stderr.write('\n')
await worker.stop()
await store.close()
rmSync(dataDir, { recursive: true, force: true })
await broker.stop()
console.log(
  JSON.stringify({
    events: total,
    partitions,
    batches: worker.stats.batches,
    seconds: Number(seconds.toFixed(2)),
    events_per_second: Math.round(total / seconds),
    worker_cpu_seconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
    loadavg: (await import('node:os')).loadavg().map((l) => l.toFixed(1)),
  }),
)
