// `implication serve --role <role>` whose Kafka worker SIGKILLs its own process during its first
// batch: the crash tests run it (with tsx) in place of server/cli.ts. Same arguments and start-up
// line as `serve`. CRASH_AT=commit (default) dies once the batch is stored, before committing the
// offsets; CRASH_AT=keys dies once its events are inserted, before the writer records their keys
// (ingest/event-writer.ts).
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { parseConfig } from '../../schemas/config.ts'
import { buildApp } from '../../server/app.ts'
import { type Role, startRuntime } from '../../server/runtime.ts'

const { values, positionals } = parseArgs({
  options: { role: { type: 'string', default: 'all' } },
  allowPositionals: true,
})
const role = values.role as Role
if (positionals[0] !== 'serve' || !['all', 'api', 'worker'].includes(role)) {
  throw new Error('usage: crashing-worker.ts serve --role all|api|worker')
}

const config = parseConfig(process.env)
const logger = pino({ level: config.LOG_LEVEL })
const runtime = await startRuntime(
  config,
  role,
  (level, message, fields) => logger[level](fields ?? {}, message),
  process.env.CRASH_AT === 'keys'
    ? { afterEventsInserted: () => void process.kill(process.pid, 'SIGKILL') }
    : { afterInsert: () => void process.kill(process.pid, 'SIGKILL') },
)
const app = await buildApp({ ...runtime, logger })
const address = await app.listen({ host: config.HOST, port: config.PORT })
console.error(`implication ${role} listening on ${address} (crashes after its first insert)`)
