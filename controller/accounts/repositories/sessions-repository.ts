import type { Db } from '../../platform/index.js'

/** A browser session as stored: only the SHA-256 of its id. */
export interface SessionRecord {
  idHash: string
  userId: string
  createdAt: string
  lastSeenAt: string
  expiresAt: string
}

interface SessionRow {
  id_hash: string
  user_id: string
  created_at: string
  last_seen_at: string
  expires_at: string
}

const toSession = (r: SessionRow): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
})

/** Failed-login counters per key (`user:<name>`, `ip:<address>`). */
export interface ThrottleRecord {
  key: string
  failures: number
  lastFailureAt: string
  lockedUntil: string | null
}

/** Browser sessions and the login throttle. */
export function createSessionsRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at,
    expires_at, ip, user_agent) VALUES (@idHash, @userId, @at, @at, @expiresAt, @ip, @userAgent)`)
  const byHash = db.prepare<[string], SessionRow>(
    'SELECT id_hash, user_id, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?',
  )
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?')
  const remove = db.prepare('DELETE FROM sessions WHERE id_hash = ?')
  const removeUser = db.prepare('DELETE FROM sessions WHERE user_id = ?')
  const removeOthers = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?')
  const purge = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?')
  const throttleGet = db.prepare<
    [string],
    {
      key: string
      failures: number
      last_failure_at: string
      locked_until: string | null
    }
  >('SELECT key, failures, last_failure_at, locked_until FROM login_throttle WHERE key = ?')
  const throttlePut = db.prepare(`INSERT INTO login_throttle (key, failures, last_failure_at,
    locked_until) VALUES (@key, @failures, @lastFailureAt, @lockedUntil)
    ON CONFLICT (key) DO UPDATE SET failures = excluded.failures,
    last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`)
  const throttleClear = db.prepare('DELETE FROM login_throttle WHERE key = ?')
  const throttleClearPrefix = db.prepare(
    'DELETE FROM login_throttle WHERE substr(key, 1, length(?)) = ?',
  )
  const trustGet = db.prepare<[string, string], { last_success_at: string }>(
    'SELECT last_success_at FROM login_trust WHERE user_key = ? AND ip = ?',
  )
  const trustPut = db.prepare(`INSERT INTO login_trust (user_key, ip, last_success_at)
    VALUES (?, ?, ?) ON CONFLICT (user_key, ip) DO UPDATE SET
    last_success_at = excluded.last_success_at`)
  return {
    insert(s: {
      idHash: string
      userId: string
      at: string
      expiresAt: string
      ip: string | null
      userAgent: string | null
    }): void {
      insert.run(s)
    },
    get: (idHash: string): SessionRecord | null => {
      const r = byHash.get(idHash)
      return r ? toSession(r) : null
    },
    touch: (idHash: string, at: string): void => {
      touch.run(at, idHash)
    },
    remove: (idHash: string): boolean => remove.run(idHash).changes === 1,
    removeForUser: (userId: string): number => removeUser.run(userId).changes,
    /** Ends every session of a user except one (after a password change). */
    removeOthers: (userId: string, keepHash: string): number =>
      removeOthers.run(userId, keepHash).changes,
    /** Deletes sessions past their expiry or idle since `idleBefore`. */
    purge: (now: string, idleBefore: string): number => purge.run(now, idleBefore).changes,
    throttle(key: string): ThrottleRecord | null {
      const r = throttleGet.get(key)
      return r
        ? {
            key: r.key,
            failures: r.failures,
            lastFailureAt: r.last_failure_at,
            lockedUntil: r.locked_until,
          }
        : null
    },
    setThrottle: (t: ThrottleRecord): void => {
      throttlePut.run(t)
    },
    clearThrottle: (key: string): void => {
      throttleClear.run(key)
    },
    /** Clears every throttle key that starts with `prefix`. */
    clearThrottlePrefix: (prefix: string): void => {
      throttleClearPrefix.run(prefix, prefix)
    },
    /** When `userKey` last logged in successfully from `ip`, or null. */
    trustedSince: (userKey: string, ip: string): string | null =>
      trustGet.get(userKey, ip)?.last_success_at ?? null,
    /** Records a successful login of `userKey` from `ip`. */
    trust: (userKey: string, ip: string, at: string): void => {
      trustPut.run(userKey, ip, at)
    },
  }
}

/** The sessions repository. */
export type SessionsRepository = ReturnType<typeof createSessionsRepository>
