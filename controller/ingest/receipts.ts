import type { Logger } from 'pino'
import {
  nodeTopic,
  RECEIPT_MAX_IDS,
  type ReceiptMessage,
  type Signature,
} from '../../protocol/index.js'
import { type Clock, createInstantFormatter } from '../platform/index.js'

/**
 * Receipts: after the ingest transaction committed, the controller tells each node which of its
 * event ids are stored (new or stored before) and which are refused for good, signed like plans
 * and commands. Only then does the agent delete them from its outbox. A receipt that is lost
 * (no connection, broker restart) costs a resend: the duplicate is stored once and receipted.
 */
export function createReceipts(deps: {
  sign: <T extends { sig?: Signature }>(message: T) => T
  publish: (topic: string, payload: string, opts: { qos: 0 | 1 }) => Promise<void>
  clock: Clock
  tz: string
  log: Logger
}) {
  const log = deps.log.child({ module: 'receipts' })
  let sent = 0
  const formatInstant = createInstantFormatter(deps.tz)

  function publishOne(nodeId: string, stored: string[], rejected: string[]): void {
    const message = deps.sign<ReceiptMessage>({
      v: 1,
      nodeId,
      at: formatInstant(deps.clock.now()),
      stored,
      rejected,
    })
    sent++
    void deps
      .publish(nodeTopic(nodeId, 'receipt'), JSON.stringify(message), { qos: 1 })
      .catch((err: unknown) =>
        log.warn({ err, nodeId, count: stored.length }, 'receipt not sent; the node will resend'),
      )
  }

  return {
    /** Publishes the receipt(s) for one node, at most RECEIPT_MAX_IDS ids each. */
    send(nodeId: string, stored: readonly string[], rejected: readonly string[]): void {
      const all = [
        ...stored.map((id) => [id, true] as const),
        ...rejected.map((id) => [id, false] as const),
      ]
      for (let i = 0; i < all.length; i += RECEIPT_MAX_IDS) {
        const part = all.slice(i, i + RECEIPT_MAX_IDS)
        publishOne(
          nodeId,
          part.filter(([, ok]) => ok).map(([id]) => id),
          part.filter(([, ok]) => !ok).map(([id]) => id),
        )
      }
    },
    stats: () => ({ sent }),
  }
}

/** The receipts service. */
export type Receipts = ReturnType<typeof createReceipts>
