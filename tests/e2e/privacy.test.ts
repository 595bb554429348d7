// The Privacy page in Debian's Chromium against the real server: the processing register of an
// org, from its real settings, in English and in French, reached from the navigation.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  adminToken,
  api,
  chromiumSuiteRuns,
  type DashboardServer,
  launchChromium,
  newContext,
  startDashboardServer,
  waitForPage,
} from './dashboard-harness.ts'

describe.skipIf(!chromiumSuiteRuns('privacy e2e'))('privacy page in Chromium', { timeout: 240_000 }, () => {
  let server: DashboardServer
  let browser: Browser

  beforeAll(async () => {
    server = await startDashboardServer()
    const put = await api(server, 'PUT', '/v1/orgs/demo/settings', {
      min_group_size: 8,
      retention_months: 14,
      pseudonymise_ids: true,
    })
    expect(put.status).toBe(200)
    browser = await launchChromium()
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  for (const [locale, title, months, yes] of [
    ['en', 'Privacy', '14 months', 'Yes'],
    ['fr', 'Confidentialité', '14 mois', 'Oui'],
  ] as const) {
    it(`states the org's thresholds, retention and roles (${locale})`, async () => {
      const context = await newContext(browser, locale)
      const page = await context.newPage()
      await page.goto(`${server.baseUrl}/#token=${adminToken}`)
      await page.click(`nav a[data-page="privacy"]`)
      await waitForPage(page, 'privacy')
      expect(await page.textContent('main h1')).toContain(title)
      const kpis = await page.$$eval('main .kpi', (nodes) => nodes.map((n) => (n.textContent ?? '').trim()))
      expect(kpis[0]).toContain('8')
      expect(kpis[1]).toContain(months)
      expect(kpis[2]).toContain(yes)
      const roles = await page.$$eval('main table', (tables) =>
        (tables[0]?.textContent ?? '').replace(/\s+/g, ' '),
      )
      for (const role of ['admin', 'exec', 'community_manager', 'hr', 'ingest']) expect(roles).toContain(role)
      expect(roles).toContain(
        locale === 'en' ? 'groups under 8 people withheld' : 'moins de 8 personnes masqués',
      )
      await context.close()
    })
  }
})
