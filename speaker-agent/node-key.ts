import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { type AgentEvent, type EventsMessage, signingInput } from '../protocol/index.js'
import { writeFileAtomic } from './atomic-file.js'

/** Where a node without a key in its credentials keeps the one it generated (mode 0600). */
export const NODE_KEY_FILE = 'node-key.pem'

/** The node's own signing identity: every event it reports carries its signature. */
export interface NodeKey {
  /** First 16 hex digits of the SHA-256 of the SPKI DER of the public key. */
  readonly keyId: string
  /** SPKI PEM of the public key (registered at enrollment, or announced in the birth). */
  readonly publicKeyPem: string
  /** The event with a signature over its canonical JSON (docs/protocol.md, "Signed events"). */
  sign(event: AgentEvent): AgentEvent
  /**
   * The `events` message with one signature over the whole of it, its events included (what the
   * outbox publishes: one Ed25519 signature, and one check at the controller, per message).
   */
  signMessage(message: EventsMessage): EventsMessage
}

/** A fresh Ed25519 private key as PKCS#8 PEM. */
export function generateNodeKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519')
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

/** The public key (SPKI PEM) of a PKCS#8 PEM private key. */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem))
    .export({ type: 'spki', format: 'pem' })
    .toString()
}

/** A NodeKey over a PKCS#8 PEM Ed25519 private key; throws on any other key. */
export function createNodeKey(privateKeyPem: string): NodeKey {
  const privateKey: KeyObject = createPrivateKey(privateKeyPem)
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the node key must be Ed25519')
  const publicKey = createPublicKey(privateKey)
  const keyId = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16)
  const signed = (message: { sig?: unknown }): object => {
    const { sig: _old, ...rest } = message
    const meta = { alg: 'Ed25519' as const, keyId }
    const value = sign(null, signingInput({ ...rest, sig: meta }), privateKey).toString('base64')
    return { ...rest, sig: { ...meta, value } }
  }
  return {
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (event) => signed(event) as AgentEvent,
    signMessage: (message) => signed(message) as EventsMessage,
  }
}

/**
 * The node's key: the one enrollment stored in its credentials (`configured`), else
 * `<dataDir>/node-key.pem`, generated on the first start of a hand-configured node.
 */
export async function loadNodeKey(
  dataDir: string,
  configured: string | undefined,
  log: Logger,
): Promise<NodeKey> {
  if (configured) return createNodeKey(configured)
  const file = join(dataDir, NODE_KEY_FILE)
  let pem: string
  try {
    pem = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    pem = generateNodeKeyPem()
    await writeFileAtomic(file, pem, 0o600)
    log.info({ file }, 'node signing key generated')
  }
  return createNodeKey(pem)
}
