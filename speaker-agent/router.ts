import type { Logger } from 'pino'
import {
  type CommandMessage,
  FLEET_TOPICS,
  type PayloadDecoder,
  type PlanMessage,
  parseNodeTopic,
  type ReceiptMessage,
} from '../protocol/index.js'

/** Counters kept by the router, for telemetry and tests. */
export interface RouterStats {
  /** Messages that reached a handler. */
  handled: number
  /** Messages dropped: unknown topic, not JSON, or not matching the schema. */
  rejected: number
  /** Handler calls that threw. */
  failed: number
}

/** The handlers the router dispatches to. */
export interface RouterHandlers {
  plan(plan: PlanMessage): Promise<void>
  cmd(cmd: CommandMessage): Promise<void>
  /** The controller committed events: the outbox may delete them. */
  receipt(receipt: ReceiptMessage): Promise<void>
  rebirth(): Promise<void>
}

/** Dependencies of createRouter. */
export interface RouterDeps {
  nodeId: string
  /** Compiled once per agent. */
  decoder: PayloadDecoder
  log: Logger
  handlers: RouterHandlers
  /** Told about a plan or command that could not be decoded (the agent reports it). */
  onUndecodable?: (channel: 'plan' | 'cmd', payload: Buffer, errors: string[]) => void
}

/** Inbound MQTT dispatch: parse the topic, decode and validate, run the handler, never throw. */
export interface Router {
  /** Handles one inbound message; errors are counted and logged, never thrown. */
  dispatch(topic: string, payload: Buffer): void
  /** Resolves when every handler started so far has settled. */
  idle(): Promise<void>
  readonly stats: RouterStats
}

/** Creates the router; plans are handled one at a time, in arrival order. */
export function createRouter({
  nodeId,
  decoder,
  log,
  handlers,
  onUndecodable,
}: RouterDeps): Router {
  const stats: RouterStats = { handled: 0, rejected: 0, failed: 0 }
  const running = new Set<Promise<void>>()
  let planChain: Promise<void> = Promise.resolve()

  function reject(channel: string, errors: string[]): void {
    stats.rejected++
    log.warn({ nodeId, channel, errors }, 'payload rejected')
  }

  function run(channel: string, task: () => Promise<void>): Promise<void> {
    stats.handled++
    const done = task().catch((err: unknown) => {
      stats.failed++
      log.error({ err, nodeId, channel }, 'handler failed')
    })
    running.add(done)
    void done.finally(() => running.delete(done))
    return done
  }

  return {
    stats,
    dispatch(topic, payload) {
      if (topic === FLEET_TOPICS.rebirth) {
        const decoded = decoder.decodeRebirth(payload)
        if (!decoded.ok) return reject('rebirth', decoded.errors)
        log.debug({ requestId: decoded.value.requestId }, 'rebirth requested')
        void run('rebirth', handlers.rebirth)
        return
      }
      const parsed = parseNodeTopic(topic)
      if (!parsed || parsed.nodeId !== nodeId)
        return reject('unknown', [`unexpected topic ${topic}`])
      const { channel } = parsed
      if (channel === 'plan') {
        const decoded = decoder.decode('plan', payload)
        if (!decoded.ok) {
          onUndecodable?.('plan', payload, decoded.errors)
          return reject(channel, decoded.errors)
        }
        const plan = decoded.value
        planChain = planChain.then(() => run(channel, () => handlers.plan(plan)))
        return
      }
      if (channel === 'cmd') {
        const decoded = decoder.decode('cmd', payload)
        if (!decoded.ok) {
          onUndecodable?.('cmd', payload, decoded.errors)
          return reject(channel, decoded.errors)
        }
        const cmd = decoded.value
        void run(channel, () => handlers.cmd(cmd))
        return
      }
      if (channel === 'receipt') {
        const decoded = decoder.decode('receipt', payload)
        if (!decoded.ok) return reject(channel, decoded.errors)
        const receipt = decoded.value
        void run(channel, () => handlers.receipt(receipt))
        return
      }
      reject(channel, [`the agent does not subscribe to ${channel}`])
    },
    async idle() {
      await planChain
      while (running.size > 0) await Promise.allSettled([...running])
    },
  }
}
