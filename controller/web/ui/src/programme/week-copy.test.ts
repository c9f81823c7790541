import { describe, expect, it } from 'vitest'
import { comingWeeks, mondayOf, ownDays, weekCopyPairs, weekSpan } from './week-copy'

// Dragging a week onto another: which weeks, which pairs, what the confirmation says.

describe('week copy by drag and drop', () => {
  it('offers the weeks after the shown one, Monday first', () => {
    expect(mondayOf('2026-12-10')).toBe('2026-12-07')
    expect(mondayOf('2026-12-07')).toBe('2026-12-07')
    expect(comingWeeks('2026-12-09', 3)).toEqual(['2026-12-14', '2026-12-21', '2026-12-28'])
  })

  it('copies each weekday onto the same weekday of the target week, across a year', () => {
    const pairs = weekCopyPairs('2026-12-09', '2027-01-01')
    expect(pairs).toHaveLength(7)
    expect(pairs[0]).toEqual({ from: '2026-12-07', to: '2026-12-28' })
    expect(pairs[4]).toEqual({ from: '2026-12-11', to: '2027-01-01' })
    expect(pairs[6]).toEqual({ from: '2026-12-13', to: '2027-01-03' })
    expect(weekCopyPairs('2026-12-09', '2026-12-13')).toEqual([])
  })

  it('counts the target days an overwrite would replace, and names the span', () => {
    const d = (hasOwnOrder: boolean) => ({ hasOwnOrder })
    expect(ownDays([d(true), d(false), d(true)])).toBe(2)
    expect(ownDays([])).toBe(0)
    expect(weekSpan('2026-12-30')).toEqual({ m1: 12, d1: 28, m2: 1, d2: 3 })
  })
})
