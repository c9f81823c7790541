/**
 * @module audit-snapshots
 * The "before" of an audited change: for each audit action that edits or removes something, how
 * to read that thing just before the route runs. The "after" is the route's own answer.
 */
import type { FastifyRequest } from 'fastify'
import type { AppDeps } from '../deps.js'

type Snapshot = (deps: AppDeps, params: Record<string, string>) => unknown

const nodeView: Snapshot = (d, p) => d.services.nodes.get(p.id ?? '')
const audio: Snapshot = (d, p) => d.services.audio.get(p.id ?? '')
const day: Snapshot = (d, p) => d.services.programme.getDay(p.date ?? '', p.zone)
const calendarDay: Snapshot = (d, p) => d.services.calendar.day(p.date ?? '')
const column: Snapshot = (d, p) => d.services.columns.get(p.id ?? '')
const alert: Snapshot = (d, p) => d.services.records.alert(p.id ?? '')

/** Audit action → how to read the state it changes. */
export const BEFORE: Readonly<Record<string, Snapshot>> = {
  'node.enrollment': nodeView,
  'node.replace': nodeView,
  'node.retire': nodeView,
  'node.rotate': nodeView,
  'audio.update': audio,
  'audio.delete': audio,
  'day.put': day,
  'day.delete': day,
  'template.put': (d, p) => d.services.templates.get(p.dayType === 'rest' ? 'rest' : 'working'),
  'calendar.set': calendarDay,
  'calendar.clear': calendarDay,
  'column.update': column,
  'column.delete': column,
  'announcement.cancel': (d, p) => d.services.announcements.get(p.id ?? ''),
  'alert.ack': alert,
  'alert.resolve': alert,
  'alertRule.update': (d, p) => d.services.alerts.rules().find((r) => r.kind === p.kind) ?? null,
}

/** The state before an audited request, or null (nothing to read, or it does not exist). */
export function snapshotBefore(deps: AppDeps, action: string, req: FastifyRequest): unknown {
  const read = BEFORE[action]
  if (!read) return null
  try {
    // `?zone=` names whose running order a days route means (issue 11).
    const zone = (req.query as { zone?: unknown } | undefined)?.zone
    const params = { ...((req.params ?? {}) as Record<string, string>) }
    if (typeof zone === 'string') params.zone = zone
    return read(deps, params) ?? null
  } catch {
    return null
  }
}

/** What an audited request acted on: its path parameter, or the id of what it created. */
export function auditTarget(req: FastifyRequest, after: unknown): string | null {
  const p = (req.params ?? {}) as Record<string, unknown>
  for (const key of ['id', 'date', 'dayType', 'kind', 'sha256']) {
    if (typeof p[key] === 'string') return p[key]
  }
  const body = req.body as Record<string, unknown> | null | undefined
  if (body && typeof body === 'object' && typeof body.nodeId === 'string') return body.nodeId
  if (after && typeof after === 'object' && 'id' in after && typeof after.id === 'string') {
    return after.id
  }
  return null
}
