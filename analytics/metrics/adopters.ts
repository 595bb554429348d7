// Adopters by segment (METRICS.md "Rogers segments"): every workforce member as of the range end
// with their segment and adoption time, labelled as the org's privacy settings say.
import { z } from 'zod'
import { compareIds, loadPersonFacts } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays } from '../query.ts'
import { rogersSegments, segmentNames } from '../segments.ts'
import { workforceSource } from '../workforce.ts'

const person = z.object({
  person: z.string().describe('a stable pseudonym, or the id when named lists are on for the caller'),
  segment: z.enum(segmentNames).describe('Rogers segment as of the range end'),
  adopted_at: z
    .string()
    .nullable()
    .describe('time of the first engaged event, RFC 3339 UTC; null for non-adopters as of the range end'),
  department: z.string().describe("from the roster ('' when none)"),
  site: z.string().describe("from the roster ('' when none)"),
})

const response = z.object({
  workforce_source: z
    .enum(['roster', 'actors'])
    .describe('the roster, or (without one) the distinct actors seen up to each day'),
  people: z
    .array(person)
    .describe('workforce members as of the range end: adopters by (adoption time, id), then non-adopters'),
  total: z.number().describe('number of people listed (the workforce as of the range end)'),
})
export type Adopters = z.infer<typeof response>

export async function computeAdopters(ctx: MetricContext): Promise<Adopters> {
  const source = await workforceSource(ctx)
  const people = await loadPersonFacts(ctx, source)
  const segmented = rogersSegments(people, addDays(ctx.query.range.to, -1))
  const listed = segmented.map(({ person: p, segment }) => ({
    person: ctx.personLabel(p.person),
    segment,
    adopted_at: segment === 'non_adopters' ? null : p.adopted_at,
    department: p.department,
    site: p.site,
  }))
  // Adopters keep their rank order; non-adopters follow by label, so no id order shows through.
  const adopters = listed.filter((p) => p.segment !== 'non_adopters')
  const others = listed
    .filter((p) => p.segment === 'non_adopters')
    .sort((a, b) => compareIds(a.person, b.person))
  return { workforce_source: source, people: [...adopters, ...others], total: listed.length }
}

export const adopters = registerMetric({
  name: 'adopters',
  summary: 'Workforce members with their Rogers segment and adoption time (pseudonymous by default)',
  breakdowns: [],
  response,
  compute: computeAdopters,
  tables: (r) => ({ people: r.people }),
})
