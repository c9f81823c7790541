import { describe, expect, it } from 'vitest'
import type { Role } from '../../controller/accounts/roles.js'
import { ACCESS_POLICY, MUTATING } from '../../controller/http/access-policy.js'
import { buildHttpApp } from '../../controller/http/app.js'
import { nodeBasic, tokenHeaders } from '../helpers/auth.js'
import { startController, type TestController } from '../helpers/controller.js'

function httpApp(ctl: TestController) {
  const app = ctl.controller.http()
  if (!app) throw new Error('controller not started')
  return app
}

/** Every registered route except HEAD twins, as `METHOD /pattern`. */
function routes(ctl: TestController): { method: string; url: string; key: string }[] {
  const seen = new Set<string>()
  return httpApp(ctl)
    .accessTable.filter((r) => r.method !== 'HEAD')
    .map((r) => ({ method: r.method, url: r.url, key: `${r.method} ${r.url}` }))
    .filter((r) => !seen.has(r.key) && seen.add(r.key))
}

const ROLES: Role[] = ['admin', 'scheduler', 'technician', 'installer']
/** Routes that hold the connection open when allowed (server-sent events). */
const STREAMING = new Set(['GET /api/stream'])

describe('access policy', () => {
  it('has a rule for every registered route and a route for every rule', async () => {
    const ctl = await startController()
    const keys = routes(ctl).map((r) => r.key)
    const missing = keys.filter((k) => !(k in ACCESS_POLICY))
    expect(missing).toEqual([])
    const stale = Object.keys(ACCESS_POLICY).filter((k) => !keys.includes(k))
    expect(stale).toEqual([])
    // Every change is audited: a mutating route names its audit action.
    const unaudited = keys.filter((k) => MUTATING.has(k.split(' ')[0]!) && !ACCESS_POLICY[k]?.audit)
    expect(unaudited).toEqual([])
  })

  it('answers 403 on a route that has no rule, even for an admin', async () => {
    const ctl = await startController()
    const app = await buildHttpApp(ctl.controller.deps!)
    let ran = false
    app.get('/api/undeclared', async () => {
      ran = true
      return { secret: 'leaked' }
    })
    await app.ready()
    try {
      const res = await app.inject({ method: 'GET', url: '/api/undeclared', headers: ctl.headers })
      expect(res.statusCode).toBe(403)
      expect(res.json()).toMatchObject({ code: 'ACCESS_UNDECLARED' })
      expect(ran).toBe(false)
    } finally {
      await app.close()
    }
  })

  it('admits each role only to its routes, nodes only to audio files, nobody unauthenticated', async () => {
    const ctl = await startController()
    const node = await ctl.register('access 1')
    const who: Record<string, Record<string, string>> = { anonymous: {}, node: nodeBasic(node) }
    for (const role of ROLES) who[role] = await tokenHeaders(ctl, [role])
    const app = httpApp(ctl)
    const problems: string[] = []
    for (const r of routes(ctl)) {
      const access = ACCESS_POLICY[r.key]
      if (!access || access.allow === 'public') continue
      const url = r.url.replace(/:\w+/g, 'none-0')
      for (const [name, headers] of Object.entries(who)) {
        const allowed =
          name === 'node'
            ? access.allow.includes('node')
            : name !== 'anonymous' &&
              (name === 'admin' ||
                access.allow.includes('user') ||
                access.allow.includes(name as Role))
        if (allowed && STREAMING.has(r.key)) continue
        const res = await app.inject({ method: r.method, url, headers })
        const expected = name === 'anonymous' ? 401 : 403
        const refused = res.statusCode === expected
        if (allowed === refused || (!allowed && res.statusCode !== expected)) {
          problems.push(`${r.key} as ${name}: ${res.statusCode} ${res.body.slice(0, 80)}`)
        }
      }
    }
    expect(problems).toEqual([])
  })

  it('keeps the public routes public and nothing else', async () => {
    const ctl = await startController()
    const pub = Object.entries(ACCESS_POLICY)
      .filter(([, a]) => a.allow === 'public')
      .map(([k]) => k)
    expect(pub.sort()).toEqual(
      [
        'GET /*',
        // The web UI's old address: a redirect to / (test/integration/web-ui.test.ts).
        'GET /next',
        'GET /next/*',
        'GET /api/health',
        'GET /api/keys/controller',
        'GET /api/time',
        'POST /api/auth/login',
        'POST /api/enroll',
        // The broker (EMQX) with the shared hook secret: test/integration/broker-hooks.test.ts.
        'POST /api/broker/acl',
        'POST /api/broker/auth',
      ].sort(),
    )
    for (const path of ['/api/health', '/api/time', '/api/keys/controller', '/']) {
      const r = await ctl.apiWith({}, 'GET', path)
      expect(r.status, path).toBe(200)
    }
  })
})
