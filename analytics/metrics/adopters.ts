// Adopters by segment (METRICS.md "Rogers segments"): every workforce member as of the range end
// with their segment and adoption day. METRICS.md "Privacy rules that change numbers": the list
// goes to admin, and to community managers when the org turned named lists on; exec, hr and
// community managers without named lists get the counts by segment, the list null.
import { type Adopters, adoptersResponse, type PersonListState } from '../../schemas/api/metrics/adopters.ts'
import { compareIds, loadLaunch, loadPersonFacts } from '../adoption-facts.ts'
import { type MetricContext, registerMetric } from '../metric.ts'
import { addDays } from '../query.ts'
import { rogersSegments, segmentCounts } from '../segments.ts'
import type { Row } from '../tabular.ts'
import { workforceSource } from '../workforce.ts'

/**
 * Whether the caller gets per-person lists (adopters, champions): admin, and community managers
 * when the org turned named lists on. Without a role: no (the safe default).
 */
export function seesPersonLists(ctx: Pick<MetricContext, 'role' | 'settings'>): boolean {
  return (
    ctx.role === 'admin' ||
    (ctx.role === 'community_manager' && ctx.settings.named_lists_for_community_managers)
  )
}

export function personListState(ctx: Pick<MetricContext, 'role' | 'settings'>): PersonListState {
  return seesPersonLists(ctx) ? 'shown' : 'withheld_for_role'
}

export async function computeAdopters(ctx: MetricContext): Promise<Adopters> {
  const source = await workforceSource(ctx)
  const [people, launch] = await Promise.all([loadPersonFacts(ctx, source), loadLaunch(ctx)])
  const segmented = rogersSegments(people, addDays(ctx.query.range.to, -1), launch, source)
  const counts = { workforce_source: source, segments: segmentCounts(segmented), total: segmented.length }
  if (!seesPersonLists(ctx)) return { ...counts, person_list: 'withheld_for_role', people: null }

  const listed = segmented.map(({ person: p, segment, cohort, days_to_adopt }) => ({
    person: ctx.personLabel(p.person),
    segment,
    // The local day of the adoption in the org's zone (adoption-facts.ts), never the instant.
    adopted_on: segment === 'non_adopters' ? null : p.adopted_day,
    cohort,
    days_to_adopt,
    department: p.department,
    site: p.site,
  }))
  // Adopters keep their rank order; non-adopters follow by label, so no id order shows through.
  const adopters = listed.filter((p) => p.segment !== 'non_adopters')
  const others = listed
    .filter((p) => p.segment === 'non_adopters')
    .sort((a, b) => compareIds(a.person, b.person))
  return { ...counts, person_list: 'shown', people: [...adopters, ...others] }
}

export const adopters = registerMetric({
  name: 'adopters',
  summary:
    'Workforce members with their Rogers segment and adoption day (admin, and community managers with named lists); counts by segment for every role',
  response: adoptersResponse,
  compute: computeAdopters,
  // The list's table only where the list is; the counts for everyone.
  tables: (r): Record<string, Row[]> =>
    r.people ? { people: r.people, segments: r.segments } : { segments: r.segments },
})
