// `implication <command> --help` (or -h) prints that command's usage and exits 0, and does
// nothing else: no store opened, no data dir created, no migration applied.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const parent = mkdtempSync(path.join(tmpdir(), 'implication-help-'))
afterAll(() => rmSync(parent, { recursive: true, force: true }))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let runs = 0
/** The CLI as a user runs it, on a DATA_DIR of its own that does not exist yet. */
function cli(args: string[], script = 'server/cli.ts'): Promise<Run & { dataDir: string }> {
  const dataDir = path.join(parent, `data-${runs++}`)
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, script), ...args],
      {
        cwd: repoRoot,
        // Without the fix `serve --help` starts a server: give up on it after a while.
        timeout: 45_000,
        killSignal: 'SIGKILL',
        env: { ...process.env, DATA_DIR: dataDir, PORT: '0', IMPLICATION_DEMO: '0', LOG_LEVEL: 'warn' },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
        resolve({ code, stdout, stderr, dataDir })
      },
    )
  })
}

const commands = ['serve', 'migrate', 'token', 'simulate', 'export', 'rollups', 'calendar', 'import']

// With an action or other arguments before the flag: still nothing but the usage.
const variants: string[][] = [
  ...commands.flatMap((c) => [
    [c, '--help'],
    [c, '-h'],
  ]),
  ['serve', '--role', 'all', '--help'],
  ['token', 'create', '--role', 'admin', '--org', 'acme', '--help'],
  ['token', 'list', '-h'],
  ['rollups', 'rebuild', '--help'],
  ['calendar', 'rebuild', '--org', 'acme', '--zone', 'Europe/Paris', '--help'],
  ['import', 'csv', 'missing.csv', '--org', 'acme', '--help'],
  ['export', 'engagement', '--org', 'acme', '--help'],
  ['simulate', '--org', 'acme', '--help'],
]

/** Runs every variant, two at a time (the machine has two cores). */
async function runAll(): Promise<Map<string, Run & { dataDir: string }>> {
  const results = new Map<string, Run & { dataDir: string }>()
  const queue = [...variants]
  const worker = async () => {
    for (let args = queue.shift(); args; args = queue.shift()) results.set(args.join(' '), await cli(args))
  }
  await Promise.all([worker(), worker()])
  return results
}

describe('implication <command> --help', () => {
  it('lists the commands this test covers, and no other', async () => {
    const top = await cli(['--help'])
    expect(top.code).toBe(0)
    const listed = new Set([...top.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]))
    expect([...listed].sort()).toEqual([...commands].sort())
    expect(existsSync(top.dataDir)).toBe(false)
  })

  it('prints only the usage of that command, exits 0 and leaves DATA_DIR untouched', async () => {
    const results = await runAll()
    const failures: string[] = []
    for (const [args, run] of results) {
      const command = args.split(' ')[0]!
      const problems = [
        run.code !== 0 && `exit ${run.code}`,
        !run.stdout.startsWith('Usage: implication') && 'no usage on stdout',
        !new RegExp(`^ {2}${command} `, 'm').test(run.stdout) && `no "${command}" line`,
        // That command's usage, not the list of all of them.
        commands.some((c) => c !== command && new RegExp(`^ {2}${c} `, 'm').test(run.stdout)) &&
          'other commands listed',
        existsSync(run.dataDir) && `DATA_DIR created (${readdirSync(run.dataDir).join(', ')})`,
      ].filter(Boolean)
      if (problems.length > 0) failures.push(`${args}: ${problems.join('; ')}\n${run.stderr.slice(-300)}`)
    }
    expect(failures).toEqual([])
  }, 300_000)

  it('works the same through the installed bin (npx implication migrate --help)', async () => {
    const run = await cli(['migrate', '--help'], 'bin/implication.js')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ {2}migrate /m)
    expect(existsSync(run.dataDir)).toBe(false)
  }, 60_000)
})
