import { describe, expect, it } from 'vitest'
import type { ApiToken, User } from '../api/types'
import { ACTION_CHOICES, filtersOf, json } from './audit'
import { endOfDay, tokenState } from './tokens'
import { newUserProblem, userState } from './users'

const user = (over: Partial<User>): User => ({
  id: 'u1',
  username: 'li',
  roles: ['scheduler'],
  zones: [],
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  passwordChangedAt: '2026-01-01T00:00:00Z',
  lastLoginAt: null,
  disabledAt: null,
  lockedUntil: null,
  ...over,
})

describe('admin pages: pure rules', () => {
  const now = Date.parse('2026-12-06T12:00:00Z')

  it('tells a user active, locked (only until the lock ends) or disabled', () => {
    expect(userState(user({}), now)).toBe('active')
    expect(userState(user({ lockedUntil: '2026-12-06T12:05:00Z' }), now)).toBe('locked')
    expect(userState(user({ lockedUntil: '2026-12-06T11:55:00Z' }), now)).toBe('active')
    expect(userState(user({ disabledAt: '2026-12-01T00:00:00Z' }), now)).toBe('disabled')
  })

  it('says what a new user lacks, in the order the form asks', () => {
    const ok = {
      username: 'wang.tech',
      password: 'technician-pw-2026',
      roles: ['technician' as const],
    }
    expect(newUserProblem(ok)).toBeNull()
    expect(newUserProblem({ ...ok, username: 'wang tech' })).toBe('users.badName')
    expect(newUserProblem({ ...ok, username: 'x'.repeat(65) })).toBe('users.badName')
    expect(newUserProblem({ ...ok, password: 'short' })).toBe('account.weak.short')
    expect(newUserProblem({ ...ok, password: 'wang.tech-2026-pw' })).toBe('account.weak.username')
    expect(newUserProblem({ ...ok, roles: [] })).toBe('users.needRole')
  })

  it('tells a token active, expired or revoked, and ends a picked day at its last millisecond', () => {
    const tk = { revokedAt: null, expiresAt: null } as unknown as ApiToken
    expect(tokenState(tk, now)).toBe('active')
    expect(tokenState({ ...tk, expiresAt: '2026-12-06T11:00:00Z' }, now)).toBe('expired')
    expect(tokenState({ ...tk, revokedAt: '2026-12-05T00:00:00Z' }, now)).toBe('revoked')
    const end = endOfDay('2026-12-31')
    expect(end).not.toBeNull()
    const d = new Date(end as string)
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).toEqual([
      2026, 11, 31, 23, 59,
    ])
    expect(endOfDay('2026-02-30')).toBeNull()
    expect(endOfDay('31.12.2026')).toBeNull()
  })

  it('keeps only well-formed audit filters from the address', () => {
    expect(filtersOf({ actor: ' admin ', action: 'node.*', from: '2026-12-01', to: 'x' })).toEqual({
      actor: 'admin',
      action: 'node.*',
      from: '2026-12-01',
      to: '',
    })
    expect(filtersOf({ actor: ['a', 'b'] })).toEqual({ actor: '', action: '', from: '', to: '' })
    expect(ACTION_CHOICES).toContain('node.*')
    expect(ACTION_CHOICES).toContain('auth.login.failed')
    expect(json(null)).toBeNull()
    expect(json({ a: 1 })).toBe('{\n  "a": 1\n}')
  })
})
