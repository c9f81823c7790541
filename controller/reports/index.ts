import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { Clock, EventBus } from '../platform/index.js'
import { createReports, type ReportsRepos } from './reports.js'

// The reports module's public face: what other modules may import from it.
export { type Outcome, outcomeOf } from './play-outcome.js'
export type { Reports } from './reports.js'

/**
 * Proof of play: per-day and per-period reports (summary, per speaker, deviations) built from
 * stored plays and the programme as it stood, and the plays list. Listens to the bus for plays.
 */
export function createReportsModule(deps: {
  repos: ReportsRepos
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<Config, 'tz' | 'silentThresholdDb'>
  zoneLineage: (zoneId: string) => string[]
}) {
  const reports = createReports({
    repos: deps.repos,
    bus: deps.bus,
    clock: deps.clock,
    log: deps.log,
    tz: deps.config.tz,
    silentThresholdDb: deps.config.silentThresholdDb,
    zoneLineage: deps.zoneLineage,
  })
  return {
    name: 'reports',
    services: { reports },
    start(): void {
      reports.start()
    },
    stop(): void {
      reports.stop()
    },
  }
}

/** The reports module. */
export type ReportsModule = ReturnType<typeof createReportsModule>
