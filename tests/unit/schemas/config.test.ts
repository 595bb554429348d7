import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../../schemas/config.ts'

describe('parseConfig', () => {
  it('gives the documented defaults', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8080,
      DATA_DIR: './data',
      MAX_EVENTS_PER_REQUEST: 50_000,
    })
    expect(config.CLICKHOUSE_URL).toBeUndefined()
    expect(config.KAFKA_BROKERS).toBeUndefined()
  })

  it('stops on a bad value with one line naming the variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(ConfigError)
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/^invalid configuration: PORT .*"eighty"/)
    expect(() => parseConfig({ KAFKA_BROKERS: 'localhost' })).toThrow(/KAFKA_BROKERS must be host:port/)
    expect(() => parseConfig({ CLICKHOUSE_URL: 'ftp://x' })).toThrow(/CLICKHOUSE_URL/)
    expect(() => parseConfig({ IMPLICATION_ADMIN_TOKEN: 'short' })).toThrow(/IMPLICATION_ADMIN_TOKEN/)
  })

  it('never echoes a secret in the error', () => {
    expect(() => parseConfig({ IMPLICATION_ADMIN_TOKEN: 'short' })).not.toThrow(/short/)
  })
})
