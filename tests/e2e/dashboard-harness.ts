// What the dashboard's end-to-end tests stand on: a fresh build of the dashboard, a real server on a
// free port with its own data directory and a simulated org, and Debian's Chromium.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { parseConfig } from '../../schemas/config.ts'
import { buildApp } from '../../server/app.ts'
import { type Runtime, startRuntime } from '../../server/runtime.ts'
import { simulateDemoIfEmpty } from '../../simulation/demo.ts'
import type { PageDocument } from './page-globals.ts'

declare const document: PageDocument

export const chromiumPath = '/usr/bin/chromium'

/** Whether a Chromium suite runs: without the browser it is skipped with a loud line, except
 * under CI=true, where it runs and fails, so that a missing install never passes for green. */
export function chromiumSuiteRuns(suite: string): boolean {
  const have = existsSync(chromiumPath)
  const ci = process.env.CI === 'true'
  if (!have) {
    process.stderr.write(
      `\n*** ${suite} ${ci ? 'FAILS' : 'SKIPPED'}: ${chromiumPath} is missing (apt-get install -y chromium)${ci ? ' and CI=true' : ''} ***\n\n`,
    )
  }
  return have || ci
}
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
]
export const adminToken = 'e2e-admin-token-0123456789'
export const screenshotDir = path.resolve('tests/artifacts/screenshots')

/** Builds the dashboard into a directory of its own, so the test never reads a stale build. */
export function buildDashboard(outDir: string): void {
  const result = spawnSync(
    'npx',
    [
      'vite',
      'build',
      '--config',
      'dashboard/vite.config.ts',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  )
  if (result.status !== 0 || !existsSync(path.join(outDir, 'index.html'))) {
    throw new Error(`the dashboard did not build:\n${result.stdout}\n${result.stderr}`)
  }
}

export interface DashboardServer {
  baseUrl: string
  app: FastifyInstance
  runtime: Runtime
  dashboardDir: string
  close(): Promise<void>
}

/** A real server on 127.0.0.1:<free port>, its own data directory, the built dashboard at `/`. */
export async function startDashboardServer(): Promise<DashboardServer> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'implication-e2e-'))
  const dashboardDir = path.join(workDir, 'dashboard')
  buildDashboard(dashboardDir)
  const config = parseConfig({
    DATA_DIR: path.join(workDir, 'data'),
    IMPLICATION_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
  })
  const runtime = await startRuntime(config, 'all')
  // Server errors (a metric that fails) go to stderr, where the test's output shows them.
  const logger = pino({ level: 'error' }, pino.destination(2))
  const app = await buildApp({ ...runtime, logger, dashboardDir })
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    baseUrl: address,
    app,
    runtime,
    dashboardDir,
    async close() {
      await app.close()
      await runtime.close()
      rmSync(workDir, { recursive: true, force: true })
    },
  }
}

/** The `demo` org, simulated small (a few hundred people, some months) into the server's store. */
export async function simulateSmallDemo(runtime: Runtime): Promise<void> {
  const result = await simulateDemoIfEmpty(runtime.store.client, () => {}, {
    employees: 260,
    months: 9,
    seed: 7,
  })
  if (!result) throw new Error('the e2e store was not empty')
}

export async function api(
  server: DashboardServer,
  method: string,
  urlPath: string,
  body?: unknown,
  token = adminToken,
): Promise<Response> {
  return fetch(server.baseUrl + urlPath, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined
        ? {}
        : { 'content-type': typeof body === 'string' ? 'application/x-ndjson' : 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
}

export async function newContext(browser: Browser, locale: 'en' | 'fr' = 'en'): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: locale === 'fr' ? 'fr-FR' : 'en-GB',
    acceptDownloads: true,
    colorScheme: 'light',
  })
}

/** Waits until the page shows its route with every card out of loading. */
export async function waitForPage(page: Page, pageId: string, timeout = 90_000): Promise<void> {
  await page.waitForSelector(`main[data-page="${pageId}"]`, { timeout })
  await page.waitForFunction(
    () =>
      document.querySelector('main [data-state], main form, main .kpi') !== null &&
      document.querySelectorAll('main [aria-busy="true"]').length === 0 &&
      [...document.querySelectorAll('main .echart')].every(
        (c) => c.getAttribute('data-chart-ready') === 'true',
      ),
    null,
    { timeout },
  )
  // Chart animations last 300 ms.
  await page.waitForTimeout(500)
}

export interface CardReport {
  title: string
  state: string
  charts: number
  /** Drawn shapes in each chart's SVG. */
  shapes: number[]
  text: string
}

/** Every card of the page with its state and what its charts drew. */
export async function cardsOf(page: Page): Promise<CardReport[]> {
  return page.$$eval('main section.card', (cards) =>
    cards.map((card) => {
      const charts = [...card.querySelectorAll('.echart')]
      return {
        title: card.querySelector('.card-title')?.textContent?.trim() ?? '',
        state: card.getAttribute('data-state') ?? '',
        charts: charts.length,
        shapes: charts.map((c) => c.querySelectorAll('svg path, svg rect, svg polyline').length),
        text: (card.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 300),
      }
    }),
  )
}

export function screenshotPath(name: string): string {
  mkdirSync(screenshotDir, { recursive: true })
  return path.join(screenshotDir, `${name}.png`)
}
