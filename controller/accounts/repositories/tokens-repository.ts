import type { Db } from '../../platform/index.js'

/** An API token as stored: only the SHA-256 of the token itself. */
export interface TokenRecord {
  id: string
  userId: string
  /** The owner's username. */
  username: string
  name: string
  roles: string[]
  zones: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

interface TokenRow {
  id: string
  user_id: string
  username: string
  name: string
  roles: string
  zones: string
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  revoked_at: string | null
}

const SELECT = `SELECT t.id, t.user_id, u.username, t.name, t.roles, t.zones, t.created_at,
  t.expires_at, t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id`

const list = (json: string): string[] => {
  const v: unknown = JSON.parse(json)
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

const toToken = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  username: r.username,
  name: r.name,
  roles: list(r.roles),
  zones: list(r.zones),
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
})

/** API tokens for scripts. */
export function createTokensRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO api_tokens (id, token_hash, user_id, name, roles, zones,
    created_at, expires_at) VALUES (@id, @tokenHash, @userId, @name, @roles, @zones, @createdAt,
    @expiresAt)`)
  const byHash = db.prepare<[string], TokenRow>(`${SELECT} WHERE t.token_hash = ?`)
  const byId = db.prepare<[string], TokenRow>(`${SELECT} WHERE t.id = ?`)
  const all = db.prepare<[], TokenRow>(`${SELECT} ORDER BY t.created_at DESC, t.id`)
  const ofUser = db.prepare<[string], TokenRow>(
    `${SELECT} WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id`,
  )
  const used = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
  const revoke = db.prepare(
    'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  )
  const revokeUser = db.prepare(
    'UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
  )
  return {
    insert(t: {
      id: string
      tokenHash: string
      userId: string
      name: string
      roles: string[]
      zones: string[]
      createdAt: string
      expiresAt: string | null
    }): void {
      insert.run({ ...t, roles: JSON.stringify(t.roles), zones: JSON.stringify(t.zones) })
    },
    /** Revokes every live token of a user; returns how many. */
    revokeForUser: (userId: string, at: string): number => revokeUser.run(at, userId).changes,
    byHash: (hash: string): TokenRecord | null => {
      const r = byHash.get(hash)
      return r ? toToken(r) : null
    },
    get: (id: string): TokenRecord | null => {
      const r = byId.get(id)
      return r ? toToken(r) : null
    },
    /** Every token, or one user's. */
    list: (userId?: string): TokenRecord[] =>
      (userId === undefined ? all.all() : ofUser.all(userId)).map(toToken),
    markUsed: (id: string, at: string): void => {
      used.run(at, id)
    },
    /** Revokes a token; false when it was unknown or already revoked. */
    revoke: (id: string, at: string): boolean => revoke.run(at, id).changes === 1,
  }
}

/** The tokens repository. */
export type TokensRepository = ReturnType<typeof createTokensRepository>
