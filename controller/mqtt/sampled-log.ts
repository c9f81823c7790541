import type { Logger } from 'pino'

/**
 * A warn logger that writes at most one line per kind in each interval, carrying how many lines
 * of that kind it left out since the last one (`suppressed`). Whoever floods the controller with
 * bad input cannot fill its disk through the log; counts belong in /metrics, not here.
 */
export function createSampledLog(deps: { log: Logger; intervalMs: number; now: () => number }) {
  const kinds = new Map<string, { loggedAt: number; suppressed: number }>()

  return {
    /** Logs `msg` at warn unless a line of this `kind` was logged within the interval. */
    warn(kind: string, obj: Record<string, unknown>, msg: string): void {
      const now = deps.now()
      const k = kinds.get(kind)
      if (k && now - k.loggedAt < deps.intervalMs) {
        k.suppressed++
        return
      }
      const suppressed = k?.suppressed ?? 0
      kinds.set(kind, { loggedAt: now, suppressed: 0 })
      deps.log.warn(suppressed > 0 ? { ...obj, suppressed } : obj, msg)
    },
  }
}

/** A rate-limited warn logger. */
export type SampledLog = ReturnType<typeof createSampledLog>
