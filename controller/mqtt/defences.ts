import type { Logger } from 'pino'
import type { EmbeddedBroker } from '../../broker/index.js'
import type { Config } from '../config.js'
import { createNodeLimits } from './node-limits.js'
import { createSampledLog } from './sampled-log.js'

/** Refusals that an authenticated client caused itself, so they count against the node. */
const NODE_FAULTS = new Set(['publish denied', 'subscribe denied'])

/**
 * The controller's side of the MQTT defences: per-node rate limits (the router asks them),
 * violations of a node (invalid or rate-limited messages, refused publishes and subscriptions)
 * that end in a disconnect from the embedded broker, and the broker's refusals and limits
 * counted for /metrics and logged only as a sample.
 */
export function createMqttDefences(deps: {
  config: Config
  log: Logger
  now: () => number
  broker: EmbeddedBroker | null
}) {
  const { config, broker } = deps
  const log = deps.log.child({ module: 'broker' })
  const sampled = createSampledLog({
    log,
    intervalMs: config.rejectLogIntervalSec * 1000,
    now: deps.now,
  })
  const refused = new Map<string, number>()
  const limited = new Map<string, number>()
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)

  const limits = createNodeLimits({
    now: deps.now,
    telemetryMinIntervalMs: config.telemetryMinIntervalSec * 1000,
    maxMessagesPerMin: config.nodeMaxMessagesPerMin,
    maxEventsPerMin: config.nodeMaxEventsPerMin,
    eventsBurst: config.nodeEventsBurst,
    violationLimit: config.nodeViolationLimit,
    onViolationLimit(nodeId, violations) {
      // An external broker cannot be asked to: there the node's messages are only dropped.
      const disconnected = broker?.disconnectNode(nodeId) ?? false
      sampled.warn(
        'violations',
        { nodeId, violations, disconnected },
        'node disconnected after repeated violations',
      )
      return disconnected
    },
  })

  broker?.events.on('rejected', (e) => {
    bump(refused, e.reason)
    if (NODE_FAULTS.has(e.reason)) limits.violation(e.clientId)
    sampled.warn(`rejected:${e.reason}`, e, 'client refused')
  })
  broker?.events.on('listenerError', ({ error }) => {
    bump(limited, 'accept-failed')
    sampled.warn('accept', { err: error }, 'MQTT listener could not accept a connection')
  })
  broker?.events.on('limited', (e) => {
    bump(limited, e.reason)
    sampled.warn(`limited:${e.reason}`, { ...e }, 'connection refused by a broker limit')
  })

  return {
    limits,
    stats: () => ({
      /** Clients the broker refused (authentication, ACL), by reason. */
      refused: Object.fromEntries(refused),
      /** Connections refused or cut by a broker limit, by reason. */
      limited: Object.fromEntries(limited),
      nodes: limits.stats(),
    }),
  }
}

/** The controller's MQTT defences. */
export type MqttDefences = ReturnType<typeof createMqttDefences>
