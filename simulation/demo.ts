// The demo organisation a first start shows: when the store holds no event at all, the server
// simulates org `demo` (2,000 people, 18 months, seed 42, ending today) into its own store.
import type { ClickHouseClient } from '@clickhouse/client'
import { parseSimulationOptions, type SimulationInput, todayUtc } from './options.ts'
import { StoreOutput } from './outputs.ts'
import { runSimulation, type SimulationResult } from './simulate.ts'

export const demoSimulation = { org: 'demo', employees: 2000, months: 18, seed: 42 } as const

export async function storeIsEmpty(client: ClickHouseClient): Promise<boolean> {
  const result = await client.query({
    query: 'SELECT count() AS n FROM (SELECT 1 FROM events LIMIT 1)',
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string | number }>()
  return Number(row?.n ?? 0) === 0
}

/**
 * Simulates the demo org when the store is empty; null when it was not. Progress goes to `log`
 * every tenth of the period. `overrides` exist for tests (a smaller org).
 */
export async function simulateDemoIfEmpty(
  client: ClickHouseClient,
  log: (message: string) => void,
  overrides: Partial<SimulationInput> = {},
  now = new Date(),
): Promise<SimulationResult | null> {
  if (!(await storeIsEmpty(client))) return null
  const options = parseSimulationOptions({ ...demoSimulation, end: todayUtc(now), ...overrides })
  log(
    `the store is empty: simulating the demo organisation "${options.org}" (${options.employees} people, ${options.months} months, seed ${options.seed})`,
  )
  let nextTenth = 1
  const result = await runSimulation(options, {
    output: new StoreOutput(client, options.org),
    onProgress: (state) => {
      if (state.done * 10 < nextTenth * state.total) return
      nextTenth = Math.floor((state.done * 10) / state.total) + 1
      log(
        `demo organisation: ${Math.floor((100 * state.done) / state.total)}% simulated (up to ${state.date}, ${state.events} events)`,
      )
    },
  })
  log(`demo organisation ready: ${result.summary.events} events`)
  return result
}
