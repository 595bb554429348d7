import { describe, expect, it } from 'vitest'
import {
  MemoryStore,
  Session,
  takeTokenFromFragment,
} from '../../../dashboard/src/lib/state/session.svelte.ts'

describe('Session', () => {
  it('takes a token from the fragment and gives back the rest', () => {
    expect(takeTokenFromFragment('#token=abc123')).toEqual({ token: 'abc123', rest: '' })
    expect(takeTokenFromFragment('#x=1&token=abc&y=2')).toEqual({ token: 'abc', rest: '#x=1&y=2' })
    expect(takeTokenFromFragment('#section')).toEqual({ token: null, rest: '#section' })
    expect(takeTokenFromFragment('')).toEqual({ token: null, rest: '' })
  })

  it('keeps the token for the tab and signs in with it', () => {
    const store = new MemoryStore()
    const session = new Session(store)
    expect(session.signedIn).toBe(false)
    expect(session.adoptFragment('#token=secret-token')).toBe('')
    expect(session.signedIn).toBe(true)
    expect(store.getItem('implication.token')).toBe('secret-token')
    expect(new Session(store).token).toBe('secret-token')
  })

  it('goes back to the sign-in form with a message on a 401', () => {
    const store = new MemoryStore()
    const session = new Session(store)
    session.signIn('old-token')
    session.refused('invalid or revoked token')
    expect(session.signedIn).toBe(false)
    expect(session.reason).toBe('refused')
    expect(session.detail).toBe('invalid or revoked token')
    expect(store.getItem('implication.token')).toBeNull()
    session.signIn('  new-token ')
    expect([session.token, session.reason]).toEqual(['new-token', null])
  })

  it('shows no alarm when signing out or when no token was there', () => {
    const session = new Session(new MemoryStore())
    session.refused('missing bearer token')
    expect(session.reason).toBeNull()
    session.signIn('t')
    session.signOut()
    expect(session.reason).toBe('signed_out')
  })
})
