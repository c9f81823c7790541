import { performance } from 'node:perf_hooks'
import type { Clock } from './clock.js'
import { MAX_TIMEOUT_MS } from './clock.js'

/**
 * The node's own two clocks: a monotonic one that timers run on and that never steps, and the
 * system (wall) clock that NTP / chrony or an operator may step. Injected, so tests can step the
 * wall clock by hand (`testing/manual-host-clock.ts`) or give an agent a wrong one.
 */
export interface HostClock {
  /** Monotonic ms since an arbitrary origin; never steps. */
  monoNow(): number
  /** The system clock, epoch ms; may step either way. */
  wallNow(): number
  /** Calls `fn` once after `ms` of monotonic time; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void
}

/** The real clocks: `performance.now()`, `Date.now()` (plus `wallSkewMs`) and `setTimeout`. */
export function createSystemHostClock(wallSkewMs = 0): HostClock {
  return {
    monoNow: () => performance.now(),
    wallNow: () => Date.now() + wallSkewMs,
    after(ms, fn) {
      let handle: NodeJS.Timeout | undefined
      let cancelled = false
      const end = performance.now() + ms
      const arm = (): void => {
        const left = end - performance.now()
        if (left <= 0) {
          handle = undefined
          fn()
          return
        }
        handle = setTimeout(arm, Math.min(Math.max(1, Math.ceil(left)), MAX_TIMEOUT_MS))
      }
      arm()
      return () => {
        if (cancelled) return
        cancelled = true
        if (handle) clearTimeout(handle)
      }
    },
  }
}

/**
 * A host whose two clocks are one given Clock (no monotonic clock of its own): for callers that
 * inject a plain Clock, such as a manual clock in a test.
 */
export function hostFromClock(clock: Clock): HostClock {
  return {
    monoNow: () => clock.now(),
    wallNow: () => clock.now(),
    after: (ms, fn) => clock.setTimer(clock.now() + ms, fn),
  }
}
