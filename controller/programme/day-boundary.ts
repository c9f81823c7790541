import type { Logger } from 'pino'
import { addDays, createZonedTime } from '../../schedules/index.js'
import type { CancelTimer, Clock } from '../platform/index.js'

/** When the day rolls over, local time: five seconds past midnight. */
export const DAY_BOUNDARY_TIME = '00:00:05'

/**
 * The longest single wait: the timer re-reads the wall clock at least this often, so a system
 * clock correction (NTP) moves the roll by no more than this, unlike one delay armed a day ahead.
 */
export const MAX_WAIT_MS = 60_000

/**
 * At five seconds past midnight in the district's time zone, every plan rolls forward one day
 * (yesterday drops off, a new day enters the horizon). Armed on the injected clock, in waits of
 * at most {@link MAX_WAIT_MS} towards the next boundary; a roll still running when the next
 * boundary comes is not doubled.
 */
export function createDayBoundary(deps: {
  tz: string
  clock: Clock
  log: Logger
  onNewDay: () => Promise<unknown>
}) {
  const log = deps.log.child({ module: 'day-boundary' })
  const zone = createZonedTime(deps.tz)
  let cancel: CancelTimer | null = null
  let due = 0
  let running: Promise<void> | null = null

  /** The next boundary strictly after `ms`. */
  function nextAfter(ms: number): number {
    const today = zone.toInstant(zone.toLocalDate(ms), DAY_BOUNDARY_TIME)
    return today > ms ? today : zone.toInstant(addDays(zone.toLocalDate(ms), 1), DAY_BOUNDARY_TIME)
  }

  function arm(target: number): void {
    due = target
    const wait = Math.min(Math.max(0, target - deps.clock.now()), MAX_WAIT_MS)
    cancel = deps.clock.after(wait, fire)
  }

  function fire(): void {
    const now = deps.clock.now()
    // Not there yet (a hop on the way, or the system clock was set back): wait on.
    if (now < due) {
      arm(due)
      return
    }
    arm(nextAfter(now))
    if (running !== null) return
    running = deps
      .onNewDay()
      .then(() => undefined)
      .catch((err: unknown) => log.error({ err }, 'day roll failed'))
      .finally(() => {
        running = null
      })
  }

  return {
    start(): void {
      if (cancel) return
      arm(nextAfter(deps.clock.now()))
    },
    /** Disarms the timer and waits for a roll under way. */
    async stop(): Promise<void> {
      cancel?.()
      cancel = null
      await running
    },
  }
}
