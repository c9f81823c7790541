import type { Repositories } from '../db/repositories/index.js'
import type { Clock } from '../time.js'

/** Failures are forgotten after this long without another one. */
export const THROTTLE_FORGET_MS = 24 * 3_600_000

/** The longest a lock lasts, however many failures. */
export const THROTTLE_MAX_LOCK_MS = 3_600_000

/** An address may fail this many times more often than one username before it is locked. */
export const IP_FACTOR = 4

/** The outcome of counting a failed attempt. */
export interface Counted {
  /** When the lock that this failure started ends (ms), or null when it started none. */
  lockedUntil: number | null
  /** Which key it locked (`user:<name>` or `ip:<address>`). */
  key: string | null
}

/**
 * Login backoff per username and per address: after `maxFailures` failures (four times as many
 * for an address, which a whole office may share behind NAT) further attempts are refused for
 * `lockoutMs`, doubling with every further failure up to an hour. Counters live in SQLite, so a
 * restart does not reset them. A failure is counted *before* the password is checked (and
 * cleared on success), so parallel guesses cannot slip past the limit while scrypt runs.
 */
export function createLoginThrottle(deps: {
  repos: Repositories
  clock: Clock
  maxFailures: number
  lockoutMs: number
}) {
  const { repos, clock } = deps
  const keysOf = (username: string, ip: string | null) => [
    { key: `user:${username.toLowerCase()}`, limit: deps.maxFailures },
    ...(ip ? [{ key: `ip:${ip}`, limit: deps.maxFailures * IP_FACTOR }] : []),
  ]

  /** When the lock on this username or address ends (ms), or null when neither is locked. */
  function lockedUntil(username: string, ip: string | null): number | null {
    const now = clock.now()
    let until: number | null = null
    for (const { key } of keysOf(username, ip)) {
      const t = repos.sessions.throttle(key)
      const end = t?.lockedUntil ? Date.parse(t.lockedUntil) : 0
      if (end > now && (until === null || end > until)) until = end
    }
    return until
  }

  /** Counts an attempt as failed (before checking it); returns the lock it started, if any. */
  function count(username: string, ip: string | null): Counted {
    const now = clock.now()
    const at = new Date(now).toISOString()
    let started: Counted = { lockedUntil: null, key: null }
    for (const { key, limit } of keysOf(username, ip)) {
      const t = repos.sessions.throttle(key)
      const fresh = t && now - Date.parse(t.lastFailureAt) < THROTTLE_FORGET_MS
      const failures = (fresh ? t.failures : 0) + 1
      let lockedUntil = fresh ? t.lockedUntil : null
      if (failures >= limit) {
        const ms = Math.min(deps.lockoutMs * 2 ** (failures - limit), THROTTLE_MAX_LOCK_MS)
        lockedUntil = new Date(now + ms).toISOString()
        if (started.lockedUntil === null || now + ms > started.lockedUntil) {
          started = { lockedUntil: now + ms, key }
        }
      }
      repos.sessions.setThrottle({ key, failures, lastFailureAt: at, lockedUntil })
    }
    return started
  }

  /** A successful login clears both counters. */
  function clear(username: string, ip: string | null): void {
    for (const { key } of keysOf(username, ip)) repos.sessions.clearThrottle(key)
  }

  /** When a username's lock ends (ISO), or null: for the admin's user list. */
  function userLockedUntil(username: string): string | null {
    const t = repos.sessions.throttle(`user:${username.toLowerCase()}`)
    return t?.lockedUntil && Date.parse(t.lockedUntil) > clock.now() ? t.lockedUntil : null
  }

  return { lockedUntil, count, clear, userLockedUntil }
}

/** The login throttle. */
export type LoginThrottle = ReturnType<typeof createLoginThrottle>
