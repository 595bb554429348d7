// One import, whatever the source and destination: judge, then write in batches (roster and
// refusals first, so the events' workforce exists when they land), reporting progress.
import { randomUUID } from 'node:crypto'
import type { ProgressListener } from '../terminal/progress.ts'
import type { SourceParse } from './model.ts'
import { type ImportSummary, judgeImport } from './pipeline.ts'
import type { ImportTarget } from './write.ts'

export interface RunImportOptions {
  org: string
  /** Null for a dry run: judge and summarise, write nothing. */
  target: ImportTarget | null
  onProgress?: ProgressListener
  batchSize?: number
  now?: Date
}

export async function runImport(parse: SourceParse, options: RunImportOptions): Promise<ImportSummary> {
  const requestId = `import-${parse.source}-${randomUUID()}`
  const judged = judgeImport(parse, options.org, requestId, options.now)
  const { summary } = judged
  const target = options.target
  if (!target) return summary
  summary.dryRun = false
  summary.destination = target.describe
  await target.write({ rejections: judged.rejections, ...(judged.roster ? { roster: judged.roster } : {}) })
  const size = options.batchSize ?? 20_000
  const total = judged.stored.length
  for (let i = 0; i < total; i += size) {
    await target.write({ events: judged.stored.slice(i, i + size), lines: judged.lines.slice(i, i + size) })
    const done = Math.min(total, i + size)
    options.onProgress?.({ done, total, events: done, date: judged.stored[done - 1]!.time.slice(0, 10) })
  }
  const answer = await target.finish()
  if (answer.accepted !== undefined) {
    summary.apiAccepted = answer.accepted
    summary.apiRejected = answer.rejected ?? 0
  }
  return summary
}
