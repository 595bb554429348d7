// `implication calendar rebuild --org ORG [--zone Z] [--force]`: moves the org's stored calendar
// (its events' local day and minute, and the rollups keyed on them) to its time zone in the
// foreground, as the server does in the background when the setting changes (calendar-change.ts).
import { parseArgs } from 'node:util'
import { SettingsStore } from '../analytics/settings.ts'
import { timeZoneNames } from '../schemas/api/settings.ts'
import type { Config } from '../schemas/config.ts'
import { orgSchema } from '../schemas/event.ts'
import { ProgressBar } from '../terminal/progress.ts'
import { calendarSettleMs, changeCalendar } from './calendar-change.ts'
import { createStore } from './clickhouse.ts'
import { migrate } from './migrate.ts'

export const calendarUsage = `  calendar rebuild --org ORG [--zone ZONE] [--force]
                                     restamp the org's events with their local day and minute in
                                     ZONE (default: the org's time_zone setting) and rebuild its
                                     rollups; nothing to do when its calendar is ready there
                                     (--force: do it anyway). The server does the same by itself
                                     when the setting changes; stop it first on an embedded DATA_DIR`

export async function calendarCommand(config: Config, args: string[]): Promise<number> {
  const [action, ...rest] = args
  const fail = (message: string) => {
    console.error(`implication calendar: ${message}\n\nUsage:\n${calendarUsage}`)
    return 1
  }
  if (action !== 'rebuild') return fail(`expected "rebuild"${action ? `, not "${action}"` : ''}`)
  let values: { org?: string; zone?: string; force?: boolean }
  try {
    values = parseArgs({
      args: rest,
      options: { org: { type: 'string' }, zone: { type: 'string' }, force: { type: 'boolean' } },
    }).values
  } catch (err) {
    return fail((err as Error).message)
  }
  if (values.org === undefined) return fail('--org ORG is required')
  const org = values.org
  if (!orgSchema.safeParse(org).success) return fail(`--org: "${org}" is not a valid org name`)
  if (values.zone !== undefined && !(timeZoneNames as readonly string[]).includes(values.zone))
    return fail(`--zone: "${values.zone}" is not an IANA time zone (e.g. Europe/Paris)`)

  const store = await createStore(config)
  try {
    await migrate(store.client)
    const setting = (await new SettingsStore(store.client).get(org)).time_zone
    const zone = values.zone ?? setting
    if (zone !== setting) {
      console.error(
        `implication calendar: note: ${org}'s time_zone setting is ${setting}; its metrics read the rollups only in that zone, and the server moves the calendar back to it when it starts`,
      )
    }
    const started = performance.now()
    const progress = new ProgressBar(`calendar ${org}`, process.stderr)
    const report = await changeCalendar(store.client, org, zone, {
      settleMs: calendarSettleMs(store),
      force: values.force === true,
      onProgress: progress.update,
      onStep: (message) => console.error(message),
    })
    progress.finish()
    const seconds = (performance.now() - started) / 1000
    console.log(
      report.changed
        ? `calendar of ${org} ready in ${zone}: ${report.restamped} events restamped, rollups rebuilt from ${report.events} events over ${report.months} months (${report.rounds} round${report.rounds === 1 ? '' : 's'}) in ${seconds.toFixed(1)} s`
        : `calendar of ${org} already ready in ${zone}: nothing to do (--force to rebuild it anyway)`,
    )
    return 0
  } finally {
    await store.close()
  }
}
