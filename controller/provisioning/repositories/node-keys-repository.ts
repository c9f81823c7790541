import type { Db } from '../../platform/index.js'

/** How a node's event-signing key became known. */
export type NodeKeySource = 'enrollment' | 'first-use'

/** A node's registered event-signing public key. */
export interface NodeKeyRecord {
  nodeId: string
  keyId: string
  publicKeyPem: string
  source: NodeKeySource
  registeredAt: string
}

/** Nodes' event-signing public keys (one per node). */
export function createNodeKeysRepository(db: Db) {
  const get = db.prepare<[string], Record<string, string>>(
    `SELECT node_id, key_id, public_key_pem, source, registered_at FROM node_keys
     WHERE node_id = ?`,
  )
  const put = db.prepare(`INSERT INTO node_keys (node_id, key_id, public_key_pem, source,
    registered_at) VALUES (@nodeId, @keyId, @publicKeyPem, @source, @registeredAt)
    ON CONFLICT (node_id) DO UPDATE SET key_id = excluded.key_id,
    public_key_pem = excluded.public_key_pem, source = excluded.source,
    registered_at = excluded.registered_at`)
  // Pin on first use only: a second birth naming another key changes nothing.
  const pin = db.prepare(`INSERT OR IGNORE INTO node_keys (node_id, key_id, public_key_pem, source,
    registered_at) VALUES (@nodeId, @keyId, @publicKeyPem, 'first-use', @registeredAt)`)
  const remove = db.prepare('DELETE FROM node_keys WHERE node_id = ?')
  return {
    get(nodeId: string): NodeKeyRecord | null {
      const r = get.get(nodeId)
      if (!r) return null
      return {
        nodeId: r.node_id as string,
        keyId: r.key_id as string,
        publicKeyPem: r.public_key_pem as string,
        source: r.source as NodeKeySource,
        registeredAt: r.registered_at as string,
      }
    },
    /** Registers (or replaces) a node's key. */
    put: (k: NodeKeyRecord): void => void put.run(k),
    /** Stores a key only when the node has none; true when it was stored. */
    pinFirstUse: (k: Omit<NodeKeyRecord, 'source'>): boolean => pin.run(k).changes === 1,
    remove: (nodeId: string): void => void remove.run(nodeId),
  }
}

/** The node keys repository. */
export type NodeKeysRepository = ReturnType<typeof createNodeKeysRepository>
