// A change of an org's time zone recomputes what depends on it: the `day` and `minute` of its
// stored events and the rollups keyed on them (analytics/calendar.ts). In order:
//
//   1. the calendar is recorded in the new zone, not ready: the metrics scan the raw events
//      (analytics/tables.ts), which cut days from `time` in the query's zone and stay exact;
//   2. the writers stamp new events in the new zone: this process's at once (invalidate), those of
//      other processes once their zone cache expires, hence the wait of `settleMs`;
//   3. the events are restamped and the org's rollups keyed on the day rebuilt from them, this
//      process's writes held meanwhile (ingest/event-writer.ts `withWritesHeld`);
//   4. no event may be left stamped otherwise (a writer late to see the zone), else 3 again;
//   5. the calendar is marked ready: the rollups answer again.
//
// Started by the settings route when `time_zone` changes, at start for every org whose calendar
// is not ready in its setting's zone (a change cut short, a store migrated to 015 with orgs
// outside UTC), and by `implication calendar rebuild`.
import type { ClickHouseClient } from '@clickhouse/client'
import {
  mismatchedEvents,
  readCalendar,
  readCalendars,
  recordCalendar,
  restampEvents,
  zoneLiteral,
} from '../analytics/calendar.ts'
import { calendarRollups } from '../analytics/rollup-definitions.ts'
import { rebuildRollups } from '../analytics/rollup-rebuild.ts'
import { withWritesHeld } from '../ingest/event-writer.ts'
import { orgZones, zoneCacheMs } from '../ingest/org-calendar.ts'
import type { ProgressListener } from '../terminal/progress.ts'
import type { Store } from './clickhouse.ts'

export interface CalendarChangeOptions {
  /**
   * How long to wait after recording the zone before restamping: the writers of other processes
   * re-read it every `zoneCacheMs`. Default `zoneCacheMs` + 1 s; 0 when this process is the only
   * writer (an embedded store).
   */
  settleMs?: number
  /** Rebuild even when the calendar is already ready in the zone. */
  force?: boolean
  /** The rollup rebuild, month by month. */
  onProgress?: ProgressListener
  /** Each step, in words (the CLI prints them, the server logs them). */
  onStep?: (message: string) => void
  /** Stops the change at its next step; it then rejects with CalendarChangeStopped. */
  signal?: AbortSignal
}

export interface CalendarChangeReport {
  org: string
  zone: string
  /** False when the calendar was already ready in the zone: nothing was done. */
  changed: boolean
  /** Event rows whose day or minute was rewritten (the first round's). */
  restamped: number
  /** Rounds of restamp and rebuild (more than one when a writer was late to see the zone). */
  rounds: number
  events: number
  months: number
}

/** A change stopped before it was done (the process is closing): the calendar stays not ready. */
export class CalendarChangeStopped extends Error {
  constructor(org: string, zone: string) {
    super(`the calendar change of ${org} to ${zone} was stopped before it was done`)
  }
}

const maxRounds = 3

function wait(ms: number, signal: AbortSignal, stopped: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(stopped())
    const onAbort = () => {
      clearTimeout(timer)
      reject(stopped())
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

async function runChange(
  client: ClickHouseClient,
  org: string,
  zone: string,
  options: CalendarChangeOptions,
  signal: AbortSignal,
): Promise<CalendarChangeReport> {
  zoneLiteral(zone)
  const stopped = () => new CalendarChangeStopped(org, zone)
  const check = () => {
    if (signal.aborted) throw stopped()
  }
  const step = options.onStep ?? (() => {})
  check()
  const stored = await readCalendar(client, org)
  const report: CalendarChangeReport = {
    org,
    zone,
    changed: false,
    restamped: 0,
    rounds: 0,
    events: 0,
    months: 0,
  }
  if (stored.ready && stored.zone === zone && !options.force) return report
  report.changed = true

  await recordCalendar(client, org, zone, false)
  orgZones(client).invalidate()
  const settleMs = options.settleMs ?? zoneCacheMs + 1000
  step(
    `${org}: calendar ${stored.zone}${stored.ready ? '' : ' (not ready)'} → ${zone}; metrics scan the raw events until it is ready` +
      (settleMs > 0
        ? `; waiting ${(settleMs / 1000).toFixed(1)} s for every writer to stamp new events in ${zone}`
        : ''),
  )
  await wait(settleMs, signal, stopped)

  let wrong = await mismatchedEvents(client, org, zone)
  report.restamped = wrong
  for (;;) {
    report.rounds++
    check()
    // This process's writers are held meanwhile: an event stored while its month is refilled
    // would be counted twice by the plain sums (rollup_event_counts), and restamped late.
    const rebuilt = await withWritesHeld(client, async () => {
      if (wrong > 0) {
        step(`${org}: restamping ${wrong} events in ${zone}`)
        await restampEvents(client, org, zone)
      }
      check()
      step(`${org}: rebuilding the rollups keyed on the local day`)
      return rebuildRollups(client, {
        org,
        tables: calendarRollups,
        onProgress: (progress) => {
          // Throwing here stops the rebuild after its current month.
          check()
          options.onProgress?.(progress)
        },
      })
    })
    report.events = rebuilt.events
    report.months = rebuilt.months
    wrong = await mismatchedEvents(client, org, zone)
    if (wrong === 0) break
    if (report.rounds >= maxRounds) {
      throw new Error(
        `the calendar of ${org}: ${wrong} events are still not stamped in ${zone} after ${maxRounds} rounds of restamp and rebuild (a writer that does not see the zone?); it stays not ready, so its metrics scan the raw events; run \`implication calendar rebuild --org ${org}\` once the writers are fixed`,
      )
    }
    step(`${org}: ${wrong} events were stored in the old zone meanwhile; again`)
  }
  check()
  await recordCalendar(client, org, zone, true)
  step(`${org}: calendar ready in ${zone}`)
  return report
}

interface Queued {
  /** What the latest caller asked for: the change runs for it when its turn comes. */
  ask: { zone: string; options: CalendarChangeOptions }
  done: Promise<CalendarChangeReport>
}

/** The changes of one store in this process: one at a time per org, the latest zone asked next. */
class CalendarChanges {
  private readonly orgs = new Map<string, { tail: Promise<void>; queued: Queued | null }>()
  private readonly closing = new AbortController()

  constructor(private readonly client: ClickHouseClient) {}

  change(org: string, zone: string, options: CalendarChangeOptions): Promise<CalendarChangeReport> {
    if (this.closing.signal.aborted) return Promise.reject(new CalendarChangeStopped(org, zone))
    let state = this.orgs.get(org)
    if (!state) {
      state = { tail: Promise.resolve(), queued: null }
      this.orgs.set(org, state)
    }
    // A change already waiting for the running one: it will run for this zone instead.
    if (state.queued) {
      state.queued.ask = { zone, options }
      return state.queued.done
    }
    const entry = state
    const queued: Queued = {
      ask: { zone, options },
      done: entry.tail.then(() => {
        const { zone, options } = queued.ask
        entry.queued = null
        const signal = options.signal
          ? AbortSignal.any([this.closing.signal, options.signal])
          : this.closing.signal
        return runChange(this.client, org, zone, options, signal)
      }),
    }
    entry.queued = queued
    const tail = queued.done.then(
      () => undefined,
      () => undefined,
    )
    entry.tail = tail
    void tail.then(() => {
      if (this.orgs.get(org)?.tail === tail) this.orgs.delete(org)
    })
    return queued.done
  }

  /** Stops every change at its next step and waits for them; no change starts afterwards. */
  async close(): Promise<void> {
    this.closing.abort()
    await Promise.all([...this.orgs.values()].map((s) => s.tail))
  }
}

const changes = new WeakMap<ClickHouseClient, CalendarChanges>()

function changesOf(client: ClickHouseClient): CalendarChanges {
  let c = changes.get(client)
  if (!c) {
    c = new CalendarChanges(client)
    changes.set(client, c)
  }
  return c
}

/**
 * Moves the org's stored calendar to `zone` (the sequence at the top of this file), unless it is
 * already ready there. One change per org at a time in a process: a change asked while one runs
 * waits for it, then runs for the latest zone asked (every caller waiting gets that answer).
 */
export function changeCalendar(
  client: ClickHouseClient,
  org: string,
  zone: string,
  options: CalendarChangeOptions = {},
): Promise<CalendarChangeReport> {
  return changesOf(client).change(org, zone, options)
}

/** Stops the store's running changes (at their next step) and waits for them: before it closes. */
export function stopCalendarChanges(client: ClickHouseClient): Promise<void> {
  // Made if need be, so that a change asked afterwards (a start-up reconciliation still reading)
  // is refused rather than run on a closed store.
  return changesOf(client).close()
}

/**
 * The wait a change of this store needs: none on an embedded store, which only this process can
 * open (its own writers see the zone at once); the default on a server, which others write to.
 */
export function calendarSettleMs(store: Pick<Store, 'kind'>): number | undefined {
  return store.kind === 'embedded' ? 0 : undefined
}

export type CalendarLog = (
  level: 'info' | 'warn' | 'error',
  message: string,
  fields?: Record<string, unknown>,
) => void

/**
 * `changeCalendar` in the background, its steps and its end logged. `settleMs`: 0 when this
 * process is the only writer of the store.
 */
export function startCalendarChange(
  client: ClickHouseClient,
  org: string,
  zone: string,
  log: CalendarLog,
  settleMs?: number,
): void {
  const started = performance.now()
  changeCalendar(client, org, zone, {
    settleMs,
    onStep: (message) => log('info', message, { org, zone }),
  }).then(
    (report) => {
      if (!report.changed) return
      const seconds = Number(((performance.now() - started) / 1000).toFixed(1))
      log('info', 'calendar change done', { ...report, seconds })
    },
    (err: Error) => {
      // Stopped by a shutdown: the calendar stays not ready, and the next start resumes it.
      if (err instanceof CalendarChangeStopped) log('info', err.message, { org, zone })
      else log('error', 'calendar change failed', { org, zone, err: err.message })
    },
  )
}

/**
 * The orgs whose calendar is not ready in the zone of their `time_zone` setting (settings are JSON
 * in org_settings, the highest version current; no setting means UTC, no calendar UTC and ready).
 */
export async function calendarsToChange(client: ClickHouseClient): Promise<{ org: string; zone: string }[]> {
  const result = await client.query({
    query: `SELECT org, JSONExtractString(argMax(settings, version), 'time_zone') AS zone
            FROM org_settings GROUP BY org`,
    format: 'JSONEachRow',
  })
  const wanted = new Map<string, string>()
  for (const row of await result.json<{ org: string; zone: string }>()) wanted.set(row.org, row.zone || 'UTC')
  const calendars = await readCalendars(client)
  const orgs = new Set([...wanted.keys(), ...calendars.keys()])
  const due: { org: string; zone: string }[] = []
  for (const org of [...orgs].sort()) {
    const zone = wanted.get(org) ?? 'UTC'
    const calendar = calendars.get(org) ?? { zone: 'UTC', ready: true }
    if (!calendar.ready || calendar.zone !== zone) due.push({ org, zone })
  }
  return due
}

/** At start: a background change for every org in `calendarsToChange`; answers them. */
export async function reconcileCalendars(
  client: ClickHouseClient,
  log: CalendarLog,
  settleMs?: number,
): Promise<{ org: string; zone: string }[]> {
  const due = await calendarsToChange(client)
  for (const { org, zone } of due) {
    log('info', 'the calendar of an org is not ready in its time zone: rebuilding it', { org, zone })
    startCalendarChange(client, org, zone, log, settleMs)
  }
  return due
}
