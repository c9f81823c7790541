import type { Logger } from 'pino'
import type { CancelTimer, Clock } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { FleetMonitor } from './fleet-monitor.js'

/** Time for a node's connect, subscribe and birth once its reconnect delay is over. */
export const RECONNECT_MARGIN_SEC = 10
/** Reconnects the broker absorbs per second in a storm, counted low (PRODUCT.md: ~1,000/s). */
export const STORM_NODES_PER_SEC = 500
/** How often the wait checks whether every node has been heard from. */
const CHECK_MS = 1000

/**
 * How long a starting controller waits for nodes it believed online to show up before it calls
 * them offline. An agent that lost its broker retries with full-jitter backoff capped at
 * `agentReconnectCapSec`, so a reachable one is back at most that long after the broker is, plus
 * a margin, plus the reconnect storm of the whole fleet; never less than `graceSec`.
 */
export function rebirthWaitSec(p: {
  graceSec: number
  agentReconnectCapSec: number
  nodes: number
}): number {
  const storm = Math.ceil(p.nodes / STORM_NODES_PER_SEC)
  return Math.max(p.graceSec, p.agentReconnectCapSec + RECONNECT_MARGIN_SEC + storm)
}

/**
 * Presence right after the controller starts. Nodes stored online keep that state, with no
 * transition, while they reconnect and answer the rebirth request; one the broker holds a session
 * for counts as present even before its birth arrives. Nodes neither heard from nor connected
 * when the wait is over are offline (`no-rebirth`) from the moment the previous run stopped
 * watching: a real outage, counted in full. The wait ends early once every node is back.
 */
export function createRestartPresence(deps: {
  repos: Pick<SharedRepositories, 'nodes'>
  clock: Clock
  log: Logger
  fleet: Pick<FleetMonitor, 'heard' | 'markOfflineSince'>
  graceSec: number
  agentReconnectCapSec: number
  /** The embedded broker's knowledge of connected nodes (always false with an external one). */
  isConnected: (nodeId: string) => boolean
}) {
  const log = deps.log.child({ module: 'restart-presence' })
  let pending = new Map<string, string | null>()
  let check: CancelTimer | null = null
  let deadline = 0
  let startedAt = 0

  function present(nodeId: string): boolean {
    return deps.fleet.heard(nodeId) || deps.isConnected(nodeId)
  }

  function finish(): void {
    check?.()
    check = null
  }

  function tick(): void {
    for (const id of pending.keys()) if (present(id)) pending.delete(id)
    const waitedSec = Math.round((deps.clock.now() - startedAt) / 1000)
    if (pending.size === 0) {
      finish()
      log.info({ waitedSec }, 'every node back after the start')
      return
    }
    if (deps.clock.now() < deadline) return
    finish()
    let silent = 0
    for (const [id, lastSeen] of pending) {
      if (deps.fleet.markOfflineSince(id, 'no-rebirth', lastSeen)) silent++
    }
    pending = new Map()
    log.info({ silent, waitedSec }, 'rebirth wait over: silent nodes marked offline')
  }

  return {
    /** Nodes still awaited. */
    pending: (): number => pending.size,
    start(): void {
      const nodes = deps.repos.nodes.list().filter((n) => !n.retiredAt)
      pending = new Map(nodes.filter((n) => n.online).map((n) => [n.id, n.lastSeen]))
      const waitSec = rebirthWaitSec({
        graceSec: deps.graceSec,
        agentReconnectCapSec: deps.agentReconnectCapSec,
        nodes: nodes.length,
      })
      startedAt = deps.clock.now()
      deadline = startedAt + waitSec * 1000
      log.info({ awaited: pending.size, waitSec }, 'waiting for the fleet to reconnect')
      check = deps.clock.every(CHECK_MS, () => {
        try {
          tick()
        } catch (err) {
          log.error({ err }, 'presence check failed')
        }
      })
    },
    stop: finish,
  }
}

/** The start-up presence wait. */
export type RestartPresence = ReturnType<typeof createRestartPresence>
