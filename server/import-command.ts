// `implication import slack|engage|csv PATH --org ORG [...]`: reads the export, judges every
// event, writes into the store (or through the API with --to), prints a progress bar on stderr
// and the closing summary on stdout. --dry-run prints the summary and writes nothing. The
// importers get the store's client and the pseudonymiser from here.
import { parseArgs } from 'node:util'
import { ApiError } from '../api-client/client.ts'
import { type CsvMapping, parseColumnMap, parseTypeMap } from '../importers/csv.ts'
import { defaultImportTimeZone, isTimeZone } from '../importers/dates.ts'
import { readExport } from '../importers/files.ts'
import { ImportError, type ImportSource, importSources } from '../importers/model.ts'
import { orgTimeZone, parseSource } from '../importers/parse-source.ts'
import { formatImportSummary } from '../importers/pipeline.ts'
import { runImport } from '../importers/run.ts'
import { ApiTarget, type ImportTarget, StoreTarget } from '../importers/write.ts'
import { IngestPseudonymiser } from '../ingest/pseudonymise.ts'
import { configureRejectedStore } from '../ingest/rejected-store.ts'
import type { Config } from '../schemas/config.ts'
import { orgPattern } from '../schemas/event.ts'
import { features } from '../schemas/event-catalogue.ts'
import { ProgressBar } from '../terminal/progress.ts'
import { createStore } from './clickhouse.ts'
import { migrate } from './migrate.ts'
import { resolvePseudonymKey } from './pseudonyms.ts'

export const importUsage = `  import slack EXPORT.zip --org ORG          a Slack workspace export (zip or unpacked folder)
  import engage EXPORT.zip|DIR --org ORG     a Viva Engage (Yammer) network data export
  import csv FILE.csv --org ORG --map type=COL,time=COL,actor=COL[,space=COL,id=COL,...]
         [--types "Value=type[:feature],..."] [--feature F] [--source NAME] [--encoding auto|utf8|latin1]
                                     history from a platform's export. Options of every source:
                                     [--dry-run] [--tz ZONE] [--to URL --token TOKEN]; times without
                                     a zone are read in --tz (default: the org's time zone setting,
                                     else Europe/Paris). Same export twice: each thing counted once.`

export async function importCommand(config: Config, args: string[]): Promise<number> {
  const fail = (message: string) => {
    console.error(`implication import: ${message}`)
    return 1
  }
  let parsed: ReturnType<typeof parseImportArgs>
  try {
    parsed = parseImportArgs(args)
  } catch (err) {
    return fail((err as Error).message)
  }
  const { values, positionals } = parsed
  const [source, location] = positionals as [string | undefined, string | undefined]
  if (!source || !(importSources as readonly string[]).includes(source)) {
    return fail(`name the source: ${importSources.join(', ')}\n\nUsage:\n${importUsage}`)
  }
  if (!location) return fail(`name the export to read (implication import ${source} PATH --org ORG)`)
  if (!values.org || !orgPattern.test(values.org))
    return fail('--org ORG is required (lower-case letters, digits, - and _)')
  if (values.to && !values.token) return fail('--to needs --token (an ingest or admin token)')
  if (!values.to && values.token) return fail('--token only applies with --to')
  if (values.tz && !isTimeZone(values.tz))
    return fail(`--tz: "${values.tz}" is not an IANA time zone (e.g. Europe/Paris)`)

  let mapping: CsvMapping | undefined
  try {
    if (source === 'csv') {
      if (!values.map) return fail('csv needs --map type=COLUMN,time=COLUMN,actor=COLUMN[,...]')
      if (values.feature && !(features as readonly string[]).includes(values.feature)) {
        return fail(`--feature: unknown feature "${values.feature}" (features: ${features.join(', ')})`)
      }
      const encoding = values.encoding ?? 'auto'
      if (!['auto', 'utf8', 'latin1'].includes(encoding))
        return fail('--encoding must be auto, utf8 or latin1')
      mapping = {
        columns: parseColumnMap(values.map),
        types: values.types ? parseTypeMap(values.types) : {},
        ...(values.feature ? { defaultFeature: values.feature as CsvMapping['defaultFeature'] } : {}),
        source: values.source ?? 'csv',
        encoding: encoding as CsvMapping['encoding'],
      }
    } else if (values.map || values.types || values.encoding || values.feature || values.source) {
      return fail('--map, --types, --feature, --source and --encoding only apply to csv')
    }
  } catch (err) {
    if (err instanceof ImportError) return fail(err.message)
    throw err
  }

  const store = values.to || (values['dry-run'] && values.tz) ? null : await createStore(config)
  try {
    if (store) {
      await migrate(store.client)
      // Refused rows of an import are kept under the same per-org cap as the API's.
      configureRejectedStore(store.client, {
        cap: { rows: config.REJECTED_MAX_ROWS_PER_ORG, bytes: config.REJECTED_MAX_BYTES_PER_ORG },
        onError: (err) => console.error(`trimming the rejected store to its cap failed: ${err.message}`),
      })
    }
    const timeZone =
      values.tz ?? (store ? await orgTimeZone(store.client, values.org) : defaultImportTimeZone)
    const files = readExport(location)
    const parse = parseSource(source as ImportSource, files, {
      org: values.org,
      timeZone,
      ...(mapping ? { mapping } : {}),
    })
    let target: ImportTarget | null = null
    if (!values['dry-run']) {
      target = values.to
        ? new ApiTarget({ url: values.to, token: values.token!, org: values.org })
        : new StoreTarget(
            store!.client,
            values.org,
            store!.describe,
            new IngestPseudonymiser(
              store!.client,
              resolvePseudonymKey(config.IMPLICATION_PSEUDONYM_KEY, config.DATA_DIR),
            ),
          )
    }
    const progress = new ProgressBar(`import ${source}`, process.stderr)
    try {
      const summary = await runImport(parse, { org: values.org, target, onProgress: progress.update })
      progress.finish()
      console.log(formatImportSummary(summary))
      console.log(`  times without a zone read in ${timeZone}`)
      return 0
    } catch (err) {
      progress.finish()
      throw err
    }
  } catch (err) {
    if (err instanceof ImportError || err instanceof ApiError) return fail(err.message)
    throw err
  } finally {
    await store?.close()
  }
}

function parseImportArgs(args: string[]) {
  const text = { type: 'string' } as const
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      org: text,
      to: text,
      token: text,
      tz: text,
      map: text,
      types: text,
      feature: text,
      source: text,
      encoding: text,
      'dry-run': { type: 'boolean', default: false },
    },
  })
}
