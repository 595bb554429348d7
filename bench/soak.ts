// `npm run soak [-- --minutes 10]`: a long mixed run against one real server in direct mode (no
// Kafka). Several writers post unique events for a few orgs at a steady pace while readers ask
// the metric endpoints (one org in Europe/Paris, a department filter among the queries). At the
// end: accepted = stored (checked), errors by status, the server's RSS at start and end, and the
// p50/p99 of ingest and of reads in the first and the last minute. Not part of CI.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { cleanUpAll, procMemoryMb, repoRoot } from './children.ts'
import { HttpClient, ingestStatus } from './http-load.ts'
import { benchAdminToken, startServer } from './server.ts'
import { percentile, round } from './stats.ts'

const usage = `Usage: npm run soak [-- --minutes 10] [--writers 4] [--rate 5] [--batch 100] [--readers 2]
  --minutes   how long the load runs (default 10)
  --writers   concurrent ingest writers (default 4)
  --rate      requests per second per writer, at most (default 5)
  --batch     events per request (default 100)
  --readers   concurrent readers of the metric endpoints (default 2)`

interface Options {
  minutes: number
  writers: number
  rate: number
  batch: number
  readers: number
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string', default: '10' },
      writers: { type: 'string', default: '4' },
      rate: { type: 'string', default: '5' },
      batch: { type: 'string', default: '100' },
      readers: { type: 'string', default: '2' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    process.exit(0)
  }
  const number = (name: string, text: string, min: number) => {
    const n = Number(text)
    if (!Number.isFinite(n) || n < min) {
      console.error(`soak: --${name} must be a number ≥ ${min} (got "${text}")\n\n${usage}`)
      process.exit(1)
    }
    return n
  }
  return {
    minutes: number('minutes', values.minutes, 0.1),
    writers: Math.round(number('writers', values.writers, 1)),
    rate: number('rate', values.rate, 0.1),
    batch: Math.round(number('batch', values.batch, 1)),
    readers: Math.round(number('readers', values.readers, 0)),
  }
}

const orgs = [
  { org: 'soak-utc', timeZone: 'UTC' },
  { org: 'soak-paris', timeZone: 'Europe/Paris' },
  { org: 'soak-third', timeZone: 'UTC' },
] as const
const departments = ['sales', 'ops', 'legal', 'research', 'support']
const people = 400
const eventTypes = [
  { type: 'post.created' },
  { type: 'comment.created', feature: 'groups' },
  { type: 'content.viewed', feature: 'groups' },
  { type: 'reaction.added', feature: 'wiki' },
  { type: 'session.started' },
  { type: 'file.uploaded' },
] as const

// What the dashboard asks: the default year by week, a department filter, the Paris org.
const reads = [
  { name: 'adoption', path: '/v1/orgs/soak-utc/metrics/adoption' },
  { name: 'active-users paris dept', path: '/v1/orgs/soak-paris/metrics/active-users?department=sales' },
  { name: 'summary', path: '/v1/orgs/soak-third/metrics/summary' },
  { name: 'adoption paris by dept', path: '/v1/orgs/soak-paris/metrics/adoption?by=department' },
  { name: 'active-users day', path: '/v1/orgs/soak-utc/metrics/active-users?interval=day' },
  { name: 'summary paris dept', path: '/v1/orgs/soak-paris/metrics/summary?department=ops' },
] as const

interface Sample {
  /** ms since the load started, when the request was sent. */
  at: number
  ms: number
  status: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function rosterCsv(): string {
  const lines = ['id,department,site,hired_at,left_at']
  for (let i = 0; i < people; i++) lines.push(`p${i},${departments[i % departments.length]},site-${i % 3},,`)
  return `${lines.join('\n')}\n`
}

/** The events of one request: unique ids, actors on the roster, times over the last 60 days. */
function body(org: string, writer: number, n: number, size: number, now: number): Buffer {
  const lines: string[] = []
  for (let i = 0; i < size; i++) {
    const kind = eventTypes[(n + i) % eventTypes.length]!
    lines.push(
      JSON.stringify({
        id: `w${writer}-r${n}-e${i}`,
        ...kind,
        time: new Date(now - ((n * 7919 + i * 104_729) % (60 * 86_400)) * 1000).toISOString(),
        org,
        actor: `p${(writer * 131 + n * 17 + i) % people}`,
        ...(i % 4 === 0 ? { space: `space-${(n + i) % 12}` } : {}),
      }),
    )
  }
  return Buffer.from(`${lines.join('\n')}\n`)
}

function summarise(samples: readonly Sample[]) {
  const ok = samples.filter((s) => s.status === '200' || s.status === '202').map((s) => s.ms)
  if (ok.length === 0) return { n: 0, p50: null, p99: null }
  return { n: ok.length, p50: round(percentile(ok, 50), 1), p99: round(percentile(ok, 99), 1) }
}

function countByStatus(samples: readonly Sample[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const s of samples) counts[s.status] = (counts[s.status] ?? 0) + 1
  return counts
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2))
  const durationMs = options.minutes * 60_000
  const started = new Date()
  const loadAtStart = os.loadavg()[0]!
  console.error(
    `soak: ${options.minutes} min, ${options.writers} writers × ${options.rate} req/s × ${options.batch} events, ` +
      `${options.readers} readers, ${orgs.length} orgs, direct mode`,
  )
  const server = await startServer({ KAFKA_BROKERS: '', IMPLICATION_DEMO: '0' })
  const client = new HttpClient(server.url, benchAdminToken, options.writers + options.readers + 2)
  try {
    // Setup: a roster per org (departments), the Paris org's time zone.
    for (const { org, timeZone } of orgs) {
      const headers = { authorization: `Bearer ${benchAdminToken}` }
      const roster = await fetch(`${server.url}/v1/orgs/${org}/roster`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'text/csv' },
        body: rosterCsv(),
      })
      if (!roster.ok) throw new Error(`roster of ${org}: HTTP ${roster.status} ${await roster.text()}`)
      if (timeZone !== 'UTC') {
        const settings = await fetch(`${server.url}/v1/orgs/${org}/settings`, {
          method: 'PUT',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ time_zone: timeZone }),
        })
        if (!settings.ok)
          throw new Error(`settings of ${org}: HTTP ${settings.status} ${await settings.text()}`)
      }
    }
    const rssStartMb = round(procMemoryMb(server.pid, 'VmRSS') ?? Number.NaN)
    const cpuStart = server.cpuSeconds()

    const ingest: Sample[] = []
    const readSamples: (Sample & { name: string })[] = []
    const accepted = new Map<string, number>(orgs.map((o) => [o.org, 0]))
    const t0 = performance.now()
    const elapsed = () => performance.now() - t0
    const done = () => elapsed() >= durationMs

    const writer = async (w: number) => {
      const interval = 1000 / options.rate
      for (let n = 0; !done(); n++) {
        const org = orgs[(w + n) % orgs.length]!.org
        const payload = body(org, w, n, options.batch, Date.now())
        const at = elapsed()
        let status: string
        try {
          const res = await client.request('POST', '/v1/events', payload)
          status = String(res.status)
          if (res.status === 202) {
            const answer = JSON.parse(res.body) as { accepted: number; rejected: number }
            accepted.set(org, accepted.get(org)! + answer.accepted)
            if (answer.rejected > 0) status = '202 with refusals'
          }
        } catch (err) {
          status = `error ${(err as NodeJS.ErrnoException).code ?? (err as Error).name}`
        }
        const ms = elapsed() - at
        ingest.push({ at, ms, status })
        if (ms < interval) await sleep(interval - ms)
      }
    }
    const reader = async (r: number) => {
      for (let n = r; !done(); n++) {
        const read = reads[n % reads.length]!
        const at = elapsed()
        let status: string
        try {
          status = String((await client.request('GET', read.path)).status)
        } catch (err) {
          status = `error ${(err as NodeJS.ErrnoException).code ?? (err as Error).name}`
        }
        readSamples.push({ at, ms: elapsed() - at, status, name: read.name })
        await sleep(200)
      }
    }

    let lastLine = 0
    const progress = setInterval(() => {
      const s = elapsed() / 1000
      const total = [...accepted.values()].reduce((a, b) => a + b, 0)
      const recent = (list: readonly Sample[]) => summarise(list.filter((x) => x.at >= elapsed() - 10_000))
      const errors =
        ingest.filter((x) => x.status !== '202').length + readSamples.filter((x) => x.status !== '200').length
      const line =
        `[${Math.floor(s / 60)}:${String(Math.floor(s % 60)).padStart(2, '0')}] accepted ${total.toLocaleString('en')} ` +
        `(${Math.round((total - lastLine) / 10).toLocaleString('en')} ev/s) · ingest p99 ${recent(ingest).p99 ?? '–'} ms · ` +
        `reads ${readSamples.length} p99 ${recent(readSamples).p99 ?? '–'} ms · errors ${errors} · ` +
        `RSS ${round(procMemoryMb(server.pid, 'VmRSS') ?? Number.NaN)} MB`
      lastLine = total
      console.error(line)
    }, 10_000)
    await Promise.all([
      ...Array.from({ length: options.writers }, (_, w) => writer(w)),
      ...Array.from({ length: options.readers }, (_, r) => reader(r)),
    ])
    clearInterval(progress)
    const loadSeconds = elapsed() / 1000
    const rssEndMb = round(procMemoryMb(server.pid, 'VmRSS') ?? Number.NaN)
    const peakRssMb = round(server.peakRssMb())
    const cpuSeconds = server.cpuSeconds() - cpuStart

    // Accepted = stored: a 202 in direct mode means the insert is done; the count must match now.
    const stored: Record<string, { accepted: number; stored: number }> = {}
    for (const { org } of orgs) {
      stored[org] = { accepted: accepted.get(org)!, stored: (await ingestStatus(client, org)).stored_events }
    }
    const acceptedTotal = Object.values(stored).reduce((a, s) => a + s.accepted, 0)
    const storedTotal = Object.values(stored).reduce((a, s) => a + s.stored, 0)

    const minute = Math.min(60_000, durationMs)
    const first = (list: readonly Sample[]) => list.filter((s) => s.at < minute)
    const last = (list: readonly Sample[]) => list.filter((s) => s.at >= durationMs - minute)
    const perRead = Object.fromEntries(
      reads.map((r) => {
        const mine = readSamples.filter((s) => s.name === r.name)
        return [r.name, { first: summarise(first(mine)), last: summarise(last(mine)) }]
      }),
    )
    const result = {
      started: started.toISOString(),
      minutes: options.minutes,
      options,
      machine: {
        cpus: os.cpus().length,
        cpu_model: os.cpus()[0]?.model.trim(),
        mem_gb: round(os.totalmem() / 2 ** 30, 1),
        node: process.version,
        loadavg_at_start: round(loadAtStart, 2),
        loadavg_at_end: round(os.loadavg()[0]!, 2),
      },
      accepted: acceptedTotal,
      stored: storedTotal,
      acceptedEqualsStored: acceptedTotal === storedTotal,
      perOrg: stored,
      ingestRequests: ingest.length,
      readRequests: readSamples.length,
      eventsPerSecond: round(acceptedTotal / loadSeconds),
      ingestByStatus: countByStatus(ingest),
      readsByStatus: countByStatus(readSamples),
      rssMb: { start: rssStartMb, end: rssEndMb, peak: peakRssMb },
      serverCpuPercentOfOneCore: round((cpuSeconds / loadSeconds) * 100),
      ingestMs: { first: summarise(first(ingest)), last: summarise(last(ingest)), all: summarise(ingest) },
      readMs: {
        first: summarise(first(readSamples)),
        last: summarise(last(readSamples)),
        all: summarise(readSamples),
      },
      perRead,
    }
    const dir = path.join(repoRoot, 'bench', 'results')
    mkdirSync(dir, { recursive: true })
    const file = path.join(dir, `soak-${started.toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)

    const fmt = (s: { n: number; p50: number | null; p99: number | null }) =>
      `p50 ${s.p50 ?? '–'} ms, p99 ${s.p99 ?? '–'} ms (n=${s.n})`
    console.log(
      [
        `soak ${options.minutes} min on ${result.machine.cpus} CPUs (load ${result.machine.loadavg_at_start} → ${result.machine.loadavg_at_end})`,
        `accepted ${acceptedTotal.toLocaleString('en')} events, stored ${storedTotal.toLocaleString('en')}: ${result.acceptedEqualsStored ? 'equal' : 'MISMATCH'} (${result.eventsPerSecond} ev/s)`,
        `ingest requests ${ingest.length}, by status ${JSON.stringify(result.ingestByStatus)}`,
        `reads ${readSamples.length}, by status ${JSON.stringify(result.readsByStatus)}`,
        `server RSS start ${rssStartMb} MB, end ${rssEndMb} MB, peak ${peakRssMb} MB; CPU ${result.serverCpuPercentOfOneCore} % of one core`,
        `ingest first minute: ${fmt(result.ingestMs.first)}; last minute: ${fmt(result.ingestMs.last)}`,
        `reads  first minute: ${fmt(result.readMs.first)}; last minute: ${fmt(result.readMs.last)}`,
        ...reads.map(
          (r) =>
            `  ${r.name.padEnd(24)} first ${fmt(perRead[r.name]!.first)}; last ${fmt(perRead[r.name]!.last)}`,
        ),
        `written to ${path.relative(repoRoot, file)}`,
      ].join('\n'),
    )
    return result.acceptedEqualsStored ? 0 : 1
  } finally {
    client.close()
    await server.stop()
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`soak: ${(err as Error).stack ?? err}`)
    cleanUpAll()
    process.exit(1)
  },
)
