import { describe, expect, it } from 'vitest'
import type { ResolvedItem } from '../../schedules/index.js'
import { changedZones, indexResolution, mergeScopes } from './plan-scope.js'

const item = (date: string, id: string, zones: string[], title = 't'): ResolvedItem => ({
  itemId: `${date}/${id}`,
  date,
  startAt: Date.parse(`${date}T08:00:00Z`),
  audioId: 'a',
  sha256: 's',
  sizeBytes: 1,
  durationMs: 1000,
  title,
  priority: 50,
  zones,
  audience: 'all',
})

const D1 = '2026-12-07'
const D2 = '2026-12-08'

describe('plan scope', () => {
  it('finds the zones of items added, removed or altered on the changed dates', () => {
    const before = indexResolution([D1, D2], [item(D1, 'a', ['west']), item(D2, 'b', [])])
    const after = indexResolution(
      [D1, D2],
      [item(D1, 'a', ['west'], 'renamed'), item(D1, 'c', ['east']), item(D2, 'b', [])],
    )
    expect(changedZones(before, after, [D1])).toEqual(new Set(['west', 'east']))
    const removed = indexResolution([D1, D2], [item(D2, 'b', [])])
    expect(changedZones(before, removed, [D1])).toEqual(new Set(['west']))
    expect(changedZones(before, before, [D1, D2])).toEqual(new Set())
  })

  it('is every zone when an item for every zone changed or nothing is known before', () => {
    const before = indexResolution([D1], [item(D1, 'a', ['west'])])
    const after = indexResolution([D1], [item(D1, 'a', ['west']), item(D1, 'all', [])])
    expect(changedZones(before, after, [D1])).toBe('all')
    expect(changedZones(null, after, [D1])).toBe('all')
    expect(changedZones(before, indexResolution([D2], []), [D2])).toBe('all')
  })

  it('merges scopes, every date or zone absorbing the rest', () => {
    expect(mergeScopes({ dates: [D1], zones: ['w'] }, { dates: [D1, D2], zones: ['e'] })).toEqual({
      dates: [D1, D2],
      zones: ['w', 'e'],
    })
    expect(mergeScopes({ dates: [D1], zones: 'all' }, { dates: 'all', zones: ['e'] })).toEqual({
      dates: 'all',
      zones: 'all',
    })
  })

  it('reaches a zone that gains or loses its own order (issue 11), even for a targeted item', () => {
    const town = (r: ResolvedItem, over: Partial<ResolvedItem>): ResolvedItem => ({ ...r, ...over })
    const before = indexResolution([D1], [item(D1, 'a', ['town'])])
    // The village below the town gets its own order: the district item is replaced there.
    const after = indexResolution(
      [D1],
      [
        town(item(D1, 'a', ['town']), { overriddenBy: ['village'] }),
        town(item(D1, 'a', []), { orderZone: 'village' }),
      ],
    )
    expect(changedZones(before, after, [D1])).toEqual(new Set(['town', 'village']))
    // And loses it again: the village is re-planned too.
    expect(changedZones(after, before, [D1])).toEqual(new Set(['town', 'village']))
  })
})
