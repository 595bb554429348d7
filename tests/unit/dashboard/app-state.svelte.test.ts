// The shared state as the pages use it, with a fake server: requests follow the filters, filters a
// metric does not take stay out, and a refused token sends the reader back to sign in.
import { flushSync } from 'svelte'
import { describe, expect, it } from 'vitest'
import { AppState } from '../../../dashboard/src/lib/state/app.svelte.ts'
import { MemoryHistory } from '../../../dashboard/src/lib/state/navigation.svelte.ts'
import { MemoryStore } from '../../../dashboard/src/lib/state/session.svelte.ts'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

function harness(answer: (url: string) => Response) {
  const urls: string[] = []
  const sessionStore = new MemoryStore()
  sessionStore.setItem('implication.token', 'good-token')
  let app!: AppState
  const stop = $effect.root(() => {
    app = new AppState({
      sessionStore,
      localStore: new MemoryStore(),
      history: new MemoryHistory('/?org=acme&from=2025-01-01&to=2025-04-01&interval=month&department=Sales'),
      languages: ['fr-FR'],
      prefersDark: false,
      today: '2025-06-15',
      fetch: (async (url: string) => {
        urls.push(url)
        return answer(url)
      }) as typeof fetch,
    })
  })
  return { app: () => app, urls, stop }
}

describe('AppState', () => {
  it('asks each metric with the filters it takes, and follows a filter change', async () => {
    const h = harness(() => new Response(JSON.stringify({ ok: true }), { status: 200 }))
    let adoption!: ReturnType<AppState['metric']>
    let roi!: ReturnType<AppState['metric']>
    const stop = $effect.root(() => {
      adoption = h.app().metric('adoption')
      roi = h.app().metric('roi')
    })
    flushSync()
    await tick()
    expect(h.urls).toContain(
      '/v1/orgs/acme/metrics/adoption?from=2025-01-01&to=2025-04-01&interval=month&department=Sales',
    )
    expect(h.urls).toContain('/v1/orgs/acme/metrics/roi?from=2025-01-01&to=2025-04-01&interval=month')
    expect(h.app().request('roi').dropped).toEqual(['department'])
    expect(adoption.status).toBe('ready')
    expect(roi.status).toBe('ready')
    expect(h.app().i18n.locale).toBe('fr')

    h.app().nav.filters.set({ department: '' })
    flushSync()
    await tick()
    expect(h.urls.at(-1)).toBe('/v1/orgs/acme/metrics/adoption?from=2025-01-01&to=2025-04-01&interval=month')
    stop()
    h.stop()
  })

  it('signs out with the server’s message when the token is refused', async () => {
    const h = harness(
      () =>
        new Response(JSON.stringify({ error: 'Unauthorized', message: 'invalid or revoked token' }), {
          status: 401,
        }),
    )
    let summary!: ReturnType<AppState['metric']>
    const stop = $effect.root(() => {
      summary = h.app().metric('summary')
    })
    flushSync()
    await tick()
    const { session } = h.app()
    expect(session.signedIn).toBe(false)
    expect(session.reason).toBe('refused')
    expect(session.detail).toBe('invalid or revoked token')
    flushSync()
    // Signed out, nothing is asked any more.
    expect(summary.status).toBe('idle')
    stop()
    h.stop()
  })
})
