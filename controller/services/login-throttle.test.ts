import { describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database.js'
import { createRepositories } from '../db/repositories/index.js'
import { createLoginThrottle, THROTTLE_FORGET_MS, THROTTLE_MAX_LOCK_MS } from './login-throttle.js'

function setup(maxFailures = 3, lockoutMs = 10_000) {
  let now = Date.parse('2026-11-27T08:00:00Z')
  const repos = createRepositories(openDatabase(':memory:'))
  const throttle = createLoginThrottle({ repos, clock: { now: () => now }, maxFailures, lockoutMs })
  return { throttle, advance: (ms: number) => (now += ms), now: () => now }
}

describe('login throttle', () => {
  it('locks a username at the limit, doubling the lock with every further failure', () => {
    const t = setup()
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBeNull()
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBeNull()
    const first = t.throttle.count('li', '10.0.0.1')
    expect(first).toEqual({ lockedUntil: t.now() + 10_000, key: 'user:li' })
    expect(t.throttle.lockedUntil('LI', null)).toBe(t.now() + 10_000)
    t.advance(10_000)
    expect(t.throttle.lockedUntil('li', null)).toBeNull()
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBe(t.now() + 20_000)
    t.advance(20_000)
    expect(t.throttle.count('li', '10.0.0.1').lockedUntil).toBe(t.now() + 40_000)
  })

  it('caps a lock at an hour and forgets failures after a quiet day', () => {
    const t = setup(1, 600_000)
    for (let i = 0; i < 10; i++) t.throttle.count('wang', null)
    expect(t.throttle.lockedUntil('wang', null)).toBe(t.now() + THROTTLE_MAX_LOCK_MS)
    t.advance(THROTTLE_FORGET_MS)
    expect(t.throttle.count('wang', null).lockedUntil).toBe(t.now() + 600_000)
  })

  it('locks an address only after four times as many failures, and clears on success', () => {
    const t = setup(2)
    for (let i = 0; i < 7; i++) t.throttle.count(`user${i}`, '10.0.0.9')
    expect(t.throttle.lockedUntil('someone', '10.0.0.9')).toBeNull()
    expect(t.throttle.count('user7', '10.0.0.9').key).toBe('ip:10.0.0.9')
    expect(t.throttle.lockedUntil('someone', '10.0.0.9')).not.toBeNull()
    expect(t.throttle.lockedUntil('someone', '10.0.0.10')).toBeNull()
    t.throttle.clear('someone', '10.0.0.9')
    expect(t.throttle.lockedUntil('someone', '10.0.0.9')).toBeNull()
  })
})
