/**
 * @module pre-verify
 * Hashes each item's cached audio a few seconds before its instant, so that the check the player
 * makes at the instant (`cache.ensure(item, { verify: true })`) finds a fresh hash of an unchanged
 * file and costs a stat instead of reading the whole file on the start's critical path. A failure
 * here is only logged: the player's own check at the instant fetches again or reports `checksum`.
 */
import type { Logger } from 'pino'
import type { PlanMessage } from '../protocol/index.js'
import type { AudioCache } from './audio-cache.js'
import type { Clock } from './clock.js'

/** How long before an item's instant its file is hashed (well within HASH_FRESH_MS). */
export const PRE_VERIFY_LEAD_MS = 5000

/** Timers that hash each coming item's file shortly before it plays. */
export interface PreVerifier {
  /** Replaces the timers with one per coming item of `plan`. */
  setPlan(plan: PlanMessage): void
  stop(): void
}

/** Creates the pre-verifier. */
export function createPreVerifier(deps: {
  clock: Clock
  cache: Pick<AudioCache, 'ensure' | 'has'>
  log: Logger
}): PreVerifier {
  const { clock, log } = deps
  const timers: Array<() => void> = []

  function clear(): void {
    for (const cancel of timers.splice(0)) cancel()
  }

  return {
    setPlan(plan) {
      clear()
      const now = clock.now()
      for (const item of plan.items) {
        const at = Date.parse(item.startAt) - PRE_VERIFY_LEAD_MS
        if (!(at > now)) continue
        timers.push(
          clock.setTimer(at, () => {
            // Only files already cached: a missing one is the prefetch's and the player's job.
            if (!deps.cache.has(item.sha256)) return
            void deps.cache
              .ensure(item, { verify: true })
              .catch((err: unknown) =>
                log.warn({ err, itemId: item.itemId }, 'audio failed its check before its play'),
              )
          }),
        )
      }
    },
    stop: clear,
  }
}
