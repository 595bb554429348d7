// The dashboard read as HR in Debian's Chromium, on the small simulated demo: the pages HR uses
// load without an error box, small groups read as withheld (never as a number, never left out),
// and no person-level list is shown. Screenshots go to tests/artifacts/screenshots/as-hr-*.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  api,
  cardsOf,
  chromiumSuiteRuns,
  type DashboardServer,
  launchChromium,
  newContext,
  screenshotPath,
  simulateSmallDemo,
  startDashboardServer,
  waitForPage,
} from './dashboard-harness.ts'

describe.skipIf(!chromiumSuiteRuns('as-hr e2e'))('the dashboard as HR', { timeout: 300_000 }, () => {
  let server: DashboardServer
  let browser: Browser
  let hr = ''

  beforeAll(async () => {
    server = await startDashboardServer()
    await simulateSmallDemo(server.runtime)
    // A larger k than the default, so that the small demo has withheld groups to show.
    const put = await api(server, 'PUT', '/v1/orgs/demo/settings', { min_group_size: 12 })
    expect(put.status).toBe(200)
    const res = await api(server, 'POST', '/v1/admin/tokens', { role: 'hr', orgs: ['demo'], label: 'e2e hr' })
    hr = ((await res.json()) as { token: string }).token
    browser = await launchChromium()
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const locale of ['en', 'fr'] as const) {
    for (const pageId of ['hr', 'adoption', 'engagement', 'collaboration', 'communities']) {
      it(`${pageId} (${locale})`, async () => {
        const context = await newContext(browser, locale)
        const page = await context.newPage()
        await page.goto(`${server.baseUrl}/${pageId}#token=${hr}`)
        await waitForPage(page, pageId)
        const cards = await cardsOf(page)
        expect(cards.length).toBeGreaterThan(0)
        expect(cards.filter((c) => c.state === 'error').map((c) => c.title)).toEqual([])
        const text = (await page.textContent('main')) ?? ''
        if (pageId === 'hr')
          expect(text).toMatch(locale === 'en' ? /withheld \(< 12 people\)/ : /masqué \(< 12 personnes\)/)
        if (pageId === 'adoption') {
          expect(text).toMatch(
            locale === 'en' ? /Person lists are for admins/ : /Les listes de personnes sont réservées/,
          )
        }
        await page.screenshot({ path: screenshotPath(`as-hr-${pageId}-${locale}`), fullPage: true })
        await context.close()
      })
    }
  }
})
