import { describe, expect, it } from 'vitest'
import { createInstantFormatter, formatInstant } from './time.js'

describe('instants with an offset', () => {
  it('formats with the zone offset, reusing one formatter across instants and DST changes', () => {
    const shanghai = createInstantFormatter('Asia/Shanghai')
    expect(shanghai(Date.UTC(2026, 10, 27, 0, 0, 0, 5))).toBe('2026-11-27T08:00:00.005+08:00')
    expect(shanghai(Date.UTC(2026, 11, 31, 16, 0, 0))).toBe('2027-01-01T00:00:00.000+08:00')
    const berlin = createInstantFormatter('Europe/Berlin')
    // 2026-03-29 01:00 UTC Berlin moves from +01:00 to +02:00; 2026-10-25 01:00 UTC back.
    expect(berlin(Date.UTC(2026, 2, 29, 0, 59, 59))).toBe('2026-03-29T01:59:59.000+01:00')
    expect(berlin(Date.UTC(2026, 2, 29, 1, 0, 0))).toBe('2026-03-29T03:00:00.000+02:00')
    expect(berlin(Date.UTC(2026, 9, 25, 1, 0, 0))).toBe('2026-10-25T02:00:00.000+01:00')
    expect(formatInstant(Date.UTC(2026, 9, 25, 0, 59, 0), 'Europe/Berlin')).toBe(
      '2026-10-25T02:59:00.000+02:00',
    )
  })
})
