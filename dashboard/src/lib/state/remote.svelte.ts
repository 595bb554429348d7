// One piece of server data that follows the filters: it reloads when its key changes, keeps the
// previous answer on screen while the next one loads, and ignores answers that arrive late.
import { untrack } from 'svelte'

export type RemoteStatus = 'idle' | 'loading' | 'ready' | 'error'

export class Remote<T> {
  // Raw: answers are replaced whole, never mutated, and charts want plain objects.
  data = $state.raw<T | undefined>(undefined)
  error = $state<Error | null>(null)
  loading = $state(false)
  /** The key of the request in flight or last answered; null = nothing to ask. */
  key = $state<string | null>(null)
  /** `loading` only until a first answer: later reloads keep the previous answer on screen. */
  status: RemoteStatus = $derived(
    this.key === null ? 'idle' : this.error ? 'error' : this.data === undefined ? 'loading' : 'ready',
  )

  private sequence = 0
  private controller: AbortController | null = null

  /**
   * `keyOf` reads reactive state (filters…) and returns a string naming the request, or null;
   * `load` fetches it. Must be created while a component (or an effect root) is being set up.
   */
  constructor(
    private readonly keyOf: () => string | null,
    private readonly load: (key: string, signal: AbortSignal) => Promise<T>,
  ) {
    $effect(() => {
      const key = this.keyOf()
      untrack(() => this.fetch(key))
    })
  }

  reload(): void {
    this.fetch(this.key, true)
  }

  private fetch(key: string | null, force = false): void {
    if (!force && key === this.key && (this.loading || this.data !== undefined)) return
    this.controller?.abort()
    this.key = key
    this.error = null
    if (key === null) {
      this.loading = false
      this.data = undefined
      return
    }
    const sequence = ++this.sequence
    const controller = new AbortController()
    this.controller = controller
    this.loading = true
    this.load(key, controller.signal).then(
      (data) => {
        if (sequence !== this.sequence) return
        this.data = data
        this.loading = false
      },
      (err: Error) => {
        if (sequence !== this.sequence || err.name === 'AbortError') return
        this.error = err
        this.loading = false
      },
    )
  }
}
