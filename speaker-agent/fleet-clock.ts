import type { Logger } from 'pino'
import type { Clock } from './clock.js'
import type { HostClock } from './host-clock.js'

/**
 * One clock for the fleet: the agent's estimate of the controller's clock, read as
 * `host.monoNow() + shift`. With an estimate from the controller (`adopt`, fed by
 * `clock-sync.ts`), `shift` is the measured offset of the controller's clock from the monotonic
 * clock, so a step of the node's system clock changes nothing the node plays. Before the first
 * estimate, `shift` follows the system clock (offline-first: the node plays by its own time).
 *
 * Timers run on the monotonic clock and are re-armed whenever `shift` moves (a new estimate, or a
 * detected step of the system clock while it is followed): a timer whose instant is now past
 * fires at once, so its owner decides (the player starts it or reports it `late`), and a timer
 * whose instant moved away waits for it. Nothing is skipped or replayed silently.
 */
export interface FleetClock extends Clock {
  /** Fleet time with the monotonic clock's sub-millisecond part (`now()` is whole ms). */
  preciseNow(): number
  /** Adopts an estimate: the controller's clock minus `host.monoNow()`, and its uncertainty. */
  adopt(estimate: ClockEstimate): void
  /** Controller clock − node system clock now, ms; null before any estimate. */
  offsetMs(): number | null
  /** Half the round trip of the sample behind the estimate, ms; null before any estimate. */
  uncertaintyMs(): number | null
  /** Starts watching the system clock for steps (every `watchIntervalMs`). */
  start(): void
  /** Stops watching; timers armed by others stay theirs to cancel. */
  stop(): void
}

/** An estimate of the controller's clock against the node's monotonic clock. */
export interface ClockEstimate {
  /** Controller clock − `host.monoNow()`, ms. */
  offsetMs: number
  /** Its error bound: half the round trip of the sample, ms. */
  uncertaintyMs: number
}

/** A detected step of the node's system clock. */
export interface ClockStep {
  /** How far the system clock moved against the monotonic clock, ms (negative: back). */
  stepMs: number
  /** Whether fleet time moved with it (true only before the first estimate). */
  followed: boolean
}

/** Dependencies of createFleetClock. */
export interface FleetClockDeps {
  host: HostClock
  log: Logger
  /** A move of the system clock against the monotonic one beyond this is a step. Default 1000. */
  stepThresholdMs?: number
  /** How often the system clock is compared with the monotonic one, ms. Default 1000. */
  watchIntervalMs?: number
  /** Called on each detected step of the system clock. */
  onStep?: (step: ClockStep) => void
}

/** Shift changes smaller than this leave armed timers alone (they re-check when they fire). */
const REARM_MIN_MS = 5

interface Timer {
  at: number
  seq: number
  fn: () => void
  cancel?: () => void
}

/** Creates the fleet clock; it follows the system clock until the first `adopt`. */
export function createFleetClock(deps: FleetClockDeps): FleetClock {
  const { host, log } = deps
  const stepThresholdMs = deps.stepThresholdMs ?? 1000
  const watchIntervalMs = deps.watchIntervalMs ?? 1000
  const timers = new Set<Timer>()
  let wallShift = host.wallNow() - host.monoNow()
  let shift = wallShift
  let estimate: ClockEstimate | null = null
  let seq = 0
  let cancelWatch: (() => void) | undefined

  const preciseNow = (): number => host.monoNow() + shift
  // Whole ms, like Date.now(): events and plans carry integers.
  const now = (): number => Math.round(preciseNow())

  function arm(t: Timer): void {
    t.cancel = host.after(Math.max(0, t.at - now()), () => {
      if (!timers.has(t)) return
      if (now() < t.at) return arm(t)
      timers.delete(t)
      t.fn()
    })
  }

  function setShift(next: number): void {
    const moved = next - shift
    shift = next
    if (Math.abs(moved) < REARM_MIN_MS) return
    const ordered = [...timers].sort((a, b) => a.at - b.at || a.seq - b.seq)
    for (const t of ordered) {
      t.cancel?.()
      arm(t)
    }
  }

  function watch(): void {
    const observed = host.wallNow() - host.monoNow()
    const stepMs = observed - wallShift
    wallShift = observed
    if (Math.abs(stepMs) > stepThresholdMs) {
      const followed = estimate === null
      log.warn({ stepMs: Math.round(stepMs), followed }, 'system clock stepped')
      deps.onStep?.({ stepMs, followed })
    }
    if (estimate === null) setShift(observed)
    cancelWatch = host.after(watchIntervalMs, watch)
  }

  return {
    now,
    preciseNow,
    setTimer(at, fn) {
      const t: Timer = { at, seq: seq++, fn }
      timers.add(t)
      arm(t)
      return () => {
        if (timers.delete(t)) t.cancel?.()
      }
    },
    adopt(next) {
      const first = estimate === null
      estimate = next
      const moved = next.offsetMs - shift
      if (first || Math.abs(moved) >= REARM_MIN_MS) {
        log.info({ movedMs: Math.round(moved), uncertaintyMs: next.uncertaintyMs }, 'fleet time')
      }
      setShift(next.offsetMs)
    },
    offsetMs: () => (estimate === null ? null : Math.round(now() - host.wallNow())),
    uncertaintyMs: () => (estimate === null ? null : Math.round(estimate.uncertaintyMs)),
    start() {
      if (cancelWatch) return
      wallShift = host.wallNow() - host.monoNow()
      cancelWatch = host.after(watchIntervalMs, watch)
    },
    stop() {
      cancelWatch?.()
      cancelWatch = undefined
    },
  }
}
