import { type KeyObject, verify } from 'node:crypto'
import { signingInput } from '../../protocol/index.js'

/** Why an event's signature was refused. */
export type EventRefusal = 'no-key' | 'unsigned' | 'unknown-key' | 'bad-signature'

/**
 * Whether `event` carries a valid signature by `key`, the node's registered key (null: it has
 * none yet). Pure (no I/O), so that the check can run on a worker thread (verify-pool.ts).
 */
export function checkEventSignature(
  key: { key: KeyObject; keyId: string } | null,
  event: Record<string, unknown>,
): EventRefusal | null {
  if (!key) return 'no-key'
  const sig = event.sig as { alg?: unknown; keyId?: unknown; value?: unknown } | undefined
  if (!sig || typeof sig !== 'object' || typeof sig.value !== 'string') return 'unsigned'
  if (sig.alg !== 'Ed25519' || sig.keyId !== key.keyId) return 'unknown-key'
  const input = signingInput({ ...event, sig: { alg: sig.alg, keyId: sig.keyId } })
  try {
    return verify(null, input, key.key, Buffer.from(sig.value, 'base64')) ? null : 'bad-signature'
  } catch {
    return 'bad-signature'
  }
}
