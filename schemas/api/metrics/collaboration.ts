// Answer of GET /v1/orgs/:org/metrics/collaboration.
import { z } from 'zod'

const yardsticks = {
  expected_cross_share: z
    .number()
    .nullable()
    .describe(
      'the cross share random mixing would give: 1 − Σ_d a_d·t_d, with a_d and t_d the shares of interactions whose actor, whose target, is in department d; null without interactions',
    ),
  mixing: z
    .number()
    .nullable()
    .describe(
      'share ÷ expected_cross_share: 1 is random mixing, below 1 silos; null when nothing is expected to cross',
    ),
  ei_index: z
    .number()
    .nullable()
    .describe(
      "Krackhardt's E-I index: (cross − inside) ÷ interactions, from −1 (all inside) to 1 (all across)",
    ),
}

export const collaborationResponse = z.object({
  series: z
    .array(
      z.object({
        period: z.string().describe('first day of the period'),
        interactions: z.number().describe('interactions between two roster people with a department'),
        cross_department: z.number().describe('those whose actor and target are in different departments'),
        share: z.number().nullable().describe('cross_department ÷ interactions; null without interactions'),
        ...yardsticks,
      }),
    )
    .describe('one row per period of the range; empty without a roster'),
  matrix: z
    .array(
      z.object({
        from_department: z.string().describe("the actor's department"),
        to_department: z.string().describe("the target's department"),
        suppressed: z
          .boolean()
          .describe(
            'withheld: either department is withheld (METRICS.md "Privacy rules"); interactions are null',
          ),
        interactions: z
          .number()
          .nullable()
          .describe('interactions from the one to the other over the range; null when withheld'),
      }),
    )
    .describe('interactions over the range by (actor department, target department), non-zero cells only'),
  interactions: z.number().nullable().describe('interactions over the range; null without a roster'),
  share: z.number().nullable().describe('cross-department share over the range'),
  ...yardsticks,
  reason: z.string().nullable().describe('why share is null, when it is'),
})
export type Collaboration = z.infer<typeof collaborationResponse>
