// The `implication` command line.
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { roles, tokenRequestSchema } from '../schemas/auth.ts'
import { type Config, ConfigError, parseConfig } from '../schemas/config.ts'
import { buildApp } from './app.ts'
import { createStore } from './clickhouse.ts'
import { migrate } from './migrate.ts'
import { type Role, startRuntime } from './runtime.ts'
import { resolveAdminToken, TokenStore } from './tokens.ts'

const usage = `Usage: implication <command> [options]

Commands:
  serve [--role all|api|worker]      run the server (default role: all)
  migrate                            apply ClickHouse migrations
  token create --role ROLE --org ORG [--org ORG...] [--source NAME] [--label TEXT]
  token list
  token revoke TOKEN_ID

Configuration comes from the environment (see README: HOST, PORT, DATA_DIR, CLICKHOUSE_URL,
KAFKA_BROKERS, IMPLICATION_ADMIN_TOKEN, ...).`

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(usage)
    return command ? 0 : 1
  }
  const config = parseConfig(process.env)
  switch (command) {
    case 'serve':
      return serve(config, rest)
    case 'migrate':
      return migrateCommand(config)
    case 'token':
      return tokenCommand(config, rest)
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
  const address = await app.listen({ host: config.HOST, port: config.PORT })
  const mode = `${runtime.store.describe}; ${runtime.sink.name === 'kafka' ? `Kafka ${config.KAFKA_BROKERS}` : 'direct sink'}`
  console.error(`implication ${role} listening on ${address} (${mode})`)
  if (runtime.migrations.length > 0) console.error(`migrations applied: ${runtime.migrations.join(', ')}`)
  if (runtime.generatedAdminToken) {
    console.error(
      `\nAdmin token (shown once, kept in ${runtime.generatedAdminToken.file}):\n  ${runtime.generatedAdminToken.token}\n` +
        `Send events with:\n  curl -X POST ${address}/v1/events -H "Authorization: Bearer <token>" ` +
        `-H 'Content-Type: application/x-ndjson' --data-binary @events.ndjson\n`,
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message)
    else console.error(`implication: ${(err as Error).message}`)
    process.exit(1)
  },
)
