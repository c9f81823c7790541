import { describe, expect, it } from 'vitest'
import type { RunningOrderItem } from './running-order.js'
import { DEFAULT_QUIET_HOURS, type IssueCode, validateDay } from './validate-day.js'

const MIN = 60_000
const AUDIO = new Map([
  ['one-sec', { durationMs: 1000 }],
  ['one-min', { durationMs: MIN }],
  ['two-min', { durationMs: 2 * MIN }],
  ['one-hour', { durationMs: 60 * MIN }],
])
const NO_QUIET = { quietHours: { start: '00:00', end: '00:00' } }

function item(
  id: string,
  start: string,
  audioId: string | null = 'one-min',
  zones?: string[],
): RunningOrderItem {
  return { id, start, audioId, title: `title of ${id}`, ...(zones ? { zones } : {}) }
}

const codes = (items: RunningOrderItem[], opts = {}, code?: IssueCode) =>
  validateDay(items, AUDIO, opts)
    .filter((i) => code === undefined || i.code === code)
    .map((i) => `${i.code}:${i.severity}:${i.itemId ?? '-'}`)

describe('validateDay', () => {
  it('finds nothing wrong with a well-formed day', () => {
    const day = [item('news', '07:00:00'), item('weather', '12:00:00'), item('policy', '18:30:00')]
    expect(validateDay(day, AUDIO, { targetCount: 3 })).toEqual([])
  })

  it('reports a repeated id as DUPLICATE_ID, once per extra copy', () => {
    const day = [item('news', '07:00:00'), item('news', '12:00:00'), item('news', '18:00:00')]
    const issues = validateDay(day, AUDIO).filter((i) => i.code === 'DUPLICATE_ID')
    expect(issues).toHaveLength(2)
    expect(issues[0]).toMatchObject({
      severity: 'error',
      itemId: 'news',
      params: { id: 'news', start: '12:00:00' },
    })
  })

  it.each([
    ['no audio yet, as a warning', null, 'MISSING_AUDIO:warning:x'],
    ['audio not in the library, as an error', 'deleted', 'MISSING_AUDIO:error:x'],
  ])('reports an item with %s', (_, audioId, expected) => {
    expect(codes([item('x', '09:00:00', audioId)])).toEqual([expected])
  })

  it('names the missing audio in the params', () => {
    const [issue] = validateDay([item('x', '09:00:00', 'deleted')], AUDIO)
    expect(issue?.params).toEqual({ start: '09:00:00', audioId: 'deleted' })
  })

  describe('quiet hours', () => {
    it.each<[string, string | null, string[] | undefined, boolean, string]>([
      ['06:29:59', 'one-sec', undefined, true, 'the last second of the default quiet morning'],
      ['06:30:00', 'one-min', undefined, false, 'the moment the default quiet hours end'],
      ['21:59:00', 'one-min', undefined, false, 'a minute that ends exactly at 22:00'],
      ['21:59:00', 'two-min', undefined, true, 'a segment that runs into 22:00'],
      ['22:00:00', 'one-min', undefined, true, 'the start of the default quiet hours'],
      ['23:59:59', 'one-sec', undefined, true, 'one second before midnight'],
      ['00:00:00', 'one-min', undefined, true, 'midnight'],
      ['03:00:00', null, undefined, true, 'a segment of unknown length in the night'],
      ['12:00:00', 'one-hour', undefined, false, 'noon'],
      ['13:00:00', 'one-min', ['12:00', '14:00'], true, 'inside a midday rest window'],
      ['11:59:00', 'one-min', ['12:00', '14:00'], false, 'ending as a midday window starts'],
      ['14:00:00', 'one-min', ['12:00', '14:00'], false, 'as a midday window ends'],
      ['23:30:00', 'one-hour', ['12:00', '14:00'], false, 'late at night outside midday windows'],
      ['03:00:00', 'one-min', ['00:00', '00:00'], false, 'any time when start equals end'],
    ])('at %s with %s audio and window %j: %s (%s)', (start, audioId, window, hit) => {
      const opts = window ? { quietHours: { start: window[0]!, end: window[1]! } } : {}
      const found = codes([item('x', start, audioId)], opts, 'QUIET_HOURS')
      expect(found).toEqual(hit ? ['QUIET_HOURS:error:x'] : [])
    })

    it('uses 22:00–06:30 unless told otherwise', () => {
      expect(DEFAULT_QUIET_HOURS).toEqual({ start: '22:00', end: '06:30' })
    })

    it.each(['7:00', '24:00', '06:30:00', ''])('rejects the quiet-hours bound %j', (bad) => {
      const opts = { quietHours: { start: '22:00', end: bad } }
      expect(() => validateDay([item('x', '09:00:00')], AUDIO, opts)).toThrow(RangeError)
    })
  })

  describe('past midnight', () => {
    it.each<[string, string | null, boolean, string]>([
      ['23:59:00', 'two-min', true, 'runs until 00:01:00'],
      ['23:59:00', 'one-min', false, 'ends exactly at midnight'],
      ['23:30:00', 'one-hour', true, 'runs until 00:30:00'],
      ['23:59:59', null, false, 'has no known length'],
    ])('at %s with %s audio is flagged: %s (%s)', (start, audioId, hit) => {
      const found = codes([item('x', start, audioId)], NO_QUIET, 'PAST_MIDNIGHT')
      expect(found).toEqual(hit ? ['PAST_MIDNIGHT:error:x'] : [])
    })

    it('tells the editor when the segment ends', () => {
      const [issue] = validateDay([item('x', '23:30:00', 'one-hour')], AUDIO, NO_QUIET)
      expect(issue?.params).toEqual({ start: '23:30:00', end: '00:30:00' })
      expect(issue?.message).toContain('00:30:00')
    })
  })

  describe('overlaps', () => {
    const town = 't-ershilipu'
    const village = 'v-yanxiao'
    const sister = 'v-jinjiawan'
    const farVillage = 'v-songjiazhai'
    const zoneParents = new Map<string, string | null>([
      ['d-chengbei', null],
      [town, 'd-chengbei'],
      [village, town],
      [sister, town],
      [farVillage, 't-dabaozi'],
      ['t-dabaozi', 'd-chengbei'],
    ])

    it.each([
      ['both whole-district', undefined, undefined, {}, true],
      ['whole district and one village', [], [farVillage], {}, true],
      ['the same village', [village], [village], {}, true],
      ['two different villages', [village], [sister], {}, false],
      ['a town and its village without the zone tree', [town], [village], {}, false],
      ['a town and its village with the zone tree', [town], [village], { zoneParents }, true],
      ['a village and its town with the zone tree', [village], [town], { zoneParents }, true],
      ['sister villages with the zone tree', [village], [sister], { zoneParents }, false],
      ['a town and another town’s village', [town], [farVillage], { zoneParents }, false],
    ])('two overlapping segments aimed at %s clash: %s', (_, zonesA, zonesB, opts, hit) => {
      const day = [
        item('a', '08:00:00', 'two-min', zonesA),
        item('b', '08:01:00', 'one-min', zonesB),
      ]
      const found = codes(day, opts, 'OVERLAP')
      expect(found).toEqual(hit ? ['OVERLAP:error:b'] : [])
    })

    it.each([
      ['back to back', '08:00:00', '08:02:00', false],
      ['one second into the previous one', '08:00:00', '08:01:59', true],
      ['at the same start', '08:00:00', '08:00:00', true],
    ])('segments %s overlap: %s', (_, startA, startB, hit) => {
      const day = [item('a', startA, 'two-min'), item('b', startB, 'one-min')]
      expect(codes(day, {}, 'OVERLAP')).toEqual(hit ? ['OVERLAP:error:b'] : [])
    })

    it('reports every segment that starts while a long one is still playing', () => {
      const day = [
        item('c', '08:40:00', 'one-min'),
        item('long', '08:00:00', 'one-hour'),
        item('b', '08:20:00', 'one-min'),
        item('d', '09:30:00', 'one-min'),
      ]
      const issues = validateDay(day, AUDIO).filter((i) => i.code === 'OVERLAP')
      expect(issues.map((i) => [i.itemId, i.params?.otherItemId])).toEqual([
        ['b', 'long'],
        ['c', 'long'],
      ])
      expect(issues[0]?.params).toMatchObject({ start: '08:20:00', overlapMs: MIN })
    })

    it('does not count segments without audio as overlapping', () => {
      const day = [item('a', '08:00:00', null), item('b', '08:00:00', 'deleted')]
      expect(codes(day, {}, 'OVERLAP')).toEqual([])
    })

    it('stops walking a zone tree that loops', () => {
      const loop = new Map([
        ['x', 'y'],
        ['y', 'x'],
      ])
      const day = [item('a', '08:00:00', 'two-min', ['x']), item('b', '08:01:00', 'one-min', ['z'])]
      expect(codes(day, { zoneParents: loop }, 'OVERLAP')).toEqual([])
    })
  })

  describe('segment count', () => {
    const day = Array.from({ length: 14 }, (_, i) =>
      item(`s${i}`, `${10 + (i % 10)}:0${i >> 1}:00`),
    )

    it('warns when the day has fewer segments than the target', () => {
      const issues = validateDay(day, AUDIO, { targetCount: 15 })
      expect(issues).toEqual([
        {
          code: 'COUNT_MISMATCH',
          severity: 'warning',
          message: 'This day has 14 segments; 15 are expected.',
          params: { count: 14, targetCount: 15 },
        },
      ])
    })

    it.each([
      ['matches the target', 14],
      ['has no target', undefined],
    ])('stays quiet when the count %s', (_, targetCount) => {
      const opts = targetCount === undefined ? {} : { targetCount }
      expect(codes(day, opts, 'COUNT_MISMATCH')).toEqual([])
    })
  })

  it('lists issues by kind and then by start time', () => {
    const day = [
      item('late', '23:00:00', 'deleted'),
      item('dup', '08:00:00', 'two-min'),
      item('dup', '08:01:00'),
    ]
    expect(codes(day, { targetCount: 2 })).toEqual([
      'DUPLICATE_ID:error:dup',
      'MISSING_AUDIO:error:late',
      'QUIET_HOURS:error:late',
      'OVERLAP:error:dup',
      'COUNT_MISMATCH:warning:-',
    ])
  })

  it('writes plain English messages with no Chinese in them', () => {
    const day = [
      item('夜', '23:30:00', 'one-hour'),
      item('夜', '23:31:00', null),
      item('x', '23:31:00'),
    ]
    for (const issue of validateDay(day, AUDIO, { targetCount: 15 })) {
      expect(issue.message).toMatch(/^[A-Z]/)
      expect(issue.message).not.toMatch(/[\u4e00-\u9fff]/)
    }
  })

  it('rejects an item whose start is not HH:MM:SS', () => {
    expect(() => validateDay([item('x', '9:00')], AUDIO)).toThrow(RangeError)
  })
})
