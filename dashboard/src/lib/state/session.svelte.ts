// Who is signed in: a bearer token kept for the tab (sessionStorage), taken from `#token=…` once and
// removed from the address bar, or typed into the sign-in form. A 401 signs out with a message.

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

const storageKey = 'implication.token'

/** Splits `#token=…&x=y` into the token and the rest of the fragment (without the token). */
export function takeTokenFromFragment(hash: string): { token: string | null; rest: string } {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash
  const params = new URLSearchParams(fragment)
  const token = params.get('token')
  if (!token) return { token: null, rest: hash }
  params.delete('token')
  const rest = params.toString()
  return { token: token.trim() || null, rest: rest ? `#${rest}` : '' }
}

export type SignOutReason = 'refused' | 'expired' | 'signed_out' | null

export class Session {
  token = $state<string | null>(null)
  /** Why the sign-in form is shown again; the server's own words go in `detail`. */
  reason = $state<SignOutReason>(null)
  detail = $state('')
  signedIn = $derived(this.token !== null)

  constructor(private readonly storage: KeyValueStore) {
    this.token = storage.getItem(storageKey)
  }

  /** Takes a token from the URL fragment; returns the fragment to put back in the address bar. */
  adoptFragment(hash: string): string {
    const { token, rest } = takeTokenFromFragment(hash)
    if (token) this.signIn(token)
    return rest
  }

  signIn(token: string): void {
    const clean = token.trim()
    if (!clean) return
    this.token = clean
    this.reason = null
    this.detail = ''
    this.storage.setItem(storageKey, clean)
  }

  signOut(reason: SignOutReason = 'signed_out', detail = ''): void {
    const hadToken = this.token !== null
    this.token = null
    this.storage.removeItem(storageKey)
    // A 401 without a token is the form itself, not news worth a message.
    this.reason = hadToken || reason === 'refused' ? reason : null
    this.detail = detail
  }

  /** The API client calls this on every 401; the first one of a signed-in tab says why. */
  refused(message: string): void {
    // Several requests in flight are refused together: the later ones add nothing.
    if (this.token === null) return
    this.signOut('refused', message)
  }
}

/** An in-memory store, for tests and for browsers that refuse storage. */
export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>()
  getItem(key: string): string | null {
    return this.values.get(key) ?? null
  }
  setItem(key: string, value: string): void {
    this.values.set(key, value)
  }
  removeItem(key: string): void {
    this.values.delete(key)
  }
}
