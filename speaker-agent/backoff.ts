/** Exponential backoff bounds; attempt 0 waits up to `baseMs`. */
export interface BackoffOptions {
  /** Upper bound of the first delay. */
  baseMs: number
  /** Upper bound of every delay. */
  capMs: number
}

/**
 * Delay before retry number `attempt` (0-based) with "full jitter": uniform in
 * [0, min(cap, base · 2^attempt)), so that hundreds of agents never retry in lockstep
 * (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export function backoffDelayMs(
  attempt: number,
  { baseMs, capMs }: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}
