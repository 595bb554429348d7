// The Kafka path on a real broker and the real engine: HTTP → producer (acks=all) → topic →
// consumer group → ClickHouse; deduplication across paths; poison messages.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DirectSink } from '../../ingest/direct-sink.ts'
import type { EventWriterWorker } from '../../ingest/kafka/event-writer-worker.ts'
import { createKafkajsQueue } from '../../ingest/kafka/kafkajs-queue.ts'
import { buildApp } from '../../server/app.ts'
import { auth, countStored, ndjson, startTestApp, type TestApp } from '../helpers/app.ts'
import { badLines, validEvents } from '../helpers/events.ts'
import { describeWithKafka, kafkaBrokers, uniqueTopic, waitFor } from '../helpers/kafka.ts'

describeWithKafka('Kafka pipeline on a real broker', () => {
  const { topic, group } = uniqueTopic('pipeline')
  let t: TestApp
  let worker: EventWriterWorker

  beforeAll(async () => {
    t = await startTestApp({
      KAFKA_BROKERS: kafkaBrokers!,
      KAFKA_TOPIC: topic,
      KAFKA_GROUP_ID: group,
      KAFKA_PARTITIONS: '4',
    })
    worker = t.runtime.worker!
  })
  afterAll(() => t?.close())

  const post = (body: string) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: body,
    })

  it('makes accepted events visible in ClickHouse, refused ones in the rejected store', async () => {
    const lines = [
      ...validEvents('kafka-org', 1000).map((e) => JSON.stringify(e)),
      ...badLines('kafka-org').map((b) => b.line),
    ]
    const res = await post(ndjson(lines))
    expect(res.statusCode).toBe(202)
    expect(res.json()).toMatchObject({ accepted: 1000, rejected: 10 })
    await waitFor(
      '1,000 events stored',
      () => countStored(t.runtime, 'kafka-org'),
      (c) => c.final === 1000,
    )
    expect(await countStored(t.runtime, 'kafka-org')).toEqual({ final: 1000, distinct: 1000 })
  })

  it('counts the same 1,000 once when sent again through Kafka and a third time directly', async () => {
    const body = ndjson(validEvents('kafka-org', 1000))
    const storedBefore = worker.stats.stored
    expect((await post(body)).json().accepted).toBe(1000)
    await waitFor(
      'the resent batch consumed',
      async () => worker.stats.stored,
      (n) => n >= storedBefore + 1000,
    )

    const direct = new DirectSink(t.runtime.store.client, {
      flushRows: 10_000,
      flushMs: 20,
      maxBufferedRows: 100_000,
    })
    const directApp = await buildApp({ ...t.runtime, sink: direct, logger: false })
    const res = await directApp.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { ...auth(), 'content-type': 'application/x-ndjson' },
      payload: body,
    })
    expect(res.json().accepted).toBe(1000)
    await directApp.close()
    await direct.close()
    expect(await countStored(t.runtime, 'kafka-org')).toEqual({ final: 1000, distinct: 1000 })
    const status = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/kafka-org/ingest/status',
      headers: auth(),
    })
    expect(status.json().stored_events).toBe(1000)
  })

  it('sends a poison message to the rejected store and goes on with the partition', async () => {
    const queue = createKafkajsQueue({ brokers: kafkaBrokers!.split(','), clientId: 'poison-test' })
    const producer = queue.producer()
    await producer.connect()
    const after = validEvents('poison-org', 1, 'after')[0]!
    // Same key, so the poison and the good event share a partition, poison first.
    await producer.send(topic, [
      { key: 'poison-org/x', value: '{"org":"poison-org","id":"p1","type":"post.created"' },
      { key: 'poison-org/x', value: '{"org":"poison-org","id":"p2"}' },
    ])
    await producer.disconnect()
    const res = await post(ndjson([{ ...after, actor: 'x' }]))
    expect(res.json().accepted).toBe(1)
    await waitFor(
      'the event after the poison',
      () => countStored(t.runtime, 'poison-org'),
      (c) => c.final === 1,
    )
    const rejected = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/poison-org/rejected',
      headers: auth(),
    })
    expect(rejected.json().rejected).toHaveLength(1)
    expect(rejected.json().rejected[0]).toMatchObject({
      channel: 'kafka',
      raw: '{"org":"poison-org","id":"p2"}',
    })
    const unassigned = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/_unassigned/rejected',
      headers: auth(),
    })
    expect(unassigned.json().rejected.map((r: { raw: string }) => r.raw)).toContain(
      '{"org":"poison-org","id":"p1","type":"post.created"',
    )
  })

  it('reports Kafka in /readyz', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.json()).toMatchObject({ status: 'ready', sink: 'kafka' })
  })
})
