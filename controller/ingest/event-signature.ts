import { type KeyObject, verify } from 'node:crypto'
import { signingInput } from '../../protocol/index.js'

/** Why an event's signature was refused. */
export type EventRefusal = 'no-key' | 'unsigned' | 'unknown-key' | 'bad-signature'

type NodeKeyObject = { key: KeyObject; keyId: string } | null

/**
 * Whether `signed` (an event, or a whole `events` message) carries a valid signature by `key`,
 * the node's registered key (null: it has none yet). Pure (no I/O), so that the check can run on
 * a worker thread (verify-pool.ts).
 */
export function checkEventSignature(
  key: NodeKeyObject,
  signed: Record<string, unknown>,
): EventRefusal | null {
  if (!key) return 'no-key'
  const sig = signed.sig as { alg?: unknown; keyId?: unknown; value?: unknown } | undefined
  if (!sig || typeof sig !== 'object' || typeof sig.value !== 'string') return 'unsigned'
  if (sig.alg !== 'Ed25519' || sig.keyId !== key.keyId) return 'unknown-key'
  const input = signingInput({ ...signed, sig: { alg: sig.alg, keyId: sig.keyId } })
  try {
    return verify(null, input, key.key, Buffer.from(sig.value, 'base64')) ? null : 'bad-signature'
  } catch {
    return 'bad-signature'
  }
}

/** One `events` message as the signature check sees it. */
export interface SignedBatch {
  events: Record<string, unknown>[]
  sig?: unknown
}

/**
 * The refusal (or null) of each event of `message`. A message with its own `sig` is checked
 * once, as a whole: its verdict is every event's (one Ed25519 verification per message). A
 * message without one is checked event by event (the form of agents before batch signatures).
 */
export function checkBatchSignatures(
  key: NodeKeyObject,
  message: SignedBatch,
): (EventRefusal | null)[] {
  if (message.sig === undefined) return message.events.map((e) => checkEventSignature(key, e))
  const verdict = checkEventSignature(key, message as unknown as Record<string, unknown>)
  return message.events.map(() => verdict)
}

/** Signature verifications `message` costs (what the verify pool weighs per turn). */
export const verificationsOf = (message: SignedBatch): number =>
  message.sig === undefined ? message.events.length : 1
