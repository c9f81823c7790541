import type { Logger } from 'pino'
import type { AgentEvent, EventsEnvelope, PayloadDecoder } from '../../protocol/index.js'
import type { NodeKeys } from '../provisioning/index.js'
import type { EventIngest } from './event-ingest.js'
import type { EventRefusal } from './event-signature.js'
import type { VerifyPool } from './verify-pool.js'

const ID_RE = /^.{1,128}$/s

/**
 * Checks each event of an `events` message on its own: first the node's signature, over the whole
 * message or over each event (checkBatchSignatures; an event the node did not sign is refused and never receipted, so a forger can neither store a report nor
 * make a node drop a real one), then the schema (a signed event that does not match is refused for
 * good and receipted as rejected, so it does not loop in the outbox). The valid ones are stored.
 * Signatures are checked by the verify pool (worker threads when busy); messages are handed to the
 * ingest in the order they arrived.
 */
export function createEventIntake(deps: {
  keys: Pick<NodeKeys, 'keyOf'>
  verify: Pick<VerifyPool, 'check' | 'drained'>
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

  function checked(
    nodeId: string,
    events: Record<string, unknown>[],
    refusals: (EventRefusal | null)[],
  ): void {
    const valid: AgentEvent[] = []
    const rejected: string[] = []
    events.forEach((raw, i) => {
      const eventId = typeof raw.id === 'string' ? raw.id.slice(0, 128) : null
      const reason = refusals[i] ?? null
      if (reason) {
        stats.refused++
        deps.onRejected?.()
        warn('unsigned', { nodeId, eventId, reason }, 'event refused: not signed by the node')
        return
      }
      const result = deps.decoder.checkEvent(raw)
      if (!result.ok) {
        stats.invalid++
        deps.onRejected?.()
        const errors = result.errors
        warn('invalid', { nodeId, channel: 'events', eventId, errors }, 'payload rejected')
        if (eventId !== null && ID_RE.test(eventId)) rejected.push(eventId)
        return
      }
      stats.accepted++
      valid.push(result.value)
    })
    if (valid.length > 0 || rejected.length > 0) deps.ingest.add(nodeId, valid, rejected)
  }

  return {
    handle(nodeId: string, envelope: EventsEnvelope): void {
      deps.verify.check(nodeId, deps.keys.keyOf(nodeId), envelope, (refusals) =>
        checked(nodeId, envelope.events, refusals),
      )
    },
    /** Resolves once every message handed over so far reached the ingest. */
    drained: () => deps.verify.drained(),
    stats: () => ({ ...stats }),
  }
}

/** The event intake service. */
export type EventIntake = ReturnType<typeof createEventIntake>
