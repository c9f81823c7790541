import { AUDIT_ACTIONS, type AuditQuery } from '../api/types'

/** Entries per page of the log. */
export const AUDIT_PAGE = 200

export { AUDIT_ACTIONS }

/** The action filter's choices: every action, and each prefix (`node.*`). */
export const ACTION_CHOICES: readonly string[] = [
  ...new Set(AUDIT_ACTIONS.map((a) => `${a.split('.')[0]}.*`)),
  ...AUDIT_ACTIONS,
]

/** How an actor acted. */
export const ACTOR_KINDS = ['session', 'token', 'node', 'system', 'anonymous'] as const

/** The filters kept in the address (`#/audit?actor=&action=&from=&to=`), cleaned. */
export function filtersOf(
  query: Record<string, unknown>,
): Required<Pick<AuditQuery, 'actor' | 'action' | 'from' | 'to'>> {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '')
  const day = (v: unknown) => (/^\d{4}-\d{2}-\d{2}$/.test(str(v)) ? str(v) : '')
  return {
    actor: str(query.actor),
    action: str(query.action),
    from: day(query.from),
    to: day(query.to),
  }
}

/** A before/after/details value as indented JSON, or null when there is nothing. */
export function json(v: unknown): string | null {
  if (v === null || v === undefined) return null
  return JSON.stringify(v, null, 2)
}
