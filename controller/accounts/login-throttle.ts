import { createHash } from 'node:crypto'
import type { Clock } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'

/** Failures are forgotten after this long without another one. */
export const THROTTLE_FORGET_MS = 24 * 3_600_000

/** The longest a lock lasts, however many failures. */
export const THROTTLE_MAX_LOCK_MS = 3_600_000

/**
 * The longest a username's slow-down lasts: anyone may trigger it from anywhere, so it must never
 * amount to a lockout.
 */
export const SLOWDOWN_MAX_MS = 60_000

/** A successful login makes its address trusted for that user for this long. */
export const TRUST_MS = 30 * 24 * 3_600_000

/** An address may fail this many times more often than one username before it is locked. */
export const IP_FACTOR = 4

/**
 * How a username appears in throttle keys, and in the audit log when no such user exists: a
 * truncated SHA-256 of its lower-case form, so a password typed into the username field is not
 * kept in clear.
 */
export function usernameKey(username: string): string {
  return createHash('sha256').update(username.toLowerCase()).digest('hex').slice(0, 16)
}

/** The outcome of counting a failed attempt. */
export interface Counted {
  /** When the lock that this failure started ends (ms), or null when it started none. */
  lockedUntil: number | null
  /** Which key it locked (`pair:…`, `user:…` or `ip:<address>`). */
  key: string | null
}

interface Rule {
  key: string
  limit: number
  maxMs: number
}

/**
 * Login backoff, so that guessing is slow and nobody can lock the real user out:
 * - per (username, address): after `maxFailures` failures that address may not try that user for
 *   `lockoutMs`, doubling with every further failure up to an hour;
 * - per address: the same after four times as many failures (a whole office may share one
 *   address behind NAT), against one address trying many usernames;
 * - per username, from every address: only a slow-down, doubling from `lockoutMs` up to a minute,
 *   against many addresses guessing one password.
 * An address the user logged in from successfully within {@link TRUST_MS} is exempt from the
 * username's slow-down and the address lock, and its own (username, address) lock is capped like
 * a slow-down: it is never locked out. Counters live in SQLite, so a restart does not reset them.
 * A failure is counted *before* the password is checked, so parallel guesses cannot slip past the
 * limit while scrypt runs. A success clears that user's counters, never its address's (an
 * attacker spraying one password over many usernames would otherwise reset their own count with
 * every hit).
 */
export function createLoginThrottle(deps: {
  repos: Pick<SharedRepositories, 'sessions'>
  clock: Clock
  maxFailures: number
  lockoutMs: number
}) {
  const { repos, clock } = deps
  const trusted = (user: string, ip: string | null): boolean => {
    if (!ip) return false
    const since = repos.sessions.trustedSince(user, ip)
    return since !== null && clock.now() - Date.parse(since) < TRUST_MS
  }

  function rulesOf(username: string, ip: string | null): Rule[] {
    const user = usernameKey(username)
    const known = trusted(user, ip)
    const rules: Rule[] = []
    if (ip) {
      rules.push({
        key: `pair:${user}@${ip}`,
        limit: deps.maxFailures,
        maxMs: known ? SLOWDOWN_MAX_MS : THROTTLE_MAX_LOCK_MS,
      })
    }
    if (!known) {
      rules.push({ key: `user:${user}`, limit: deps.maxFailures, maxMs: SLOWDOWN_MAX_MS })
      if (ip) {
        rules.push({
          key: `ip:${ip}`,
          limit: deps.maxFailures * IP_FACTOR,
          maxMs: THROTTLE_MAX_LOCK_MS,
        })
      }
    }
    return rules
  }

  /** The end (ms) of a lock, cut to what its rule allows now (a trusted address's cap). */
  function lockEnd(rule: Rule): number {
    const t = repos.sessions.throttle(rule.key)
    if (!t?.lockedUntil) return 0
    return Math.min(Date.parse(t.lockedUntil), Date.parse(t.lastFailureAt) + rule.maxMs)
  }

  /** When the lock on this attempt ends (ms), or null when none applies. */
  function lockedUntil(username: string, ip: string | null): number | null {
    const now = clock.now()
    let until: number | null = null
    for (const rule of rulesOf(username, ip)) {
      const end = lockEnd(rule)
      if (end > now && (until === null || end > until)) until = end
    }
    return until
  }

  /** Counts an attempt as failed (before checking it); returns the lock it started, if any. */
  function count(username: string, ip: string | null): Counted {
    const now = clock.now()
    const at = new Date(now).toISOString()
    let started: Counted = { lockedUntil: null, key: null }
    for (const { key, limit, maxMs } of rulesOf(username, ip)) {
      const t = repos.sessions.throttle(key)
      const fresh = t && now - Date.parse(t.lastFailureAt) < THROTTLE_FORGET_MS
      const failures = (fresh ? t.failures : 0) + 1
      let lockedUntil = fresh ? t.lockedUntil : null
      if (failures >= limit) {
        const ms = Math.min(deps.lockoutMs * 2 ** (failures - limit), maxMs)
        lockedUntil = new Date(now + ms).toISOString()
        if (started.lockedUntil === null || now + ms > started.lockedUntil) {
          started = { lockedUntil: now + ms, key }
        }
      }
      repos.sessions.setThrottle({ key, failures, lastFailureAt: at, lockedUntil })
    }
    return started
  }

  /**
   * A successful login (or password check): clears the user's own counters and trusts the
   * address for that user. The address's counter keeps its earlier failures; only this attempt,
   * counted before the check, is taken back.
   */
  function succeeded(username: string, ip: string | null): void {
    const user = usernameKey(username)
    repos.sessions.clearThrottle(`user:${user}`)
    if (!ip) return
    repos.sessions.clearThrottle(`pair:${user}@${ip}`)
    repos.sessions.trust(user, ip, new Date(clock.now()).toISOString())
    const key = `ip:${ip}`
    const t = repos.sessions.throttle(key)
    if (t && t.failures > 0) {
      const failures = t.failures - 1
      // A lock on the address can only have been started by this very attempt's count: an
      // address already locked is refused before anything is counted.
      const lockedUntil = failures < deps.maxFailures * IP_FACTOR ? null : t.lockedUntil
      repos.sessions.setThrottle({ ...t, failures, lockedUntil })
    }
  }

  /** An admin's unlock (or password reset): clears the user's counters from every address. */
  function unlockUser(username: string): void {
    const user = usernameKey(username)
    repos.sessions.clearThrottle(`user:${user}`)
    repos.sessions.clearThrottlePrefix(`pair:${user}@`)
  }

  /** When a username's slow-down ends (ISO), or null: for the admin's user list. */
  function userLockedUntil(username: string): string | null {
    const end = lockEnd({ key: `user:${usernameKey(username)}`, limit: 0, maxMs: SLOWDOWN_MAX_MS })
    return end > clock.now() ? new Date(end).toISOString() : null
  }

  return { lockedUntil, count, succeeded, unlockUser, userLockedUntil }
}

/** The login throttle. */
export type LoginThrottle = ReturnType<typeof createLoginThrottle>
