// The OpenAPI document is the contract: schemathesis drives every operation of GET /docs/json on
// a real listening server with generated valid and invalid inputs, and checks each answer
// against the document: no server error, only documented statuses, content types, bodies and
// headers as documented, valid inputs accepted and invalid ones refused. Any failure fails this.
//
// Schemathesis (PyPI, pinned in .ci/run) is found in SCHEMATHESIS_BIN, else in the virtualenv
// that .ci/run makes under .cache/schemathesis, else on PATH. Missing, the test is skipped with a
// loud line locally and fails under CI=true.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCollecting } from '../../scripts/kafka/command.ts'
import { adminToken, startTestApp, type TestApp } from '../helpers/app.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const contractDir = path.join(root, 'tests/contract')
const ci = process.env.CI === 'true'

function findSchemathesis(): string | null {
  const candidates = [process.env.SCHEMATHESIS_BIN, path.join(root, '.cache/schemathesis/bin/st')]
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate
  const onPath = spawnSync('st', ['--version'], { encoding: 'utf8' })
  return onPath.status === 0 && onPath.stdout.includes('chemathesis') ? 'st' : null
}

const st = findSchemathesis()
if (!st) {
  console.error(
    `\n*** OpenAPI contract test ${ci ? 'FAILS' : 'SKIPPED'}: schemathesis is not installed ` +
      '(.ci/run installs it into .cache/schemathesis; or set SCHEMATHESIS_BIN) ***\n',
  )
}

describe('OpenAPI contract', () => {
  if (!st && ci) {
    it('has schemathesis installed (CI=true)', () => {
      expect.fail('schemathesis is not installed: .ci/run installs it into .cache/schemathesis')
    })
    return
  }

  let t: TestApp
  let base: string
  beforeAll(async () => {
    if (!st) return
    t = await startTestApp()
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`
  })
  afterAll(() => t?.close())

  it.skipIf(!st)(
    'every operation answers as its document says, to valid and invalid inputs',
    async () => {
      const document = (await (await fetch(`${base}/docs/json`)).json()) as {
        paths: Record<string, Record<string, unknown>>
      }
      const operations = Object.values(document.paths).reduce((n, ops) => n + Object.keys(ops).length, 0)
      expect(operations).toBeGreaterThan(20)

      const work = mkdtempSync(path.join(tmpdir(), 'implication-schemathesis-'))
      try {
        const started = Date.now()
        const { code, output } = await runCollecting(
          st!,
          [
            '--config-file',
            path.join(contractDir, 'schemathesis.toml'),
            'run',
            `${base}/docs/json`,
            '--header',
            `Authorization: Bearer ${adminToken}`,
            // Examples and boundary values (coverage), then generated inputs (fuzzing); the
            // stateful phase needs links between operations, which the document does not declare.
            '--phases',
            'examples,coverage,fuzzing',
            // Per operation: about 30 s on 2 cores for the whole document, each run the same.
            '--max-examples',
            process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '25',
            '--seed',
            process.env.SCHEMATHESIS_SEED ?? '20261206',
            // One worker: with two, CPython 3.11's parser (hypothesis describes its strategies
            // with ast.parse) fails now and then with "AST constructor recursion depth mismatch".
            '--workers',
            '1',
            '--generation-database',
            'none',
            '--no-color',
          ],
          { cwd: work, env: { ...process.env, SCHEMATHESIS_HOOKS: path.join(contractDir, 'hooks.py') } },
        )
        const seconds = Math.round((Date.now() - started) / 1000)
        const summary = output.slice(output.lastIndexOf('SUMMARY'))
        // One line of figures, not schemathesis's own summary: its closing pytest-style banner
        // ("=== 2 warnings in 136s ===") reads to a log scanner as a test run with no test.
        const figures = /(\d+) generated, (\d+) passed/.exec(summary)?.[0] ?? 'no figures'
        console.error(`schemathesis: ${seconds} s, ${figures}`)
        expect(code, `schemathesis reported failures:\n${output.slice(-20_000)}`).toBe(0)
        // Every operation of the document was driven, none left out.
        expect(summary).toContain(`Selected: ${operations}/${operations}`)
        expect(summary).toContain(`Tested: ${operations}`)
        // Every generated case passed every check, and there were enough of them to mean it.
        const [, generated, passed] = /(\d+) generated, (\d+) passed/.exec(summary) ?? []
        expect(Number(generated)).toBeGreaterThan(40 * operations)
        expect(passed).toBe(generated)
      } finally {
        rmSync(work, { recursive: true, force: true })
      }
    },
    300_000,
  )
})
