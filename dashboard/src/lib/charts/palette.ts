// Colours that mean the same thing on every chart: a Rogers segment is always its colour.
import type { Segment } from '../api/types.ts'

export const segmentColors: Record<Segment, string> = {
  innovators: '#7c3aed',
  early_adopters: '#2563eb',
  early_majority: '#0d9488',
  late_majority: '#65a30d',
  laggards: '#d97706',
  non_adopters: '#9ca3af',
}

/** Influencers who have left the workforce since they convinced someone. */
export const formerMembersColor = '#78716c'

export const lifecycleColors = {
  new: '#10b981',
  returning: '#4f46e5',
  resurrecting: '#0ea5e9',
  dormant: '#f43f5e',
  left: '#78716c',
} as const

export const activityColors = { dau: '#4f46e5', wau: '#0ea5e9', mau: '#10b981' } as const

export const tierColors = {
  creators: '#7c3aed',
  contributors: '#2563eb',
  reactors: '#14b8a6',
  lurkers: '#0ea5e9',
  inactive: '#9ca3af',
  reference: '#d1d5db',
} as const

/** For series without a fixed meaning (departments, features…). */
export const seriesColors = [
  '#4f46e5',
  '#0ea5e9',
  '#10b981',
  '#f59e0b',
  '#ef4444',
  '#8b5cf6',
  '#ec4899',
  '#14b8a6',
  '#84cc16',
  '#f97316',
  '#6366f1',
  '#06b6d4',
]

export const colorAt = (index: number): string => seriesColors[index % seriesColors.length]!
