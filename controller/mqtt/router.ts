import type { Logger } from 'pino'
import {
  type Channel,
  type ChannelPayloads,
  createPayloadDecoder,
  type EventsEnvelope,
  parseNodeTopic,
} from '../../protocol/index.js'
import type { NodeLimits } from './node-limits.js'
import { createSampledLog } from './sampled-log.js'

/** A handler of one inbound channel. */
export type Handler<C extends Channel> = (nodeId: string, msg: ChannelPayloads[C]) => void

/** Handlers of the channels the controller receives. */
export interface Handlers {
  status: Handler<'status'>
  /** Gets the envelope only: each event is verified and validated on its own (event-intake). */
  events: (nodeId: string, msg: EventsEnvelope) => void
  telemetry: Handler<'telemetry'>
}

/**
 * Routes inbound MQTT messages: parses the topic, applies the node's rate limits, decodes and
 * validates the payload once, counts every reject (and logs a sample of them), and contains
 * handler errors, so that no message can crash the controller or fill its disk.
 */
export function createRouter(deps: {
  log: Logger
  handlers: Handlers
  /** Per-node rate limits and violation counts (none: every message is admitted). */
  limits?: NodeLimits
  /** Rejects of one kind are logged at most once in this many ms (default 0: every one). */
  logEveryMs?: number
  now?: () => number
}) {
  const log = deps.log.child({ module: 'mqtt-router' })
  const warn = createSampledLog({
    log,
    intervalMs: deps.logEveryMs ?? 0,
    now: deps.now ?? Date.now,
  })
  const decoder = createPayloadDecoder()
  // `rejected`: invalid messages; `limited`: dropped by a node's rate limits.
  const stats = { received: 0, rejected: 0, failed: 0, limited: 0 }

  function route(topic: string, payload: Buffer): void {
    stats.received++
    const parsed = parseNodeTopic(topic)
    if (!parsed || !(parsed.channel in deps.handlers)) {
      stats.rejected++
      warn.warn('topic', { topic }, 'message on an unexpected topic')
      return
    }
    const { nodeId, channel } = parsed
    // The node's message allowance is checked before parsing, so that parsing work is bounded.
    if (deps.limits && !deps.limits.admitMessage(nodeId)) {
      stats.limited++
      warn.warn('limited', { nodeId, channel }, 'rate limited')
      return
    }
    const decoded =
      channel === 'events' ? decoder.decodeEnvelope(payload) : decoder.decode(channel, payload)
    if (!decoded.ok) {
      stats.rejected++
      deps.limits?.violation(nodeId)
      const errors = decoded.errors
      warn.warn('payload', { nodeId, channel, errors }, 'payload rejected')
      return
    }
    if ('nodeId' in decoded.value && decoded.value.nodeId !== nodeId) {
      stats.rejected++
      deps.limits?.violation(nodeId)
      const claimed = decoded.value.nodeId
      warn.warn('claimed', { nodeId, channel, claimed }, 'payload names another node')
      return
    }
    // Only valid messages use up a node's telemetry and events allowances.
    const items = 'events' in decoded.value ? decoded.value.events.length : 1
    if (deps.limits && !deps.limits.admit(nodeId, channel, items)) {
      stats.limited++
      warn.warn(`limited:${channel}`, { nodeId, channel }, 'rate limited')
      return
    }
    try {
      const handler = deps.handlers[channel as keyof Handlers] as (n: string, m: unknown) => void
      handler(nodeId, decoded.value)
    } catch (err) {
      stats.failed++
      log.error({ err, nodeId, channel }, 'handler failed')
    }
  }

  return {
    route,
    stats: () => ({ ...stats }),
    /** Counts input rejected after the router (an event of a batch, refused on its own). */
    countRejected: () => {
      stats.rejected++
    },
  }
}

/** The inbound MQTT router. */
export type Router = ReturnType<typeof createRouter>
