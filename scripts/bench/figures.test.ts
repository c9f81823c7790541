import { describe, expect, it } from 'vitest'
import {
  type Figure,
  figureTable,
  formatRatio,
  formatValue,
  jsonLines,
  median,
  medianFigures,
  percentile,
  ratio,
} from './figures.js'

const f = (over: Partial<Figure>): Figure => ({
  name: 'connect-all',
  nodes: 435,
  value: 1,
  unit: 's',
  broker: 'embedded',
  ...over,
})

describe('bench figures', () => {
  it('prints one JSON line per figure with exactly name, nodes, value, unit, broker', () => {
    const lines = jsonLines([f({ value: 1.5 }), f({ broker: 'mosquitto', value: 0.5 })]).split('\n')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      name: 'connect-all',
      nodes: 435,
      value: 1.5,
      unit: 's',
      broker: 'embedded',
    })
    expect(Object.keys(JSON.parse(lines[1] ?? ''))).toEqual([
      'name',
      'nodes',
      'value',
      'unit',
      'broker',
    ])
  })

  it('takes the ratio embedded / Mosquitto, and none when a side is missing or zero', () => {
    expect(ratio(3, 1.5)).toBe(2)
    expect(ratio(1, 0)).toBeNull()
    expect(ratio(undefined, 1)).toBeNull()
    expect(ratio(Number.NaN, 1)).toBeNull()
    expect(formatRatio(2)).toBe('2.00×')
    expect(formatRatio(null)).toBe('—')
  })

  it('computes nearest-rank percentiles and medians', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(xs, 50)).toBe(50)
    expect(percentile(xs, 99)).toBe(99)
    expect(percentile(xs, 100)).toBe(100)
    expect(median([3, 1, 2])).toBe(2)
    expect(median([])).toBeNaN()
  })

  it('keeps the median of repeated runs of one figure, in first-seen order', () => {
    const out = medianFigures([
      f({ value: 5 }),
      f({ name: 'rss', unit: 'MB', value: 300 }),
      f({ value: 1 }),
      f({ value: 3 }),
      f({ broker: 'mosquitto', value: 2 }),
    ])
    expect(out.map((x) => [x.name, x.broker, x.value])).toEqual([
      ['connect-all', 'embedded', 3],
      ['rss', 'embedded', 300],
      ['connect-all', 'mosquitto', 2],
    ])
  })

  it('sets each figure on both brokers side by side with their ratio; raw floors in their family', () => {
    const table = figureTable([
      f({ value: 12.5 }),
      f({ broker: 'mosquitto', value: 5 }),
      f({ name: 'floor', broker: 'raw-aedes', value: 8 }),
      f({ name: 'floor', broker: 'raw-mosquitto', value: 4 }),
      f({ name: 'register', value: 1234.4 }),
    ]).split('\n')
    expect(table[0]).toBe(
      '| figure | nodes | embedded (aedes) | Mosquitto | embedded / Mosquitto |',
    )
    expect(table.slice(2)).toEqual([
      '| connect-all | 435 | 12.5 s | 5.00 s | 2.50× |',
      '| floor | 435 | 8.00 s | 4.00 s | 2.00× |',
      '| register | 435 | 1,234 s | — | — |',
    ])
  })

  it('formats values to about three significant figures and a missing one as a dash', () => {
    expect(formatValue(0.1234, 's')).toBe('0.12 s')
    expect(formatValue(12.345, 'ms')).toBe('12.3 ms')
    expect(formatValue(10_000.4, 'events/s')).toBe('10,000 events/s')
    expect(formatValue(Number.NaN, 's')).toBe('—')
    expect(formatValue(0, 'events')).toBe('0 events')
  })
})
