// A Kafka broker for the benchmark: KAFKA_BROKERS when set, else one started by scripts/kafka.ts
// in data/kafka-bench (and stopped at the end), else none, and the Kafka rows are skipped.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { repoRoot } from './children.ts'

export interface Broker {
  brokers: string
  /** Pid of the broker JVM when this run started it, for its CPU time. */
  pid: number | null
  /** Where it came from, for the report. */
  origin: string
  stop(): Promise<void>
}

interface KafkaScript {
  startKafka(opts: { stateDir: string; log?: (line: string) => void }): Promise<{
    brokers: string
    pid: number
    reused: boolean
  }>
  stopKafka(opts: { stateDir: string; log?: (line: string) => void }): Promise<{ stopped: number }>
}

const stateDir = path.join(repoRoot, 'data', 'kafka-bench')

export async function acquireBroker(log: (line: string) => void): Promise<Broker | null> {
  const fromEnv = process.env.KAFKA_BROKERS
  if (fromEnv) return { brokers: fromEnv, pid: null, origin: 'KAFKA_BROKERS', stop: async () => {} }
  const scriptUrl = pathToFileURL(path.join(repoRoot, 'scripts', 'kafka.ts')).href
  const script = (await import(scriptUrl)) as KafkaScript
  const kafkaLog = (line: string) => log(`[kafka] ${line}`)
  try {
    const started = await script.startKafka({ stateDir, log: kafkaLog })
    return {
      brokers: started.brokers,
      pid: started.pid,
      origin: started.reused ? `reused broker in ${stateDir}` : `started in ${stateDir}`,
      // A broker found running was not started here: it is left as it was.
      stop: async () => {
        if (!started.reused) await script.stopKafka({ stateDir, log: kafkaLog })
      },
    }
  } catch (err) {
    log(`no Kafka broker (${(err as Error).message.split('\n')[0]}): the Kafka rows are skipped`)
    return null
  }
}
