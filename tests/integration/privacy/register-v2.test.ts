// The processing register v2 (lawful basis, processing activities, DPIA checklist, works council
// consultation) and the printable employee information notice, on the real server.
//
// The notice route is served once the access table (server/access.ts) has its line
// 'GET /v1/orgs/:org/privacy/notice' (readers): until then the route tests below fail with 404,
// on purpose — they are not skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { orgSettingsSchema } from '../../../schemas/api/settings.ts'
import { employeeNotice, escapeHtml } from '../../../server/privacy-routes.ts'
import { auth, createToken, startTestApp, type TestApp } from '../../helpers/app.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
  const put = await t.app.inject({
    method: 'PUT',
    url: '/v1/orgs/reg2/settings',
    headers: auth(),
    payload: { min_group_size: 7, retention_months: 13, pseudonymise_ids: true },
  })
  expect(put.statusCode, put.body).toBe(200)
})
afterAll(() => t?.close())

async function register(org: string, role = 'exec') {
  const token = await createToken(t, role, [org])
  const res = await t.app.inject({ method: 'GET', url: `/v1/orgs/${org}/privacy`, headers: auth(token) })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

describe('processing register v2', () => {
  it('states the lawful basis: legitimate interest, its balancing test, and why not consent', async () => {
    const r = await register('reg2')
    expect(r.lawful_basis.article).toBe('GDPR art. 6(1)(f)')
    expect(r.lawful_basis.basis).toMatch(/legitimate interest of the employer/)
    expect(r.lawful_basis.interest).toMatch(/adoption/)
    expect(r.lawful_basis.balancing_test.map((b: { id: string }) => b.id)).toEqual([
      'aggregates',
      'min_group_size',
      'pseudonyms',
      'no_individual_evaluation',
      'retention',
    ])
    const safeguards = r.lawful_basis.balancing_test.map((b: { safeguard: string }) => b.safeguard).join('\n')
    expect(safeguards).toContain('k = 7')
    expect(safeguards).toContain('13 months')
    expect(r.lawful_basis.consent).toMatch(/not a valid basis/)
    expect(r.lawful_basis.consent).toContain('05/2020')
    expect(r.lawful_basis.consent).toContain('2/2017')
    expect(r.legal_basis).toContain('6(1)(f)')
  })

  it('lists the processing activities of the v2 analyses, with who sees their results', async () => {
    const r = await register('reg2')
    const byId = Object.fromEntries(r.activities.map((a: { id: string }) => [a.id, a]))
    expect(Object.keys(byId)).toEqual(['aggregates', 'email_event_study', 'influence_ties', 'person_lists'])
    for (const a of r.activities) {
      expect(a.purpose.length, a.id).toBeGreaterThan(20)
      expect(a.data.length, a.id).toBeGreaterThan(0)
      expect(a.lawful_basis, a.id).toContain('6(1)(f)')
      expect(a.who_sees.length, a.id).toBeGreaterThan(10)
    }
    expect(byId.email_event_study).toMatchObject({ personal_data: true, person_level_roles: [] })
    expect(byId.email_event_study.activity).toMatch(/difference in differences/)
    expect(byId.email_event_study.who_sees).toMatch(/only as aggregates/)
    expect(byId.influence_ties.personal_data).toBe(true)
    expect(byId.influence_ties.purpose).toMatch(/who tied to whom/)
    // Named lists off: champion lists for admin only; never exec or hr.
    expect(byId.influence_ties.person_level_roles).toEqual(['admin'])
    expect(byId.person_lists.person_level_roles).toEqual(['admin'])
    expect(byId.person_lists.who_sees).toMatch(/never exec or hr/)
    expect(byId.person_lists.who_sees).toMatch(/days, not instants/)
  })

  it('gives the person-level lists to community managers when the org turns named lists on', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/orgs/reg2-named/settings',
      headers: auth(),
      payload: { named_lists_for_community_managers: true },
    })
    expect(put.statusCode, put.body).toBe(200)
    const r = await register('reg2-named', 'community_manager')
    const byId = Object.fromEntries(r.activities.map((a: { id: string }) => [a.id, a]))
    expect(byId.influence_ties.person_level_roles).toEqual(['admin', 'community_manager'])
    expect(byId.person_lists.person_level_roles).toEqual(['admin', 'community_manager'])
    const sees = Object.fromEntries(r.roles.map((x: { role: string; sees: string }) => [x.role, x.sees]))
    expect(sees.community_manager).toMatch(/per-person lists with names/)
    // Off (reg2): counts only.
    const off = await register('reg2')
    const offSees = Object.fromEntries(off.roles.map((x: { role: string; sees: string }) => [x.role, x.sees]))
    expect(offSees.community_manager).toMatch(/counts only/)
    for (const role of ['exec', 'hr']) {
      expect(offSees[role]).toMatch(/never per-person lists/)
      expect(offSees[role]).toContain('groups under 7 people withheld')
    }
  })

  it('describes the v2 threshold rule: the grid, both directions, refused filters, every group and format', async () => {
    const { thresholds } = await register('reg2')
    expect(thresholds.min_group_size).toBe(7)
    expect(thresholds.complementary_suppression).toBe(true)
    expect(thresholds.rule).toMatch(/department × site grid of the current roster/)
    expect(thresholds.rule).toMatch(/each row and each column/)
    expect(thresholds.rule).toMatch(/adding and subtracting/)
    expect(thresholds.filters_below_threshold).toMatch(/fewer than 7 people is refused with 403/)
    expect(thresholds.groups.map((g: { group: string }) => g.group)).toEqual([
      'departments',
      'sites',
      'department × site cells',
      'spaces',
      'department × department matrix cells',
      'cohorts',
      'filtered populations',
    ])
    const spaces = thresholds.groups.find((g: { group: string }) => g.group === 'spaces')
    expect(spaces.exempt_roles).toEqual(['admin', 'community_manager'])
    expect(thresholds.applies_to).toEqual(['JSON', 'CSV', 'Arrow', 'exports', 'CLI export', 'dashboard'])
    expect(thresholds.exempt_roles).toEqual(['admin'])
  })

  it('says a DPIA is required (the CNIL list) and gives its checklist', async () => {
    const { dpia } = await register('reg2')
    expect(dpia.required).toBe(true)
    expect(dpia.article).toBe('GDPR art. 35')
    expect(dpia.cnil_list_item).toBe(
      'traitements ayant pour finalité de surveiller de manière constante l’activité des employés',
    )
    expect(dpia.why).toMatch(/CNIL/)
    const sections = new Set(dpia.items.map((i: { section: string }) => i.section))
    expect([...sections]).toEqual(['description', 'necessity', 'risks', 'measures'])
    for (const item of dpia.items) {
      expect(item.status).toBe('to_do')
      expect(item.what.length, item.id).toBeGreaterThan(5)
      expect(item.where_in_implication.length, item.id).toBeGreaterThan(5)
    }
    const measures = dpia.items
      .filter((i: { section: string }) => i.section === 'measures')
      .map((i: { id: string }) => i.id)
    expect(measures).toEqual([
      'measure_k',
      'measure_filters',
      'measure_pseudonyms',
      'measure_roles',
      'measure_audit',
      'measure_erasure',
      'measure_retention',
    ])
    expect(dpia.items.find((i: { id: string }) => i.id === 'measure_k').what).toContain('(7)')
  })

  it('states the works council consultation (L2312-38) and the notice (L1222-4)', async () => {
    const { works_council: council, notice } = await register('reg2')
    expect(council.required).toBe(true)
    expect(council.article).toBe('Code du travail art. L2312-38, paragraph 3')
    expect(council.rule).toMatch(/informed and consulted before/)
    expect(council.items_to_present.map((i: { id: string }) => i.id)).toEqual([
      'purposes',
      'data',
      'min_group_size',
      'roles',
      'retention',
      'notice',
    ])
    // No org setting holds the date: a step, not a value.
    expect(council.consultation_date).toBeNull()
    expect(council.consultation_date_step).toMatch(/no setting/)
    expect(notice.article).toBe('Code du travail art. L1222-4')
    expect(notice.urls).toEqual({
      fr: '/v1/orgs/reg2/privacy/notice?lang=fr',
      en: '/v1/orgs/reg2/privacy/notice?lang=en',
    })
  })
})

describe('employee information notice (the page itself)', () => {
  const settings = orgSettingsSchema.parse({ min_group_size: 9, retention_months: 11 })

  it('is self-contained and printable: inline CSS with @media print, no script, no external asset', () => {
    for (const lang of ['fr', 'en'] as const) {
      const html = employeeNotice('acme', settings, lang)
      expect(html.startsWith('<!doctype html>')).toBe(true)
      expect(html).toContain(`<html lang="${lang}">`)
      expect(html).toContain('@media print')
      expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i)
    }
  })

  it('escapes every value it writes', () => {
    expect(escapeHtml(`<b a="1">&'`)).toBe('&lt;b a=&quot;1&quot;&gt;&amp;&#39;')
    const html = employeeNotice(`<script>alert("x")</script>&`, settings, 'en')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;')
    // The title too: the org is written nowhere unescaped.
    expect(html).toContain('<title>Employee information notice')
    expect(html.split('&lt;script&gt;').length - 1).toBe(2)
  })
})

describe('GET /v1/orgs/:org/privacy/notice', () => {
  it('answers the notice in French and in English, with the org’s k and retention', async () => {
    const hr = await createToken(t, 'hr', ['reg2'])
    for (const [lang, k, months, rights] of [
      ['fr', 'Taille minimale de groupe : 7 personnes', 'conservées 13 mois', 'Opposition'],
      ['en', 'Minimum group size: 7 people', 'kept 13 months', 'Objection'],
    ] as const) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/v1/orgs/reg2/privacy/notice?lang=${lang}`,
        headers: auth(hr),
      })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(res.body).toContain(`<html lang="${lang}">`)
      expect(res.body).toContain(k)
      expect(res.body).toContain(months)
      expect(res.body).toContain(rights)
      expect(res.body).toContain('@media print')
      // The DPO and the CSE date are lines to fill in by hand.
      expect(res.body).toContain('class="blank"')
    }
  })

  it('defaults to French and refuses another language (400)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/orgs/reg2/privacy/notice', headers: auth() })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.body).toContain('<html lang="fr">')
    const de = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/reg2/privacy/notice?lang=de',
      headers: auth(),
    })
    expect(de.statusCode).toBe(400)
  })

  it('is for the roles that read the register: every reader passes, an ingest token gets 403', async () => {
    for (const role of ['admin', 'exec', 'community_manager', 'hr']) {
      const token = await createToken(t, role, ['reg2'])
      const res = await t.app.inject({
        method: 'GET',
        url: '/v1/orgs/reg2/privacy/notice?lang=en',
        headers: auth(token),
      })
      expect(res.statusCode, `${role}: ${res.body}`).toBe(200)
    }
    const ingest = await createToken(t, 'ingest', ['reg2'])
    const refused = await t.app.inject({
      method: 'GET',
      url: '/v1/orgs/reg2/privacy/notice?lang=fr',
      headers: auth(ingest),
    })
    expect(refused.statusCode).toBe(403)
  })
})
