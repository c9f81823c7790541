import type { FastifyInstance } from 'fastify'
import { actorOf } from '../../accounts/audit.js'
import { accessOf, MUTATING } from '../access-policy.js'
import { auditTarget } from '../audit-snapshots.js'

/** Largest answer parsed to record as an audit entry's "after". */
const AFTER_MAX_BYTES = 256 * 1024

/**
 * Records, in one place, every successful change made through the API: for a mutating route the
 * access policy names the audit action, the auth plugin took the "before" snapshot, and the
 * route's JSON answer is the "after" (secrets are redacted by the audit service). Routes whose
 * service records its own entries (logins, users, tokens) declare `audit: 'service'`. Refusals
 * of an authenticated principal (403) are recorded as `access.denied`.
 */
export function installAuditTrail(app: FastifyInstance): void {
  const { audit } = app.deps.services
  const actionOf = (method: string, url: string | undefined) => {
    if (url === undefined || !MUTATING.has(method)) return undefined
    return accessOf(method, url)?.audit
  }

  app.addHook('onSend', async (req, reply, payload) => {
    const action = actionOf(req.method, req.routeOptions.url)
    if (!action || action === 'service' || reply.statusCode >= 400) return payload
    if (typeof payload === 'string' && payload.length <= AFTER_MAX_BYTES) {
      try {
        req.auditAfter = JSON.parse(payload)
      } catch {
        req.auditAfter = null
      }
    }
    return payload
  })

  app.addHook('onResponse', async (req, reply) => {
    try {
      const by = actorOf(req.principal, req.ip)
      if (reply.statusCode === 403 && req.principal && MUTATING.has(req.method)) {
        audit.record({
          by,
          action: 'access.denied',
          target: req.routeOptions.url ?? null,
          details: { method: req.method, url: req.url.slice(0, 300) },
        })
        return
      }
      const action = actionOf(req.method, req.routeOptions.url)
      if (!action || action === 'service' || reply.statusCode >= 400) return
      audit.record({
        by,
        action,
        target: auditTarget(req, req.auditAfter),
        before: req.auditBefore,
        after: req.auditAfter,
      })
    } catch (err) {
      req.log.error({ err, method: req.method, url: req.url }, 'audit entry not recorded')
    }
  })
}
