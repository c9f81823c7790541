import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
} from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import {
  ITEMS_DIGEST_ALG,
  type KnownCanonical,
  type Signature,
  signingInput,
} from '../../protocol/index.js'
import { ChorusError } from '../errors.js'
import type { Clock } from './time.js'

/** The controller's signing identity. */
export interface Signer {
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  readonly keyId: string
  /** SPKI PEM of the public key: what agents verify with (it goes into provisioning bundles). */
  readonly publicKeyPem: string
  /**
   * Returns the message with a fresh signature (a new, higher sequence number). `known`: canonical
   * forms of parts of it already encoded (`canonicalJson`). `itemsDigest`: a plan signed with
   * {@link ITEMS_DIGEST_ALG}, over the SHA-256 (hex) of its items' canonical JSON.
   */
  sign<T extends { sig?: Signature }>(message: T, known?: KnownCanonical, itemsDigest?: string): T
  /** The highest sequence number this signer may have used (persisted; never goes down). */
  floor(): number
  /**
   * Continues above a sequence number an agent reports having accepted (its birth's `seqFloor`):
   * `raised` when it was above this signer's own record, `ignored` when it lies more than
   * {@link MAX_REPORTED_LEAD_MS} ahead of the clock (a node cannot push the numbers far ahead).
   */
  raiseFloor(seq: number): 'raised' | 'unchanged' | 'ignored'
}

/** Beside the key: the highest sequence number reserved so far. */
export const SEQ_FILE = 'controller-seq.json'
/** Sequence numbers reserved per write: one minute of clock-derived numbers (microseconds). */
export const SEQ_RESERVE = 60_000_000
/** How far ahead of the clock a floor reported by an agent may be and still be followed. */
export const MAX_REPORTED_LEAD_MS = 7 * 86_400_000

function writeDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`
  const fd = openSync(tmp, 'w', 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}

function readReserved(file: string): number {
  if (!existsSync(file)) return 0
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (cause) {
    throw new ChorusError('SIGNER_STATE_INVALID', `${file} is not valid JSON`, { cause })
  }
  const reserved = (parsed as { reserved?: unknown } | null)?.reserved
  if (typeof reserved !== 'number' || !Number.isSafeInteger(reserved) || reserved < 0) {
    throw new ChorusError(
      'SIGNER_STATE_INVALID',
      `${file} holds no valid "reserved" sequence number; restore it from a backup (deleting it ` +
        'is safe only if the controller clock is right: agents refuse numbers below what they saw)',
    )
  }
  return reserved
}

/**
 * Loads the controller's Ed25519 key from `<dataDir>/keys/`, creating it on first start (private
 * key file mode 0600). Sequence numbers are `max(last + 1, microseconds since the epoch)`: they
 * follow the clock while it moves forward and keep counting up when it steps back (an NTP
 * correction, an operator fixing the time), so agents never take a new message for a replay.
 * The highest number that may have been used is persisted beside the key before it is used, in
 * blocks of {@link SEQ_RESERVE} (at most one fsync'd write a minute), so a restart with the
 * clock behind continues above every number signed before.
 */
export function createSigner(dataDir: string, clock: Clock): Signer {
  const dir = join(dataDir, 'keys')
  const file = join(dir, 'controller-ed25519.pem')
  const seqFile = join(dir, SEQ_FILE)
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const { privateKey } = generateKeyPairSync('ed25519')
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  }
  const privateKey = createPrivateKey(readFileSync(file))
  const publicKey = createPublicKey(privateKey)
  const raw = publicKey.export({ type: 'spki', format: 'der' })
  const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16)
  // Every number up to `reserved` may have been used by an earlier run: start above it.
  let reserved = readReserved(seqFile)
  let lastSeq = reserved
  function reserve(seq: number): void {
    if (seq <= reserved) return
    // Persist before use: a crash right after signing must not let the next run reuse it.
    writeDurably(seqFile, JSON.stringify({ reserved: seq + SEQ_RESERVE }))
    reserved = seq + SEQ_RESERVE
  }
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    floor: () => reserved,
    raiseFloor(seq) {
      if (!Number.isSafeInteger(seq) || seq <= lastSeq) return 'unchanged'
      if (seq > (clock.now() + MAX_REPORTED_LEAD_MS) * 1000) return 'ignored'
      reserve(seq)
      lastSeq = seq
      return 'raised'
    },
    sign(message, known, itemsDigest) {
      const seq = Math.max(lastSeq + 1, Math.floor(clock.now() * 1000))
      reserve(seq)
      lastSeq = seq
      const alg = itemsDigest === undefined ? ('Ed25519' as const) : ITEMS_DIGEST_ALG
      const meta = { alg, keyId, seq, value: '' }
      const input = signingInput({ ...message, sig: meta }, known, itemsDigest)
      const value = sign(null, input, privateKey).toString('base64')
      return { ...message, sig: { ...meta, value } }
    },
  }
}
