import type { Logger } from 'pino'
import {
  ITEMS_DIGEST_ALG,
  type StatusMessage,
  type TelemetryMessage,
} from '../../protocol/index.js'
import type { CancelTimer, Clock, EventBus } from '../platform/index.js'
import type { NodeRegistry } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { TelemetrySample } from './repositories/telemetry-repository.js'

/** How often last-seen times and telemetry samples gathered in memory are written. */
export const FLUSH_MS = 5_000

/**
 * Presence from the agent's birth and last will on `status`, the broker's own disconnect events
 * (socket closed, keepalive timeout) and any traffic (last seen). A transition is stored, with
 * its reason, only when the state changes; a will from an older boot than the node's current
 * one is ignored. A node with `flapThreshold` transitions within `flapWindowSec` is flapping.
 */
export function createFleetMonitor(deps: {
  repos: Pick<SharedRepositories, 'nodes' | 'telemetry'>
  /** Where presence is written (provisioning owns the nodes table). */
  registry: Pick<NodeRegistry, 'markOnline' | 'markOffline' | 'touchMany' | 'recordTransition'>
  bus: EventBus
  clock: Clock
  log: Logger
  flapWindowSec: number
  flapThreshold: number
  /** `digestSig`: the birth names `ITEMS_DIGEST_ALG` among the plan signatures it accepts. */
  onBirth: (nodeId: string, planVersion: string | null, digestSig: boolean) => Promise<void>
  /** A birth told the highest signature sequence number the node has accepted. */
  onSeqFloor?: (nodeId: string, seq: number) => void
}) {
  const { repos, bus } = deps
  const log = deps.log.child({ module: 'fleet-monitor' })
  const lastSeen = new Map<string, string>()
  const heardSinceStart = new Set<string>()
  const telemetry = new Map<string, TelemetryMessage>()
  const samples: TelemetrySample[] = []
  const recentTransitions = new Map<string, number[]>()
  let stopFlush: CancelTimer | null = null
  const now = () => new Date(deps.clock.now()).toISOString()
  const windowMs = deps.flapWindowSec * 1000
  // When the previous controller run stopped watching the fleet (set once at start).
  let lostSightAt: string | null = null

  function recent(nodeId: string): number[] {
    const cutoff = deps.clock.now() - windowMs
    const list = (recentTransitions.get(nodeId) ?? []).filter((t) => t >= cutoff)
    if (list.length === 0) recentTransitions.delete(nodeId)
    else recentTransitions.set(nodeId, list)
    return list
  }

  function isFlapping(nodeId: string): boolean {
    return recent(nodeId).length >= deps.flapThreshold
  }

  /** Records a transition (unless already `recorded` with the node's row) and announces it. */
  function transition(
    nodeId: string,
    from: 'online' | 'offline',
    reason: string,
    at: string,
    recorded = false,
  ) {
    const to = from === 'online' ? 'offline' : 'online'
    if (!recorded) deps.registry.recordTransition(nodeId, from, to, at, reason)
    const wasFlapping = isFlapping(nodeId)
    recentTransitions.set(nodeId, [...recent(nodeId), Date.parse(at)])
    if (!wasFlapping && isFlapping(nodeId)) {
      log.warn({ nodeId, zoneId: repos.nodes.get(nodeId)?.zoneId }, 'node is flapping')
    }
    bus.emit('transition', { nodeId, from, to, at, reason })
    bus.emit('nodeChanged', { nodeId })
  }

  function markOffline(nodeId: string, reason: string, at = now()): boolean {
    if (!deps.registry.markOffline(nodeId, at)) return false
    log.info({ nodeId, zoneId: repos.nodes.get(nodeId)?.zoneId, reason, at }, 'node offline')
    transition(nodeId, 'online', reason, at)
    return true
  }

  /**
   * Where an outage nobody saw begins: not before the node was last heard of, nor before the
   * previous controller run stopped watching (until then a disconnect would have been seen).
   */
  function unseenOutageStart(lastSeenAt: string | null): string {
    const t = Math.max(Date.parse(lastSeenAt ?? '') || 0, Date.parse(lostSightAt ?? '') || 0)
    return t > 0 && t < deps.clock.now() ? new Date(t).toISOString() : now()
  }

  function onStatus(nodeId: string, msg: StatusMessage): void {
    const node = repos.nodes.get(nodeId)
    if (!node || node.retiredAt) {
      log.warn({ nodeId, zoneId: node?.zoneId }, 'status from an unknown or retired node')
      return
    }
    heardSinceStart.add(nodeId)
    if (msg.state === 'offline') {
      if (node.bootId && msg.bootId !== node.bootId) return
      markOffline(nodeId, msg.reason === 'shutdown' ? 'shutdown' : 'will')
      return
    }
    let wasOnline = node.online
    if (wasOnline && node.bootId && msg.bootId !== node.bootId) {
      // A new boot while still marked online: the agent restarted and no disconnect was seen
      // (the controller was down, or the new session took over before the old one timed out).
      // A real outage: record it, from when the old boot was last known to be there.
      wasOnline = !markOffline(nodeId, 'reboot', unseenOutageStart(node.lastSeen))
    }
    const at = now()
    const reason = msg.reason ?? 'birth'
    deps.registry.markOnline({
      id: nodeId,
      at,
      bootId: msg.bootId,
      agentVersion: msg.agentVersion,
      planVersion: msg.planVersion,
      // Coming online: the row and the transition in one commit, not two (a connect storm).
      ...(wasOnline ? {} : { cameOnline: { reason } }),
    })
    if (!wasOnline) {
      log.info({ nodeId, zoneId: node.zoneId, bootId: msg.bootId }, 'node online')
      transition(nodeId, 'offline', reason, at, true)
    } else {
      bus.emit('nodeChanged', { nodeId })
    }
    // Before the birth is answered: the plan it may get must be signed above what the node holds.
    if (msg.seqFloor) deps.onSeqFloor?.(nodeId, msg.seqFloor)
    const digestSig = msg.planSig?.includes(ITEMS_DIGEST_ALG) ?? false
    void deps.onBirth(nodeId, msg.planVersion, digestSig).catch((err: unknown) => {
      log.error({ err, nodeId }, 'answering a birth failed')
    })
  }

  /** Any message from a node proves it is alive; written in batches. */
  function seen(nodeId: string): void {
    heardSinceStart.add(nodeId)
    lastSeen.set(nodeId, now())
  }

  function onTelemetry(nodeId: string, msg: TelemetryMessage): void {
    telemetry.set(nodeId, msg)
    seen(nodeId)
    samples.push({
      nodeId,
      at: msg.at,
      receivedAt: now(),
      volume: msg.volume,
      cacheBytes: msg.cacheBytes,
      freeDiskBytes: msg.freeDiskBytes,
      clockOffsetMs: msg.clockOffsetMs,
      memRssBytes: msg.memRssBytes,
      outboxDepth: msg.outboxDepth,
      playing: msg.playing,
      audioOutput: msg.audioOutput?.state ?? null,
      lastError: msg.lastError,
      agentVersion: msg.agentVersion,
      uptimeSec: msg.uptimeSec,
    })
  }

  function flush(): void {
    try {
      if (lastSeen.size > 0) {
        const batch = [...lastSeen]
        lastSeen.clear()
        deps.registry.touchMany(batch)
      }
      if (samples.length > 0) repos.telemetry.insertMany(samples.splice(0))
    } catch (err) {
      log.error({ err }, 'presence flush failed')
    }
  }

  /**
   * The controller lost its own connection to an external broker: no will can reach it, so
   * every node is offline until its birth after the reconnect's rebirth request.
   */
  function onBrokerLost(): number {
    heardSinceStart.clear()
    let n = 0
    for (const node of repos.nodes.list()) {
      if (node.online) {
        markOffline(node.id, 'broker-restart')
        n++
      }
    }
    return n
  }

  return {
    onStatus,
    onDisconnected: (nodeId: string, reason: string) => {
      markOffline(nodeId, reason)
    },
    /** Marks a node offline at an instant in the past (an outage found after a restart). */
    markOfflineSince: (nodeId: string, reason: string, lastSeenAt: string | null) =>
      markOffline(nodeId, reason, unseenOutageStart(lastSeenAt)),
    /** Tells the monitor when the previous controller run stopped watching the fleet. */
    resume(previousRunEnd: string | null): void {
      lostSightAt = previousRunEnd
    },
    /** True once the node has been heard from (any message) since this start. */
    heard: (nodeId: string) => heardSinceStart.has(nodeId),
    onTelemetry,
    onBrokerLost,
    seen,
    isFlapping,
    telemetryOf: (nodeId: string) => telemetry.get(nodeId) ?? null,
    start(): void {
      for (const s of repos.telemetry.latestPerNode()) {
        // Seed the latest known health so the dashboard is right before the next sample.
        telemetry.set(s.nodeId, {
          v: 1,
          at: s.at,
          agentVersion: s.agentVersion ?? '',
          uptimeSec: s.uptimeSec ?? 0,
          volume: s.volume ?? 0,
          planVersion: null,
          cacheBytes: s.cacheBytes ?? 0,
          freeDiskBytes: s.freeDiskBytes,
          clockOffsetMs: s.clockOffsetMs,
          memRssBytes: s.memRssBytes ?? 0,
          outboxDepth: s.outboxDepth ?? 0,
          playing: s.playing,
          lastError: s.lastError,
          ...(s.audioOutput
            ? { audioOutput: { state: s.audioOutput as 'ok', lastPlay: null } }
            : {}),
        })
      }
      stopFlush = deps.clock.every(FLUSH_MS, flush)
    },
    stop(): void {
      stopFlush?.()
      stopFlush = null
      flush()
    },
  }
}

/** The fleet monitor service. */
export type FleetMonitor = ReturnType<typeof createFleetMonitor>
