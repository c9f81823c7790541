import type { Logger } from 'pino'
import type { Repositories } from '../repositories.js'
import type { CancelTimer, Clock } from './time.js'

/** How often a running controller records that it is alive. */
export const HEARTBEAT_MS = 5_000

/**
 * The controller's own runs: each start is recorded, refreshed every {@link HEARTBEAT_MS} and
 * closed by a clean stop, so the next start knows when this one stopped watching the fleet (its
 * stop, or its last heartbeat after a crash) and how long the controller itself was down.
 */
export function createControllerRuns(deps: {
  repos: Pick<Repositories, 'runs'>
  clock: Clock
  log: Logger
}) {
  const log = deps.log.child({ module: 'controller-runs' })
  const iso = () => new Date(deps.clock.now()).toISOString()
  let runId: number | null = null
  let stopHeartbeat: CancelTimer | null = null
  return {
    /** Records this run; returns when the previous one stopped watching (null on a first start). */
    start(): { previousEnd: string | null } {
      const prev = deps.repos.runs.last()
      const at = iso()
      runId = deps.repos.runs.begin(at)
      const id = runId
      stopHeartbeat = deps.clock.every(HEARTBEAT_MS, () => {
        try {
          deps.repos.runs.alive(id, iso())
        } catch (err) {
          log.error({ err }, 'run heartbeat failed')
        }
      })
      if (!prev) return { previousEnd: null }
      const previousEnd = prev.stoppedAt ?? prev.aliveAt
      const downSec = Math.round((Date.parse(at) - Date.parse(previousEnd)) / 1000)
      log.info(
        { previousEnd, downSec, cleanStop: prev.stoppedAt !== null },
        'controller restarted: previous run ended',
      )
      return { previousEnd }
    },
    stop(): void {
      stopHeartbeat?.()
      stopHeartbeat = null
      if (runId !== null) deps.repos.runs.end(runId, iso())
      runId = null
    },
  }
}
