// Features are taken up at different times: files and wiki from the launch, groups and articles
// soon after, messaging and bookmarks later, Q&A and meeting polls last. Times are shares of the
// period, so a short run shows every feature too.
import type { Feature } from '../schemas/event-catalogue.ts'

/** Where in the period (0 = start, 1 = end) each feature's take-up begins. */
export const featureLaunch: Record<Exclude<Feature, 'platform' | 'email'>, number> = {
  files: 0,
  wiki: 0,
  groups: 0,
  articles: 0.04,
  messaging: 0.12,
  bookmarks: 0.18,
  qa: 0.3,
  events: 0.42,
}

/** Take-up goes from nothing to full over this share of the period after its launch. */
const rampShare = 0.12

/** How far a feature is taken up (0–1) at a point of the period (0–1). */
export function featureUptake(feature: keyof typeof featureLaunch, progress: number): number {
  const launch = featureLaunch[feature]
  if (progress < launch) return 0
  const x = (progress - launch) / rampShare
  return x >= 1 ? 1 : 0.15 + 0.85 * x
}
