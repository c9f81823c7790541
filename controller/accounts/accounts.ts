import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { USERNAME_PATTERN } from '../../contract/index.js'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import { type Audit, type AuditActor, SYSTEM_ACTOR } from './audit.js'
import type { LoginThrottle } from './login-throttle.js'
import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import type { UserRecord } from './repositories/users-repository.js'
import { isRole, type Role, zoneInScope } from './roles.js'

/** The account created on first start. */
export const ADMIN_USERNAME = 'admin'

/** Usernames: letters, digits and `._@-`, 1–64 characters (defined by the HTTP contract). */
export { USERNAME_PATTERN }

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string
  username: string
  roles: Role[]
  zones: string[]
  createdAt: string
  updatedAt: string
  passwordChangedAt: string
  lastLoginAt: string | null
  disabledAt: string | null
  /** When a lockout after failed logins ends, while one is in force. */
  lockedUntil: string | null
}

/** What an admin may change about a user. */
export interface UserPatch {
  roles?: Role[]
  zones?: string[]
  password?: string
  disabled?: boolean
  /** Clears a lockout after failed logins. */
  unlock?: boolean
}

/**
 * User accounts: create, edit, disable, delete, set passwords, and the first start's admin.
 * At least one active admin always remains. Every change is audited by the caller's actor.
 */
export function createAccounts(deps: {
  repos: Pick<SharedRepositories, 'sessions' | 'tokens' | 'users' | 'zones'>
  clock: Clock
  log: Logger
  audit: Audit
  throttle: LoginThrottle
  zoneLineage: (zoneId: string) => string[]
  bus: EventBus
}) {
  const { repos, clock, audit } = deps
  const log = deps.log.child({ module: 'accounts' })
  const nowIso = () => new Date(clock.now()).toISOString()

  const rolesOf = (u: UserRecord): Role[] => u.roles.filter(isRole)
  const view = (u: UserRecord): UserView => ({
    id: u.id,
    username: u.username,
    roles: rolesOf(u),
    zones: u.zones,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    passwordChangedAt: u.passwordChangedAt,
    lastLoginAt: u.lastLoginAt,
    disabledAt: u.disabledAt,
    lockedUntil: deps.throttle.userLockedUntil(u.username),
  })

  function getRecord(id: string): UserRecord {
    const u = repos.users.get(id)
    if (!u) throw new ChorusError('USER_NOT_FOUND', `no user ${id}`)
    return u
  }

  /** Zone ids or codes → zone ids (a scope is stored by id). */
  function checkZones(zones: readonly string[]): string[] {
    const unknown = zones.filter((z) => !repos.zones.resolve(z))
    if (unknown.length > 0) {
      throw new ChorusError('USER_INVALID', `unknown zones: ${unknown.join(', ')}`)
    }
    return [...new Set(zones.map((z) => repos.zones.resolve(z)?.id as string))]
  }

  function checkPassword(password: string, username: string): void {
    const problem = passwordProblem(password, username)
    if (problem) throw new ChorusError('PASSWORD_WEAK', problem)
  }

  const activeAdmins = () =>
    repos.users.list().filter((u) => !u.disabledAt && u.roles.includes('admin'))

  /** Refuses a change that would leave no active admin. */
  function keepAnAdmin(id: string, stillAdmin: boolean): void {
    if (stillAdmin) return
    const others = activeAdmins().filter((u) => u.id !== id)
    if (others.length === 0) {
      throw new ChorusError('LAST_ADMIN', 'at least one active admin must remain')
    }
  }

  async function create(
    by: AuditActor,
    input: { username: string; password: string; roles: Role[]; zones?: string[] },
  ): Promise<UserView> {
    if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
      throw new ChorusError('USER_INVALID', 'a username has 1–64 letters, digits or ._@-')
    }
    if (repos.users.byUsername(input.username)) {
      throw new ChorusError('USER_EXISTS', `a user named ${input.username} exists`)
    }
    checkPassword(input.password, input.username)
    const zones = checkZones(input.zones ?? [])
    const roles = [...new Set(input.roles)]
    const id = `u-${randomBytes(5).toString('hex')}`
    repos.users.insert({
      id,
      username: input.username,
      passwordHash: await hashPassword(input.password),
      roles,
      zones,
      at: nowIso(),
    })
    const created = view(getRecord(id))
    audit.record({ by, action: 'user.create', target: input.username, after: created })
    return created
  }

  async function update(by: AuditActor, id: string, patch: UserPatch): Promise<UserView> {
    const user = getRecord(id)
    const before = view(user)
    const roles = patch.roles ? [...new Set(patch.roles)] : rolesOf(user)
    const disabledAt =
      patch.disabled === undefined ? user.disabledAt : patch.disabled ? nowIso() : null
    keepAnAdmin(id, roles.includes('admin') && !disabledAt)
    const zones = patch.zones ? checkZones(patch.zones) : user.zones
    if (patch.password !== undefined) checkPassword(patch.password, user.username)
    const hash = patch.password === undefined ? null : await hashPassword(patch.password)
    const at = nowIso()
    repos.users.update({ id, roles, zones, disabledAt, at })
    if (hash) repos.users.setPassword(id, hash, at)
    // A new password or a disabled account ends every session at once; disabling also revokes
    // the user's API tokens, so re-enabling the account does not bring them back.
    if (hash || (disabledAt && !user.disabledAt)) repos.sessions.removeForUser(id)
    const revokedTokens = disabledAt && !user.disabledAt ? repos.tokens.revokeForUser(id, at) : 0
    if (hash || patch.unlock) deps.throttle.unlockUser(user.username)
    const after = view(getRecord(id))
    audit.record({
      by,
      action: 'user.update',
      target: user.username,
      before,
      after,
      ...(hash || revokedTokens
        ? {
            details: {
              ...(hash ? { passwordReset: true } : {}),
              ...(revokedTokens ? { tokensRevoked: revokedTokens } : {}),
            },
          }
        : {}),
    })
    deps.bus.emit('accessChanged', { userId: id })
    return after
  }

  function remove(by: AuditActor, id: string): void {
    const user = getRecord(id)
    keepAnAdmin(id, false)
    const before = view(user)
    repos.users.remove(id)
    audit.record({ by, action: 'user.delete', target: user.username, before })
    deps.bus.emit('accessChanged', { userId: id })
  }

  /**
   * A user's own password change: the current password must match (a wrong one counts towards
   * the login lockout), and the user's other sessions end.
   */
  async function changePassword(
    by: AuditActor,
    userId: string,
    current: string,
    next: string,
    keepSession: string | null,
  ): Promise<void> {
    const user = getRecord(userId)
    const locked = deps.throttle.lockedUntil(user.username, by.ip)
    if (locked !== null) {
      const sec = Math.ceil((locked - clock.now()) / 1000)
      throw new ChorusError('LOGIN_LOCKED', `too many failed attempts; try again in ${sec} s`, {
        details: { retryAfterSec: sec },
      })
    }
    deps.throttle.count(user.username, by.ip)
    if (!(await verifyPassword(current, user.passwordHash))) {
      audit.record({ by, action: 'user.password.failed', target: user.username })
      throw new ChorusError('LOGIN_FAILED', 'the current password is wrong')
    }
    deps.throttle.succeeded(user.username, by.ip)
    checkPassword(next, user.username)
    repos.users.setPassword(userId, await hashPassword(next), nowIso())
    const ended = keepSession
      ? repos.sessions.removeOthers(userId, keepSession)
      : repos.sessions.removeForUser(userId)
    audit.record({ by, action: 'user.password', target: user.username, details: { ended } })
    deps.bus.emit('accessChanged', { userId })
  }

  /**
   * First start: when there is no user yet, creates `admin` with `password`, or with a generated
   * one that is returned (to be printed once) and never stored in clear.
   */
  async function ensureAdmin(password: string): Promise<{ generatedPassword: string | null }> {
    if (repos.users.count() > 0) return { generatedPassword: null }
    const generated = password === '' ? generatePassword() : null
    const chosen = generated ?? password
    const problem = passwordProblem(chosen, ADMIN_USERNAME)
    if (problem) throw new ChorusError('PASSWORD_WEAK', `CHORUS_ADMIN_PASSWORD: ${problem}`)
    await create(SYSTEM_ACTOR, { username: ADMIN_USERNAME, password: chosen, roles: ['admin'] })
    log.info({ username: ADMIN_USERNAME, generated: generated !== null }, 'admin account created')
    return { generatedPassword: generated }
  }

  /** Whether `zoneId` lies within a scope (empty scope: everywhere). */
  const inScope = (scope: readonly string[], zoneId: string) =>
    zoneInScope(scope, deps.zoneLineage(zoneId))

  return {
    create,
    update,
    remove,
    changePassword,
    ensureAdmin,
    inScope,
    list: (): UserView[] => repos.users.list().map(view),
    get: (id: string): UserView => view(getRecord(id)),
    byUsername: (username: string): UserRecord | null => repos.users.byUsername(username),
    record: (id: string): UserRecord | null => repos.users.get(id),
    rolesOf,
  }
}

/** The accounts service. */
export type Accounts = ReturnType<typeof createAccounts>
