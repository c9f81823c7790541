import { describe, expect, it } from 'vitest'
import { makeGoodUntil } from './make-good.js'
import { resolvePlan } from './resolve-plan.js'
import { createZonedTime } from './zoned-time.js'

const zone = createZonedTime('Asia/Shanghai')
const at = (local: string) => zone.toInstant(local.slice(0, 10), local.slice(11))
const QUIET = { start: '22:00', end: '06:30' }
const ON = { enabled: true, windowMs: 2 * 3_600_000, timeBound: false }
const MIN = 60_000

describe('makeGoodUntil', () => {
  it('gives the window after the instant when no quiet hours come first', () => {
    const start = at('2026-12-07T08:00:00')
    expect(makeGoodUntil(start, 5 * MIN, ON, QUIET, zone)).toBe(at('2026-12-07T10:00:00'))
  })

  it('clips the window to the start of the next quiet hours', () => {
    const start = at('2026-12-07T21:00:00')
    expect(makeGoodUntil(start, 5 * MIN, ON, QUIET, zone)).toBe(at('2026-12-07T22:00:00'))
  })

  it('clips to quiet hours that do not span midnight', () => {
    const noon = { start: '12:00', end: '14:00' }
    const start = at('2026-12-07T11:00:00')
    expect(makeGoodUntil(start, 5 * MIN, ON, noon, zone)).toBe(at('2026-12-07T12:00:00'))
  })

  it.each([
    ['a segment inside the quiet hours (evening)', '2026-12-07T23:00:00', ON],
    ['a segment inside the quiet hours (morning)', '2026-12-07T06:00:00', ON],
    ['a disabled policy', '2026-12-07T08:00:00', { ...ON, enabled: false }],
    ['a time-bound column (weather, warnings)', '2026-12-07T08:00:00', { ...ON, timeBound: true }],
    ['no policy', '2026-12-07T08:00:00', undefined],
    ['a window too short to hold the segment again', '2026-12-07T21:52:00', ON],
  ])('gives none for %s', (_, local, policy) => {
    expect(makeGoodUntil(at(local), 5 * MIN, policy, QUIET, zone)).toBeNull()
  })

  it('ignores quiet hours whose start equals their end (none)', () => {
    const none = { start: '00:00', end: '00:00' }
    const start = at('2026-12-07T23:00:00')
    expect(makeGoodUntil(start, 5 * MIN, ON, none, zone)).toBe(at('2026-12-08T01:00:00'))
  })

  it('is set on resolved segments of a column with a policy, and only on those', () => {
    const audio = new Map([['a1', { sha256: 'a'.repeat(64), sizeBytes: 1, durationMs: MIN }]])
    const item = (id: string, start: string, columnId: string) => ({
      id,
      start,
      audioId: 'a1',
      title: id,
      columnId,
    })
    const inputs = {
      templates: {
        working: [
          item('news', '07:00:00', 'c-news'),
          item('weather', '07:30:00', 'c-weather'),
          item('culture', '21:59:00', 'c-news'),
        ],
        rest: [],
      },
      dayOrders: new Map(),
      dayTypes: new Map(),
      audio,
      columns: new Map([
        ['c-news', { defaultPriority: 50, makeGood: ON }],
        ['c-weather', { defaultPriority: 50, makeGood: { ...ON, timeBound: true } }],
      ]),
      quietHours: QUIET,
    }
    const plan = resolvePlan(inputs, { id: 'n', zoneIds: [] }, ['2026-12-07'], zone)
    expect(plan.map((i) => [i.itemId, i.makeGoodUntil])).toEqual([
      ['2026-12-07/news', at('2026-12-07T09:00:00')],
      ['2026-12-07/weather', undefined],
      ['2026-12-07/culture', undefined],
    ])
  })
})
