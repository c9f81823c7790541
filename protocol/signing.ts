import { type Static, Type } from 'typebox'

/**
 * A plan's signature algorithm since issue 9 (one plan body for thousands of nodes): Ed25519 over
 * the {@link signingInput} in which `items` is replaced by the SHA-256 (lowercase hex) of the
 * items' canonical JSON. The per-node signature then covers a few hundred bytes (`nodeId`, `seq`,
 * version, dates and the items' digest) instead of the whole ~40 kB plan, and stays as binding:
 * changing an item changes the digest. An agent of an earlier version refuses such a plan as
 * `invalid` (its schema knows only `Ed25519`).
 */
export const ITEMS_DIGEST_ALG = 'Ed25519-items-sha256'

/**
 * Signature of a plan or command (China's emergency-broadcast platforms sign their
 * instructions, GD/J 081): Ed25519 over {@link signingInput} (`Ed25519`: commands, receipts and
 * plans of earlier versions; {@link ITEMS_DIGEST_ALG}: plans). `seq` grows with every message the
 * controller signs, so an agent refuses a replay of an older message.
 */
export const SignatureSchema = Type.Object({
  alg: Type.Union([Type.Literal('Ed25519'), Type.Literal(ITEMS_DIGEST_ALG)]),
  keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  seq: Type.Integer({ minimum: 1 }),
  value: Type.String({ pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 200 }),
})
/** A message signature. */
export type Signature = Static<typeof SignatureSchema>

/**
 * Signature of an agent event, by the node's own Ed25519 key (registered at enrollment, or pinned
 * from its first birth). No sequence number: an event id is stored once, so a replayed event is a
 * harmless duplicate, and the key is the node's own, so it cannot pass as another node's.
 */
export const EventSignatureSchema = Type.Object({
  alg: Type.Literal('Ed25519'),
  keyId: Type.String({ pattern: '^[0-9a-f]{16}$' }),
  value: Type.String({ pattern: '^[A-Za-z0-9+/]+={0,2}$', maxLength: 200 }),
})
/** An event signature. */
export type EventSignature = Static<typeof EventSignatureSchema>

/**
 * Canonical forms already computed, by the object or array they stand for (compared by
 * reference): a message whose large part is shared by many recipients (a zone's plan items) is
 * encoded once, not once per signature.
 */
export type KnownCanonical = ReadonlyMap<object, string>

/**
 * JSON with object keys sorted at every level and no whitespace: the same bytes on both sides.
 * A nested object or array found in `known` is written as its stored canonical form.
 */
export function canonicalJson(value: unknown, known?: KnownCanonical): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  const cached = known?.get(value)
  if (cached !== undefined) return cached
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, known)).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, known)}`).join(',')}}`
}

/**
 * The bytes a signature covers: the whole message with its `sig` reduced to algorithm, key id
 * and sequence number (so those are signed too), in canonical JSON. With {@link ITEMS_DIGEST_ALG}
 * the message's `items` stand as `itemsDigest`, the SHA-256 (hex) of their canonical JSON, which
 * the caller computes (this module does no I/O and no hashing: it is bundled for the browser).
 */
export function signingInput(
  message: { sig?: { alg: string; keyId: string; seq?: number } | undefined },
  known?: KnownCanonical,
  itemsDigest?: string,
): Buffer {
  const { sig, ...rest } = message
  const meta = sig ? { alg: sig.alg, keyId: sig.keyId, seq: sig.seq } : undefined
  if (sig?.alg === ITEMS_DIGEST_ALG) {
    if (itemsDigest === undefined) throw new Error(`${ITEMS_DIGEST_ALG} needs the items' digest`)
    return Buffer.from(canonicalJson({ ...rest, items: itemsDigest, sig: meta }), 'utf8')
  }
  return Buffer.from(canonicalJson({ ...rest, sig: meta }, known), 'utf8')
}
