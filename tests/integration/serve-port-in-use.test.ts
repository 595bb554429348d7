// A first start of `implication serve` on a port that is already taken: a clear error naming the
// port, a non-zero exit, and no admin token kept that nobody was shown. The next start (port
// free) prints the generated token, keeps it in DATA_DIR/admin-token, and it works.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const dataDir = mkdtempSync(path.join(tmpdir(), 'implication-port-'))
const tokenFile = path.join(dataDir, 'admin-token')
const children: ChildProcess[] = []
let holder: Server | undefined

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  await new Promise((resolve) => (holder?.listening ? holder.close(resolve) : resolve(undefined)))
  rmSync(dataDir, { recursive: true, force: true })
})

function serve(port: number) {
  const { IMPLICATION_ADMIN_TOKEN: _configured, ...env } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/cli.ts'), 'serve'], {
    cwd: repoRoot,
    env: { ...env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: String(port), IMPLICATION_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exited, output: () => output }
}

async function until(what: string, check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('serve on a port already in use', () => {
  let port = 0

  it('exits non-zero naming the port, and keeps no admin token it did not show', async () => {
    holder = createServer()
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve))
    port = (holder.address() as { port: number }).port

    const run = serve(port)
    const code = await Promise.race([
      run.exited,
      new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 90_000)),
    ])
    expect(code, run.output()).not.toBe('running')
    expect(code).not.toBe(0)
    // Either nothing was kept, or what was kept was printed.
    if (existsSync(tokenFile)) {
      expect(run.output(), 'a token was kept but never shown').toContain(
        readFileSync(tokenFile, 'utf8').trim(),
      )
    }
    expect(run.output()).toContain(`port ${port} is in use`)
    expect(run.output()).toContain('PORT=')
  }, 120_000)

  it('prints the token it keeps once the port is free, and that token works', async () => {
    await new Promise((resolve) => holder!.close(resolve))
    const run = serve(port)
    await until('the server to listen', () => /listening on http/.test(run.output()), 90_000)
    await until('the admin token line', () => /imp_admin_\S+/.test(run.output()), 10_000)
    const printed = /imp_admin_\S+/.exec(run.output())![0]
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(printed)

    const res = await fetch(`http://127.0.0.1:${port}/v1/admin/tokens`, {
      headers: { authorization: `Bearer ${printed}` },
    })
    expect(res.status).toBe(200)

    run.child.kill('SIGTERM')
    expect(await run.exited).toBe(0)
  }, 150_000)
})
