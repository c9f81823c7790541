import type { Logger } from 'pino'
import type { AgentEvent, EventsEnvelope, PayloadDecoder } from '../../protocol/index.js'
import type { NodeKeys } from '../provisioning/index.js'
import type { EventIngest } from './event-ingest.js'

const ID_RE = /^.{1,128}$/s

/**
 * Checks each event of an `events` message on its own: first the node's signature (an event the
 * node did not sign is refused and never receipted, so a forger can neither store a report nor
 * make a node drop a real one), then the schema (a signed event that does not match is refused for
 * good and receipted as rejected, so it does not loop in the outbox). The valid ones are stored.
 */
export function createEventIntake(deps: {
  keys: NodeKeys
  decoder: PayloadDecoder
  ingest: EventIngest
  log: Logger
  /** Counted as rejected input (the router's stats). */
  onRejected?: () => void
  /**
   * Where refusals are logged, by kind; the controller passes its sampled log, so that a flood of
   * forged events cannot fill the disk. Default: every one at warn.
   */
  warn?: (kind: string, obj: Record<string, unknown>, msg: string) => void
}) {
  const log = deps.log.child({ module: 'event-intake' })
  const warn = deps.warn ?? ((_kind, obj, msg) => log.warn(obj, msg))
  const stats = { accepted: 0, invalid: 0, refused: 0 }

  return {
    handle(nodeId: string, envelope: EventsEnvelope): void {
      const valid: AgentEvent[] = []
      const rejected: string[] = []
      for (const raw of envelope.events) {
        const eventId = typeof raw.id === 'string' ? raw.id.slice(0, 128) : null
        const refusal = deps.keys.verify(nodeId, raw)
        if (refusal) {
          stats.refused++
          deps.onRejected?.()
          const reason = refusal
          warn('unsigned', { nodeId, eventId, reason }, 'event refused: not signed by the node')
          continue
        }
        const checked = deps.decoder.checkEvent(raw)
        if (!checked.ok) {
          stats.invalid++
          deps.onRejected?.()
          const errors = checked.errors
          warn('invalid', { nodeId, channel: 'events', eventId, errors }, 'payload rejected')
          if (eventId !== null && ID_RE.test(eventId)) rejected.push(eventId)
          continue
        }
        stats.accepted++
        valid.push(checked.value)
      }
      if (valid.length > 0 || rejected.length > 0) deps.ingest.add(nodeId, valid, rejected)
    },
    stats: () => ({ ...stats }),
  }
}

/** The event intake service. */
export type EventIntake = ReturnType<typeof createEventIntake>
