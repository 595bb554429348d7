// The simulation on the real engine (chDB): through the public API over real HTTP (nothing refused;
// bad days refused exactly), straight into the store (the same rows), the demo hook, and the CLI.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiOutput } from '../../simulation/api-output.ts'
import { badDaysFor } from '../../simulation/bad-days.ts'
import { simulateDemoIfEmpty } from '../../simulation/demo.ts'
import { parseSimulationOptions, SimulationOptionsError, todayUtc } from '../../simulation/options.ts'
import { StoreOutput } from '../../simulation/outputs.ts'
import { runSimulation } from '../../simulation/simulate.ts'
import { adminToken, auth, countStored, startTestApp, type TestApp } from '../helpers/app.ts'

const execFileAsync = promisify(execFile)

let t: TestApp
let url: string

beforeAll(async () => {
  t = await startTestApp()
  url = await t.app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => t?.close())

// Ending today: every event is in the past for the API's clock.
const small = (org: string, extra: Record<string, unknown> = {}) =>
  parseSimulationOptions({ org, employees: 150, months: 4, seed: 8, end: todayUtc(), ...extra })

async function rosterPeople(org: string): Promise<number> {
  const result = await t.runtime.store.client.query({
    query: 'SELECT count() AS n FROM roster WHERE org = {org:String}',
    query_params: { org },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string }>()
  return Number(row?.n)
}

/** The ids the latest stored roster flags community_manager. */
async function rosterManagers(org: string): Promise<string[]> {
  const result = await t.runtime.store.client.query({
    query: 'SELECT person_id FROM roster WHERE org = {org:String} AND community_manager ORDER BY person_id',
    query_params: { org },
    format: 'JSONEachRow',
  })
  return (await result.json<{ person_id: string }>()).map((r) => r.person_id)
}

async function storedRows(org: string): Promise<string> {
  const result = await t.runtime.store.client.query({
    query: `SELECT id, type, feature, level, time, actor, space, object, parent, target, count, source
            FROM events FINAL WHERE org = {org:String} ORDER BY id`,
    query_params: { org },
    format: 'JSONCompactEachRow',
  })
  return result.text()
}

describe('the demo hook', () => {
  it('fills an empty store with the demo org once, and leaves a store with events alone', async () => {
    const logs: string[] = []
    const overrides = { org: 'demo-small', employees: 60, months: 2 }
    const result = await simulateDemoIfEmpty(t.runtime.store.client, (m) => logs.push(m), overrides)
    expect(result).not.toBeNull()
    expect(logs[0]).toMatch(/store is empty: simulating the demo organisation "demo-small"/)
    expect(logs.at(-1)).toBe(`demo organisation ready: ${result!.summary.events} events`)
    expect(logs.some((m) => /50% simulated/.test(m))).toBe(true)
    expect(await countStored(t.runtime, 'demo-small')).toEqual({
      final: result!.summary.events,
      distinct: result!.summary.events,
    })
    expect(await rosterPeople('demo-small')).toBe(result!.summary.people)
    expect(await rosterManagers('demo-small')).toEqual(
      result!.groundTruth.people
        .filter((p) => p.community_manager)
        .map((p) => p.id)
        .sort(),
    )
    expect(await simulateDemoIfEmpty(t.runtime.store.client, (m) => logs.push(m), overrides)).toBeNull()
  })
})

describe('through the public API, over HTTP', () => {
  it('sends a 150-person, four-month organisation without a single refusal', async () => {
    const options = small('sim-api')
    const output = new ApiOutput({ url, token: adminToken, org: options.org, gzip: false }, null)
    const { summary, groundTruth } = await runSimulation(options, { output })
    expect(summary.events).toBeGreaterThan(15_000)
    expect(summary).toMatchObject({ accepted: summary.events, rejected: 0, lines: summary.events })
    expect(await countStored(t.runtime, 'sim-api')).toEqual({
      final: summary.events,
      distinct: summary.events,
    })
    expect(await rosterPeople('sim-api')).toBe(groundTruth.people.length)
    // The roster sent says who the community managers are.
    const managers = groundTruth.people.filter((p) => p.community_manager).map((p) => p.id)
    expect(managers.length).toBeGreaterThanOrEqual(2)
    expect(await rosterManagers('sim-api')).toEqual(managers.sort())
    const status = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/sim-api/ingest/status',
      headers: auth(),
    })
    expect(status.json()).toMatchObject({ stored_events: summary.events, rejected_events: 0 })
  })

  it('refuses exactly the malformed lines of a bad day and stores each duplicate once (gzip)', async () => {
    // As a platform would: with an ingest token of its own, so even unreadable lines are kept under the org.
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/tokens',
      headers: auth(),
      payload: { role: 'ingest', orgs: ['sim-bad'] },
    })
    const token: string = created.json().token
    const options = small('sim-bad', { badShare: 0.01, duplicateShare: 0.02 })
    const badDays = badDaysFor(options)
    const output = new ApiOutput({ url, token, org: options.org, gzip: true }, badDays)
    const { summary, groundTruth } = await runSimulation(options, { output, badDays })
    expect(groundTruth.malformed).toBeGreaterThan(50)
    expect(groundTruth.duplicates).toBeGreaterThan(100)
    expect(summary.rejected).toBe(groundTruth.malformed)
    expect(summary.accepted).toBe(summary.events + groundTruth.duplicates)
    expect(summary.lines).toBe(summary.events + groundTruth.malformed + groundTruth.duplicates)
    expect(await countStored(t.runtime, 'sim-bad')).toEqual({
      final: summary.events,
      distinct: summary.events,
    })
    const status = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/sim-bad/ingest/status',
      headers: auth(),
    })
    expect(status.json().rejected_events).toBe(groundTruth.malformed)
  })
})

describe('straight into the store', () => {
  it('stores the very rows the API stores for the same simulation', async () => {
    const options = small('sim-store')
    const { summary } = await runSimulation(options, {
      output: new StoreOutput(t.runtime.store.client, options.org),
    })
    expect(await countStored(t.runtime, 'sim-store')).toEqual({
      final: summary.events,
      distinct: summary.events,
    })
    const [viaApi, direct] = await Promise.all([storedRows('sim-api'), storedRows('sim-store')])
    expect(direct.length).toBeGreaterThan(1000)
    expect(direct === viaApi).toBe(true)
  })

  it('refuses bad days, which only make sense on the way in through the API or a file', async () => {
    const options = small('sim-refused', { badShare: 0.01 })
    await expect(
      runSimulation(options, { output: new StoreOutput(t.runtime.store.client, options.org) }),
    ).rejects.toThrow(SimulationOptionsError)
  })
})

describe('the command line', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    execFileAsync(process.execPath, ['--import', 'tsx', 'server/cli.ts', 'simulate', ...args], {
      env: { ...process.env, ...env },
    })

  it('writes events, roster and ground truth with --out, prints a summary, and names a bad flag', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'implication-cli-'))
    try {
      // Two processes at once: each pays the TypeScript loader's start-up.
      const [{ stdout }, refusal] = await Promise.all([
        cli(['--org', 'cli', '--employees', '30', '--months', '1', '--seed', '3', '--out', dir]),
        cli(['--employees', 'lots', '--out', dir]).then(
          () => null,
          (err: { code: number; stderr: string }) => err,
        ),
      ])
      expect(stdout).toMatch(/simulated org "cli": \d+ people/)
      expect(stdout).toMatch(/adopters: \d+/)
      expect(stdout).toMatch(/email\.sent\s+[\d,]+/)
      for (const file of ['events.ndjson', 'roster.csv', 'ground-truth.json']) {
        expect(existsSync(path.join(dir, file))).toBe(true)
      }
      const truth = JSON.parse(readFileSync(path.join(dir, 'ground-truth.json'), 'utf8'))
      expect(truth).toMatchObject({ org: 'cli', seed: 3, employees: 30, months: 1, end: todayUtc() })
      expect(refusal?.code).toBe(1)
      expect(refusal?.stderr).toMatch(/implication simulate: --employees: /)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
