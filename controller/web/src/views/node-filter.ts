import type { NodeView, Zone } from '../types.js'

/** Whether the node holds the controller's current plan. */
export type PlanStatus = 'current' | 'pending' | 'none'

/** What the list can be filtered by: the fleet states, playing, plan pending, retired. */
export const STATE_FILTERS = [
  'all',
  'online',
  'degraded',
  'flapping',
  'offline',
  'playing',
  'pending',
  'retired',
] as const
export type StateFilter = (typeof STATE_FILTERS)[number]

/** Orders the list can be sorted in. */
export const SORTS = ['name', 'offline'] as const
export type Sort = (typeof SORTS)[number]

/** The nodes page's filters, kept in the URL hash. */
export interface NodeFilter {
  zone: string
  state: StateFilter
  q: string
  sort: Sort
}

/** Reads filters from route params, ignoring unknown values. */
export function filterFromParams(p: URLSearchParams): NodeFilter {
  const state = p.get('state') as StateFilter | null
  const sort = p.get('sort') as Sort | null
  return {
    zone: p.get('zone') ?? '',
    state: state && STATE_FILTERS.includes(state) ? state : 'all',
    q: p.get('q') ?? '',
    sort: sort && SORTS.includes(sort) ? sort : 'name',
  }
}

/** The filters as route params (defaults left out). */
export function filterToParams(f: NodeFilter): Record<string, string> {
  return {
    zone: f.zone,
    state: f.state === 'all' ? '' : f.state,
    q: f.q.trim(),
    sort: f.sort === 'name' ? '' : f.sort,
  }
}

/** `appliedPlanVersion` against `planVersion`. */
export function planStatus(n: NodeView): PlanStatus {
  if (!n.planVersion) return 'none'
  return n.appliedPlanVersion === n.planVersion ? 'current' : 'pending'
}

/** The zone and every zone below it (targeting a zone targets its subtree). */
export function zoneSubtree(zones: readonly Zone[], rootId: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const z of zones) {
    if (!z.parentId) continue
    const list = children.get(z.parentId) ?? []
    list.push(z.id)
    children.set(z.parentId, list)
  }
  const out = new Set<string>()
  const stack = [rootId]
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (out.has(id)) continue
    out.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return out
}

/** Zones in tree order with their depth, for an indented `<select>`. */
export function zoneTree(zones: readonly Zone[]): { zone: Zone; depth: number }[] {
  const ids = new Set(zones.map((z) => z.id))
  const byParent = new Map<string | null, Zone[]>()
  for (const z of zones) {
    const parent = z.parentId && ids.has(z.parentId) ? z.parentId : null
    const list = byParent.get(parent) ?? []
    list.push(z)
    byParent.set(parent, list)
  }
  const out: { zone: Zone; depth: number }[] = []
  const seen = new Set<string>()
  const walk = (parent: string | null, depth: number) => {
    const list = [...(byParent.get(parent) ?? [])].sort((a, b) => collator.compare(a.name, b.name))
    for (const zone of list) {
      if (seen.has(zone.id)) continue
      seen.add(zone.id)
      out.push({ zone, depth })
      walk(zone.id, depth + 1)
    }
  }
  walk(null, 0)
  return out
}

/** Chinese collation with numbers compared as numbers ("西海路 2" before "西海路 10"). */
export const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' })

/** A predicate for the filters; build it once per re-list, not per node. */
export function matcher(f: NodeFilter, zones: readonly Zone[]): (n: NodeView) => boolean {
  const inZone = f.zone ? zoneSubtree(zones, f.zone) : null
  const q = f.q.trim().toLowerCase()
  return (n) => {
    if (inZone && !inZone.has(n.zone)) return false
    const retired = n.retiredAt !== null
    if (f.state === 'retired') {
      if (!retired) return false
    } else if (retired) {
      return false
    } else if (f.state === 'pending') {
      if (planStatus(n) !== 'pending') return false
    } else if (f.state === 'playing') {
      if (!n.playing) return false
    } else if (f.state !== 'all' && n.state !== f.state) {
      return false
    }
    return !q || n.name.toLowerCase().includes(q) || n.id.toLowerCase().includes(q)
  }
}

/** Node counts for the summary, by state (retired nodes are left out). */
export function countNodes(nodes: Iterable<NodeView>) {
  const c = { total: 0, online: 0, degraded: 0, flapping: 0, offline: 0, playing: 0, pending: 0 }
  for (const n of nodes) {
    if (n.retiredAt !== null) continue
    c.total++
    c[n.state]++
    if (n.playing) c.playing++
    if (planStatus(n) === 'pending') c.pending++
  }
  return c
}

/**
 * Offline nodes first, longest offline first (those never seen come after the dated ones), then
 * the rest in their order. Only the offline ones are sorted, so a live change costs little.
 */
export function offlineFirst(list: readonly NodeView[]): NodeView[] {
  const dated: { n: NodeView; at: number }[] = []
  const undated: NodeView[] = []
  const rest: NodeView[] = []
  for (const n of list) {
    const at = n.offlineSince ? Date.parse(n.offlineSince) : Number.NaN
    if (!Number.isNaN(at)) dated.push({ n, at })
    else if (n.state === 'offline' && !n.retiredAt) undated.push(n)
    else rest.push(n)
  }
  if (dated.length === 0 && undated.length === 0) return rest
  dated.sort((a, b) => a.at - b.at)
  return dated.map((o) => o.n).concat(undated, rest)
}

/** Node ids sorted by name (then id); re-sorted only when names or membership change. */
export function sortByName(nodes: ReadonlyMap<string, NodeView>): string[] {
  return [...nodes.values()]
    .sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((n) => n.id)
}
