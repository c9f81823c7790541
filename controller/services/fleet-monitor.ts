import type { Logger } from 'pino'
import type { DisconnectReason } from '../../broker/index.js'
import type { StatusMessage, TelemetryMessage } from '../../protocol/index.js'
import type { Repositories } from '../db/repositories/index.js'
import type { EventBus } from '../events.js'
import type { Clock } from '../time.js'

/** How often last-seen times collected in memory are written, in one transaction. */
export const LAST_SEEN_FLUSH_MS = 5_000

/**
 * Presence from the agent's birth and last will on `status`, the broker's own disconnect events
 * and any traffic (last seen). A transition is stored only when the state changes; a will or
 * disconnect from an older boot than the node's current one is ignored.
 */
export function createFleetMonitor(deps: {
  repos: Repositories
  bus: EventBus
  clock: Clock
  log: Logger
  onBirth: (nodeId: string, planVersion: string | null) => Promise<void>
}) {
  const { repos, bus } = deps
  const log = deps.log.child({ module: 'fleet-monitor' })
  const lastSeen = new Map<string, string>()
  const heardSinceStart = new Set<string>()
  const telemetry = new Map<string, TelemetryMessage>()
  let flushTimer: NodeJS.Timeout | null = null
  const now = () => new Date(deps.clock.now()).toISOString()

  function markOffline(nodeId: string, reason: string): void {
    const at = now()
    if (!repos.nodes.markOffline(nodeId, at)) return
    repos.nodes.recordTransition(nodeId, 'online', 'offline', at, reason)
    log.info({ nodeId, reason }, 'node offline')
    bus.emit('nodeChanged', { nodeId })
  }

  function onStatus(nodeId: string, msg: StatusMessage): void {
    const node = repos.nodes.get(nodeId)
    if (!node || node.retiredAt) {
      log.warn({ nodeId }, 'status from an unknown or retired node')
      return
    }
    heardSinceStart.add(nodeId)
    if (msg.state === 'offline') {
      if (node.bootId && msg.bootId !== node.bootId) return
      markOffline(nodeId, msg.reason === 'shutdown' ? 'shutdown' : 'will')
      return
    }
    const at = now()
    repos.nodes.markOnline({
      id: nodeId,
      at,
      bootId: msg.bootId,
      agentVersion: msg.agentVersion,
      planVersion: msg.planVersion,
    })
    if (!node.online) {
      repos.nodes.recordTransition(nodeId, 'offline', 'online', at, msg.reason ?? 'birth')
      log.info({ nodeId, zoneId: node.zoneId, bootId: msg.bootId }, 'node online')
    }
    bus.emit('nodeChanged', { nodeId })
    void deps.onBirth(nodeId, msg.planVersion).catch((err: unknown) => {
      log.error({ err, nodeId }, 'answering a birth failed')
    })
  }

  function onDisconnected(nodeId: string, reason: DisconnectReason): void {
    markOffline(nodeId, reason)
  }

  /** Any message from a node proves it is alive; written in batches. */
  function seen(nodeId: string): void {
    heardSinceStart.add(nodeId)
    lastSeen.set(nodeId, now())
  }

  function onTelemetry(nodeId: string, msg: TelemetryMessage): void {
    telemetry.set(nodeId, msg)
    seen(nodeId)
  }

  function flushLastSeen(): void {
    if (lastSeen.size === 0) return
    const batch = [...lastSeen]
    lastSeen.clear()
    try {
      repos.nodes.touchMany(batch)
    } catch (err) {
      log.error({ err }, 'last-seen flush failed')
    }
  }

  /**
   * After a restart the controller asks the fleet to announce itself; nodes still marked online
   * that have not answered within the grace period are marked offline.
   */
  function expireSilent(): number {
    let n = 0
    for (const node of repos.nodes.list()) {
      if (node.online && !heardSinceStart.has(node.id)) {
        markOffline(node.id, 'no-rebirth')
        n++
      }
    }
    return n
  }

  return {
    onStatus,
    onDisconnected,
    onTelemetry,
    seen,
    expireSilent,
    telemetryOf: (nodeId: string) => telemetry.get(nodeId) ?? null,
    start(): void {
      flushTimer = setInterval(flushLastSeen, LAST_SEEN_FLUSH_MS)
      flushTimer.unref()
    },
    stop(): void {
      if (flushTimer) clearInterval(flushTimer)
      flushTimer = null
      flushLastSeen()
    },
  }
}

/** The fleet monitor service. */
export type FleetMonitor = ReturnType<typeof createFleetMonitor>
