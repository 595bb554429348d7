// Where simulated events go: straight into the store (the default), into files (`--out DIR`), or
// through the public API (`--to URL`, in api-output.ts). Each takes the roster first, then the
// events day by day, and says at the end what it wrote.
import { once } from 'node:events'
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ClickHouseClient } from '@clickhouse/client'
import { writeEvents } from '../ingest/event-writer.ts'
import { saveRosterSnapshot } from '../ingest/roster.ts'
import type { StoredEvent } from '../schemas/event.ts'
import type { RosterPerson } from '../schemas/roster.ts'
import type { BadDays } from './bad-days.ts'
import type { EventFormatter, SimEvent } from './event-format.ts'
import { storeTime } from './event-format.ts'
import type { GroundTruth } from './ground-truth.ts'
import { rosterCsv } from './organisation.ts'

export interface OutputReport {
  /** Where the events went, for the summary. */
  destination: string
  /** Lines sent or written, malformed and duplicates included. */
  lines: number
  /** What the API answered (API output only). */
  accepted?: number
  rejected?: number
}

export interface SimulationOutput {
  /** Whether malformed and duplicate lines can be mixed in (not into the store). */
  readonly takesBadLines: boolean
  start(roster: readonly RosterPerson[], formatter: EventFormatter): Promise<void>
  write(events: readonly SimEvent[], ids: readonly string[]): Promise<void>
  /** `groundTruth` is complete only once the last bad lines are flushed, hence a function. */
  finish(groundTruth: () => GroundTruth): Promise<OutputReport>
}

/**
 * Into the store of this process, without the HTTP hop: the rows are built directly (a test proves
 * they equal what `judgeEvent` makes of the wire events). One insert runs while the next batch is built.
 */
export class StoreOutput implements SimulationOutput {
  readonly takesBadLines = false
  private formatter: EventFormatter | null = null
  private batch: StoredEvent[] = []
  private inFlight: Promise<void> = Promise.resolve()
  private failure: unknown = null
  private rows = 0

  constructor(
    private readonly client: ClickHouseClient,
    private readonly org: string,
    private readonly describe = 'the store',
    private readonly batchRows = 100_000,
  ) {}

  async start(roster: readonly RosterPerson[], formatter: EventFormatter): Promise<void> {
    this.formatter = formatter
    await saveRosterSnapshot(this.client, this.org, roster)
  }

  async write(events: readonly SimEvent[], ids: readonly string[]): Promise<void> {
    const formatter = this.formatter!
    const receivedAt = storeTime(Date.now())
    for (let i = 0; i < events.length; i++) this.batch.push(formatter.stored(events[i]!, ids[i]!, receivedAt))
    if (this.batch.length >= this.batchRows) await this.flush()
  }

  private async flush(): Promise<void> {
    const rows = this.batch
    this.batch = []
    // At most one insert in flight: wait for the previous one, then let this one run behind
    // generation. Its failure is kept and thrown by the next flush: never an unhandled rejection.
    await this.settle()
    if (rows.length === 0) return
    this.rows += rows.length
    this.inFlight = writeEvents(this.client, rows, { writer: 'simulation' }).then(
      () => undefined,
      (err: unknown) => {
        this.failure = err
      },
    )
  }

  private async settle(): Promise<void> {
    await this.inFlight
    if (this.failure) throw this.failure
  }

  async finish(): Promise<OutputReport> {
    await this.flush()
    await this.settle()
    return { destination: this.describe, lines: this.rows }
  }
}

/** `events.ndjson`, `roster.csv` and `ground-truth.json` in a directory. */
export class FilesOutput implements SimulationOutput {
  readonly takesBadLines = true
  private formatter: EventFormatter | null = null
  private stream: ReturnType<typeof createWriteStream> | null = null
  private lines = 0
  private failure: Error | null = null

  constructor(
    private readonly dir: string,
    private readonly badDays: BadDays | null,
  ) {}

  async start(roster: readonly RosterPerson[], formatter: EventFormatter): Promise<void> {
    mkdirSync(this.dir, { recursive: true })
    writeFileSync(path.join(this.dir, 'roster.csv'), rosterCsv(roster))
    this.formatter = formatter
    this.stream = createWriteStream(path.join(this.dir, 'events.ndjson'))
    this.stream.on('error', (err) => {
      this.failure = err
    })
  }

  async write(events: readonly SimEvent[], ids: readonly string[]): Promise<void> {
    const lines = linesOf(this.formatter!, events, ids, this.badDays)
    await this.writeLines(lines)
  }

  private async writeLines(lines: string[]): Promise<void> {
    if (this.failure) throw this.failure
    if (lines.length === 0) return
    this.lines += lines.length
    const stream = this.stream!
    // Back-pressure: wait for the file to take what it has (`once` rejects on a write error).
    if (!stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain')
  }

  async finish(groundTruth: () => GroundTruth): Promise<OutputReport> {
    const rest: string[] = []
    this.badDays?.flush(rest)
    await this.writeLines(rest)
    const stream = this.stream!
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject)
      stream.end(resolve)
    })
    if (this.failure) throw this.failure
    writeFileSync(path.join(this.dir, 'ground-truth.json'), `${JSON.stringify(groundTruth(), null, 1)}\n`)
    return { destination: this.dir, lines: this.lines }
  }
}

/** NDJSON lines of a day, with malformed and duplicate lines mixed in when asked. */
export function linesOf(
  formatter: EventFormatter,
  events: readonly SimEvent[],
  ids: readonly string[],
  badDays: BadDays | null,
): string[] {
  const out: string[] = []
  for (let i = 0; i < events.length; i++) {
    const line = formatter.line(events[i]!, ids[i]!)
    if (badDays?.active) badDays.mix(line, out)
    else out.push(line)
  }
  return out
}
