// The producer wrapper against a scripted client (the real brokers are in kafka-faults.test.ts):
// one partition per send, one send per partition in flight, a new client after any failure.
import { describe, expect, it } from 'vitest'
import { type ClientProducer, PartitionedProducer } from '../../../ingest/kafka/partitioned-producer.ts'
import type { QueueMessage } from '../../../ingest/kafka/queue.ts'

interface SentRequest {
  client: number
  topic: string
  partition: number
  keys: string[]
  finish(err?: Error): void
}

/** Clients whose sends wait until the test finishes them. */
function scriptedClients() {
  const sent: SentRequest[] = []
  let created = 0
  const disconnected: number[] = []
  const createClient = (): ClientProducer => {
    const client = ++created
    return {
      connect: async () => undefined,
      disconnect: async () => {
        disconnected.push(client)
      },
      send: (topic, partition, messages) =>
        new Promise<void>((resolve, reject) => {
          sent.push({
            client,
            topic,
            partition,
            keys: messages.map((m) => m.key),
            finish: (err) => (err ? reject(err) : resolve()),
          })
        }),
    }
  }
  return { sent, disconnected, createClient, created: () => created }
}

const message = (key: string): QueueMessage => ({ key, value: `v-${key}` })
// Keys name their partition: "p2-x" goes to partition 2.
const partitionOf = (key: string, count: number) => Number(key.slice(1, key.indexOf('-'))) % count
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

function producerWith(
  clients: ReturnType<typeof scriptedClients>,
  sendTimeoutMs = 5_000,
  maxGroupMessages?: number,
) {
  return new PartitionedProducer({
    createClient: clients.createClient,
    partitionCount: async () => 4,
    partitionOf,
    sendTimeoutMs,
    maxGroupMessages,
  })
}

describe('PartitionedProducer', () => {
  it('sends each partition its own request, and acknowledges a write once all its partitions are in', async () => {
    const clients = scriptedClients()
    const producer = producerWith(clients)
    await producer.connect()
    let acked = false
    const write = producer.send('t', [message('p0-a'), message('p1-b'), message('p0-c')]).then(() => {
      acked = true
    })
    await tick()
    expect(clients.sent.map((s) => [s.partition, s.keys])).toEqual([
      [0, ['p0-a', 'p0-c']],
      [1, ['p1-b']],
    ])
    clients.sent[0]!.finish()
    await tick()
    expect(acked).toBe(false)
    clients.sent[1]!.finish()
    await write
    expect(acked).toBe(true)
  })

  it('keeps one request per partition in flight; writes arriving meanwhile leave together', async () => {
    const clients = scriptedClients()
    const producer = producerWith(clients)
    await producer.connect()
    const first = producer.send('t', [message('p2-a')])
    await tick()
    const second = producer.send('t', [message('p2-b')])
    const third = producer.send('t', [message('p2-c'), message('p3-d')])
    await tick()
    // Partition 2 is busy with the first write; partition 3 is free.
    expect(clients.sent.map((s) => [s.partition, s.keys])).toEqual([
      [2, ['p2-a']],
      [3, ['p3-d']],
    ])
    clients.sent[0]!.finish()
    await first
    await tick()
    expect(clients.sent[2]).toMatchObject({ partition: 2, keys: ['p2-b', 'p2-c'] })
    clients.sent[1]!.finish()
    clients.sent[2]!.finish()
    await Promise.all([second, third])
  })

  it('fails the writes of a failed send and sends the next through a new client (new producer id)', async () => {
    const clients = scriptedClients()
    const producer = producerWith(clients)
    await producer.connect()
    const failing = producer.send('t', [message('p0-a')])
    const other = producer.send('t', [message('p1-b')])
    await tick()
    clients.sent[0]!.finish(new Error('connection closed'))
    await expect(failing).rejects.toThrow('connection closed')
    // The other partition's request was already in flight on the old client: it completes there,
    // and the old client is disconnected once nothing is in flight on it.
    expect(clients.disconnected).toEqual([])
    clients.sent[1]!.finish()
    await other
    expect(clients.disconnected).toEqual([1])
    const next = producer.send('t', [message('p0-c')])
    await tick()
    expect(clients.sent[2]).toMatchObject({ client: 2, partition: 0, keys: ['p0-c'] })
    clients.sent[2]!.finish()
    await next
    expect(clients.created()).toBe(2)
  })

  it('fails a write not acknowledged in time, withdraws what was still queued, and replaces the client', async () => {
    const clients = scriptedClients()
    // One message per request, so that the queued writes leave one by one.
    const producer = producerWith(clients, 50, 1)
    await producer.connect()
    const stuck = producer.send('t', [message('p0-a')])
    await tick()
    // Queued behind the stuck send: goes out on a new client once the stuck one is given up.
    const second = producer.send('t', [message('p0-b')])
    await tick()
    // Queued behind both: its own time runs out while it waits, so it is withdrawn unsent.
    const third = producer.send('t', [message('p0-c')])
    await expect(stuck).rejects.toThrow('within 50 ms')
    await expect(second).rejects.toThrow('within 50 ms')
    await expect(third).rejects.toThrow('within 50 ms')
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(clients.sent.map((s) => [s.client, s.keys])).toEqual([
      [1, ['p0-a']],
      [2, ['p0-b']],
    ])
    const later = producer.send('t', [message('p0-d')])
    await tick()
    expect(clients.sent[2]).toMatchObject({ client: 3, keys: ['p0-d'] })
    clients.sent[2]!.finish()
    await later
  })

  it('fails a write when no client can connect, and connects again for the next one', async () => {
    let attempts = 0
    const producer = new PartitionedProducer({
      createClient: () => ({
        connect: async () => {
          attempts++
          if (attempts === 1) throw new Error('brokers unreachable')
        },
        disconnect: async () => undefined,
        send: async () => undefined,
      }),
      partitionCount: async () => 4,
      partitionOf,
      sendTimeoutMs: 1_000,
    })
    await expect(producer.connect()).rejects.toThrow('brokers unreachable')
    await producer.send('t', [message('p1-a')])
    expect(attempts).toBe(2)
  })
})
