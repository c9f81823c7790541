import { describe, expect, it } from 'vitest'
import { afterLogin, decide, mayOpen, passwordProblem, waitParts } from './access'

const home = (roles: readonly string[]) => (roles.includes('technician') ? '/nodes' : '/account')

describe('access: the route guard', () => {
  it('sends a visitor without a session to the login, keeping where they were going', () => {
    expect(decide({ roles: [] }, '/users?x=1', null, home)).toEqual({
      kind: 'login',
      redirect: '/users?x=1',
    })
    expect(decide({ roles: 'any' }, '/account', null, home)).toEqual({
      kind: 'login',
      redirect: '/account',
    })
    expect(decide({ public: true }, '/login', null, home, true)).toEqual({ kind: 'open' })
  })

  it('refuses a page the roles do not admit, and admits admin everywhere', () => {
    const tech = { roles: ['technician'] as const }
    expect(decide({ roles: [] }, '/users', tech, home)).toEqual({
      kind: 'forbidden',
      from: '/users',
    })
    expect(decide({ roles: ['scheduler'] }, '/audio', tech, home).kind).toBe('forbidden')
    expect(decide({ roles: ['technician'] }, '/alerts', tech, home)).toEqual({ kind: 'open' })
    expect(decide({ roles: [] }, '/audit', { roles: ['admin'] }, home)).toEqual({ kind: 'open' })
    // A page without declared roles is admin-only (fail closed).
    expect(decide({}, '/x', tech, home).kind).toBe('forbidden')
  })

  it('sends a logged-in user away from the login page to their home', () => {
    expect(decide({ public: true }, '/login', { roles: ['technician'] }, home, true)).toEqual({
      kind: 'home',
      to: '/nodes',
    })
  })

  it('returns after the login only to one of our own pages', () => {
    expect(afterLogin('/users', '/nodes')).toBe('/users')
    expect(afterLogin(undefined, '/nodes')).toBe('/nodes')
    expect(afterLogin(['/users'], '/nodes')).toBe('/nodes')
    expect(afterLogin('//evil.example/x', '/nodes')).toBe('/nodes')
    expect(afterLogin('https://evil.example/', '/nodes')).toBe('/nodes')
    expect(afterLogin('/login', '/nodes')).toBe('/nodes')
  })

  it('knows admin holds every role', () => {
    expect(mayOpen(['scheduler'], ['admin'])).toBe(true)
    expect(mayOpen(['scheduler'], ['installer'])).toBe(false)
    expect(mayOpen('any', [])).toBe(true)
  })

  it('words a lockout and checks a new password like the server', () => {
    expect(waitParts(125.2)).toEqual({ min: 2, sec: 6 })
    expect(passwordProblem('short', 'li')).toBe('short')
    expect(passwordProblem('li-password-2026', 'li')).toBe('username')
    expect(passwordProblem('a-good-password', 'zhao')).toBeNull()
  })
})
