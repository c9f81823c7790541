import { describe, expect, it } from 'vitest'
import { openDatabase } from '../platform/database.js'
import { clockWithNow } from '../platform/time.js'
import { createRepositories } from '../repositories.js'
import {
  createLoginThrottle,
  SLOWDOWN_MAX_MS,
  THROTTLE_FORGET_MS,
  THROTTLE_MAX_LOCK_MS,
  TRUST_MS,
  usernameKey,
} from './login-throttle.js'

function setup(maxFailures = 3, lockoutMs = 10_000) {
  let now = Date.parse('2026-11-27T08:00:00Z')
  const db = openDatabase(':memory:')
  const repos = createRepositories(db)
  const throttle = createLoginThrottle({
    repos,
    clock: clockWithNow(() => now),
    maxFailures,
    lockoutMs,
  })
  return { throttle, db, advance: (ms: number) => (now += ms), now: () => now }
}

describe('login throttle', () => {
  it('locks a (username, address) pair at the limit, doubling with every further failure', () => {
    const t = setup()
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBeNull()
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBeNull()
    const first = t.throttle.count('li', '10.0.0.1')
    expect(first.lockedUntil).toBe(t.now() + 10_000)
    expect(t.throttle.lockedUntil('LI', '10.0.0.1')).toBe(t.now() + 10_000)
    t.advance(10_000)
    expect(t.throttle.lockedUntil('li', '10.0.0.1')).toBeNull()
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBe(t.now() + 20_000)
    t.advance(20_000)
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBe(t.now() + 40_000)
  })

  it('only slows a username down elsewhere: never longer than a minute, however many failures', () => {
    const t = setup(3, 10_000)
    for (let i = 0; i < 20; i++) t.throttle.count('admin', `203.0.113.${i}`)
    const elsewhere = t.throttle.lockedUntil('admin', '198.51.100.7')
    expect(elsewhere).not.toBeNull()
    expect(elsewhere! - t.now()).toBeLessThanOrEqual(SLOWDOWN_MAX_MS)
    t.advance(SLOWDOWN_MAX_MS)
    expect(t.throttle.lockedUntil('admin', '198.51.100.7')).toBeNull()
  })

  it('never locks out an address the user recently logged in from', () => {
    const t = setup(3, 10_000)
    t.throttle.succeeded('admin', '10.1.1.1')
    for (let i = 0; i < 50; i++) t.throttle.count('admin', '203.0.113.9')
    expect(t.throttle.lockedUntil('admin', '203.0.113.9')).toBe(t.now() + THROTTLE_MAX_LOCK_MS)
    expect(t.throttle.lockedUntil('admin', '10.1.1.1')).toBeNull()
    // Failures from the trusted address itself slow it down at most a minute.
    for (let i = 0; i < 50; i++) t.throttle.count('admin', '10.1.1.1')
    expect(t.throttle.lockedUntil('admin', '10.1.1.1')! - t.now()).toBeLessThanOrEqual(
      SLOWDOWN_MAX_MS,
    )
    // Trust lapses after TRUST_MS without a successful login.
    t.advance(TRUST_MS)
    for (let i = 0; i < 3; i++) t.throttle.count('admin', '10.1.1.1')
    expect(t.throttle.lockedUntil('admin', '10.1.1.1')).toBe(t.now() + 10_000)
  })

  it('locks an address after four times as many failures, and a success does not clear it', () => {
    const t = setup(2)
    for (let i = 0; i < 7; i++) t.throttle.count(`user${i}`, '10.0.0.9')
    expect(t.throttle.lockedUntil('someone', '10.0.0.9')).toBeNull()
    // Password spraying: one hit (counted before the check, as every attempt is) must not reset
    // the address's count.
    t.throttle.count('user3', '10.0.0.9')
    t.throttle.succeeded('user3', '10.0.0.9')
    expect(t.throttle.count('user7', '10.0.0.9').key).toBe('ip:10.0.0.9')
    expect(t.throttle.lockedUntil('someone', '10.0.0.9')).not.toBeNull()
    expect(t.throttle.lockedUntil('someone', '10.0.0.10')).toBeNull()
  })

  it('caps a lock at an hour, forgets failures after a quiet day, and unlocks on request', () => {
    const t = setup(1, 600_000)
    for (let i = 0; i < 10; i++) t.throttle.count('wang', '10.0.0.3')
    expect(t.throttle.lockedUntil('wang', '10.0.0.3')).toBe(t.now() + THROTTLE_MAX_LOCK_MS)
    t.advance(THROTTLE_FORGET_MS)
    expect(t.throttle.count('wang', '10.0.0.3').lockedUntil).toBe(t.now() + 600_000)
    t.throttle.unlockUser('WANG')
    expect(t.throttle.lockedUntil('wang', '10.0.0.3')).toBeNull()
  })

  it('keeps no username in clear', () => {
    const t = setup()
    t.throttle.count('hunter2-Secret!', '10.0.0.4')
    const keys = t.db.prepare('SELECT key FROM login_throttle').all() as { key: string }[]
    expect(keys.length).toBeGreaterThan(0)
    for (const { key } of keys) expect(key).not.toMatch(/hunter2/i)
    expect(keys.map((k) => k.key)).toContain(`user:${usernameKey('hunter2-secret!')}`)
  })
})
