// The `implication` command line.
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { ApiError } from '../api-client/client.ts'
import { roles, tokenRequestSchema } from '../schemas/auth.ts'
import { type Config, ConfigError, parseConfig } from '../schemas/config.ts'
import { ApiOutput } from '../simulation/api-output.ts'
import { badDaysFor } from '../simulation/bad-days.ts'
import { simulateDemoIfEmpty } from '../simulation/demo.ts'
import { parseSimulationOptions, SimulationOptionsError, todayUtc } from '../simulation/options.ts'
import { FilesOutput, type SimulationOutput, StoreOutput } from '../simulation/outputs.ts'
import { runSimulation } from '../simulation/simulate.ts'
import { formatSummary } from '../simulation/summary.ts'
import { ProgressBar } from '../terminal/progress.ts'
import { buildApp } from './app.ts'
import { calendarCommand, calendarUsage } from './calendar-command.ts'
import { createStore } from './clickhouse.ts'
import { exportCommand, exportUsage } from './export-command.ts'
import { importCommand, importUsage } from './import-command.ts'
import { migrate } from './migrate.ts'
import { rollupsCommand, rollupsUsage } from './rollups-command.ts'
import { type Role, startRuntime } from './runtime.ts'
import { resolveAdminToken, TokenStore } from './tokens.ts'

// Each command's own usage: printed by `implication <command> --help` (or -h), which does nothing
// else (no store opened, no data dir created, no migration applied).
const commandUsage: Record<string, string> = {
  serve: `  serve [--role all|api|worker]      run the server (default role: all) on HOST:PORT; on a first
                                     start without IMPLICATION_ADMIN_TOKEN, prints a generated admin
                                     token and keeps it in DATA_DIR/admin-token`,
  migrate: `  migrate                            apply ClickHouse migrations`,
  token: `  token create --role ROLE --org ORG [--org ORG...] [--source NAME] [--label TEXT]
  token list
  token revoke TOKEN_ID`,
  export: `  ${exportUsage}`,
  simulate: `  simulate [--org demo] [--employees 2000] [--months 18] [--seed 42] [--end YYYY-MM-DD]
           [--p 0.01] [--q 0.35] [--never 0.15]
           [--to URL --token TOKEN [--gzip] | --out DIR] [--bad-share 0] [--duplicate-share 0]
                                     a realistic organisation's events: into the store of DATA_DIR
                                     (stop the server on that DATA_DIR first), through the API of a
                                     running server (--to), or into files (--out: events.ndjson,
                                     roster.csv, ground-truth.json). --end is the first day after
                                     the period (default: today, UTC); same arguments, same output.`,
  rollups: rollupsUsage,
  calendar: calendarUsage,
  import: importUsage,
}

const configurationNote = `Configuration comes from the environment (see README: HOST, PORT, DATA_DIR, CLICKHOUSE_URL,
KAFKA_BROKERS, IMPLICATION_ADMIN_TOKEN, ...).`

const usage = `Usage: implication <command> [options]   (implication <command> --help: that command only)

Commands:
${Object.values(commandUsage).join('\n')}

${configurationNote}`

function usageOf(command: string): string {
  return `Usage: implication <command> [options]\n\n${commandUsage[command]}\n\n${configurationNote}`
}

/** `--help` or `-h` anywhere among a command's arguments (before a `--` terminator). */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h')
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    const topic = command === 'help' ? rest[0] : undefined
    console.log(topic && Object.hasOwn(commandUsage, topic) ? usageOf(topic) : usage)
    return command ? 0 : 1
  }
  if (Object.hasOwn(commandUsage, command) && asksForHelp(rest)) {
    // Before the configuration is even read: help never touches the store or DATA_DIR.
    console.log(usageOf(command))
    return 0
  }
  const config = parseConfig(process.env)
  switch (command) {
    case 'serve':
      return serve(config, rest)
    case 'migrate':
      return migrateCommand(config)
    case 'token':
      return tokenCommand(config, rest)
    case 'simulate':
      return simulateCommand(config, rest)
    case 'export':
      return exportCommand(config, rest)
    case 'rollups':
      return rollupsCommand(config, rest)
    case 'calendar':
      return calendarCommand(config, rest)
    case 'import':
      return importCommand(config, rest)
    default:
      console.error(`implication: unknown command "${command}"\n\n${usage}`)
      return 1
  }
}

async function serve(config: Config, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { role: { type: 'string', default: 'all' } } })
  const role = values.role as Role
  if (!['all', 'api', 'worker'].includes(role)) {
    console.error(`implication serve: --role must be all, api or worker (got "${values.role}")`)
    return 1
  }
  const logger = pino({ level: config.LOG_LEVEL })
  const runtime = await startRuntime(config, role, (level, message, fields) =>
    logger[level](fields ?? {}, message),
  )
  const app = await buildApp({ ...runtime, logger })
  let address: string
  try {
    address = await app.listen({ host: config.HOST, port: config.PORT })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw err
    // Nothing was kept: the admin token generated by this start is dropped with it.
    await app.close().catch(() => undefined)
    await runtime.close().catch(() => undefined)
    const where = `${config.HOST}:${config.PORT}`
    console.error(
      code === 'EADDRINUSE'
        ? `implication serve: port ${config.PORT} is in use on ${config.HOST} (set PORT=… to another port, or stop what listens there)`
        : code === 'EACCES'
          ? `implication serve: not allowed to listen on ${where} (ports below 1024 need privileges: set PORT=…)`
          : `implication serve: cannot listen on ${where}: HOST is not an address of this machine (set HOST=…)`,
    )
    return 1
  }
  const mode = `${runtime.store.describe}; ${runtime.sink.name === 'kafka' ? `Kafka ${config.KAFKA_BROKERS}` : 'direct sink'}`
  console.error(`implication ${role} listening on ${address} (${mode})`)
  if (runtime.migrations.length > 0) console.error(`migrations applied: ${runtime.migrations.join(', ')}`)
  const generated = runtime.generatedAdminToken
  if (generated) {
    // Kept only now that the server is up, and printed whenever it was kept.
    const kept = generated.keep()
    console.error(
      `\nAdmin token (shown once${kept ? `, kept in ${generated.file}` : `; another start kept a different one in ${generated.file}, valid after a restart`}):\n  ${generated.token}\n` +
        `Send events with:\n  curl -X POST ${address}/v1/events -H "Authorization: Bearer <token>" ` +
        `-H 'Content-Type: application/x-ndjson' --data-binary @events.ndjson\n`,
    )
  }
  if (config.IMPLICATION_DEMO && role !== 'worker') {
    // In the background: the server answers while its demo org fills up.
    simulateDemoIfEmpty(runtime.store.client, (message) => logger.info(message)).catch((err: unknown) =>
      logger.error({ err }, 'the demo organisation could not be simulated'),
    )
  }

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    console.error(`${signal}: draining and stopping`)
    const force = setTimeout(() => process.exit(1), 30_000)
    force.unref()
    await app.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  return new Promise<number>(() => {})
}

async function migrateCommand(config: Config): Promise<number> {
  const store = await createStore(config)
  try {
    const report = await migrate(store.client)
    console.log(
      report.applied.length > 0
        ? `applied ${report.applied.join(', ')} (${report.alreadyApplied} already applied) on ${store.describe}`
        : `up to date: ${report.alreadyApplied} migrations already applied on ${store.describe}`,
    )
    return 0
  } finally {
    await store.close()
  }
}

async function tokenCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      org: { type: 'string', multiple: true },
      source: { type: 'string' },
      label: { type: 'string' },
    },
  })
  const [action, id] = positionals
  const store = await createStore(config)
  try {
    await migrate(store.client)
    const tokens = new TokenStore(
      store.client,
      resolveAdminToken(config.IMPLICATION_ADMIN_TOKEN, config.DATA_DIR).token,
    )
    if (action === 'create') {
      const request = tokenRequestSchema.safeParse({
        role: values.role,
        orgs: values.org ?? [],
        ...(values.source ? { source: values.source } : {}),
        ...(values.label ? { label: values.label } : {}),
      })
      if (!request.success) {
        const issue = request.error.issues[0]
        const flag = issue?.path[0] === 'orgs' ? 'org' : String(issue?.path[0] ?? '')
        console.error(`implication token create: --${flag}: ${issue?.message} (roles: ${roles.join(', ')})`)
        return 1
      }
      const { token, info } = await tokens.create(request.data)
      console.error(`created ${info.role} token ${info.token_id} for ${info.orgs.join(', ')} (shown once):`)
      console.log(token)
      return 0
    }
    if (action === 'list') {
      for (const t of await tokens.list()) {
        console.log(
          `${t.token_id}\t${t.role}\t${t.orgs.join(',')}\t${t.revoked_at ? `revoked ${t.revoked_at}` : 'active'}\t${t.label}`,
        )
      }
      return 0
    }
    if (action === 'revoke' && id) {
      if (!(await tokens.revoke(id))) {
        console.error(`implication token revoke: no token ${id}`)
        return 1
      }
      console.error(`revoked ${id}`)
      return 0
    }
    console.error(`implication token: expected create, list or revoke TOKEN_ID\n\n${usage}`)
    return 1
  } finally {
    await store.close()
  }
}

async function simulateCommand(config: Config, args: string[]): Promise<number> {
  const text = { type: 'string' } as const
  const { values } = parseArgs({
    args,
    options: {
      org: text,
      employees: text,
      months: text,
      seed: text,
      end: text,
      p: text,
      q: text,
      never: text,
      to: text,
      token: text,
      gzip: { type: 'boolean', default: false },
      out: text,
      'bad-share': text,
      'duplicate-share': text,
    },
  })
  const fail = (message: string) => {
    console.error(`implication simulate: ${message}`)
    return 1
  }
  if (values.to && values.out) return fail('--to and --out: choose one')
  if (values.to && !values.token) return fail('--to needs --token (an ingest or admin token)')
  if (!values.to && (values.token || values.gzip)) return fail('--token and --gzip only apply with --to')
  let options: ReturnType<typeof parseSimulationOptions>
  try {
    options = parseSimulationOptions({
      org: values.org,
      employees: values.employees,
      months: values.months,
      seed: values.seed,
      end: values.end ?? todayUtc(),
      p: values.p,
      q: values.q,
      never: values.never,
      badShare: values['bad-share'],
      duplicateShare: values['duplicate-share'],
    })
  } catch (err) {
    if (err instanceof SimulationOptionsError) return fail(err.message)
    throw err
  }

  const badDays = badDaysFor(options)
  let output: SimulationOutput
  let close = async () => {}
  if (values.to) {
    output = new ApiOutput(
      { url: values.to, token: values.token!, org: options.org, gzip: values.gzip },
      badDays,
    )
  } else if (values.out) {
    output = new FilesOutput(values.out, badDays)
  } else {
    if (badDays) return fail('--bad-share and --duplicate-share only apply with --to or --out')
    const store = await createStore(config)
    await migrate(store.client)
    output = new StoreOutput(store.client, options.org, store.describe)
    close = () => store.close()
  }

  const progress = new ProgressBar(`simulate ${options.org}`, process.stderr)
  try {
    const { summary } = await runSimulation(options, { output, badDays, onProgress: progress.update })
    progress.finish()
    console.log(formatSummary(summary))
    return 0
  } catch (err) {
    progress.finish()
    if (err instanceof SimulationOptionsError || err instanceof ApiError) return fail(err.message)
    throw err
  } finally {
    await close()
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message)
    else console.error(`implication: ${(err as Error).message}`)
    process.exit(1)
  },
)
