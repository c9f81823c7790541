/**
 * A clock whose time moves only when a test says so, shared by the agent's tests and the
 * controller's. It has both timer styles: the agent's `setTimer(at, fn)` (speaker-agent/clock.ts)
 * and the controller's `after(ms, fn)` / `every(ms, fn)` (controller/time.ts). It imports nothing,
 * so it fits either clock by shape.
 */
export interface ManualClock {
  /** Milliseconds since the epoch, as the test set it. */
  now(): number
  /** Calls `fn` once at the instant `at` (epoch ms); returns a function that cancels it. */
  setTimer(at: number, fn: () => void): () => void
  /** Calls `fn` once, `ms` from now; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void
  /** Calls `fn` every `ms` from now until cancelled. */
  every(ms: number, fn: () => void): () => void
  /** Moves time forward by `ms`, firing due timers in order, letting promises settle after each. */
  advance(ms: number): Promise<void>
  /** Timers armed and not yet fired or cancelled (a periodic timer counts once). */
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

  function setTimer(at: number, fn: () => void): () => void {
    const timer = { at, seq: seq++, fn }
    timers.add(timer)
    return () => {
      timers.delete(timer)
    }
  }

  return {
    now: () => now,
    setTimer,
    after: (ms, fn) => setTimer(now + Math.max(0, ms), fn),
    every(ms, fn) {
      const period = Math.max(1, ms)
      let cancel = (): void => undefined
      let cancelled = false
      const arm = (at: number): void => {
        cancel = setTimer(at, () => {
          arm(at + period)
          fn()
        })
      }
      arm(now + period)
      return () => {
        if (cancelled) return
        cancelled = true
        cancel()
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
