// The simulator's `--to URL` output: the run goes through the public API as a platform would send
// it (api-client/client.ts), the roster as CSV first, then the day's NDJSON lines, with malformed
// and duplicate lines mixed in when asked.
import { ApiClient, type ApiClientOptions } from '../api-client/client.ts'
import type { RosterPerson } from '../schemas/roster.ts'
import type { BadDays } from './bad-days.ts'
import type { EventFormatter, SimEvent } from './event-format.ts'
import { rosterCsv } from './organisation.ts'
import type { OutputReport, SimulationOutput } from './outputs.ts'
import { linesOf } from './outputs.ts'

export class ApiOutput implements SimulationOutput {
  readonly takesBadLines = true
  private formatter: EventFormatter | null = null
  private readonly client: ApiClient

  constructor(
    options: ApiClientOptions,
    private readonly badDays: BadDays | null,
  ) {
    this.client = new ApiClient(options)
  }

  async start(roster: readonly RosterPerson[], formatter: EventFormatter): Promise<void> {
    this.formatter = formatter
    await this.client.putRoster(rosterCsv(roster))
  }

  async write(events: readonly SimEvent[], ids: readonly string[]): Promise<void> {
    await this.client.writeLines(linesOf(this.formatter!, events, ids, this.badDays))
  }

  async finish(): Promise<OutputReport> {
    const rest: string[] = []
    this.badDays?.flush(rest)
    await this.client.writeLines(rest)
    return this.client.finish()
  }
}
