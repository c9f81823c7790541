import { type Clock, clockWithNow } from '../../controller/platform/time.js'

/** A controller clock the test can step forward; its timers are the system's. */
export interface SteppedClock extends Clock {
  /** Moves `now()` forward by `ms` at once (an expiry, a lockout, an idle timeout comes due). */
  step(ms: number): void
}

/**
 * Real time plus an offset the test steps, for an integration test that waits for a deadline
 * (a token's expiry, a login lockout, a session's idle timeout) instead of sleeping through it.
 * Timers stay real, so the rest of the controller (batching, SSE, sweeps) runs as usual.
 */
export function steppedClock(): SteppedClock {
  let offset = 0
  return {
    ...clockWithNow(() => Date.now() + offset),
    step: (ms) => {
      offset += ms
    },
  }
}
