// `implication export REPORT --org ORG --format F --out FILE`: an HR report into a file, from the
// store of DATA_DIR (as admin: every group), or through a running server's API (--api URL
// --token TOKEN: that token's role decides which groups are withheld).
import { createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { runExport } from '../analytics/exports/export.ts'
import { resolveQuery } from '../analytics/query.ts'
import { SettingsStore } from '../analytics/settings.ts'
import {
  type ExportFormat,
  engagementDimensions,
  exportFormats,
  exportReports,
} from '../schemas/api/exports.ts'
import { roles } from '../schemas/auth.ts'
import type { Config } from '../schemas/config.ts'
import { orgPattern } from '../schemas/event.ts'
import { createStore } from './clickhouse.ts'
import { migrate } from './migrate.ts'

export const exportUsage = `export REPORT --org ORG --format csv|xlsx|parquet|arrow|json --out FILE
         [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by department|site] [--sep comma|semicolon]
         [--as admin|hr|exec] [--api URL --token TOKEN]
                                     an HR report (${exportReports.join(', ')}) into FILE: from the store of
                                     DATA_DIR (--as hr withholds small groups as the API does for hr;
                                     default admin), or through a running server (--api)`

class UsageError extends Error {}

function choice<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback?: T,
): T {
  const v = value ?? fallback
  if (v === undefined) throw new UsageError(`--${flag} is required (${allowed.join(', ')})`)
  if (!allowed.includes(v as T))
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${v}")`)
  return v as T
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

/** Counts bytes on their way to the file and redraws one line on a terminal. */
function progress(label: string): { meter: Transform; done(): string } {
  const started = performance.now()
  let bytes = 0
  let lastDraw = 0
  const tty = process.stderr.isTTY
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length
      const now = performance.now()
      if (tty && now - lastDraw > 200) {
        lastDraw = now
        process.stderr.write(`\r${label} · ${formatBytes(bytes)} · ${((now - started) / 1000).toFixed(1)} s`)
      }
      callback(null, chunk)
    },
  })
  return {
    meter,
    done: () => {
      if (tty) process.stderr.write('\r\u001b[K')
      return `${formatBytes(bytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s`
    },
  }
}

export async function exportCommand(config: Config, args: string[]): Promise<number> {
  try {
    return await runExportCommand(config, args)
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`implication export: ${(err as Error).message}\n\nUsage: implication ${exportUsage}`)
      return 1
    }
    throw err
  }
}

async function runExportCommand(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      sep: { type: 'string' },
      as: { type: 'string' },
      api: { type: 'string' },
      token: { type: 'string' },
    },
  })
  const report = choice('report', positionals[0], exportReports)
  if (!values.org || !orgPattern.test(values.org))
    throw new UsageError('--org ORG is required (a valid org name)')
  const org = values.org
  const format = choice<ExportFormat>('format', values.format, exportFormats)
  if (!values.out) throw new UsageError('--out FILE is required')
  const out = path.resolve(values.out)
  const dir = await stat(path.dirname(out)).catch(() => null)
  if (!dir?.isDirectory()) throw new UsageError(`--out: the folder ${path.dirname(out)} does not exist`)
  const by = values.by === undefined ? undefined : choice('by', values.by, engagementDimensions)
  const sep = choice('sep', values.sep, ['comma', 'semicolon'], 'comma')
  for (const flag of ['from', 'to'] as const) {
    const v = values[flag]
    if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v))
      throw new UsageError(`--${flag} must be a date YYYY-MM-DD`)
  }

  if (values.api) {
    if (!values.token) throw new UsageError('--api needs --token TOKEN')
    if (values.as) throw new UsageError('--as applies to the local store; through --api the token decides')
    const search = new URLSearchParams({ format, sep })
    if (values.from) search.set('from', values.from)
    if (values.to) search.set('to', values.to)
    if (by) search.set('by', by)
    const url = `${values.api.replace(/\/$/, '')}/v1/orgs/${encodeURIComponent(org)}/exports/${report}?${search}`
    let response: Response
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${values.token}` } })
    } catch (err) {
      console.error(`implication export: cannot reach ${values.api}: ${(err as Error).message}`)
      return 1
    }
    if (!response.ok || !response.body) {
      const text = await response.text()
      let message = text
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text
      } catch {}
      console.error(`implication export: the server answered ${response.status}: ${message}`)
      return 1
    }
    const meter = progress(`${report} of ${org}`)
    await pipeline(Readable.fromWeb(response.body as never), meter.meter, createWriteStream(out))
    console.error(`wrote ${out} (${meter.done()})`)
    return 0
  }

  const role = choice(
    'as',
    values.as,
    roles.filter((r) => r === 'admin' || r === 'exec' || r === 'hr'),
    'admin',
  )
  const store = await createStore(config)
  try {
    await migrate(store.client)
    const settings = await new SettingsStore(store.client).get(org)
    let range: { from: string; to: string }
    try {
      range = resolveQuery(
        org,
        { from: values.from, to: values.to, interval: 'month' },
        settings.time_zone,
      ).range
    } catch (err) {
      throw new UsageError(`--${(err as Error).message}`)
    }
    const file = await runExport({
      client: store.client,
      org,
      report,
      format,
      range,
      timeZone: settings.time_zone,
      settings,
      role,
      delimiter: sep === 'semicolon' ? ';' : ',',
      ...(by ? { dimension: by } : {}),
    })
    const meter = progress(`${report} of ${org}, ${range.from} → ${range.to}, ${file.rows} rows`)
    await pipeline(file.body, meter.meter, createWriteStream(out))
    const withheld = file.suppressed ? `, groups under ${settings.min_group_size} people withheld` : ''
    console.error(`wrote ${out}: ${file.rows} rows${withheld} (${meter.done()})`)
    return 0
  } finally {
    await store.close()
  }
}
