import { describe, expect, it } from 'vitest'
import { Counter, Histogram, Observability } from '../../../server/observability.ts'

describe('Prometheus text', () => {
  it('renders a counter per label set, labels sorted and escaped', () => {
    const c = new Counter('x_total', 'Things.')
    c.inc({ b: '2', a: 'say "hi"' }, 3)
    c.inc({ a: 'say "hi"', b: '2' })
    c.inc()
    expect(c.render()).toEqual([
      '# HELP x_total Things.',
      '# TYPE x_total counter',
      'x_total{a="say \\"hi\\"",b="2"} 4',
      'x_total 1',
    ])
  })

  it('renders cumulative histogram buckets, +Inf, sum and count', () => {
    const h = new Histogram('t_seconds', 'Time.', [0.1, 1])
    for (const v of [0.05, 0.1, 0.5, 3]) h.observe(v, { m: 'a' })
    expect(h.render()).toEqual([
      '# HELP t_seconds Time.',
      '# TYPE t_seconds histogram',
      't_seconds_bucket{m="a",le="0.1"} 2',
      't_seconds_bucket{m="a",le="1"} 3',
      't_seconds_bucket{m="a",le="+Inf"} 4',
      't_seconds_sum{m="a"} 3.65',
      't_seconds_count{m="a"} 4',
    ])
  })

  it('reports the lag per partition from its source, and lag_up 0 when the source fails', async () => {
    const o = new Observability(0)
    o.setLagSource(async () => [
      { partition: 0, lag: 5 },
      { partition: 1, lag: 0 },
    ])
    const text = await o.render()
    expect(text).toContain('implication_kafka_consumer_lag{partition="0"} 5\n')
    expect(text).toContain('implication_kafka_consumer_lag{partition="1"} 0\n')
    expect(text).toContain('implication_kafka_lag_up 1\n')
    o.setLagSource(async () => {
      throw new Error('no broker')
    })
    expect(await o.render()).toContain('implication_kafka_lag_up 0\n')
  })
})
