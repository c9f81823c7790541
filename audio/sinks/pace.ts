/**
 * @module audio/sinks/pace
 * The clock a sink paces its output on: monotonic milliseconds and a timer on them. Real sinks
 * use `performance.now` and `setTimeout` (a step of the wall clock neither stretches nor squeezes
 * the sound); tests inject a manual clock so that feeding, running dry and recovering happen when
 * the test moves time, not when the machine gets round to it.
 */
import { performance } from 'node:perf_hooks'

/** Monotonic ms and a one-shot timer on them. */
export interface PaceClock {
  /** Monotonic milliseconds (fractional). */
  now(): number
  /** Calls `fn` once, `ms` from now; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void
}

/** The machine's monotonic clock. */
export const realPaceClock: PaceClock = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms))
    return () => clearTimeout(t)
  },
}

/** A sleep on `pace` that `wake()` ends early (an abort); one sleeper at a time. */
export function createPauser(pace: PaceClock): {
  pause(ms: number): Promise<void>
  wake(): void
} {
  let wake: (() => void) | undefined
  return {
    pause: (ms) =>
      new Promise((resolve) => {
        const cancel = pace.after(ms, done)
        function done(): void {
          cancel()
          wake = undefined
          resolve()
        }
        wake = done
      }),
    wake: () => wake?.(),
  }
}
