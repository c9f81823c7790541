import type { Logger } from 'pino'
import type { Clock } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { AuditQuery } from './repositories/audit-repository.js'
import type { Principal } from './roles.js'

/** Who did something, as the audit log names them. */
export interface AuditActor {
  /** Username, `node:<id>`, `system` or `anonymous`. */
  actor: string
  actorKind: 'session' | 'token' | 'node' | 'system' | 'anonymous'
  ip: string | null
  /** The API token acted with, if any. */
  token?: { id: string; name: string }
}

/** What one audit entry records. */
export interface AuditRecord {
  by: AuditActor
  /** Dotted name: `audio.upload`, `node.retire`, `auth.lockout`… (docs/security.md lists them). */
  action: string
  target?: string | null
  before?: unknown
  after?: unknown
  details?: Record<string, unknown>
}

/** Keys whose values never reach the audit log: secrets, and bulky renderings. */
const REDACTED = new Set([
  'secret',
  'password',
  'current',
  'next',
  'token',
  'enrollmentToken',
  'csrfToken',
  'passwordHash',
  'secretHash',
  'tokenHash',
])
const DROPPED = new Set(['bundleQr', 'caCert', 'controllerKey'])

/** Largest JSON kept per field; bigger values are summarised. */
export const AUDIT_FIELD_MAX_BYTES = 32 * 1024

/** JSON of a value with secrets replaced by "[redacted]" and bulky fields left out. */
export function auditJson(value: unknown): string | null {
  if (value === undefined || value === null) return null
  const json = JSON.stringify(value, (key, v: unknown) => {
    if (REDACTED.has(key)) return '[redacted]'
    if (DROPPED.has(key)) return undefined
    return v
  })
  if (json === undefined) return null
  if (Buffer.byteLength(json) <= AUDIT_FIELD_MAX_BYTES) return json
  return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(json) })
}

/** The actor behind a request's principal (or an anonymous one). */
export function actorOf(principal: Principal | null, ip: string | null): AuditActor {
  if (!principal) return { actor: 'anonymous', actorKind: 'anonymous', ip }
  if (principal.kind === 'node') return { actor: `node:${principal.nodeId}`, actorKind: 'node', ip }
  return {
    actor: principal.username,
    actorKind: principal.via,
    ip,
    ...(principal.token ? { token: principal.token } : {}),
  }
}

/** The controller itself (first start, expiry sweeps). */
export const SYSTEM_ACTOR: AuditActor = { actor: 'system', actorKind: 'system', ip: null }

/**
 * The audit log: who changed what, when, and from what to what. Entries are only ever added;
 * secrets are redacted before they are stored.
 */
export function createAudit(deps: {
  repos: Pick<SharedRepositories, 'audit'>
  clock: Clock
  log: Logger
}) {
  const log = deps.log.child({ module: 'audit' })

  function record(r: AuditRecord): number {
    const details = r.by.token ? { ...r.details, token: r.by.token } : r.details
    const id = deps.repos.audit.insert({
      at: new Date(deps.clock.now()).toISOString(),
      actor: r.by.actor,
      actorKind: r.by.actorKind,
      action: r.action,
      target: r.target ?? null,
      ip: r.by.ip,
      before: auditJson(r.before),
      after: auditJson(r.after),
      // Details are built by the controller (ids, names, counts), never from request bodies.
      details: details ? JSON.stringify(details) : null,
    })
    log.info({ actor: r.by.actor, action: r.action, target: r.target ?? null }, 'audit')
    return id
  }

  return {
    record,
    query: (q: AuditQuery) => deps.repos.audit.query(q),
  }
}

/** The audit service. */
export type Audit = ReturnType<typeof createAudit>
