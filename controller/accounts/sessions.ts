import { createHash, createHmac, randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { ChorusError } from '../errors.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { Accounts } from './accounts.js'
import type { Audit, AuditActor } from './audit.js'
import { type LoginThrottle, usernameKey } from './login-throttle.js'
import { decoyHash, verifyPassword } from './passwords.js'
import type { UserPrincipal } from './roles.js'

/** `last_seen_at` is written at most this often per session. */
export const SESSION_TOUCH_MS = 60_000

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/**
 * The CSRF token of a session: an HMAC of the session id, so nothing more is stored, it cannot
 * be computed without the (HttpOnly) session cookie, and it does not reveal the session id.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('chorus-csrf-v1').digest('base64url')
}

/** A new session: its id goes into the cookie and nowhere else. */
export interface NewSession {
  sessionId: string
  expiresAt: string
  principal: UserPrincipal
}

/**
 * Browser sessions: login with password (through the throttle), look-up by cookie with an
 * absolute expiry and an idle timeout, logout. Only the SHA-256 of a session id is stored.
 */
export function createSessions(deps: {
  repos: Pick<SharedRepositories, 'sessions' | 'users'>
  clock: Clock
  log: Logger
  audit: Audit
  accounts: Accounts
  throttle: LoginThrottle
  ttlMs: number
  idleMs: number
  bus: EventBus
}) {
  const { repos, clock, audit, accounts, throttle } = deps
  const log = deps.log.child({ module: 'sessions' })
  let decoy: Promise<string> | null = null

  function principalFor(userId: string, sessionId: string): UserPrincipal | null {
    const user = accounts.record(userId)
    if (!user || user.disabledAt) return null
    return {
      kind: 'user',
      via: 'session',
      userId: user.id,
      username: user.username,
      roles: accounts.rolesOf(user),
      zones: user.zones,
      sessionHash: sha256(sessionId),
      csrfToken: csrfTokenFor(sessionId),
    }
  }

  /**
   * Checks a password and opens a session. Refuses while the username or the address is locked
   * (LOGIN_LOCKED, with `retryAfterSec`), and answers LOGIN_FAILED alike for an unknown user, a
   * wrong password and a disabled account, after the same scrypt work.
   */
  async function login(
    by: AuditActor,
    username: string,
    password: string,
    userAgent: string | null,
  ): Promise<NewSession> {
    const now = clock.now()
    const user = accounts.byUsername(username)
    // An unknown username may be a password typed into the wrong field: never kept in clear.
    const shown = user ? user.username : `unknown:${usernameKey(username)}`
    const locked = throttle.lockedUntil(username, by.ip)
    if (locked !== null) {
      const retryAfterSec = Math.max(1, Math.ceil((locked - now) / 1000))
      log.warn({ username: shown, ip: by.ip }, 'login refused while locked')
      throw new ChorusError(
        'LOGIN_LOCKED',
        `too many failed logins for this user or address; try again in ${retryAfterSec} s`,
        { details: { retryAfterSec } },
      )
    }
    const counted = throttle.count(username, by.ip)
    decoy ??= decoyHash()
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy))
    if (!user || !ok || user.disabledAt) {
      audit.record({ by, action: 'auth.login.failed', target: shown })
      if (counted.lockedUntil !== null) {
        const lockSec = Math.ceil((counted.lockedUntil - clock.now()) / 1000)
        audit.record({
          by,
          action: 'auth.lockout',
          target: counted.key?.startsWith('ip:') ? counted.key : shown,
          details: { lockSec, until: new Date(counted.lockedUntil).toISOString() },
        })
      }
      throw new ChorusError('LOGIN_FAILED', 'wrong username or password')
    }
    throttle.succeeded(username, by.ip)
    const sessionId = randomBytes(32).toString('base64url')
    const at = new Date(clock.now())
    const expiresAt = new Date(at.getTime() + deps.ttlMs).toISOString()
    repos.sessions.purge(at.toISOString(), new Date(at.getTime() - deps.idleMs).toISOString())
    repos.sessions.insert({
      idHash: sha256(sessionId),
      userId: user.id,
      at: at.toISOString(),
      expiresAt,
      ip: by.ip,
      userAgent: userAgent?.slice(0, 200) ?? null,
    })
    repos.users.markLogin(user.id, at.toISOString())
    audit.record({ by: { ...by, actor: user.username }, action: 'auth.login', target: username })
    const principal = principalFor(user.id, sessionId)
    if (!principal) throw new ChorusError('LOGIN_FAILED', 'wrong username or password')
    return { sessionId, expiresAt, principal }
  }

  /**
   * The principal of a live session, or null (unknown, expired, idle too long, user gone).
   * `touch: false` checks without counting as activity (an open live stream re-checking).
   */
  function authenticate(sessionId: string, opts: { touch?: boolean } = {}): UserPrincipal | null {
    const hash = sha256(sessionId)
    const s = repos.sessions.get(hash)
    if (!s) return null
    const now = clock.now()
    const lastSeen = Date.parse(s.lastSeenAt)
    if (Date.parse(s.expiresAt) <= now || now - lastSeen >= deps.idleMs) {
      repos.sessions.remove(hash)
      return null
    }
    const principal = principalFor(s.userId, sessionId)
    if (!principal) return null
    if (opts.touch !== false && now - lastSeen >= Math.min(SESSION_TOUCH_MS, deps.idleMs / 4)) {
      repos.sessions.touch(hash, new Date(now).toISOString())
    }
    return principal
  }

  /** Ends a session (logout). */
  function logout(by: AuditActor, principal: UserPrincipal): void {
    if (principal.sessionHash) repos.sessions.remove(principal.sessionHash)
    audit.record({ by, action: 'auth.logout', target: principal.username })
    deps.bus.emit('accessChanged', { userId: principal.userId })
  }

  return { login, authenticate, logout }
}

/** The sessions service. */
export type Sessions = ReturnType<typeof createSessions>
