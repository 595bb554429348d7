// Functions handed to `page.evaluate` run in the browser, but they are type-checked with the
// server's settings, which have no DOM library: these are the few page globals they touch.
export interface PageElement {
  textContent: string | null
  getAttribute(name: string): string | null
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): Iterable<PageElement> & { length: number }
}

export interface PageDocument extends PageElement {
  documentElement: { lang: string; dataset: Record<string, string | undefined> }
  activeElement: PageElement | null
}

export interface PageStorage {
  getItem(key: string): string | null
}
