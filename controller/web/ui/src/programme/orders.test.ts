import { describe, expect, it } from 'vitest'
import {
  copyPairs,
  countSegments,
  type DayVersion,
  type Item,
  mergeAdd,
  newId,
  nextStart,
  normaliseTime,
  reorder,
  scopeTree,
  sortItems,
  targetPath,
  timelineMarks,
  toInput,
  versionBefore,
  weekOf,
  zoneQuery,
} from './orders'

// The running-order editor's pure logic (ported from test/browser/programme-logic.test.ts).

const item = (id: string, start: string, audioId: string | null = 'a-1'): Item => ({
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

  it('reorders by drag and drop: segments move between the day’s slots, times stay', () => {
    const items = [item('a', '07:00:00', 'x'), item('b', '08:00:00', 'y'), item('c', '09:00:00')]
    expect(reorder(items, 2, 0).map((i) => [i.id, i.start])).toEqual([
      ['c', '07:00:00'],
      ['a', '08:00:00'],
      ['b', '09:00:00'],
    ])
    expect(reorder(items, 0, 1).map((i) => [i.id, i.start])).toEqual([
      ['b', '07:00:00'],
      ['a', '08:00:00'],
      ['c', '09:00:00'],
    ])
    expect(reorder(items, 1, 1)).toEqual(items)
    expect(reorder(items, 0, 5)).toEqual(items)
  })

  it('keeps a relay (转播) in its slot while the segments move around it', () => {
    const relay = {
      ...item('r', '08:00:00', null),
      relay: { url: 'rtsp://10.0.0.5/live', end: '08:30:00' },
    }
    const items = [
      item('a', '07:00:00', 'x'),
      relay,
      item('b', '09:00:00', 'y'),
      item('c', '10:00:00', 'z'),
    ]
    const order = (list: Item[]) => list.map((i) => [i.id, i.start])
    // a dropped below the relay and b: a and b swap the slots 07:00 and 09:00; the relay stays.
    expect(order(reorder(items, 0, 2))).toEqual([
      ['b', '07:00:00'],
      ['r', '08:00:00'],
      ['a', '09:00:00'],
      ['c', '10:00:00'],
    ])
    // c dropped at the relay's place lands right after a; the relay stays at 08:00.
    expect(order(reorder(items, 3, 1))).toEqual([
      ['a', '07:00:00'],
      ['r', '08:00:00'],
      ['c', '09:00:00'],
      ['b', '10:00:00'],
    ])
    expect(reorder(items, 1, 3)).toEqual(items)
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
    const relay = {
      ...item('r', '19:00:00', null),
      relay: { url: 'rtsp://10.0.0.5/live', end: '20:00:00' },
    }
    expect(countSegments([relay, item('b', '08:00:00', null)])).toEqual({ segments: 1, empty: 1 })
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

  it('reads a time as an editor types it, 24-hour', () => {
    expect(normaliseTime('7:5')).toBe('07:05:00')
    expect(normaliseTime(' 07:30:15 ')).toBe('07:30:15')
    expect(normaliseTime('0730')).toBe('07:30:00')
    expect(normaliseTime('24:00')).toBeNull()
    expect(normaliseTime('7:60')).toBeNull()
    expect(normaliseTime('noon')).toBeNull()
  })
})

describe('week view, copies, timeline and undo', () => {
  it('lays a week out Monday first, across months and years', () => {
    expect(weekOf('2026-12-02')).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ])
    expect(weekOf('2027-01-03')[0]).toBe('2026-12-28')
  })

  it('copies a week dropped onto another date of another week, day by day', () => {
    const week = weekOf('2026-12-02')
    const pairs = copyPairs(week, '2026-12-07')
    expect(pairs[0]).toEqual({ from: '2026-11-30', to: '2026-12-07' })
    expect(pairs[6]).toEqual({ from: '2026-12-06', to: '2026-12-13' })
    expect(copyPairs(['2026-12-02'], '2026-12-05')).toEqual([
      { from: '2026-12-02', to: '2026-12-05' },
    ])
    expect(copyPairs(week, '2026-11-30')).toEqual([])
    expect(copyPairs([], '2026-11-30')).toEqual([])
  })

  it('places items on the 24-hour axis by start and length, never past midnight', () => {
    const marks = timelineMarks(
      [item('b', '12:00:00'), item('a', '00:00:00', null), item('c', '23:59:00', 'long')],
      (id) => (id === 'long' ? 3_600_000 : 60_000),
    )
    expect(marks.map((m) => [m.id, m.left, m.empty])).toEqual([
      ['a', 0, true],
      ['b', 50, false],
      ['c', (86_340 / 86_400) * 100, false],
    ])
    expect(marks[0]?.width).toBe(0.35)
    expect((marks[2]?.left ?? 0) + (marks[2]?.width ?? 0)).toBeCloseTo(100)
  })

  it('draws a relay (转播) from its start to its end, as its own kind, and saves its source', () => {
    const relay = {
      ...item('r', '18:00:00', null),
      relay: { url: 'rtsp://10.0.0.5/live', end: '21:00:00' },
    }
    const [mark] = timelineMarks([relay], () => undefined)
    expect(mark).toMatchObject({ id: 'r', left: 75, empty: false, relay: true })
    expect(mark?.width).toBeCloseTo(12.5)
    expect(toInput(relay)).toEqual({
      id: 'r',
      start: '18:00:00',
      audioId: null,
      title: '',
      relay: relay.relay,
    })
    expect(toInput({ ...item('a', '07:00:00'), relay: null })).not.toHaveProperty('relay')
  })

  it('undoes a deletion with the newest saved version before it', () => {
    const v = (version: number, deleted = false) => ({ version, deleted }) as DayVersion
    expect(versionBefore([v(4, true), v(3), v(2, true), v(1)], 4)).toBe(3)
    expect(versionBefore([v(2, true), v(1, true)], 2)).toBeNull()
  })

  it('names the zone of a days route, or none for the district', () => {
    expect(zoneQuery('')).toBe('')
    expect(zoneQuery('z-1 2')).toBe('?zone=z-1%202')
  })
})

describe('zone scope of the editor', () => {
  it('offers a zone-limited user only their zones and what lies below', () => {
    interface N {
      value: string
      children: N[]
    }
    const n = (value: string, children: N[] = []): N => ({ value, children })
    const tree = [n('district', [n('town-a', [n('village')]), n('town-b')])]
    expect(scopeTree(tree, []).map((x) => x.value)).toEqual(['district'])
    expect(scopeTree(tree, ['town-a']).map((x) => x.value)).toEqual(['town-a'])
    expect(targetPath({ kind: 'date', date: '2026-12-02', zone: 'z' })).toBe(
      'api/days/2026-12-02?zone=z',
    )
    expect(targetPath({ kind: 'template', dayType: 'rest' })).toBe('api/templates/rest')
  })
})
