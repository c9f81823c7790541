import { join } from 'node:path'
import type { Logger } from 'pino'
import { createRepositories, type Repositories } from '../repositories.js'
import { createControllerRuns } from './controller-runs.js'
import { type Db, openDatabase } from './database.js'
import { createEventBus, type EventBus } from './events.js'
import { createSigner, type Signer } from './signer.js'
import type { Clock } from './time.js'

// The platform's public face: what every other module may import from it.
export type { Db } from './database.js'
export type {
  CommandAcked,
  ControllerEvents,
  EventBus,
  MessageRejected,
  NodeChanged,
  PlayReported,
  ProgrammeChange,
  Transition,
} from './events.js'
export { createMetrics, type Metrics } from './metrics.js'
export type { Signer } from './signer.js'
export {
  type CancelTimer,
  type Clock,
  clockWithNow,
  createInstantFormatter,
  formatInstant,
  systemClock,
} from './time.js'

/**
 * The platform every module stands on: the SQLite store (migrations, repositories), the event
 * bus, the clock, the plan and command signer and the record of the controller's own runs
 * (docs/reliability.md). Started first, stopped last: `stop()` closes the database.
 */
export function createPlatformModule(deps: { dataDir: string; clock: Clock; log: Logger }) {
  const db: Db = openDatabase(join(deps.dataDir, 'chorus.db'))
  const repos: Repositories = createRepositories(db)
  const bus: EventBus = createEventBus({ log: deps.log })
  let signer: Signer
  try {
    signer = createSigner(deps.dataDir, deps.clock)
  } catch (err) {
    db.close()
    throw err
  }
  const runs = createControllerRuns({ repos, clock: deps.clock, log: deps.log })
  let previousEnd: string | null = null
  let open = true
  return {
    name: 'platform',
    repos,
    bus,
    signer,
    /** When the previous run stopped watching the fleet (null on a first start). */
    previousEnd: (): string | null => previousEnd,
    /** Whether the database answers (for /api/health). */
    probe(): { ok: boolean; error?: string } {
      try {
        db.prepare('SELECT 1').get()
        return { ok: true }
      } catch (err) {
        return { ok: false, error: (err as Error).message }
      }
    },
    start(): void {
      previousEnd = runs.start().previousEnd
    },
    stop(): void {
      try {
        runs.stop()
      } finally {
        if (open) db.close()
        open = false
      }
    },
  }
}

/** The platform module. */
export type PlatformModule = ReturnType<typeof createPlatformModule>
