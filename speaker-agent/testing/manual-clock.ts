import type { Clock } from '../clock.js'

/** A Clock whose time moves only when a test says so; timers fire in instant order. */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order, letting promises settle after each. */
  advance(ms: number): Promise<void>
  /** Timers armed and not yet fired or cancelled. */
  pending(): number
}

interface Timer {
  at: number
  seq: number
  fn: () => void
}

/** Creates a manual clock starting at `startMs` (default 2026-11-27T08:00:00Z). */
export function createManualClock(startMs = Date.parse('2026-11-27T08:00:00.000Z')): ManualClock {
  let now = startMs
  let seq = 0
  const timers = new Set<Timer>()

  return {
    now: () => now,
    setTimer(at, fn) {
      const timer = { at, seq: seq++, fn }
      timers.add(timer)
      return () => {
        timers.delete(timer)
      }
    },
    async advance(ms) {
      const target = now + ms
      await settle()
      for (;;) {
        let next: Timer | undefined
        for (const t of timers) {
          if (
            t.at <= target &&
            (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))
          ) {
            next = t
          }
        }
        if (!next) break
        timers.delete(next)
        now = Math.max(now, next.at)
        next.fn()
        await settle()
      }
      now = target
      await settle()
    },
    pending: () => timers.size,
  }
}

/** Lets pending promise callbacks and quick I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}
