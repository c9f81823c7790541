import type { Db } from '../../platform/index.js'

/** A user account as stored (the password hash never leaves the accounts service). */
export interface UserRecord {
  id: string
  username: string
  passwordHash: string
  roles: string[]
  zones: string[]
  createdAt: string
  updatedAt: string
  passwordChangedAt: string
  lastLoginAt: string | null
  disabledAt: string | null
}

interface UserRow {
  id: string
  username: string
  password_hash: string
  roles: string
  zones: string
  created_at: string
  updated_at: string
  password_changed_at: string
  last_login_at: string | null
  disabled_at: string | null
}

const COLUMNS = `id, username, password_hash, roles, zones, created_at, updated_at,
  password_changed_at, last_login_at, disabled_at`

const list = (json: string): string[] => {
  const v: unknown = JSON.parse(json)
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.password_hash,
  roles: list(r.roles),
  zones: list(r.zones),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  passwordChangedAt: r.password_changed_at,
  lastLoginAt: r.last_login_at,
  disabledAt: r.disabled_at,
})

/** User accounts. */
export function createUsersRepository(db: Db) {
  const all = db.prepare<[], UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY username`)
  const byId = db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`)
  const byName = db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = ?`)
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users')
  const insert = db.prepare(`INSERT INTO users (id, username, password_hash, roles, zones,
    created_at, updated_at, password_changed_at) VALUES (@id, @username, @passwordHash, @roles,
    @zones, @at, @at, @at)`)
  const update = db.prepare(`UPDATE users SET roles = @roles, zones = @zones,
    disabled_at = @disabledAt, updated_at = @at WHERE id = @id`)
  const setPassword = db.prepare(`UPDATE users SET password_hash = @hash,
    password_changed_at = @at, updated_at = @at WHERE id = @id`)
  const loggedIn = db.prepare('UPDATE users SET last_login_at = ? WHERE id = ?')
  const remove = db.prepare('DELETE FROM users WHERE id = ?')
  return {
    list: (): UserRecord[] => all.all().map(toUser),
    get: (id: string): UserRecord | null => {
      const r = byId.get(id)
      return r ? toUser(r) : null
    },
    /** By username, case-insensitively. */
    byUsername: (username: string): UserRecord | null => {
      const r = byName.get(username)
      return r ? toUser(r) : null
    },
    count: (): number => count.get()?.n ?? 0,
    insert(u: {
      id: string
      username: string
      passwordHash: string
      roles: string[]
      zones: string[]
      at: string
    }): void {
      insert.run({ ...u, roles: JSON.stringify(u.roles), zones: JSON.stringify(u.zones) })
    },
    update(u: {
      id: string
      roles: string[]
      zones: string[]
      disabledAt: string | null
      at: string
    }): void {
      update.run({ ...u, roles: JSON.stringify(u.roles), zones: JSON.stringify(u.zones) })
    },
    setPassword: (id: string, hash: string, at: string): void => {
      setPassword.run({ id, hash, at })
    },
    markLogin: (id: string, at: string): void => {
      loggedIn.run(at, id)
    },
    /** Deletes a user with their sessions and tokens (the audit log keeps their name). */
    remove: (id: string): boolean => remove.run(id).changes === 1,
  }
}

/** The users repository. */
export type UsersRepository = ReturnType<typeof createUsersRepository>
