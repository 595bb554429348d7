// The Definitions page renders docs/METRICS.md: every metric the dashboard can show must have its
// section there (the cards link to it), and links to repository files must not become dead links.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { metricNames } from '../../../dashboard/src/lib/api/metrics.ts'
import { renderDefinitions, slug } from '../../../dashboard/src/lib/definitions/render.ts'

const metricsDoc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/METRICS.md'), 'utf8')

describe('definitions (docs/METRICS.md in the dashboard)', () => {
  it('slugs headings as anchors', () => {
    expect(slug('active-users')).toBe('active-users')
    expect(slug('Known gaps against the v2 definitions')).toBe('known-gaps-against-the-v2-definitions')
    expect(slug('Rétention `by`')).toBe('retention-by')
  })

  it('has a section, with an anchor, for every metric the dashboard requests', () => {
    const { sections, html } = renderDefinitions(metricsDoc)
    const ids = sections.map((s) => s.id)
    for (const name of metricNames) {
      expect(ids, `docs/METRICS.md has no "## ${name}" section`).toContain(name)
      expect(html).toContain(`<h2 id="${name}">`)
    }
  })

  it('keeps outside links, turns links to repository files into text, drops raw HTML', () => {
    const { html } = renderDefinitions(
      '## A b\n\nSee [the code](../analytics/x.ts), [ClickHouse](https://clickhouse.com) and [below](#a-b).\n\n<script>alert(1)</script>\n',
    )
    expect(html).toContain('<h2 id="a-b">A b</h2>')
    expect(html).toContain('See the code,')
    expect(html).not.toContain('../analytics/x.ts')
    expect(html).toContain('<a href="https://clickhouse.com" rel="noreferrer" target="_blank">ClickHouse</a>')
    expect(html).toContain('<a href="#a-b">below</a>')
    expect(html).not.toContain('<script>')
  })
})
