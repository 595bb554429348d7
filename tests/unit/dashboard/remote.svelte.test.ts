// Runes in a test: the `.svelte.` infix has this file compiled by the Svelte plugin.
import { flushSync } from 'svelte'
import { describe, expect, it } from 'vitest'
import { Remote } from '../../../dashboard/src/lib/state/remote.svelte.ts'

/** A loader whose answers the test releases one by one. */
function deferredLoader() {
  const pending = new Map<string, { resolve(v: string): void; reject(e: Error): void; signal: AbortSignal }>()
  const load = (key: string, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => pending.set(key, { resolve, reject, signal }))
  return { pending, load }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('Remote', () => {
  it('loads on its key, keeps the old answer while the next loads, and drops late answers', async () => {
    const box = $state({ key: 'a' as string | null })
    const { pending, load } = deferredLoader()
    let remote!: Remote<string>
    const stop = $effect.root(() => {
      remote = new Remote(() => box.key, load)
    })
    flushSync()
    expect(remote.status).toBe('loading')
    pending.get('a')!.resolve('answer a')
    await tick()
    expect([remote.status, remote.data]).toEqual(['ready', 'answer a'])

    box.key = 'b'
    flushSync()
    expect(remote.status).toBe('ready')
    expect(remote.loading).toBe(true)
    box.key = 'c'
    flushSync()
    expect(pending.get('b')!.signal.aborted).toBe(true)
    pending.get('b')!.resolve('late b')
    pending.get('c')!.resolve('answer c')
    await tick()
    expect([remote.data, remote.loading]).toEqual(['answer c', false])

    box.key = null
    flushSync()
    expect([remote.status, remote.data]).toEqual(['idle', undefined])
    stop()
  })

  it('shows an error, and a retry loads again', async () => {
    const { pending, load } = deferredLoader()
    let remote!: Remote<string>
    const stop = $effect.root(() => {
      remote = new Remote(() => 'k', load)
    })
    flushSync()
    pending.get('k')!.reject(new Error('boom'))
    await tick()
    expect(remote.status).toBe('error')
    expect(remote.error?.message).toBe('boom')
    remote.reload()
    expect(remote.status).toBe('loading')
    pending.get('k')!.resolve('fine')
    await tick()
    expect([remote.status, remote.data]).toEqual(['ready', 'fine'])
    stop()
  })
})
