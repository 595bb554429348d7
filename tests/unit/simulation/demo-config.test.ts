// IMPLICATION_DEMO: off unless asked (`npm start` asks), and a bad value names the variable.
import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../../schemas/config.ts'

describe('IMPLICATION_DEMO', () => {
  it('is off by default and takes 0, 1, true and false', () => {
    expect(parseConfig({}).IMPLICATION_DEMO).toBe(false)
    expect(parseConfig({ IMPLICATION_DEMO: '1' }).IMPLICATION_DEMO).toBe(true)
    expect(parseConfig({ IMPLICATION_DEMO: 'true' }).IMPLICATION_DEMO).toBe(true)
    expect(parseConfig({ IMPLICATION_DEMO: '0' }).IMPLICATION_DEMO).toBe(false)
    expect(parseConfig({ IMPLICATION_DEMO: 'false' }).IMPLICATION_DEMO).toBe(false)
  })

  it('refuses anything else, naming the variable', () => {
    expect(() => parseConfig({ IMPLICATION_DEMO: 'yes' })).toThrow(ConfigError)
    expect(() => parseConfig({ IMPLICATION_DEMO: 'yes' })).toThrow(
      /IMPLICATION_DEMO must be 0, 1, true or false \(got "yes"\)/,
    )
  })
})
