import type { Logger } from 'pino'
import type { AgentEvent } from '../../protocol/index.js'
import { createZonedTime } from '../../schedules/index.js'
import type { CancelTimer, Clock, EventBus } from '../platform/index.js'
import type { NodeRegistry } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import { ingestRow } from './ingest-table.js'
import type { EventRecord } from './repositories/events-repository.js'

/** Largest batch written in one transaction. */
export const INGEST_BATCH_MAX = 500

/** How long events wait for companions before a batch is written. */
export const INGEST_BATCH_DELAY_MS = 20

const ITEM_DATE = /^(\d{4}-\d{2}-\d{2})\//

/**
 * Stores agent events idempotently in batches: one SQLite transaction per batch, each
 * (node, event id) stored once, so an agent replaying its outbox (no receipt yet) changes
 * nothing. After each commit `onCommitted` sends the receipts; newly stored events go out on the
 * bus.
 */
export function createEventIngest(deps: {
  repos: Pick<SharedRepositories, 'events' | 'programme'>
  /** Where a node's applied plan is written (provisioning owns the nodes table). */
  registry: Pick<NodeRegistry, 'setAppliedPlanVersion'>
  bus: EventBus
  clock: Clock
  log: Logger
  tz: string
  /** Told how long each batched write took, in seconds (for metrics). */
  observeWrite?: (seconds: number) => void
  /**
   * Told, per node, after the transaction committed: every event id of the batch now stored
   * (new or stored before) and the ids refused for good. This is where receipts go out.
   */
  onCommitted?: (nodeId: string, stored: string[], rejected: string[]) => void
}) {
  const log = deps.log.child({ module: 'event-ingest' })
  let queue: EventRecord[] = []
  let rejectedQueue = new Map<string, string[]>()
  let timer: CancelTimer | null = null
  let stored = 0
  let duplicates = 0
  const zone = createZonedTime(deps.tz)

  function dateOf(e: AgentEvent): string | null {
    if ('itemId' in e) {
      const m = ITEM_DATE.exec(e.itemId)
      if (m?.[1]) return m[1]
    }
    const ms = Date.parse(e.at)
    return Number.isNaN(ms) ? null : zone.toLocalDate(ms)
  }

  /**
   * The node state new events carry, written in the batch's own transaction. One event that
   * cannot be applied is logged and skipped: it must not roll back (and so block) the batch.
   */
  function applyState(fresh: EventRecord[]): void {
    for (const e of fresh) {
      try {
        const apply = ingestRow(e.type)?.apply
        apply?.(e, JSON.parse(e.body) as never, {
          nodes: deps.registry,
          programme: deps.repos.programme,
        })
      } catch (err) {
        log.error({ err, nodeId: e.nodeId, eventId: e.id, type: e.type }, 'event state not applied')
      }
    }
  }

  function flush(): void {
    timer?.()
    timer = null
    if (queue.length === 0 && rejectedQueue.size === 0) return
    const batch = queue
    const rejected = rejectedQueue
    queue = []
    rejectedQueue = new Map()
    let fresh: EventRecord[]
    try {
      const t = performance.now()
      fresh = deps.repos.events.insertBatch(batch, applyState)
      deps.observeWrite?.((performance.now() - t) / 1000)
    } catch (err) {
      // No receipt: the agents keep the events and send them again.
      log.error({ err, size: batch.length }, 'event batch failed to store')
      return
    }
    stored += fresh.length
    duplicates += batch.length - fresh.length
    receipt(batch, rejected)
    for (const e of fresh) {
      const announce = ingestRow(e.type)?.announce
      announce?.(e, JSON.parse(e.body) as never, { bus: deps.bus, log })
    }
  }

  function receipt(batch: EventRecord[], rejected: Map<string, string[]>): void {
    if (!deps.onCommitted) return
    const byNode = new Map<string, Set<string>>()
    for (const e of batch) {
      const ids = byNode.get(e.nodeId)
      if (ids) ids.add(e.id)
      else byNode.set(e.nodeId, new Set([e.id]))
    }
    for (const nodeId of rejected.keys()) if (!byNode.has(nodeId)) byNode.set(nodeId, new Set())
    for (const [nodeId, ids] of byNode) {
      try {
        deps.onCommitted(nodeId, [...ids], [...new Set(rejected.get(nodeId))])
      } catch (err) {
        log.error({ err, nodeId }, 'receipt failed')
      }
    }
  }

  /**
   * Queues a node's events; they are stored within INGEST_BATCH_DELAY_MS. `rejected` are ids of
   * events the node signed that can never be stored: they are receipted with the next commit.
   */
  function add(
    nodeId: string,
    events: readonly AgentEvent[],
    rejected: readonly string[] = [],
  ): void {
    if (rejected.length > 0) {
      const list = rejectedQueue.get(nodeId) ?? []
      list.push(...rejected)
      rejectedQueue.set(nodeId, list)
    }
    const receivedAt = new Date(deps.clock.now()).toISOString()
    for (const e of events) {
      queue.push({
        nodeId,
        id: e.id,
        type: e.type,
        at: e.at,
        date: dateOf(e),
        itemId: 'itemId' in e ? e.itemId : null,
        reason: ingestRow(e.type)?.reason?.(e) ?? null,
        body: JSON.stringify(e),
        receivedAt,
      })
    }
    if (queue.length >= INGEST_BATCH_MAX) flush()
    else if (queue.length === 0 && rejectedQueue.size === 0) return
    else timer ??= deps.clock.after(INGEST_BATCH_DELAY_MS, flush)
  }

  return {
    add,
    flush,
    stats: () => ({ stored, duplicates, pending: queue.length }),
    stop(): void {
      flush()
    },
  }
}

/** The event ingest service. */
export type EventIngest = ReturnType<typeof createEventIngest>
