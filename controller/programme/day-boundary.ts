import cron, { type ScheduledTask } from 'node-cron'
import type { Logger } from 'pino'

/**
 * The only importer of node-cron: at five seconds past midnight in the district's time zone,
 * every plan rolls forward one day (yesterday drops off, a new day enters the horizon).
 */
export function createDayBoundary(deps: {
  tz: string
  log: Logger
  onNewDay: () => Promise<unknown>
}) {
  const log = deps.log.child({ module: 'day-boundary' })
  let task: ScheduledTask | null = null
  return {
    start(): void {
      task = cron.schedule(
        '5 0 0 * * *',
        () => {
          void deps.onNewDay().catch((err: unknown) => log.error({ err }, 'day roll failed'))
        },
        { timezone: deps.tz, name: 'day-boundary', noOverlap: true },
      )
    },
    async stop(): Promise<void> {
      await task?.destroy()
      task = null
    },
  }
}
