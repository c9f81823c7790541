import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
} from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Signature, signingInput } from '../../protocol/index.js'
import type { Clock } from '../time.js'

/** The controller's signing identity. */
export interface Signer {
  /** First 16 hex digits of the SHA-256 of the raw public key. */
  readonly keyId: string
  /** SPKI PEM of the public key: what agents verify with (it goes into provisioning bundles). */
  readonly publicKeyPem: string
  /** Returns the message with a fresh signature (a new, higher sequence number). */
  sign<T extends { sig?: Signature }>(message: T): T
}

/**
 * Loads the controller's Ed25519 key from `<dataDir>/keys/`, creating it on first start (private
 * key file mode 0600). Sequence numbers are microseconds since the epoch, kept strictly
 * increasing, so they survive restarts without being stored.
 */
export function createSigner(dataDir: string, clock: Clock): Signer {
  const dir = join(dataDir, 'keys')
  const file = join(dir, 'controller-ed25519.pem')
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const { privateKey } = generateKeyPairSync('ed25519')
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 })
  }
  const privateKey = createPrivateKey(readFileSync(file))
  const publicKey = createPublicKey(privateKey)
  const raw = publicKey.export({ type: 'spki', format: 'der' })
  const keyId = createHash('sha256').update(raw).digest('hex').slice(0, 16)
  let lastSeq = 0
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign(message) {
      const seq = Math.max(lastSeq + 1, clock.now() * 1000)
      lastSeq = seq
      const meta = { alg: 'Ed25519' as const, keyId, seq, value: '' }
      const value = sign(null, signingInput({ ...message, sig: meta }), privateKey).toString(
        'base64',
      )
      return { ...message, sig: { ...meta, value } }
    },
  }
}
