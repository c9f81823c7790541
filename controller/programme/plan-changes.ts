import type { Logger } from 'pino'
import type { EventBus, ProgrammeChange } from '../platform/index.js'
import { type CancelTimer, systemClock } from '../platform/index.js'
import { FULL_SCOPE, mergeScopes, type PlanScope } from './plan-scope.js'

/** The timers plan publication uses; tests and the injected clock may pass their own. */
export interface PlanTimers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

// The system clock's timers (test/architecture.test.ts: no global timers in controller/).
const realTimers: PlanTimers = {
  setTimeout: (fn, ms) => systemClock.after(ms, fn),
  clearTimeout: (h) => (h as CancelTimer)(),
}

/** Why plan publication failed, while it does (the `planFailed` alert). */
export interface PlanFailure {
  message: string
  since: string
}

/**
 * Plan publication, off the request path: listens to `programmeChanged`, coalesces a burst of
 * changes (an editor's autosaves) into one re-plan `debounceMs` after the last change, and at
 * most `maxWaitMs` after the first; an urgent change (an announcement) goes at once. One re-plan
 * runs at a time; changes during it are re-planned after it. A re-plan that fails is logged,
 * reported as a failure (the `planFailed` alert, through `planPublicationChanged`) and retried
 * every `retryMs` with the scope it had, until one succeeds; then the failure clears.
 * A save is never lost to a restart: the controller re-plans every node when it starts.
 */
export function createPlanChanges(deps: {
  bus: EventBus
  log: Logger
  replan: (reason: string, scope: PlanScope) => Promise<unknown>
  debounceMs?: number
  maxWaitMs?: number
  retryMs?: number
  timers?: PlanTimers
  now?: () => number
}) {
  const log = deps.log.child({ module: 'plan-changes' })
  const timers = deps.timers ?? realTimers
  const now = deps.now ?? Date.now
  const debounceMs = deps.debounceMs ?? 300
  const maxWaitMs = deps.maxWaitMs ?? 2500
  const retryMs = deps.retryMs ?? 30_000
  let pending: { scope: PlanScope; reasons: string[] } | null = null
  let debounce: unknown = null
  let deadline: unknown = null
  let running: Promise<void> | null = null
  let failure: PlanFailure | null = null
  let stopped = true
  const stats = { changes: 0, replans: 0, failures: 0 }
  let idleWaiters: (() => void)[] = []

  function clearTimers(): void {
    if (debounce !== null) timers.clearTimeout(debounce)
    if (deadline !== null) timers.clearTimeout(deadline)
    debounce = null
    deadline = null
  }

  function add(scope: PlanScope, reason: string): void {
    pending = pending
      ? { scope: mergeScopes(pending.scope, scope), reasons: [...pending.reasons, reason] }
      : { scope, reasons: [reason] }
  }

  /** Arms the timers for what is pending: `delay` after now, never later than the deadline. */
  function arm(delay: number): void {
    if (stopped || !pending) return
    if (debounce !== null) timers.clearTimeout(debounce)
    debounce = timers.setTimeout(flush, delay)
    deadline ??= timers.setTimeout(flush, Math.max(delay, maxWaitMs))
  }

  function flush(): void {
    clearTimers()
    if (stopped || !pending || running !== null) return
    const { scope, reasons } = pending
    pending = null
    stats.replans++
    const reason = reasons.length === 1 ? (reasons[0] ?? '') : `${reasons.length} changes`
    running = deps
      .replan(reason, scope)
      .then(
        () => settle(null),
        (err: unknown) => {
          stats.failures++
          log.error({ err, reason }, 'plan publication failed; retrying')
          add(scope, reason)
          settle(err)
        },
      )
      .finally(() => {
        running = null
        if (pending) arm(failure ? retryMs : 0)
        else for (const w of idleWaiters.splice(0)) w()
      })
  }

  function settle(err: unknown): void {
    const was = failure !== null
    failure = err
      ? {
          message: err instanceof Error ? err.message : String(err),
          since: failure?.since ?? new Date(now()).toISOString(),
        }
      : null
    if (was !== (failure !== null)) deps.bus.emit('planPublicationChanged', { failed: !was })
  }

  function onChange(c: ProgrammeChange): void {
    if (c.dates !== 'all' && c.dates.length === 0) return
    stats.changes++
    add({ dates: c.dates, zones: c.zones }, c.reason)
    if (running !== null) return
    arm(c.urgent ? 0 : debounceMs)
  }

  return {
    /** Queues a re-plan of `scope` (default: everything) to run at once (the day boundary). */
    request(reason: string, scope: PlanScope = FULL_SCOPE): void {
      add(scope, reason)
      if (running === null) arm(0)
    },
    /** Re-plans what is pending now, without waiting for the coalescing delay. */
    publishNow(): void {
      flush()
    },
    /** Why publication is failing, or null. */
    failure: (): PlanFailure | null => failure,
    /** Changes received, re-plans run, re-plans failed. */
    stats: () => ({ ...stats, pending: pending !== null, running: running !== null }),
    /** Resolves once nothing is pending or running (benchmarks, tests, a clean stop). */
    idle(): Promise<void> {
      if (!pending && running === null) return Promise.resolve()
      return new Promise((resolve) => idleWaiters.push(resolve))
    },
    start(): void {
      stopped = false
      deps.bus.on('programmeChanged', onChange)
    },
    /** Stops listening; a re-plan under way finishes. What was pending is re-planned at start. */
    async stop(): Promise<void> {
      stopped = true
      deps.bus.off('programmeChanged', onChange)
      clearTimers()
      await running
      for (const w of idleWaiters.splice(0)) w()
      idleWaiters = []
    },
  }
}

/** Plan publication's listener. */
export type PlanChanges = ReturnType<typeof createPlanChanges>
