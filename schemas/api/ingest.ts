// Answers of the ingest routes: POST /v1/events, PUT /v1/orgs/:org/roster,
// GET /v1/orgs/:org/ingest/status and GET /v1/orgs/:org/rejected.
import { z } from 'zod'

/** One refused item of a POST /v1/events body. */
export const eventErrorSchema = z.object({
  index: z.number(),
  id: z.string().nullable(),
  path: z.string(),
  message: z.string(),
})
export type EventError = z.infer<typeof eventErrorSchema>

/** 202 of POST /v1/events. */
export const eventsAnswerResponse = z.object({
  accepted: z.number(),
  rejected: z.number(),
  errors: z.array(eventErrorSchema),
})
export type EventsAnswer = z.infer<typeof eventsAnswerResponse>

/** PUT /v1/orgs/:org/roster. */
export const rosterAnswerResponse = z.object({
  people: z.number(),
  rejected: z.number(),
  errors: z.array(z.object({ line: z.number(), path: z.string(), message: z.string() })),
  ignored_columns: z.array(z.string()),
})
export type RosterAnswer = z.infer<typeof rosterAnswerResponse>

/** GET /v1/orgs/:org/ingest/status. */
export const ingestStatusResponse = z.object({
  stored_events: z.number(),
  rejected_events: z.number(),
  rejected_dropped: z
    .number()
    .describe('refusals deleted to keep the rejected store within its cap, oldest first'),
  rejected_cap: z
    .object({ rows: z.number(), bytes: z.number() })
    .describe('the most the rejected store keeps for the org: rows, and bytes of raw text'),
  last_event_time: z.string().nullable(),
  last_received_at: z.string().nullable(),
  calendar: z
    .object({ zone: z.string(), ready: z.boolean() })
    .describe(
      'the time zone the stored days of the org are cut in, and whether they are ready in it: false while a change of the time_zone setting recomputes them (metrics then scan the raw events: the same answers, slower)',
    ),
})
export type IngestStatus = z.infer<typeof ingestStatusResponse>

/** One row of the rejected store: the refused input verbatim, with its reason. */
export const rejectedEventSchema = z.object({
  received_at: z.string(),
  channel: z.string(),
  request_id: z.string(),
  index: z.number(),
  event_id: z.string(),
  path: z.string(),
  reason: z.string(),
  raw: z.string(),
})
export type RejectedEvent = z.infer<typeof rejectedEventSchema>

/** GET /v1/orgs/:org/rejected: a page, newest first. */
export const rejectedPageResponse = z.object({
  rejected: z.array(rejectedEventSchema),
  next_cursor: z.string().nullable(),
})
export type RejectedPage = z.infer<typeof rejectedPageResponse>
