// `npm test`: lint, type-check, then every suite. The Kafka suites need a broker: KAFKA_BROKERS
// when set, else one started here with scripts/kafka.ts (Java 17+ and Maven), else they are
// skipped with a loud line, which under CI=true fails the run.
import { spawnSync } from 'node:child_process'
import { startKafka, stopKafka } from './kafka.ts'

const ci = process.env.CI === 'true'
const extraArgs = process.argv.slice(2)

function run(label: string, command: string, args: string[], env = process.env): void {
  process.stderr.write(`\n▶ ${label}\n`)
  const result = spawnSync(command, args, { stdio: 'inherit', env })
  if (result.status !== 0) {
    process.stderr.write(`\n✖ ${label} failed\n`)
    process.exit(result.status ?? 1)
  }
}

function have(command: string): boolean {
  return spawnSync(command, ['-version'], { stdio: 'ignore' }).status === 0
}

if (extraArgs.length === 0) {
  run('lint and format check (biome)', 'npx', ['biome', 'check', '.'])
  run('type check (tsc)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
}

let startedBroker = false
const env = { ...process.env }
if (!env.KAFKA_BROKERS) {
  if (have('java') && have('mvn')) {
    process.stderr.write('\n▶ starting a Kafka broker for the Kafka suites (scripts/kafka.ts)\n')
    try {
      const { brokers } = await startKafka({ stateDir: 'data/kafka-test' })
      env.KAFKA_BROKERS = brokers
      startedBroker = true
    } catch (err) {
      process.stderr.write(`could not start Kafka: ${(err as Error).message}\n`)
      if (ci) process.exit(1)
    }
  }
  if (!env.KAFKA_BROKERS) {
    process.stderr.write(
      `\n*** Kafka suites will be SKIPPED: no KAFKA_BROKERS and no broker could be started${ci ? ' (CI=true: this fails the run)' : ''} ***\n`,
    )
  }
}

const vitest = spawnSync('npx', ['vitest', 'run', ...extraArgs], { stdio: 'inherit', env })
if (startedBroker) await stopKafka({ stateDir: 'data/kafka-test' })
process.exit(vitest.status ?? 1)
