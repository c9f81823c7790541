import { settle } from '../../testing/manual-clock.js'
import type { HostClock } from '../host-clock.js'

/** A HostClock moved by hand: `advance` moves both clocks, `stepWall` only the system clock. */
export interface ManualHostClock extends HostClock {
  /** Moves monotonic and wall time forward by `ms`, firing due timers in order. */
  advance(ms: number): Promise<void>
  /** Steps the system clock by `ms` (negative: back), as NTP or an operator would. */
  stepWall(ms: number): void
  /** Timers armed and not yet fired or cancelled. */
  pending(): number
}

interface Timer {
  at: number
  seq: number
  fn: () => void
}

/** Creates a manual host clock whose wall clock reads `wallStartMs` at first. */
export function createManualHostClock(
  wallStartMs = Date.parse('2026-11-27T08:00:00.000Z'),
): ManualHostClock {
  let mono = 1000
  let wallShift = wallStartMs - mono
  let seq = 0
  const timers = new Set<Timer>()
  return {
    monoNow: () => mono,
    wallNow: () => mono + wallShift,
    after(ms, fn) {
      const timer = { at: mono + Math.max(0, ms), seq: seq++, fn }
      timers.add(timer)
      return () => {
        timers.delete(timer)
      }
    },
    stepWall(ms) {
      wallShift += ms
    },
    async advance(ms) {
      const target = mono + ms
      await settle()
      for (;;) {
        let next: Timer | undefined
        for (const t of timers) {
          if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)))
            next = t
        }
        if (!next) break
        timers.delete(next)
        mono = Math.max(mono, next.at)
        next.fn()
        await settle()
      }
      mono = target
      await settle()
    },
    pending: () => timers.size,
  }
}
