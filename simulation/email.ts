// The outside baseline: emails sent per person per working day, falling as the person's use of the
// platform matures — the displacement the platform is bought for.
import type { Random } from './random.ts'

/**
 * Weeks of email before the platform's launch (the simulated period's first day, when the
 * community managers open it): the email study compares each person's email before and after
 * they adopted, and the earliest adopters need a before. Only `email.sent` events in them.
 */
export const preLaunchWeeks = 8

export interface EmailHabit {
  /** Emails on an ordinary working day before the platform. */
  baseline: number
  engagement: number
  /** Weeks since the person adopted; negative when they have not. */
  weeksSinceAdoption: number
  dormant: boolean
}

/** The share of email a person no longer sends: up to three fifths for the most engaged, after some months. */
export function emailDisplacement(habit: EmailHabit): number {
  if (habit.weeksSinceAdoption < 0) return 0
  const maturity = 1 - Math.exp(-habit.weeksSinceAdoption / 10)
  const depth = habit.engagement / (habit.engagement + 1.5)
  return 0.6 * maturity * depth * (habit.dormant ? 0.3 : 1)
}

/** The day's count (0 means no event: the contract's count starts at 1). */
export function emailCount(habit: EmailHabit, rng: Random): number {
  return rng.poisson(habit.baseline * (1 - emailDisplacement(habit)) * rng.between(0.7, 1.3))
}
