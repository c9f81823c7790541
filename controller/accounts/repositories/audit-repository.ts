import type { Db } from '../../platform/index.js'

/** One audit log entry. `before`, `after` and `details` are parsed JSON (or null). */
export interface AuditEntry {
  id: number
  at: string
  actor: string
  actorKind: string
  action: string
  target: string | null
  ip: string | null
  before: unknown
  after: unknown
  details: unknown
}

interface AuditRow {
  id: number
  at: string
  actor: string
  actor_kind: string
  action: string
  target: string | null
  ip: string | null
  before: string | null
  after: string | null
  details: string | null
}

/** Filters of an audit query; `action` matches exactly or, ending in `.*`, by prefix. */
export interface AuditQuery {
  from?: string
  to?: string
  actor?: string
  action?: string
  limit: number
  offset: number
}

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s))

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  actor: r.actor,
  actorKind: r.actor_kind,
  action: r.action,
  target: r.target,
  ip: r.ip,
  before: parse(r.before),
  after: parse(r.after),
  details: parse(r.details),
})

/** The append-only audit log. */
export function createAuditRepository(db: Db) {
  const insert = db.prepare(`INSERT INTO audit_log (at, actor, actor_kind, action, target, ip,
    before, after, details) VALUES (@at, @actor, @actorKind, @action, @target, @ip, @before,
    @after, @details)`)
  const query = db.prepare<Record<string, string | number | null>, AuditRow>(`SELECT id, at,
      actor, actor_kind, action, target, ip, before, after, details FROM audit_log
    WHERE (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
      AND (@actor IS NULL OR actor = @actor)
      AND (@action IS NULL OR action = @action OR (@prefix IS NOT NULL AND action LIKE @prefix))
    ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  return {
    /** Appends an entry; JSON fields are given already serialised (or null). */
    insert(e: {
      at: string
      actor: string
      actorKind: string
      action: string
      target: string | null
      ip: string | null
      before: string | null
      after: string | null
      details: string | null
    }): number {
      return Number(insert.run(e).lastInsertRowid)
    },
    /** Newest first. */
    query(q: AuditQuery): AuditEntry[] {
      const prefix = q.action?.endsWith('.*') ? `${q.action.slice(0, -1)}%` : null
      return query
        .all({
          from: q.from ?? null,
          to: q.to ?? null,
          actor: q.actor ?? null,
          action: q.action ?? null,
          prefix,
          limit: q.limit,
          offset: q.offset,
        })
        .map(toEntry)
    },
  }
}

/** The audit repository. */
export type AuditRepository = ReturnType<typeof createAuditRepository>
