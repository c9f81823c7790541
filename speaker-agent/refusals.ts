/**
 * @module refusals
 * Tells the controller what the node refused: a plan or command that was unsigned, forged,
 * replayed, for another node, malformed or larger than the node accepts becomes a `plan.rejected`
 * / `cmd.rejected` event (docs/protocol.md), so a refused plan shows in node health instead of the
 * node looking healthy while it plays an old plan. The same refusal is reported once: a flood of
 * one bad message cannot fill the outbox.
 */
import type { Logger } from 'pino'
import { MAX_PAYLOAD_BYTES, MAX_PLAN_ITEMS, type RefusalReason } from '../protocol/index.js'
import type { Clock } from './clock.js'
import { type ReportEvent, stampEvent } from './events.js'

/** Distinct refusals remembered to report each once. */
const REMEMBERED = 200

/** Reports refusals as events. */
export interface Refusals {
  /** A plan or command refused by the signature checks (or found altered on disk). */
  refused(
    channel: 'plan' | 'cmd',
    reason: RefusalReason,
    opts: { id: string | null; source?: 'received' | 'stored'; error?: string },
  ): void
  /** A payload the router could not decode (not JSON, not matching the schema, too large). */
  undecodable(channel: 'plan' | 'cmd', payload: Buffer, errors: readonly string[]): RefusalReason
}

/** Creates the reporter; `report` puts events in the outbox. */
export function createRefusals(deps: { clock: Clock; report: ReportEvent; log: Logger }): Refusals {
  const seen = new Set<string>()

  function refused(
    channel: 'plan' | 'cmd',
    reason: RefusalReason,
    opts: { id: string | null; source?: 'received' | 'stored'; error?: string },
  ): void {
    const key = `${channel}|${reason}|${opts.id ?? ''}|${opts.source ?? ''}`
    if (seen.has(key)) return
    seen.add(key)
    if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string)
    const error = opts.error?.slice(0, 1000)
    deps.log.warn({ channel, reason, id: opts.id, error }, `${channel} refused; reported`)
    if (channel === 'plan') {
      deps.report(
        stampEvent(deps.clock, {
          type: 'plan.rejected',
          planVersion: opts.id,
          reason: reason as never,
          source: opts.source ?? 'received',
          ...(error ? { error } : {}),
        }),
      )
    } else {
      deps.report(
        stampEvent(deps.clock, {
          type: 'cmd.rejected',
          cmdId: opts.id,
          reason: reason as never,
          ...(error ? { error } : {}),
        }),
      )
    }
  }

  return {
    refused,
    undecodable(channel, payload, errors) {
      const raw = peek(payload)
      const items = Array.isArray(raw?.items) ? raw.items.length : 0
      const tooLarge =
        payload.length > MAX_PAYLOAD_BYTES || (channel === 'plan' && items > MAX_PLAN_ITEMS)
      const idField = channel === 'plan' ? raw?.version : raw?.id
      const id = typeof idField === 'string' && idField.length <= 128 ? idField : null
      const error = tooLarge
        ? channel === 'plan' && items > MAX_PLAN_ITEMS
          ? `plan has ${items} items; this node accepts at most ${MAX_PLAN_ITEMS}`
          : `payload of ${payload.length} bytes; this node accepts at most ${MAX_PAYLOAD_BYTES}`
        : errors.join('; ')
      const reason = tooLarge ? 'too-large' : 'invalid'
      refused(channel, reason, { id, error })
      return reason
    },
  }
}

/** The payload's top-level object when it is JSON within a sane size, else null. */
function peek(payload: Buffer): Record<string, unknown> | null {
  // A payload past the broker's limit never arrives; one within it is parsed once more here.
  if (payload.length > 4 * MAX_PAYLOAD_BYTES) return null
  try {
    const v = JSON.parse(payload.toString('utf8')) as unknown
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
