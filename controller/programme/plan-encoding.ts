import { createHash } from 'node:crypto'
import { canonicalJson, type PlanMessage, type Signature } from '../../protocol/index.js'
import type { PlanBody } from './repositories/plans-repository.js'

/**
 * A plan as every node of a group (same zones, same test flag) receives it, encoded once: the
 * nodes' plans differ only in `nodeId` and the signature, so the items (most of the ~40 KB) are
 * serialised and put in canonical form once per group and version, not once per node (issue 9).
 */
export interface PreparedPlan {
  readonly version: string
  readonly generatedAt: string
  /** The message's fields but `nodeId`, `items` and `sig`, in the message's key order. */
  readonly head: Omit<PlanMessage, 'items' | 'sig'>
  /** `JSON.stringify(items)`. */
  readonly itemsJson: string
  /** The same, UTF-8 encoded: the bulk of every node's payload, encoded once. */
  readonly itemsBytes: Buffer
  /** Canonical form of the items, keyed by {@link PreparedPlan.itemsMark} for the signer. */
  readonly known: ReadonlyMap<object, string>
  /**
   * Stands for the items in the message handed to the signer: `known` maps it to their canonical
   * form, so the signature covers the real items without them being kept as objects.
   */
  readonly itemsMark: PlanMessage['items']
  /**
   * SHA-256 (hex) of the items' canonical form: what each node's signature covers in their place
   * (`ITEMS_DIGEST_ALG`), so signing costs the same for a plan of 1 item or 5,000.
   */
  readonly itemsDigest: string
  /** The body every node of the group shares in the store (the message without `nodeId`). */
  readonly body: PlanBody
  /** The recordings the items name (sha256). */
  readonly audio: readonly string[]
  /** Whether an announcement is among the items (the ledger records its delivery). */
  readonly announces: boolean
}

// Where the items go in a message serialised without them; a string no field can hold.
const SLOT = '\u0000chorus:plan-items\u0000'
const SLOT_JSON = JSON.stringify(SLOT)

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** `json` (an object serialised with the items at SLOT) with the items' JSON in their place. */
function fill(json: string, itemsJson: string): string {
  const at = json.indexOf(SLOT_JSON)
  return json.slice(0, at) + itemsJson + json.slice(at + SLOT_JSON.length)
}

/** Encodes a built (or stored) plan message once for every node of its group. */
export function preparePlan(message: PlanMessage): PreparedPlan {
  const { items, sig: _sig, ...head } = message
  const { nodeId: _nodeId, ...shared } = head
  const itemsMark: PlanMessage['items'] = []
  const itemsJson = JSON.stringify(items)
  const canonical = canonicalJson(items)
  const bodyJson = fill(JSON.stringify({ ...shared, items: SLOT }), itemsJson)
  return {
    version: message.version,
    generatedAt: message.generatedAt,
    head,
    itemsJson,
    itemsBytes: Buffer.from(itemsJson, 'utf8'),
    known: new Map([[itemsMark, canonical]]),
    itemsMark,
    itemsDigest: sha256(canonical),
    body: { hash: sha256(bodyJson), json: bodyJson },
    audio: [...new Set(items.map((i) => i.sha256))],
    announces: items.some((i) => i.kind === 'announcement'),
  }
}

/** The message to sign for one node: its items are the prepared plan's mark (see `known`). */
export function unsignedFor(plan: PreparedPlan, nodeId: string): PlanMessage {
  return { ...plan.head, nodeId, items: plan.itemsMark }
}

/**
 * The JSON of one node's plan, with its signature when given: the same text as
 * `JSON.stringify` of the whole message, built around the items encoded once.
 */
export function planJson(plan: PreparedPlan, nodeId: string, sig?: Signature): string {
  const json = JSON.stringify({ ...plan.head, nodeId, items: SLOT, ...(sig ? { sig } : {}) })
  return fill(json, plan.itemsJson)
}

/**
 * The bytes of one node's signed plan: the same as `planJson` UTF-8 encoded, but only the few
 * hundred bytes around the items are encoded per node; the items' bytes are copied in.
 */
export function planPayload(plan: PreparedPlan, nodeId: string, sig?: Signature): Buffer {
  const json = JSON.stringify({ ...plan.head, nodeId, items: SLOT, ...(sig ? { sig } : {}) })
  const at = json.indexOf(SLOT_JSON)
  const before = Buffer.from(json.slice(0, at), 'utf8')
  const after = Buffer.from(json.slice(at + SLOT_JSON.length), 'utf8')
  return Buffer.concat([before, plan.itemsBytes, after])
}
