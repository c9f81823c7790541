/** Time source and timer factory, injected so tests can move time by hand (STYLE rule 20). */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
  /** Calls `fn` once at the instant `at` (epoch ms); returns a function that cancels it. */
  setTimer(at: number, fn: () => void): () => void
}

/** Longest delay `setTimeout` accepts; longer ones fire at once, so we re-arm in steps. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** The real clock: `Date.now()` and `setTimeout`, re-armed for instants beyond ~24.8 days. */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(at, fn) {
      let handle: NodeJS.Timeout | undefined
      let cancelled = false
      const arm = (): void => {
        const delay = at - Date.now()
        if (delay <= 0) {
          handle = undefined
          fn()
          return
        }
        handle = setTimeout(arm, Math.min(delay, MAX_TIMEOUT_MS))
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

/** ISO 8601 instant (UTC, `Z`) for an epoch-ms value, as the protocol's InstantSchema wants. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString()
}

/** Resolves after `ms` on `clock`; the timer is cancelled when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const cancel = clock.setTimer(clock.now() + ms, () => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    })
    const onAbort = (): void => {
      cancel()
      resolve()
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Settles like `promise`, or rejects with a timeout error after `ms` on `clock`. */
export function withTimeout<T>(clock: Clock, promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = clock.setTimer(clock.now() + ms, () =>
      reject(new Error(`timed out after ${ms} ms`)),
    )
    promise.then(
      (value) => {
        cancel()
        resolve(value)
      },
      (err: unknown) => {
        cancel()
        reject(err)
      },
    )
  })
}
