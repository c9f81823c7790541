import type { Logger } from 'pino'
import {
  type Channel,
  type ChannelPayloads,
  createPayloadDecoder,
  parseNodeTopic,
} from '../../protocol/index.js'

/** A handler of one inbound channel. */
export type Handler<C extends Channel> = (nodeId: string, msg: ChannelPayloads[C]) => void

/** Handlers of the channels the controller receives. */
export interface Handlers {
  status: Handler<'status'>
  events: Handler<'events'>
  telemetry: Handler<'telemetry'>
}

/**
 * Routes inbound MQTT messages: parses the topic, decodes and validates the payload once, counts
 * and logs rejects, and contains handler errors, so that no message can crash the controller.
 */
export function createRouter(deps: { log: Logger; handlers: Handlers }) {
  const log = deps.log.child({ module: 'mqtt-router' })
  const decoder = createPayloadDecoder()
  const stats = { received: 0, rejected: 0, failed: 0 }

  function route(topic: string, payload: Buffer): void {
    stats.received++
    const parsed = parseNodeTopic(topic)
    if (!parsed || !(parsed.channel in deps.handlers)) {
      stats.rejected++
      log.warn({ topic }, 'message on an unexpected topic')
      return
    }
    const { nodeId, channel } = parsed
    const decoded = decoder.decode(channel, payload)
    if (!decoded.ok) {
      stats.rejected++
      log.warn({ nodeId, channel, errors: decoded.errors }, 'payload rejected')
      return
    }
    if ('nodeId' in decoded.value && decoded.value.nodeId !== nodeId) {
      stats.rejected++
      log.warn({ nodeId, channel, claimed: decoded.value.nodeId }, 'payload names another node')
      return
    }
    try {
      const handler = deps.handlers[channel as keyof Handlers] as Handler<Channel>
      handler(nodeId, decoded.value)
    } catch (err) {
      stats.failed++
      log.error({ err, nodeId, channel }, 'handler failed')
    }
  }

  return { route, stats: () => ({ ...stats }) }
}

/** The inbound MQTT router. */
export type Router = ReturnType<typeof createRouter>
