import type { Logger } from 'pino'
import type { AgentEvent, AgentEventType } from '../../protocol/index.js'
import type { EventBus } from '../platform/index.js'
import type { NodeRegistry } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { EventRecord } from './repositories/events-repository.js'

type Of<T extends AgentEventType> = Extract<AgentEvent, { type: T }>

/**
 * What ingestion does with one event type: the `reason` column it stores, the node state it
 * writes inside the batch's transaction (`apply`), and what it tells the bus once the batch has
 * committed (`announce`). `body` is the event as the node sent it.
 */
export interface IngestRow<T extends AgentEventType> {
  reason?: (e: Of<T>) => string
  apply?: (
    e: EventRecord,
    body: Of<T>,
    to: {
      nodes: Pick<NodeRegistry, 'setAppliedPlanVersion'>
      programme: SharedRepositories['programme']
    },
  ) => void
  announce?: (e: EventRecord, body: Of<T>, to: { bus: EventBus; log: Logger }) => void
}

const reason = <T extends AgentEventType>(e: Of<T>) => (e as { reason: string }).reason

/** A make-good's deviation is from its gap, not the segment's instant: not a start figure. */
const played: IngestRow<AgentEventType>['announce'] = (e, body, { bus }) => {
  const b = body as { deviationMs?: number; makeGood?: boolean }
  const onTime = typeof b.deviationMs === 'number' && b.makeGood !== true
  bus.emit('playReported', {
    ...(onTime ? { deviationMs: b.deviationMs } : {}),
    nodeId: e.nodeId,
    eventId: e.id,
    itemId: e.itemId,
    type: e.type,
    at: e.at,
    date: e.date,
    reason: e.reason,
  })
}

const refused: IngestRow<'plan.rejected' | 'cmd.rejected'>['announce'] = (
  e,
  body,
  { bus, log },
) => {
  const plan = body.type === 'plan.rejected'
  log.warn({ nodeId: e.nodeId, type: e.type, reason: e.reason }, 'node refused a message')
  bus.emit('messageRejected', {
    nodeId: e.nodeId,
    channel: plan ? 'plan' : 'cmd',
    id: plan ? body.planVersion : body.cmdId,
    reason: body.reason,
    source: plan ? body.source : 'received',
    error: body.error ?? null,
    at: e.at,
  })
}

/** One row per agent event type (the compiler insists; ingest-table.test.ts checks the schema). */
export const INGEST_TABLE: { readonly [T in AgentEventType]: IngestRow<T> } = {
  'plan.applied': {
    apply: (e, body, to) => to.nodes.setAppliedPlanVersion(e.nodeId, body.planVersion),
    announce: (e, body, { bus }) => {
      bus.emit('nodeChanged', { nodeId: e.nodeId })
      bus.emit('planApplied', { nodeId: e.nodeId, version: body.planVersion, at: e.at })
    },
  },
  readiness: {
    apply: (e, body, to) =>
      to.programme.putReadiness({
        nodeId: e.nodeId,
        planVersion: body.planVersion,
        dates: body.dates,
        at: new Date(Date.parse(e.at)).toISOString(),
        receivedAt: e.receivedAt,
      }),
    announce: (e, _body, { bus }) => bus.emit('readinessChanged', { nodeId: e.nodeId }),
  },
  'cmd.ack': {
    announce: (e, body, { bus }) =>
      bus.emit('commandAcked', {
        nodeId: e.nodeId,
        cmdId: body.cmdId,
        status: body.status,
        at: e.receivedAt,
        error: body.error ?? null,
        result: body.result ?? null,
      }),
  },
  'plan.rejected': { reason, announce: refused },
  'cmd.rejected': { reason, announce: refused },
  'play.started': { announce: played },
  'play.finished': { announce: played },
  'play.failed': { reason, announce: played },
  'play.interrupted': { reason, announce: played },
  'play.missed': { reason, announce: played },
}

/** The row of a stored event's type (null for a type this controller does not know). */
export function ingestRow(type: string): IngestRow<AgentEventType> | null {
  return Object.hasOwn(INGEST_TABLE, type)
    ? (INGEST_TABLE[type as AgentEventType] as IngestRow<AgentEventType>)
    : null
}
