import { describe, expect, it } from 'vitest'
import { createI18n } from '../../controller/web/src/i18n.js'
import type { OrderItem } from '../../controller/web/src/programme-types.js'
import {
  addMonths,
  daysInMonth,
  isMonth,
  monthGrid,
} from '../../controller/web/src/views/calendar-data.js'
import {
  countSegments,
  mergeAdd,
  moveItem,
  newId,
  nextStart,
  sortItems,
  toInput,
} from '../../controller/web/src/views/order-model.js'
import {
  apiErrorText,
  clock,
  issueText,
  localInstant,
  mmss,
  normaliseTime,
  reasonsText,
} from '../../controller/web/src/views/programme-text.js'

// The programme pages' pure logic, run in Node (the browser tests cover the DOM around it).

/** An ApiError as api.ts makes it (that module needs the DOM, this test runs in Node). */
function apiError(status: number, message: string, code: string, details: unknown): Error {
  return Object.assign(new Error(message), { name: 'ApiError', status, code, details })
}

const item = (id: string, start: string, audioId: string | null = 'a-1'): OrderItem => ({
  id,
  start,
  audioId,
  title: '',
})

describe('running-order logic', () => {
  it('derives ids as the server does, avoiding taken ones (and template ids in add mode)', () => {
    expect(newId('07:30:00', new Set())).toBe('t073000')
    expect(newId('07:30:00', new Set(['t073000']))).toBe('t073000-2')
    expect(newId('07:30:00', new Set(['t073000', 't073000-2']))).toBe('t073000-3')
  })

  it('puts a new item half an hour after the last, on a free minute, before midnight', () => {
    expect(nextStart([])).toBe('08:00:00')
    expect(nextStart([item('a', '07:00:00'), item('b', '20:30:00')])).toBe('21:00:00')
    expect(nextStart([item('a', '23:50:00')])).toBe('23:59:00')
    expect(nextStart([item('a', '08:15:30')])).toBe('08:45:00')
  })

  it('moves an item by swapping its content with its neighbour, keeping the times', () => {
    const items = [item('a', '07:00:00', 'x'), item('b', '08:00:00', 'y'), item('c', '09:00:00')]
    const moved = moveItem(items, 'b', -1)
    expect(moved.map((i) => [i.id, i.start])).toEqual([
      ['b', '07:00:00'],
      ['a', '08:00:00'],
      ['c', '09:00:00'],
    ])
    expect(moveItem(items, 'a', -1)).toEqual(items)
    expect(moveItem(items, 'c', 1)).toEqual(items)
  })

  it('merges a date added to its template: same id overrides, new ids are added, by time', () => {
    const template = [item('t0700', '07:00:00'), item('t0800', '08:00:00')]
    const own = [item('t0800', '08:05:00', 'b-2'), item('t0900', '09:00:00')]
    expect(mergeAdd(template, own).map((r) => [r.item.id, r.item.start, r.origin])).toEqual([
      ['t0700', '07:00:00', 'template'],
      ['t0800', '08:05:00', 'date'],
      ['t0900', '09:00:00', 'date'],
    ])
  })

  it('counts segments and empty slots, sorts by time, and leaves unset fields out', () => {
    expect(countSegments([item('a', '07:00:00'), item('b', '08:00:00', null)])).toEqual({
      segments: 1,
      empty: 1,
    })
    expect(sortItems([item('b', '09:00:00'), item('a', '07:00:00')]).map((i) => i.id)).toEqual([
      'a',
      'b',
    ])
    expect(toInput({ ...item('a', '07:00:00'), zones: [], columnId: null })).toEqual({
      id: 'a',
      start: '07:00:00',
      audioId: 'a-1',
      title: '',
    })
    expect(toInput({ ...item('a', '07:00:00'), zones: ['z'], priority: 0 })).toMatchObject({
      zones: ['z'],
      priority: 0,
    })
  })
})

describe('times, months and words', () => {
  it('reads a time as an editor types it, 24-hour', () => {
    expect(normaliseTime('7:30')).toBe('07:30:00')
    expect(normaliseTime('0730')).toBe('07:30:00')
    expect(normaliseTime('19.30')).toBe('19:30:00')
    expect(normaliseTime('19：30：15')).toBe('19:30:15')
    expect(normaliseTime('193015')).toBe('19:30:15')
    expect(normaliseTime('24:00')).toBeNull()
    expect(normaliseTime('7:3')).toBeNull()
    expect(normaliseTime('noon')).toBeNull()
    expect(clock('07:30:00')).toBe('07:30')
    expect(clock('07:30:15')).toBe('07:30:15')
    expect(mmss(125_000)).toBe('2:05')
    expect(mmss(3_723_000)).toBe('1:02:03')
  })

  it('reads a date and time in the district, whatever the browser’s zone', () => {
    expect(localInstant('2026-11-28T10:00', 'Asia/Shanghai')).toBe('2026-11-28T02:00:00.000Z')
    expect(localInstant('2026-11-28T00:30:15', 'Asia/Shanghai')).toBe('2026-11-27T16:30:15.000Z')
    expect(localInstant('', 'Asia/Shanghai')).toBeNull()
  })

  it('lays a month out Monday first', () => {
    const grid = monthGrid('2026-12')
    expect(grid[0]).toEqual([
      null,
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ])
    expect(grid.flat().filter(Boolean)).toHaveLength(31)
    expect(grid.every((w) => w.length === 7)).toBe(true)
    expect(addMonths('2026-12', 1)).toBe('2027-01')
    expect(addMonths('2027-01', -1)).toBe('2026-12')
    expect(daysInMonth('2028-02')).toBe(29)
    expect(isMonth('2026-13')).toBe(false)
    expect(isMonth('2026-02')).toBe(true)
  })

  it('words validation issues and failures from their codes, in both languages', () => {
    const store = { getItem: () => null, setItem: () => {} }
    const zh = createI18n(store)
    const overlap = {
      code: 'OVERLAP',
      severity: 'error',
      itemId: 't080010',
      message: 'English',
      params: {
        start: '08:00:10',
        otherItemId: 't080000',
        otherStart: '08:00:00',
        overlapMs: 9500,
      },
    }
    expect(issueText(zh, overlap)).toBe(
      '08:00:10 这一段开始时，08:00 那一段在同一区域还没播完（重叠约 10 秒）',
    )
    const count = {
      code: 'COUNT_MISMATCH',
      severity: 'warning',
      message: 'x',
      params: { count: 14, targetCount: 15 },
    }
    expect(issueText(zh, count)).toBe('这一天排了 14 段，目标是 15 段')
    expect(issueText(zh, { code: 'NEW_ONE', severity: 'warning', message: 'Server words' })).toBe(
      'Server words',
    )
    const inUse = apiError(409, '409 in use', 'AUDIO_IN_USE', {
      templates: ['working'],
      dates: ['2026-11-28'],
      announcements: [],
    })
    expect(apiErrorText(zh, inUse)).toBe('仍在使用：工作日模板；2026-11-28 的节目单')
    const notAudio = apiError(422, '422 the file is not an audio recording', 'AUDIO_INVALID', {
      code: 'AUDIO_NOT_AUDIO',
    })
    expect(apiErrorText(zh, notAudio)).toBe('不是可用的音频：文件不是音频')
    expect(reasonsText(zh, { offline: 3, late: 1, download: 0 })).toBe('离线 ×3，迟到 ×1')
    const en = createI18n({ getItem: () => 'en', setItem: () => {} })
    expect(issueText(en, count)).toBe('This day has 14 segments; 15 are expected')
    expect(apiErrorText(en, inUse)).toBe(
      'still used by Working-day template; the running orders of 2026-11-28',
    )
  })
})
