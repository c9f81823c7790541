import { describe, expect, it } from 'vitest'
import { PLAN_HORIZON_DAYS, planDates } from './plan-dates.js'

const TZ = 'Asia/Shanghai'

describe('planDates', () => {
  it.each([
    ['2025-09-30T15:59:59.999Z', 0, ['2025-09-30'], 'one millisecond before local midnight'],
    ['2025-09-30T16:00:00.000Z', 0, ['2025-10-01'], 'at local midnight'],
    ['2025-12-31T16:00:00.000Z', 1, ['2026-01-01', '2026-01-02'], 'just into a new year'],
    ['2025-12-30T12:00:00.000Z', 2, ['2025-12-30', '2025-12-31', '2026-01-01'], 'across year end'],
  ])('from %s with horizon %d gives %j (%s)', (iso, horizon, expected) => {
    expect(planDates(Date.parse(iso), horizon, TZ)).toEqual(expected)
  })

  it('covers today and the full default horizon of 7 days after it', () => {
    const dates = planDates(Date.parse('2025-09-26T00:00:00Z'), PLAN_HORIZON_DAYS, TZ)
    expect(dates).toHaveLength(8)
    expect([dates[0], dates.at(-1)]).toEqual(['2025-09-26', '2025-10-03'])
  })

  it.each([-1, 1.5, Number.NaN])('rejects a horizon of %d days', (horizon) => {
    expect(() => planDates(0, horizon, TZ)).toThrow(RangeError)
  })
})
