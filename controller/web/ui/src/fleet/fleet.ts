import type { Alert, Command, Node, NodeState } from './types'

// Pure rules of the fleet pages (no Vue): the node list's filter and its address, live updates
// of a page of nodes, commands and alerts merged and sorted, charts' series, the edit form.
// Their words are in fleet-text.ts.

export type { T } from './fleet-text'

/** The state filter: the server's four states, or all. */
export const STATE_FILTERS = ['all', 'online', 'degraded', 'flapping', 'offline'] as const
export type StateFilter = (typeof STATE_FILTERS)[number]
/** The sorts the server offers; `lastSeen` ascending puts the longest silent first. */
export const SORTS = ['name', 'state', 'lastSeen', 'zone'] as const
export type NodeSort = (typeof SORTS)[number]
/** Rows per page. */
export const PAGE_SIZES = [50, 100, 200] as const

/** The node list's filter, kept in the page's address. */
export interface NodeFilter {
  zone: string
  state: StateFilter
  q: string
  sort: NodeSort
  desc: boolean
  page: number
  size: number
}

const one = (v: unknown): string =>
  Array.isArray(v) ? String(v[0] ?? '') : v == null ? '' : String(v)
const among = <K extends string>(list: readonly K[], v: string, d: K): K =>
  (list as readonly string[]).includes(v) ? (v as K) : d

/** The filter from the route's query (unknown values fall back to the defaults). */
export function filterFromQuery(query: Record<string, unknown>): NodeFilter {
  const page = Number.parseInt(one(query.page), 10)
  const size = Number.parseInt(one(query.size), 10)
  return {
    zone: one(query.zone),
    state: among(STATE_FILTERS, one(query.state), 'all'),
    q: one(query.q).slice(0, 100),
    sort: among(SORTS, one(query.sort), 'name'),
    desc: one(query.order) === 'desc',
    page: Number.isFinite(page) && page > 0 ? page : 1,
    size: (PAGE_SIZES as readonly number[]).includes(size) ? size : PAGE_SIZES[1],
  }
}

/** The route query of a filter: only what differs from the defaults. */
export function filterToQuery(f: NodeFilter): Record<string, string> {
  const q: Record<string, string> = {}
  if (f.zone) q.zone = f.zone
  if (f.state !== 'all') q.state = f.state
  if (f.q.trim()) q.q = f.q.trim()
  if (f.sort !== 'name') q.sort = f.sort
  if (f.desc) q.order = 'desc'
  if (f.page > 1) q.page = String(f.page)
  if (f.size !== PAGE_SIZES[1]) q.size = String(f.size)
  return q
}

/** The server's filter parameters (no paging). */
function searchParams(f: Omit<NodeFilter, 'page' | 'size'>): URLSearchParams {
  const p = new URLSearchParams()
  if (f.zone) p.set('zone', f.zone)
  if (f.state !== 'all') p.set('state', f.state)
  if (f.q.trim()) p.set('q', f.q.trim())
  p.set('sort', f.sort)
  p.set('order', f.desc ? 'desc' : 'asc')
  return p
}

/** `GET api/nodes?…` for one page of the filtered list: the server filters, sorts and pages. */
export function nodesPath(f: NodeFilter): string {
  const p = searchParams(f)
  p.set('limit', String(f.size))
  p.set('offset', String((f.page - 1) * f.size))
  return `api/nodes?${p}`
}

/** The pages that list every node of a filter, `max` at a time (bulk actions take their ids). */
export function allPagesPaths(f: NodeFilter, total: number, max = 500): string[] {
  const paths: string[] = []
  for (let offset = 0; offset < total; offset += max) {
    const p = searchParams(f)
    p.set('limit', String(max))
    p.set('offset', String(offset))
    paths.push(`api/nodes?${p}`)
  }
  return paths
}

/** Plan delivery: the node holds the current plan, not yet, or there is none. */
export function planStatus(
  n: Pick<Node, 'planVersion' | 'appliedPlanVersion'>,
): 'current' | 'pending' | 'none' {
  if (!n.planVersion) return 'none'
  return n.appliedPlanVersion === n.planVersion ? 'current' : 'pending'
}

/** The state shown: retired nodes have none of the live ones. */
export function shownState(n: Pick<Node, 'state' | 'retiredAt'>): NodeState | 'retired' {
  return n.retiredAt ? 'retired' : n.state
}

/**
 * A page of nodes after live updates: changed rows are replaced where they stand; `stale` says
 * the page no longer matches its filter (a node left or may have entered it), so reload it.
 */
export function applyLive(
  rows: readonly Node[],
  updates: readonly Node[],
  f: Pick<NodeFilter, 'state' | 'sort'>,
) {
  const byId = new Map(updates.map((n) => [n.id, n]))
  let stale = false
  const next = rows.map((row) => {
    const n = byId.get(row.id)
    if (!n) return row
    if (f.state !== 'all' && n.state !== f.state) stale = true
    if (f.sort === 'state' && n.state !== row.state) stale = true
    if (f.sort === 'lastSeen' && n.online !== row.online) stale = true
    if (f.sort === 'name' && n.name !== row.name) stale = true
    return n
  })
  // A node not on the page that now has the filtered state may belong on it.
  if (
    f.state !== 'all' &&
    updates.some((n) => n.state === f.state && !rows.some((r) => r.id === n.id))
  )
    stale = true
  return { rows: next, stale }
}

/** The command kinds, in the order the buttons show them. */
export const COMMAND_KINDS = ['testTone', 'ping', 'setVolume', 'stop', 'resync', 'restart'] as const
/** Commands that make sense for a whole zone or a list. */
export const ZONE_KINDS = ['testTone', 'setVolume', 'ping', 'resync'] as const

/** Commands merged by id, newest first (a live update replaces the earlier state). */
export function mergeCommands(list: readonly Command[], more: readonly Command[]): Command[] {
  const byId = new Map(list.map((c) => [c.id, c]))
  for (const c of more) byId.set(c.id, c)
  return [...byId.values()].sort((a, b) =>
    a.issuedAt < b.issuedAt ? 1 : a.issuedAt > b.issuedAt ? -1 : 0,
  )
}

/** A batch's commands counted by status. */
export function countStatuses(list: readonly Command[]) {
  const c = { total: list.length, pending: 0, ok: 0, error: 0, expired: 0 }
  for (const x of list) if (x.status in c) c[x.status as 'ok']++
  return c
}

/** Severities, most severe first. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const
/** Where an alert stands: open, acknowledged, resolved. */
export function alertState(
  a: Pick<Alert, 'ackedAt' | 'resolvedAt'>,
): 'open' | 'acked' | 'resolved' {
  if (a.resolvedAt) return 'resolved'
  return a.ackedAt ? 'acked' : 'open'
}

/** Open before resolved, then most severe, then newest. */
export function compareAlerts(a: Alert, b: Alert): number {
  const open = Number(a.resolvedAt !== null) - Number(b.resolvedAt !== null)
  if (open !== 0) return open
  const rank = (s: string) => {
    const i = (SEVERITIES as readonly string[]).indexOf(s)
    return i < 0 ? SEVERITIES.length : i
  }
  const sev = rank(a.severity) - rank(b.severity)
  if (sev !== 0) return sev
  return a.openedAt < b.openedAt ? 1 : a.openedAt > b.openedAt ? -1 : 0
}

/** Alerts merged by id; with `openOnly`, resolved ones leave the list. Sorted by compareAlerts. */
export function mergeAlerts(
  list: readonly Alert[],
  more: readonly Alert[],
  openOnly: boolean,
): Alert[] {
  const byId = new Map(list.map((a) => [a.id, a]))
  for (const a of more) byId.set(a.id, a)
  return [...byId.values()].filter((a) => !openOnly || !a.resolvedAt).sort(compareAlerts)
}

/** Open alerts counted by severity. */
export function countBySeverity(
  alerts: Iterable<Pick<Alert, 'severity' | 'resolvedAt'>>,
): Record<string, number> {
  const c: Record<string, number> = { critical: 0, warning: 0, info: 0 }
  for (const a of alerts)
    if (!a.resolvedAt && a.severity in c) c[a.severity] = (c[a.severity] ?? 0) + 1
  return c
}

/** The telemetry charts: which field, and how a value is shown (MB from bytes). */
export const METRICS = [
  { key: 'volume', field: 'volume', scale: 1 },
  { key: 'clock', field: 'clockOffsetMs', scale: 1 },
  { key: 'memory', field: 'memRssBytes', scale: 1 / 1_048_576 },
  { key: 'disk', field: 'freeDiskBytes', scale: 1 / 1_048_576 },
] as const

/** One metric's points, oldest first, as [epoch ms, value] (samples without it are skipped). */
export function seriesOf(
  samples: readonly { at: string; [k: string]: unknown }[],
  m: (typeof METRICS)[number],
): [number, number][] {
  const out: [number, number][] = []
  for (const s of samples) {
    const v = s[m.field]
    const at = Date.parse(s.at)
    if (typeof v === 'number' && Number.isFinite(v) && Number.isFinite(at))
      out.push([at, Math.round(v * m.scale * 10) / 10])
  }
  return out.sort((a, b) => a[0] - b[0])
}

/** The node edit form: text as typed. */
export interface NodeForm {
  name: string
  zone: string
  lat: string
  lon: string
  serial: string
  notes: string
}

/** The form for a node. */
export function formOf(n: Node): NodeForm {
  return {
    name: n.name,
    zone: n.zone,
    lat: n.lat === null ? '' : String(n.lat),
    lon: n.lon === null ? '' : String(n.lon),
    serial: n.serial ?? '',
    notes: n.notes ?? '',
  }
}

/**
 * The PATCH body of what the form changed, or the message key of what is wrong with it
 * (a name is needed; latitude and longitude go together, in range). Empty text clears.
 */
export function editPatch(
  n: Node,
  f: NodeForm,
): { patch: Record<string, string | number | null> } | { problem: string } {
  const name = f.name.trim()
  if (!name) return { problem: 'fleet.node.needName' }
  const lat = f.lat.trim()
  const lon = f.lon.trim()
  if ((lat === '') !== (lon === '')) return { problem: 'fleet.node.badPosition' }
  const la = lat === '' ? null : Number(lat)
  const lo = lon === '' ? null : Number(lon)
  if ((la !== null && !(Math.abs(la) <= 90)) || (lo !== null && !(Math.abs(lo) <= 180)))
    return { problem: 'fleet.node.badPosition' }
  const patch: Record<string, string | number | null> = {}
  if (name !== n.name) patch.name = name
  if (f.zone && f.zone !== n.zone) patch.zone = f.zone
  if (la !== n.lat || lo !== n.lon) {
    patch.lat = la
    patch.lon = lo
  }
  const serial = f.serial.trim() || null
  if (serial !== n.serial) patch.serial = serial
  const notes = f.notes.trim() || null
  if (notes !== n.notes) patch.notes = notes
  return { patch }
}

/**
 * The last `n` dates ending with the newest one the server gave (a node younger than `n` days
 * has fewer), each with its share online or null for a day before the node existed.
 */
export function fillDays(
  list: readonly { date: string; onlinePct: number }[],
  n: number,
): { date: string; pct: number | null }[] {
  const last = list
    .map((d) => d.date)
    .sort()
    .at(-1)
  if (!last) return []
  const byDate = new Map(list.map((d) => [d.date, d.onlinePct]))
  const end = Date.parse(`${last}T00:00:00Z`)
  return Array.from({ length: n }, (_, i) => {
    const date = new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10)
    const pct = byDate.get(date)
    return { date, pct: pct === undefined ? null : Math.round(pct * 10) / 10 }
  })
}
