// Adopters by segment (METRICS.md "Rogers segments"): every workforce member as of the range end
// with their segment and adoption time, labelled as the org's privacy settings say.
import { type Adopters, adoptersResponse } from '../../schemas/api/metrics/adopters.ts'
import { compareIds, loadPersonFacts } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays } from '../query.ts'
import { rogersSegments } from '../segments.ts'
import { workforceSource } from '../workforce.ts'

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
  response: adoptersResponse,
  compute: computeAdopters,
  tables: (r) => ({ people: r.people }),
})
