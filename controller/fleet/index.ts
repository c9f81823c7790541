import type { Logger } from 'pino'
import type { Config } from '../config.js'
import type { Clock, EventBus, Signer } from '../platform/index.js'
import type { Publish } from '../programme/index.js'
import type { NodeRegistry } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import { createAlerts } from './alerts.js'
import { createCommands } from './commands.js'
import { createFleetMonitor } from './fleet-monitor.js'
import { createIncidents } from './incidents.js'
import { createNodeHealth } from './node-health.js'
import { createNodeViews } from './node-views.js'
import { createFleetRecords } from './records.js'
import { createRestartPresence } from './restart-presence.js'
import { createWebhook } from './webhook.js'

// The fleet module's public face: what other modules may import from it.
export type { FleetMonitor } from './fleet-monitor.js'

/**
 * The fleet: who is online (births, wills, flapping, the start-up presence wait), node health,
 * incidents, alerts and their webhook, and signed commands. Started before the controller's MQTT
 * client connects, so that the first birth finds it listening.
 */
export function createFleetModule(deps: {
  repos: Pick<
    SharedRepositories,
    'alerts' | 'commands' | 'events' | 'nodes' | 'nodeSearch' | 'plans' | 'telemetry' | 'zones'
  >
  /** Provisioning's writes of node presence (it owns the nodes table). */
  registry: NodeRegistry
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<
    Config,
    | 'tz'
    | 'flapWindowSec'
    | 'flapThreshold'
    | 'rebirthGraceSec'
    | 'agentReconnectCapSec'
    | 'incidentWindowMs'
    | 'incidentMinNodes'
    | 'alertWebhookUrl'
    | 'webhookMaxAttempts'
    | 'webhookRetryBaseMs'
    | 'healthIntervalSec'
    | 'telemetryRetentionDays'
    | 'clockOffsetMaxMs'
    | 'clockUncertaintyMaxMs'
    | 'lateStartMaxMs'
    | 'diskMinFreeMb'
  >
  signer: Pick<Signer, 'sign' | 'raiseFloor'>
  publish: Publish
  /** A node announced itself with this plan version (the plan publisher's handshake). */
  onBirth: (nodeId: string, planVersion: string | null, digestSig: boolean) => Promise<void>
  zoneLineage: (zoneId: string) => string[]
  /** Whether the embedded broker holds a live session for the node (false on an external one). */
  isNodeConnected: (nodeId: string) => boolean
  /** When the previous run stopped watching the fleet (null on a first start). */
  previousEnd: () => string | null
  /** Why plan publication fails, while it does (the planFailed alert rule). */
  planFailure: () => { message: string; since: string } | null
}) {
  const { repos, bus, clock, log, config } = deps
  const fleet = createFleetMonitor({
    repos,
    registry: deps.registry,
    bus,
    clock,
    log,
    flapWindowSec: config.flapWindowSec,
    flapThreshold: config.flapThreshold,
    onBirth: deps.onBirth,
    onSeqFloor: (nodeId, seq) => {
      const r = deps.signer.raiseFloor(seq)
      if (r === 'raised') log.warn({ nodeId, seq }, 'signing above the sequence a node reported')
      if (r === 'ignored') log.error({ nodeId, seq }, 'node reported a sequence far ahead: ignored')
    },
  })
  const restartPresence = createRestartPresence({
    repos,
    clock,
    log,
    fleet,
    graceSec: config.rebirthGraceSec,
    agentReconnectCapSec: config.agentReconnectCapSec,
    isConnected: deps.isNodeConnected,
  })
  const health = createNodeHealth({
    repos,
    bus,
    clock,
    log,
    thresholds: config,
    telemetryOf: fleet.telemetryOf,
  })
  const { zoneLineage } = deps
  const incidents = createIncidents({
    repos,
    bus,
    clock,
    log,
    windowMs: config.incidentWindowMs,
    minNodes: config.incidentMinNodes,
    zoneLineage,
  })
  const webhook = createWebhook({
    repos,
    clock,
    log,
    url: config.alertWebhookUrl,
    maxAttempts: config.webhookMaxAttempts,
    retryBaseMs: config.webhookRetryBaseMs,
  })
  const alerts = createAlerts({
    repos,
    bus,
    clock,
    log,
    intervalMs: config.healthIntervalSec * 1000,
    health,
    incidents,
    webhook,
    isFlapping: fleet.isFlapping,
    zoneLineage,
    planFailure: deps.planFailure,
  })
  const commands = createCommands({
    sign: (m) => deps.signer.sign(m),
    repos,
    bus,
    clock,
    log,
    tz: config.tz,
    publish: deps.publish,
    zoneLineage,
  })
  const nodes = createNodeViews({
    repos,
    fleet,
    health,
    incidents,
    zoneLineage,
    bus,
  })
  const records = createFleetRecords({ repos })
  return {
    name: 'fleet',
    services: { fleet, health, incidents, alerts, commands, nodes, records, restartPresence },
    /** Drops telemetry older than the retention (at the day boundary). */
    pruneTelemetry(): void {
      const cutoff = clock.now() - config.telemetryRetentionDays * 86_400_000
      const pruned = repos.telemetry.prune(new Date(cutoff).toISOString())
      log.info({ pruned }, 'old telemetry pruned')
    },
    start(): void {
      fleet.resume(deps.previousEnd())
      fleet.start()
      health.start()
      incidents.start()
      alerts.start()
      commands.start()
      restartPresence.start()
    },
    stop(): void {
      restartPresence.stop()
      alerts.stop()
      commands.stop()
      webhook.stop()
      incidents.stop()
      health.stop()
      fleet.stop()
    },
  }
}

/** The fleet module. */
export type FleetModule = ReturnType<typeof createFleetModule>
