// The end-of-run summary: who, how many adopted, what was written, over which dates, how fast.
import { formatDuration } from '../terminal/progress.ts'

export interface SimulationSummary {
  org: string
  /** Everyone on the roster, leavers and joiners included. */
  people: number
  workforceAtEnd: number
  /** People who adopted during the period (ground truth). */
  adopters: number
  /** Adopters still employed on the last day, over the workforce then. */
  adoptionRateAtEnd: number
  events: number
  eventsByType: Record<string, number>
  malformed: number
  duplicates: number
  /** First simulated day and first day after the period. */
  start: string
  end: string
  firstEvent: string | null
  lastEvent: string | null
  seconds: number
  eventsPerSecond: number
  destination: string
  lines: number
  accepted?: number
  rejected?: number
}

export function formatSummary(s: SimulationSummary): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const types = Object.entries(s.eventsByType)
    .map(([type, count]) => `    ${type.padEnd(20)} ${n(count).padStart(11)}`)
    .join('\n')
  const lines = [
    `simulated org "${s.org}": ${n(s.people)} people on the roster, ${n(s.workforceAtEnd)} employed at the end`,
    `  adopters: ${n(s.adopters)} (${(100 * s.adoptionRateAtEnd).toFixed(1)} % of the workforce at the end)`,
    `  period: ${s.start} to ${s.end} (exclusive); events from ${s.firstEvent ?? '-'} to ${s.lastEvent ?? '-'}`,
    `  events: ${n(s.events)}${s.malformed || s.duplicates ? ` (+ ${n(s.malformed)} malformed, ${n(s.duplicates)} duplicates mixed in)` : ''}`,
    types,
    `  written to ${s.destination}: ${n(s.lines)} lines${s.accepted !== undefined ? `, API accepted ${n(s.accepted)} and refused ${n(s.rejected ?? 0)}` : ''}`,
    `  time: ${formatDuration(s.seconds * 1000)} (${n(Math.round(s.eventsPerSecond))} events/s)`,
  ]
  return lines.join('\n')
}
