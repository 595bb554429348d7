// `POST /v1/orgs/:org/imports/:source`: the dashboard's "Import history". The body is the
// export itself (a zip, or one CSV file); `dry_run=1` answers the summary without writing.
// Writes go straight into the store through `writeImported`, like the command line.
import type { ClickHouseClient } from '@clickhouse/client'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { IngestPseudonymiser } from '../ingest/pseudonymise.ts'
import { importSummaryResponse } from '../schemas/api/imports.ts'
import { type CsvMapping, parseColumnMap, parseTypeMap } from './csv.ts'
import { isTimeZone } from './dates.ts'
import { type ExportFiles, isZip, readZip } from './files.ts'
import { ImportError, importSources } from './model.ts'
import { orgTimeZone, parseSource } from './parse-source.ts'
import { runImport } from './run.ts'
import { StoreTarget } from './write.ts'

export interface ImportRoutesOptions {
  client: ClickHouseClient
  /** Pseudonymises person ids of the orgs that asked for it, as the ingest routes do. */
  pseudonymiser?: IngestPseudonymiser
  maxBytes: number
}

/** A bad upload or parameter: answered 400 by the app's error handler, with the field if any. */
class UploadError extends Error {
  readonly statusCode = 400
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .default('0')
  .transform((v) => v === '1' || v === 'true')

export async function importRoutes(app: FastifyInstance, options: ImportRoutesOptions): Promise<void> {
  const typed = app.withTypeProvider<ZodTypeProvider>()
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.maxBytes }, (_req, body, done) =>
    done(null, body),
  )

  typed.post(
    '/v1/orgs/:org/imports/:source',
    {
      bodyLimit: options.maxBytes,
      schema: {
        summary: 'Import history from a platform export (Slack zip, Viva Engage zip, activity CSV)',
        description:
          'The body is the export: a zip archive (application/zip), or for csv one CSV file (text/csv). ' +
          'Event ids come from the source ids: importing the same export twice counts everything once. ' +
          'Refused rows go to the rejected store with their file and line.',
        tags: ['ingest'],
        params: z.object({
          org: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
          source: z.enum(importSources),
        }),
        querystring: z.object({
          dry_run: flag,
          tz: z
            .string()
            .optional()
            .describe('time zone of times without one (default: the org setting, else Europe/Paris)'),
          map: z.string().optional().describe('csv: type=COLUMN,time=COLUMN,actor=COLUMN[,space=...,id=...]'),
          types: z.string().optional().describe('csv: Value=type[:feature],...'),
          feature: z.string().optional().describe('csv: feature of types that need one'),
          source_name: z.string().min(1).max(64).optional().describe("csv: the events' source (default csv)"),
          encoding: z.enum(['auto', 'utf8', 'latin1']).default('auto'),
          filename: z.string().max(200).optional().describe('name of the uploaded file, kept with refusals'),
        }),
        response: { 200: importSummaryResponse },
      },
    },
    async (request) => {
      const { org, source } = request.params
      const q = request.query
      const body = request.body
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new UploadError('the request body is empty: send the export')
      if (q.tz && !isTimeZone(q.tz)) throw new UploadError(`tz: "${q.tz}" is not an IANA time zone`, 'tz')
      try {
        let files: ExportFiles
        if (isZip(body)) files = readZip(body)
        else if (source === 'csv') files = new Map([[q.filename ?? 'upload.csv', body]])
        else throw new ImportError(`a ${source} export must be sent as a zip archive`)
        let mapping: CsvMapping | undefined
        if (source === 'csv') {
          if (!q.map)
            throw new ImportError('map: say which columns hold type, time and actor (type=…,time=…,actor=…)')
          mapping = {
            columns: parseColumnMap(q.map),
            types: q.types ? parseTypeMap(q.types) : {},
            ...(q.feature ? { defaultFeature: q.feature as CsvMapping['defaultFeature'] } : {}),
            source: q.source_name ?? 'csv',
            encoding: q.encoding,
          }
        }
        const timeZone = q.tz ?? (await orgTimeZone(options.client, org))
        const parse = parseSource(source, files, { org, timeZone, ...(mapping ? { mapping } : {}) })
        const target = q.dry_run
          ? null
          : new StoreTarget(options.client, org, 'the store', options.pseudonymiser)
        const summary = await runImport(parse, { org, target })
        return { ...summary, timeZone }
      } catch (err) {
        if (err instanceof ImportError) throw new UploadError(err.message)
        throw err
      }
    },
  )
}
