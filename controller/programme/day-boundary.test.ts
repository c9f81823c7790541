import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { createManualClock } from '../../testing/manual-clock.js'
import { createDayBoundary } from './day-boundary.js'

const log = pino({ level: 'silent' })
const TZ = 'Asia/Shanghai'

describe('day boundary', () => {
  it('rolls at 00:00:05 local time, once a day, on the injected clock', async () => {
    // 2026-11-27 23:59:00 in Shanghai.
    const clock = createManualClock(Date.parse('2026-11-27T15:59:00.000Z'))
    const rolls: string[] = []
    const boundary = createDayBoundary({
      tz: TZ,
      clock,
      log,
      onNewDay: async () => {
        rolls.push(new Date(clock.now()).toISOString())
      },
    })
    boundary.start()
    await clock.advance(64_000)
    expect(rolls).toEqual([])
    await clock.advance(1_000)
    expect(rolls).toEqual(['2026-11-27T16:00:05.000Z'])
    await clock.advance(86_400_000)
    expect(rolls).toEqual(['2026-11-27T16:00:05.000Z', '2026-11-28T16:00:05.000Z'])
    await boundary.stop()
    expect(clock.pending()).toBe(0)
    await clock.advance(86_400_000)
    expect(rolls).toHaveLength(2)
  })

  it('does not start a roll while the last one still runs, and a failed roll is not fatal', async () => {
    const clock = createManualClock(Date.parse('2026-11-27T16:00:00.000Z'))
    let calls = 0
    let finish: () => void = () => undefined
    const boundary = createDayBoundary({
      tz: TZ,
      clock,
      log,
      onNewDay: () => {
        calls++
        if (calls === 1) return new Promise<void>((ok) => (finish = ok))
        return Promise.reject(new Error('disk full'))
      },
    })
    boundary.start()
    await clock.advance(5_000)
    expect(calls).toBe(1)
    await clock.advance(86_400_000)
    expect(calls).toBe(1)
    finish()
    await clock.advance(86_400_000)
    expect(calls).toBe(2)
    await clock.advance(86_400_000)
    expect(calls).toBe(3)
    await boundary.stop()
  })
})
