import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import type { Logger } from 'pino'
import { ChorusError } from '../errors.js'
import type { Clock } from '../platform/index.js'
import type { Repositories } from '../repositories.js'

/** A node's parsed event-signing key and its id (the first 16 hex of its SPKI's SHA-256). */
export interface NodeKey {
  key: KeyObject
  keyId: string
}

/** Most characters an Ed25519 SPKI PEM can take (it is 113). */
const MAX_PEM = 400

function parseKey(pem: string): NodeKey | null {
  if (pem.length > MAX_PEM) return null
  try {
    const key = createPublicKey(pem)
    if (key.asymmetricKeyType !== 'ed25519') return null
    const der = key.export({ type: 'spki', format: 'der' })
    return { key, keyId: createHash('sha256').update(der).digest('hex').slice(0, 16) }
  } catch {
    return null
  }
}

/**
 * Nodes' own event-signing keys: registered at enrollment, pinned from the first birth that
 * carries one when the node has none (trust on first use, logged), forgotten when the node is
 * replaced. `verify` is what keeps a report forged through an open broker out of the database.
 */
export function createNodeKeys(deps: {
  repos: Pick<Repositories, 'nodeKeys' | 'nodes'>
  clock: Clock
  log: Logger
}) {
  const log = deps.log.child({ module: 'node-keys' })
  const cache = new Map<string, NodeKey | null>()
  const iso = () => new Date(deps.clock.now()).toISOString()

  function keyOf(nodeId: string): NodeKey | null {
    if (cache.has(nodeId)) return cache.get(nodeId) ?? null
    const record = deps.repos.nodeKeys.get(nodeId)
    const parsed = record ? parseKey(record.publicKeyPem) : null
    // A missing key is not cached: the node's birth may pin one any moment.
    if (parsed) cache.set(nodeId, parsed)
    return parsed
  }

  return {
    /** Throws BAD_REQUEST when `pem` is not an Ed25519 public key (SPKI PEM). */
    check(pem: string): void {
      if (!parseKey(pem)) {
        throw new ChorusError('BAD_REQUEST', 'publicKey must be an Ed25519 public key (SPKI PEM)')
      }
    },
    /** Registers a node's key (enrollment), replacing any earlier one. */
    register(nodeId: string, pem: string): void {
      const parsed = parseKey(pem)
      if (!parsed) throw new ChorusError('BAD_REQUEST', 'publicKey must be an Ed25519 public key')
      deps.repos.nodeKeys.put({
        nodeId,
        keyId: parsed.keyId,
        publicKeyPem: pem,
        source: 'enrollment',
        registeredAt: iso(),
      })
      cache.set(nodeId, parsed)
      log.info({ nodeId, keyId: parsed.keyId }, 'node key registered at enrollment')
    },
    /** A birth announced `pem`: pinned when the node has no key yet; otherwise only compared. */
    onBirth(nodeId: string, pem: string | undefined): void {
      if (pem === undefined || keyOf(nodeId)) return
      const parsed = parseKey(pem)
      if (!parsed) {
        log.warn({ nodeId }, 'birth carries an unusable node key; not pinned')
        return
      }
      if (!deps.repos.nodes.get(nodeId)) return
      if (
        deps.repos.nodeKeys.pinFirstUse({
          nodeId,
          keyId: parsed.keyId,
          publicKeyPem: pem,
          registeredAt: iso(),
        })
      ) {
        cache.set(nodeId, parsed)
        log.warn({ nodeId, keyId: parsed.keyId }, 'node key pinned on first use')
      }
    },
    /** Forgets a node's key (the node was replaced: new hardware brings a new key). */
    forget(nodeId: string): void {
      deps.repos.nodeKeys.remove(nodeId)
      cache.delete(nodeId)
    },
    /**
     * The node's registered key (parsed once, cached), against which its events' signatures are
     * checked (ingest's event-signature.ts); null while it has none.
     */
    keyOf,
  }
}

/** The node keys service. */
export type NodeKeys = ReturnType<typeof createNodeKeys>
