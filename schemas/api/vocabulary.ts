// The closed sets of values that metric answers carry, as plain data: the response schemas
// (schemas/api/metrics/) enumerate them and the dashboard reads them without zod.

/** Rogers segments, in adoption order; `non_adopters` last. */
export const segmentNames = [
  'innovators',
  'early_adopters',
  'early_majority',
  'late_majority',
  'laggards',
  'non_adopters',
] as const
export type Segment = (typeof segmentNames)[number]

/** Where the workforce comes from: the roster, or (without one) the actors seen so far. */
export const workforceSources = ['roster', 'actors'] as const
export type WorkforceSource = (typeof workforceSources)[number]

/** Participation tiers, from the most involved: by a person's highest event level in the window
 * (create, contribute, react, view), then the workforce members with nothing. */
export const tierNames = ['creators', 'contributors', 'reactors', 'lurkers', 'inactive'] as const
export type Tier = (typeof tierNames)[number]

/** The five ratios of the Implication Index, in the order of its answer. */
export const indexComponents = ['adoption', 'depth', 'stickiness', 'reach', 'responsiveness'] as const
export type IndexComponent = (typeof indexComponents)[number]
