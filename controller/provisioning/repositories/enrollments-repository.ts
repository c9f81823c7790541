import type { Db } from '../../platform/index.js'

/** A one-time enrollment token as stored: only its SHA-256, never the token. */
export interface EnrollmentTokenRecord {
  tokenHash: string
  nodeId: string
  createdAt: string
  expiresAt: string
  usedAt: string | null
  revokedAt: string | null
}

interface TokenRow {
  token_hash: string
  node_id: string
  created_at: string
  expires_at: string
  used_at: string | null
  revoked_at: string | null
}

const toRecord = (r: TokenRow): EnrollmentTokenRecord => ({
  tokenHash: r.token_hash,
  nodeId: r.node_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revokedAt: r.revoked_at,
})

/** One-time enrollment tokens (hashed) and their exchange for a node secret. */
export function createEnrollmentsRepository(db: Db) {
  const byHash = db.prepare<[string], TokenRow>(
    `SELECT token_hash, node_id, created_at, expires_at, used_at, revoked_at
     FROM enrollment_tokens WHERE token_hash = ?`,
  )
  const insert = db.prepare(`INSERT INTO enrollment_tokens (token_hash, node_id, created_at,
    expires_at) VALUES (@tokenHash, @nodeId, @createdAt, @expiresAt)`)
  const revokeOpen = db.prepare(`UPDATE enrollment_tokens SET revoked_at = ?
    WHERE node_id = ? AND used_at IS NULL AND revoked_at IS NULL`)
  const use = db.prepare(`UPDATE enrollment_tokens SET used_at = ?
    WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL`)
  const enrolled = db.prepare(`UPDATE nodes SET secret_hash = @secretHash, enrolled_at = @at
    WHERE id = @nodeId AND retired_at IS NULL`)
  const redeem = db.transaction(
    (p: { tokenHash: string; nodeId: string; secretHash: string; at: string }): boolean => {
      if (use.run(p.at, p.tokenHash).changes !== 1) return false
      if (enrolled.run(p).changes !== 1) throw new Error(`node ${p.nodeId} is gone or retired`)
      return true
    },
  )
  const issue = db.transaction((t: Omit<EnrollmentTokenRecord, 'usedAt' | 'revokedAt'>) => {
    revokeOpen.run(t.createdAt, t.nodeId)
    insert.run(t)
  })
  return {
    get: (tokenHash: string): EnrollmentTokenRecord | null => {
      const r = byHash.get(tokenHash)
      return r ? toRecord(r) : null
    },
    /** Stores a new token for a node, revoking the node's other unused tokens (one at a time). */
    issue(t: { tokenHash: string; nodeId: string; createdAt: string; expiresAt: string }): void {
      issue(t)
    },
    /** Revokes every unused token of a node (replaced, retired); returns how many. */
    revokeOpen: (nodeId: string, at: string): number => revokeOpen.run(at, nodeId).changes,
    /**
     * In one transaction: marks the token used and gives the node its new secret hash and
     * `enrolled_at`. False (and nothing changed) when the token was used or revoked meanwhile.
     */
    redeem(p: { tokenHash: string; nodeId: string; secretHash: string; at: string }): boolean {
      return redeem(p)
    },
  }
}

/** The enrollment tokens repository. */
export type EnrollmentsRepository = ReturnType<typeof createEnrollmentsRepository>
