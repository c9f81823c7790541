import { createHash, timingSafeEqual } from 'node:crypto'
import cookie from '@fastify/cookie'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Principal } from '../../accounts/roles.js'
import { ChorusError } from '../../errors.js'
import {
  accessOf,
  MUTATING,
  normaliseRoute,
  type RouteAccess,
  rolesAllow,
  type Scope,
} from '../access-policy.js'
import { snapshotBefore } from '../audit-snapshots.js'
import { installAuditTrail } from './audit-trail.js'

/** Name of the session cookie (`__Host-` when served over TLS: Secure, Path=/, no Domain). */
export const sessionCookieName = (secure: boolean) =>
  secure ? '__Host-chorus_session' : 'chorus_session'

/** Header that state-changing requests authenticated by the session cookie must carry. */
export const CSRF_HEADER = 'x-csrf-token'

/** A route fastify registered, with its access rule (undefined: none, so it answers 403). */
export interface RouteEntry {
  method: string
  url: string
  access: RouteAccess | undefined
  /** The route's body schema, if it declares one (the fuzz tests read it). */
  body: unknown
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request authenticated as; null on public routes. */
    principal: Principal | null
    /**
     * Checks the request's credentials again, without counting as activity: the principal they
     * give now, or null when they no longer work. For requests that outlive their start (SSE).
     */
    recheck: (() => Principal | null) | null
    /** Audit: the state before a change, and the answer after it. */
    auditBefore: unknown
    auditAfter: unknown
  }
  interface FastifyInstance {
    /** Every route registered after the auth plugin, with its access rule. */
    accessTable: RouteEntry[]
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Header in which the broker (EMQX) sends the shared `brokerHookSecret`. */
export const HOOK_SECRET_HEADER = 'x-chorus-hook-secret'

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(sent), digest(expected))
}

/** Whether the request's principal reaches `zoneId` (always, unless it is limited to zones). */
export function reaches(req: FastifyRequest, zoneId: string): boolean {
  const p = req.principal
  if (p?.kind !== 'user' || p.zones.length === 0) return true
  return req.server.deps.services.accounts.inScope(p.zones, zoneId)
}

/** Whether `zoneId` is an ancestor of a zone the request's principal is limited to. */
export function inheritedBy(req: FastifyRequest, zoneId: string): boolean {
  const p = req.principal
  if (p?.kind !== 'user') return false
  const { provisioning } = req.server.deps.services
  return p.zones.some((z) => z !== zoneId && provisioning.zoneLineage(z).includes(zoneId))
}

/**
 * The zones test of a principal limited to zones, for a service to filter what it answers by;
 * undefined when the principal reaches everything.
 */
export function reachOf(req: FastifyRequest): ((zoneId: string) => boolean) | undefined {
  const p = req.principal
  if (p?.kind !== 'user' || p.zones.length === 0) return undefined
  return (zoneId) => reaches(req, zoneId)
}

/**
 * Authentication and access control for every route, in one place: collects each route's rule
 * from the access policy as fastify registers it (onRoute), then on each request authenticates
 * (bearer token, node Basic, or session cookie), checks CSRF for cookie-authenticated changes,
 * the route's roles, and (before the handler, once the body is parsed) its zone scope. A route
 * without a rule answers 403. Registered before every route, and not encapsulated.
 */
async function authPluginImpl(app: FastifyInstance, opts: { secure: boolean }): Promise<void> {
  const { services } = app.deps
  const table: RouteEntry[] = []
  const cookieName = sessionCookieName(opts.secure)
  app.decorate('accessTable', table)
  app.decorateRequest('principal', null)
  app.decorateRequest('recheck', null)
  app.decorateRequest('auditBefore', null)
  app.decorateRequest('auditAfter', null)

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const url = normaliseRoute(route.url ?? route.path)
    for (const method of methods) {
      const access = accessOf(method, url)
      table.push({ method, url, access, body: route.schema?.body })
      // @fastify/rate-limit reads this in its own onRoute hook, which runs after this one.
      if (access?.perMinute) {
        route.config = { ...route.config, rateLimit: { max: access.perMinute, timeWindow: 60_000 } }
      }
    }
  })
  await app.register(cookie)
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) =>
      new ChorusError('RATE_LIMITED', `too many requests; try again in ${ctx.after}`),
  })

  function unauthorised(reply: FastifyReply, code: 'AUTH_REQUIRED' | 'AUTH_INVALID', msg: string) {
    reply.header('www-authenticate', 'Bearer realm="chorus"')
    return new ChorusError(code, msg)
  }

  async function authenticate(req: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const header = req.headers.authorization
    if (header) {
      const [scheme = '', value = ''] = header.trim().split(/\s+/, 2)
      if (scheme.toLowerCase() === 'bearer') {
        const p = services.tokens.authenticate(value)
        if (!p) throw unauthorised(reply, 'AUTH_INVALID', 'this API token is not valid')
        req.recheck = () => services.tokens.authenticate(value, { touch: false })
        return p
      }
      if (scheme.toLowerCase() === 'basic') {
        const decoded = Buffer.from(value, 'base64').toString('utf8')
        const colon = decoded.indexOf(':')
        const nodeId = decoded.slice(0, Math.max(colon, 0))
        const secret = Buffer.from(decoded.slice(colon + 1))
        const store = services.provisioning.credentials
        const id = colon > 0 ? await store.authenticate(nodeId, secret) : null
        if (id?.kind !== 'node') {
          throw unauthorised(reply, 'AUTH_INVALID', 'these node credentials are not valid')
        }
        return { kind: 'node', nodeId: id.nodeId }
      }
      throw unauthorised(reply, 'AUTH_INVALID', `unsupported authorization scheme ${scheme}`)
    }
    const sessionId = req.cookies[cookieName]
    if (sessionId) {
      const p = services.sessions.authenticate(sessionId)
      if (p) {
        req.recheck = () => services.sessions.authenticate(sessionId, { touch: false })
        return p
      }
      reply.clearCookie(cookieName, { path: '/' })
      throw unauthorised(reply, 'AUTH_REQUIRED', 'your session has ended; log in again')
    }
    throw unauthorised(reply, 'AUTH_REQUIRED', 'log in, or send an API token')
  }

  /** The principal of a request that may be anonymous: credentials that fail count as none. */
  async function identify(req: FastifyRequest, reply: FastifyReply): Promise<Principal | null> {
    if (!req.headers.authorization && !req.cookies[cookieName]) return null
    try {
      return await authenticate(req, reply)
    } catch {
      reply.removeHeader('www-authenticate')
      return null
    }
  }

  /** The broker's shared secret, checked before the body is even read; nothing else is told. */
  function checkHookSecret(req: FastifyRequest): void {
    const sent = req.headers[HOOK_SECRET_HEADER]
    if (typeof sent !== 'string' || sent === '') {
      throw new ChorusError(
        'HOOK_SECRET_REQUIRED',
        `send the broker hook secret in ${HOOK_SECRET_HEADER}`,
      )
    }
    const expected = app.deps.config.brokerHookSecret
    if (expected === '' || !sameSecret(sent, expected)) {
      throw new ChorusError('HOOK_SECRET_INVALID', 'the broker hook secret is not valid')
    }
  }

  app.addHook('onRequest', async (req, reply) => {
    const url = req.routeOptions.url
    if (url === undefined) return // no such route: the not-found handler answers
    const access = accessOf(req.method, url)
    if (!access) {
      req.log.error({ method: req.method, url }, 'route has no access rule')
      throw new ChorusError('ACCESS_UNDECLARED', 'this route declares no access rule')
    }
    if (access.allow === 'public') {
      if (access.hook) return checkHookSecret(req)
      if (access.identify) req.principal = await identify(req, reply)
      return
    }
    const p = await authenticate(req, reply)
    req.principal = p
    if (p.kind === 'user' && p.via === 'session' && MUTATING.has(req.method)) {
      const sent = req.headers[CSRF_HEADER]
      if (typeof sent !== 'string' || !p.csrfToken || !sameText(sent, p.csrfToken)) {
        throw new ChorusError('CSRF_INVALID', `send the session's CSRF token in ${CSRF_HEADER}`)
      }
    }
    const allowed =
      p.kind === 'node' ? access.allow.includes('node') : rolesAllow(access.allow, p.roles)
    if (!allowed) throw new ChorusError('FORBIDDEN', 'your roles do not allow this')
  })

  app.addHook('preHandler', async (req) => {
    const url = req.routeOptions.url
    const access = url === undefined ? undefined : accessOf(req.method, url)
    const p = req.principal
    if (!access || access.allow === 'public' || !p || p.kind !== 'user') return
    if (access.scope && p.zones.length > 0) {
      const scopes: readonly Scope[] = Array.isArray(access.scope) ? access.scope : [access.scope]
      for (const scope of scopes) {
        const zoneId = scopedZone(req, scope)
        if (zoneId !== undefined && (zoneId === null || !reaches(req, zoneId))) {
          throw new ChorusError('OUT_OF_SCOPE', 'this is outside the zones assigned to you')
        }
      }
    }
    const refused = access.refine?.(p, req)
    if (refused) throw new ChorusError('FORBIDDEN', refused)
    if (access.audit && access.audit !== 'service' && MUTATING.has(req.method)) {
      req.auditBefore = snapshotBefore(app.deps, access.audit, req)
    }
  })

  /** The zone a scoped request touches; undefined: nothing to check; null: refuse. */
  function scopedZone(req: FastifyRequest, scope: Scope): string | null | undefined {
    const { directory } = app.deps.services
    if (scope.of === 'zoneQuery' || scope.of === 'nodeQuery') {
      const ref = (req.query as Record<string, unknown> | undefined)?.[scope.query]
      if (typeof ref !== 'string' || ref === '') return undefined // the district's, or none
      if (scope.of === 'nodeQuery') return directory.zoneOfNode(ref) // unknown: the route's 404
      const zone = directory.resolveZone(ref)
      // Unknown: the route answers 404. An ancestor's settings are what the caller's zones inherit.
      if (!zone || inheritedBy(req, zone.id)) return undefined
      return zone.id
    }
    if (scope.of === 'zoneRef') {
      const ref = (req.body as Record<string, unknown> | undefined)?.[scope.body]
      if (typeof ref !== 'string') return null
      const byId = directory.zone(ref)
      const named = byId ? [byId] : directory.zonesNamed(ref)
      // An unknown name would create a zone at the top level: never within a zone scope.
      return named.length === 1 && named[0] ? named[0].id : null
    }
    const id = (req.params as Record<string, unknown>)[scope.param]
    if (typeof id !== 'string') return null
    // Unknown ids pass: the route answers 404 as it would for anyone.
    if (scope.of === 'node') return directory.zoneOfNode(id)
    return directory.zone(id) ? id : undefined
  }

  installAuditTrail(app)
}

/** The auth plugin, not encapsulated, so its hooks apply to every route (fastify-plugin's way). */
export const authPlugin = Object.assign(authPluginImpl, {
  [Symbol.for('skip-override')]: true,
})
