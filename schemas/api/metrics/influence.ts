// Answer of GET /v1/orgs/:org/metrics/influence: diffusion flows between Rogers segments and champions.
import { z } from 'zod'
import { type Segment, segmentNames } from '../vocabulary.ts'
import { personListSchema } from './adopters.ts'

export const adopterSegments = segmentNames.filter((s) => s !== 'non_adopters') as Exclude<
  Segment,
  'non_adopters'
>[]
/** Influencers who were adopters when they acted but are no longer in the workforce at the range end. */
export const formerMembers = 'former_members'
export const influencerSegments = [...adopterSegments, formerMembers] as const
export type InfluencerSegment = (typeof influencerSegments)[number]
export type AdopterSegment = (typeof adopterSegments)[number]

/** How many champions the answer lists. */
export const maxChampions = 20

const flow = z.object({
  from: z
    .enum(influencerSegments)
    .describe(`influencer's segment as of the range end (${formerMembers}: left the workforce since)`),
  to: z.enum(adopterSegments).describe("adopter's segment as of the range end"),
  credit: z.number().describe('adoptions credited, each adopter split equally between their influencers'),
})

const champion = z.object({
  person: z
    .string()
    .describe(
      'the person id: the list goes only to roles that see names (admin, community managers with named lists)',
    ),
  segment: z.enum(influencerSegments).describe('segment as of the range end, as in `from`'),
  department: z.string().describe("from the roster ('' when none)"),
  influenced: z.number().describe('adopters of the range this person influenced'),
  credit: z.number().describe('their share of those adoptions (1 / number of influencers, summed)'),
})

export const influenceResponse = z.object({
  flows: z.array(flow).describe('non-zero flows, in segment order (for every role: segments, not people)'),
  person_list: personListSchema,
  champions: z
    .array(champion)
    .nullable()
    .describe(
      `the ${maxChampions} people with the most credit (then the most adopters influenced); null when \`person_list\` is withheld_for_role`,
    ),
  influencers: z
    .number()
    .describe('people credited with at least one adoption of the range (all of them, not only those listed)'),
  influenced_adopters: z.number().describe('adopters of the range with at least one influencer'),
  adopters_in_range: z
    .number()
    .describe('workforce members as of the range end whose adoption time falls in the range'),
})
export type Influence = z.infer<typeof influenceResponse>
