import { describe, expect, it } from 'vitest'
import { availabilityByDay } from './availability.js'

const H = 3_600_000
const day0 = Date.UTC(2026, 10, 27)
const localDate = (ms: number) => new Date(ms).toISOString().slice(0, 10)

describe('availabilityByDay', () => {
  it('counts the share of each day online, across midnight', () => {
    const out = availabilityByDay({
      transitions: [
        { to: 'offline', at: new Date(day0 + 6 * H).toISOString() },
        { to: 'online', at: new Date(day0 + 12 * H).toISOString() },
        { to: 'offline', at: new Date(day0 + 30 * H).toISOString() },
      ],
      initialOnline: true,
      activeFrom: 0,
      fromMs: day0,
      toMs: day0 + 48 * H,
      localDate,
    })
    expect(out).toEqual([
      { date: '2026-11-27', onlinePct: 75 },
      { date: '2026-11-28', onlinePct: 25 },
    ])
  })

  it('does not count time before the node was registered', () => {
    const out = availabilityByDay({
      transitions: [{ to: 'online', at: new Date(day0 + 12 * H).toISOString() }],
      initialOnline: false,
      activeFrom: day0 + 12 * H,
      fromMs: day0,
      toMs: day0 + 24 * H,
      localDate,
    })
    expect(out).toEqual([{ date: '2026-11-27', onlinePct: 100 }])
  })
})
