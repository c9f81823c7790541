/**
 * @module readiness
 * Readiness before air time (issue 3): after every prefetch round the agent tells the controller,
 * for each date of its plan, whether it holds every audio file that date needs with a verified
 * hash, and which items it would miss. A report goes out only when it differs from the last one
 * (a new plan version always differs). While something is missing, prefetching is retried with
 * backoff, so a node that was cut off catches up on its own and says so.
 */
import type { Logger } from 'pino'
import type { PlanMessage } from '../protocol/index.js'
import { backoffDelayMs } from './backoff.js'
import type { Clock } from './clock.js'
import { type ReadinessEvent, type ReportEvent, stampEvent } from './events.js'

/** Readiness of each date of a plan, as the `readiness` event carries it. */
export type DateReadiness = ReadinessEvent['dates']

/** Per date of `plan`: ready when every item's audio is held (`has(sha256)`), else the misses. */
export function readinessOf(plan: PlanMessage, has: (sha256: string) => boolean): DateReadiness {
  const missing = new Map<string, string[]>(plan.dates.map((d) => [d, []]))
  for (const item of plan.items) {
    if (has(item.sha256)) continue
    const date = item.itemId.slice(0, 10)
    const list = missing.get(date) ?? []
    list.push(item.itemId)
    missing.set(date, list)
  }
  return [...missing].map(([date, ids]) => ({ date, ready: ids.length === 0, missing: ids }))
}

/** Dependencies of createReadiness. */
export interface ReadinessDeps {
  clock: Clock
  log: Logger
  report: ReportEvent
  /** Whether the cache holds a verified file with this hash. */
  has(sha256: string): boolean
  /** Retry backoff of prefetch rounds while files are missing (default 30 s up to 10 min). */
  retry?: { baseMs: number; capMs: number }
}

/** Reports readiness after prefetch rounds and schedules the next round while files are missing. */
export function createReadiness(deps: ReadinessDeps) {
  const retry = deps.retry ?? { baseMs: 30_000, capMs: 600_000 }
  let last = ''
  let attempt = 0
  let cancelRetry: (() => void) | null = null
  let stopped = false

  return {
    /**
     * Called after a prefetch round of `plan`: reports readiness if it changed, and when files are
     * missing arms `again` (another prefetch round) after a backoff delay.
     */
    afterPrefetch(plan: PlanMessage, again: () => void): DateReadiness {
      const dates = readinessOf(plan, deps.has)
      const key = JSON.stringify([plan.version, dates])
      if (key !== last && !stopped) {
        last = key
        deps.report(stampEvent(deps.clock, { type: 'readiness', planVersion: plan.version, dates }))
      }
      cancelRetry?.()
      cancelRetry = null
      const missing = dates.reduce((n, d) => n + d.missing.length, 0)
      if (missing === 0 || stopped) {
        attempt = 0
        return dates
      }
      const delay = retry.baseMs / 2 + backoffDelayMs(attempt++, retry) / 2
      deps.log.warn({ version: plan.version, missing, retryInMs: delay }, 'audio missing for plan')
      cancelRetry = deps.clock.setTimer(deps.clock.now() + delay, () => {
        cancelRetry = null
        again()
      })
      return dates
    },
    /** Cancels a pending retry. */
    stop(): void {
      stopped = true
      cancelRetry?.()
      cancelRetry = null
    },
  }
}

/** The readiness reporter. */
export type Readiness = ReturnType<typeof createReadiness>
