import { describe, expect, it } from 'vitest'
import { ACCESS_POLICY, accessOf, MUTATING, normaliseRoute, rolesAllow } from './access-policy.js'

describe('access policy table', () => {
  it('maps HEAD to GET and ignores a trailing slash', () => {
    expect(accessOf('HEAD', '/api/health')).toBe(ACCESS_POLICY['GET /api/health'])
    expect(accessOf('GET', '/api/nodes/')).toBe(ACCESS_POLICY['GET /api/nodes'])
    expect(normaliseRoute('/')).toBe('/')
    expect(accessOf('GET', '/api/nope')).toBeUndefined()
  })

  it('lets admin through everywhere, other roles only where granted', () => {
    expect(rolesAllow([], ['admin'])).toBe(true)
    expect(rolesAllow([], ['scheduler', 'technician', 'installer'])).toBe(false)
    expect(rolesAllow(['scheduler'], ['technician'])).toBe(false)
    expect(rolesAllow(['scheduler', 'technician'], ['technician'])).toBe(true)
    expect(rolesAllow(['user'], [])).toBe(true)
    expect(rolesAllow(['node'], ['scheduler'])).toBe(false)
  })

  it('names an audit action for every mutating route and rate-limits only public ones', () => {
    for (const [key, access] of Object.entries(ACCESS_POLICY)) {
      const method = key.split(' ')[0] ?? ''
      if (MUTATING.has(method)) expect(access.audit, key).toBeTruthy()
      if (access.perMinute) expect(access.allow, key).toBe('public')
      if (access.scope) expect(access.allow, key).not.toBe('public')
    }
  })

  it('grants nodes nothing but audio files and the live streams', () => {
    const forNodes = Object.entries(ACCESS_POLICY)
      .filter(([, a]) => a.allow !== 'public' && a.allow.includes('node'))
      .map(([k]) => k)
    expect(forNodes).toEqual(['GET /api/audio/files/:sha256', 'GET /api/live/:id/stream'])
  })

  it('asks for the broker hook secret only on the two public broker routes', () => {
    const hooks = Object.entries(ACCESS_POLICY)
      .filter(([, a]) => a.hook)
      .map(([k]) => k)
    expect(hooks.sort()).toEqual(['POST /api/broker/acl', 'POST /api/broker/auth'])
    for (const k of hooks) expect(ACCESS_POLICY[k]?.allow, k).toBe('public')
  })
})
