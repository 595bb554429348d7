// docs/METRICS.md, the definition of every number, rendered for the Definitions page. The file
// is bundled at build time (vite `?raw`), so the page says exactly what the repository's
// documentation says, and the cards' "definition" links land on its sections.
import { Marked, type Tokens } from 'marked'

/** The anchor of a heading: lower case, letters, digits and dashes (`active-users`). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

export interface Section {
  id: string
  title: string
}

export interface RenderedDefinitions {
  html: string
  /** The second-level sections, for the table of contents. */
  sections: Section[]
}

/** Renders the document. Links to other repository files become plain text (they are not
 * served); headings get ids so that `/definitions#adoption` scrolls to a metric. */
export function renderDefinitions(markdown: string): RenderedDefinitions {
  const sections: Section[] = []
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Heading) {
        const inner = this.parser.parseInline(token.tokens)
        const id = slug(token.text)
        if (token.depth === 2) sections.push({ id, title: token.text.replace(/`/g, '') })
        return `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
        const inner = this.parser.parseInline(token.tokens)
        if (/^https?:\/\//.test(token.href)) {
          return `<a href="${token.href}" rel="noreferrer" target="_blank">${inner}</a>`
        }
        if (token.href.startsWith('#')) return `<a href="${token.href}">${inner}</a>`
        return inner
      },
      html() {
        return ''
      },
    },
  })
  const html = marked.parse(markdown, { async: false })
  return { html, sections }
}
