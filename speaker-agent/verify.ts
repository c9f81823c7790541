import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto'
import { canonicalJson, ITEMS_DIGEST_ALG, type Signature, signingInput } from '../protocol/index.js'

/** The SHA-256 (hex) of a plan's items in canonical JSON: what {@link ITEMS_DIGEST_ALG} signs. */
export function itemsDigestOf(items: unknown): string {
  return createHash('sha256').update(canonicalJson(items), 'utf8').digest('hex')
}

/** The bytes a message's signature covers, whichever algorithm it names (null: cannot cover). */
function inputOf(message: { sig?: Signature; [key: string]: unknown }): Buffer | null {
  if (message.sig?.alg !== ITEMS_DIGEST_ALG) return signingInput(message)
  // Only a plan has items; a command or receipt naming this algorithm is refused.
  if (!Array.isArray(message.items)) return null
  return signingInput(message, undefined, itemsDigestOf(message.items))
}

/** Why a signed message was refused (a subset of protocol/ REFUSAL_REASONS). */
export type RefusalReason = 'unsigned' | 'unknown-key' | 'bad-signature' | 'replay' | 'other-node'

/** Checks the controller's Ed25519 signatures on plans and commands. */
export interface Verifier {
  readonly keyId: string
  /** Verifies a message; `lastSeq` is the highest sequence number accepted on that channel. */
  check(
    message: { sig?: Signature; [key: string]: unknown },
    lastSeq: number,
  ): { ok: true; seq: number } | { ok: false; reason: RefusalReason }
}

/** The key id of a public key: the first 16 hex digits of the SHA-256 of its SPKI DER. */
export function keyIdOf(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16)
}

/**
 * A verifier for the controller's public key (SPKI PEM). An unsigned message, a signature by
 * another key, a wrong signature, or a sequence number not above the last accepted one is
 * refused: a compromised broker or a client past the ACL cannot make a speaker say anything.
 */
export function createVerifier(publicKeyPem: string): Verifier {
  const key = createPublicKey(publicKeyPem)
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the controller key must be Ed25519')
  const keyId = keyIdOf(key)
  return {
    keyId,
    check(message, lastSeq) {
      const sig = message.sig
      if (!sig) return { ok: false, reason: 'unsigned' }
      if (sig.keyId !== keyId) return { ok: false, reason: 'unknown-key' }
      const input = inputOf(message)
      const good = input !== null && verify(null, input, key, Buffer.from(sig.value, 'base64'))
      if (!good) return { ok: false, reason: 'bad-signature' }
      if (sig.seq <= lastSeq) return { ok: false, reason: 'replay' }
      return { ok: true, seq: sig.seq }
    },
  }
}
