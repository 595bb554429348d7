// Questions and their first reply (METRICS.md "Communities"): per question asked in the range, its
// first answer or comment from someone other than the asker (`questionRows`: communities judges
// it in business time, analytics/business-time.ts); and per space, how many got one within 24
// hours of clock time, how many got none, and the median delay (`questionOutcomes`: the roi
// responsiveness).
//
// A reply (`comment.created` or `answer.created`) belongs to a question when its `parent` is the
// question's key: the `object` of the `question.asked` event, or its `id` when it names no object.
// Replies match on `parent` alone, whatever space they carry. A question asked twice under one key
// is one question, asked by whoever asked first. Only replies by someone other than the asker, at
// or after the question, count. Replies are read up to the end of the range, so the answer as of
// a past range never changes (a question asked late in the range may not have had its 24 h).
// Questions and replies are social events: they read the rows of `rollup_social_events`.
import type { MetricContext } from './context.ts'
import type { MetricQuery } from './query.ts'
import { dayInRange } from './rollups.ts'
import { runQuery } from './run.ts'
import { baseParams, timeInRange } from './sql.ts'
import { rollupRows } from './tables.ts'

/** The query with only the filters `filters` keeps (the others do not apply to these rows). */
export function narrowedTo(ctx: MetricContext, filters: MetricQuery['filters']): MetricContext {
  const kept = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined))
  return { ...ctx, query: { ...ctx.query, filters: kept } }
}

/**
 * One row per question asked in the range: its space, asker, when it was asked and the first
 * reply by someone other than the asker, at or after it, up to the range end (NULL: none).
 */
function questionsWithFirstReplySql(ctx: MetricContext): string {
  // The space filter applies to the question; department and site to its asker; no filter to
  // the replies.
  const { space, department, site } = ctx.query.filters
  const questions = rollupRows(narrowedTo(ctx, { space, department, site }), 'rollup_social_events', {
    events: `type = 'question.asked' AND ${dayInRange}`,
  })
  const replies = rollupRows(narrowedTo(ctx, {}), 'rollup_social_events', {
    events: `type IN ('comment.created', 'answer.created') AND parent != '' AND ${dayInRange}`,
  })
  return `
      SELECT q.space AS space, q.question AS question, any(q.asked_at) AS asked_at,
             minIfOrNull(r.time, r.actor != q.asker AND r.time >= q.asked_at) AS first_reply_at
      FROM (
        SELECT space, if(object != '', object, id) AS question, min(time) AS asked_at,
               argMin(actor, time) AS asker
        FROM ${questions}
        WHERE type = 'question.asked' AND ${timeInRange}
        GROUP BY space, question
      ) AS q
      LEFT JOIN (
        SELECT parent, actor, time FROM ${replies}
        WHERE type IN ('comment.created', 'answer.created') AND parent != ''
          AND ${timeInRange}
      ) AS r ON r.parent = q.question
      GROUP BY q.space, q.question`
}

export function questionOutcomesSql(ctx: MetricContext): string {
  return `
    SELECT space,
           count() AS questions,
           countIf(first_reply_at IS NOT NULL AND first_reply_at <= asked_at + INTERVAL 24 HOUR) AS answered_24h,
           countIf(first_reply_at IS NULL) AS unanswered,
           if(countIf(first_reply_at IS NOT NULL) = 0, NULL,
              quantileExactInclusiveIf(0.5)(
                (toUnixTimestamp64Milli(assumeNotNull(first_reply_at)) - toUnixTimestamp64Milli(asked_at)) / 60000,
                first_reply_at IS NOT NULL)) AS median_first_reply_minutes
    FROM (${questionsWithFirstReplySql(ctx)}
    )
    GROUP BY space`
}

/** Per question of the range (communities, business time): times in ms since the epoch. */
export function questionRowsSql(ctx: MetricContext): string {
  return `
    SELECT space, toFloat64(toUnixTimestamp64Milli(asked_at)) AS asked_ms,
           if(first_reply_at IS NULL, NULL, toFloat64(toUnixTimestamp64Milli(assumeNotNull(first_reply_at)))) AS reply_ms
    FROM (${questionsWithFirstReplySql(ctx)}
    )`
}

export interface QuestionRow {
  space: string
  asked_ms: number
  reply_ms: number | null
}

/** The questions of the range, each with its first reply by another person (`''`: no space). */
export async function questionRows(ctx: MetricContext): Promise<QuestionRow[]> {
  const rows = await runQuery<QuestionRow>(ctx.client, questionRowsSql(ctx), baseParams(ctx.query))
  return rows.map((r) => ({
    space: r.space,
    asked_ms: Number(r.asked_ms),
    reply_ms: r.reply_ms === null ? null : Number(r.reply_ms),
  }))
}

export interface QuestionOutcomes {
  space: string
  questions: number
  answered_24h: number
  unanswered: number
  median_first_reply_minutes: number | null
}

/** Per space (`''` for questions asked outside any space). */
export function questionOutcomes(ctx: MetricContext): Promise<QuestionOutcomes[]> {
  return runQuery<QuestionOutcomes>(ctx.client, questionOutcomesSql(ctx), baseParams(ctx.query))
}

/** The share of all questions answered by someone else within 24 h; null without questions. */
export function responsiveness(outcomes: readonly QuestionOutcomes[]): number | null {
  const questions = outcomes.reduce((s, o) => s + o.questions, 0)
  const answered = outcomes.reduce((s, o) => s + o.answered_24h, 0)
  return questions > 0 ? answered / questions : null
}
