import { describe, expect, it } from 'vitest'
import type { StartRow } from '../ingest/repositories/events-repository.js'
import { deviationFigures, deviationStats } from './deviation.js'

describe('deviationStats', () => {
  it('gives nearest-rank p50/p95/p99 and max of absolute deviations', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? i + 1 : -(i + 1)))
    expect(deviationStats(values)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 })
  })

  it('handles one value and no values', () => {
    expect(deviationStats([-12])).toEqual({ count: 1, p50: 12, p95: 12, p99: 12, max: 12 })
    expect(deviationStats([])).toBeNull()
  })

  it('takes the upper value for a small set (20 values: p95 is the 19th, p99 the 20th)', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 10)
    expect(deviationStats(values)).toMatchObject({ p50: 100, p95: 190, p99: 200, max: 200 })
  })
})

describe('deviationFigures', () => {
  const row = (nodeId: string, itemId: string, deviationMs: number, extra = {}): StartRow => ({
    nodeId,
    itemId,
    deviationMs,
    makeGood: false,
    resumed: false,
    drill: false,
    ...extra,
  })

  it('leaves out make-goods, resumed parts and drills, and test nodes from the fleet', () => {
    const f = deviationFigures(
      [
        row('a', 'x', 10),
        row('b', 'x', 30),
        row('a', 'y', 5),
        row('a', 'y', 900_000, { makeGood: true }),
        row('b', 'y', 4000, { resumed: true }),
        row('b', 'y', 7000, { drill: true }),
        row('t', 'x', 500),
      ],
      new Set(['a', 'b']),
    )
    expect(f.fleet).toEqual({ count: 3, p50: 10, p95: 30, p99: 30, max: 30 })
    expect(f.byItem.get('x')).toMatchObject({ count: 2, max: 30 })
    expect(f.byItem.get('y')).toMatchObject({ count: 1, max: 5 })
    expect(f.byNode.get('t')).toMatchObject({ count: 1, max: 500 })
    expect(f.byNode.get('a')).toMatchObject({ count: 2, p50: 5, max: 10 })
  })
})
