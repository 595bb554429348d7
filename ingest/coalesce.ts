// Coalesced reads: at most one run of an expensive read at a time per key. A caller never gets the
// answer of a run that started before it asked (so a client that wrote, then reads, sees its write):
// callers that arrive while a run is going share the next run, started as soon as that one ends.

interface KeyState<T> {
  running: Promise<T> | null
  next: Promise<T> | null
}

export class CoalescedReads<T> {
  private readonly keys = new Map<string, KeyState<T>>()

  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    let state = this.keys.get(key)
    if (!state) {
      state = { running: null, next: null }
      this.keys.set(key, state)
    }
    const { running } = state
    if (!running) return this.start(key, state)
    if (state.next) return state.next
    const s = state
    const next = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        s.next = null
        return this.start(key, s)
      })
    s.next = next
    return next
  }

  private start(key: string, state: KeyState<T>): Promise<T> {
    const run = this.read(key).finally(() => {
      state.running = null
      if (!state.next) this.keys.delete(key)
    })
    state.running = run
    return run
  }
}
