// Kafka suites run against a real broker named by KAFKA_BROKERS (npm test starts one when it
// can). Without one they are skipped loudly, and under CI=true a skip is a failure.
import { randomBytes } from 'node:crypto'
import { describe, it } from 'vitest'

export const kafkaBrokers = process.env.KAFKA_BROKERS

export function describeWithKafka(name: string, suite: () => void): void {
  if (kafkaBrokers) {
    describe(name, suite)
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has a Kafka broker', () => {
        throw new Error('KAFKA_BROKERS is not set: under CI=true the Kafka suites must run, not be skipped')
      })
    })
  } else {
    console.warn(
      `\n*** SKIPPED Kafka suite "${name}": no broker (set KAFKA_BROKERS or install Java 17+ and Maven) ***\n`,
    )
    describe.skip(name, suite)
  }
}

/** A topic and consumer group of this test's own, so suites can share one broker. */
export function uniqueTopic(prefix: string): { topic: string; group: string } {
  const suffix = randomBytes(4).toString('hex')
  return { topic: `${prefix}-${suffix}`, group: `${prefix}-group-${suffix}` }
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await probe()
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
    last = await probe()
  }
  return last
}
