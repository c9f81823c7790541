import type { ResolvedItem } from '../../schedules/index.js'

/** What a re-plan covers: dates (`all`: every date plans cover) and zones (`all`: every zone). */
export interface PlanScope {
  dates: readonly string[] | 'all'
  zones: readonly string[] | 'all'
  /**
   * `all`: re-plan every node whatever the programme's items did (the start, the day boundary, a
   * zone moved: what changed is which node a zone holds, not what the zone plays).
   */
  nodes?: 'all'
}

/** Every date, zone and node. */
export const FULL_SCOPE: PlanScope = { dates: 'all', zones: 'all', nodes: 'all' }

/** The union of two scopes. */
export function mergeScopes(a: PlanScope, b: PlanScope): PlanScope {
  const union = (x: readonly string[] | 'all', y: readonly string[] | 'all') =>
    x === 'all' || y === 'all' ? 'all' : [...new Set([...x, ...y])]
  const merged: PlanScope = { dates: union(a.dates, b.dates), zones: union(a.zones, b.zones) }
  if (a.nodes === 'all' || b.nodes === 'all') merged.nodes = 'all'
  return merged
}

/** A district resolution by date, order zone and item id, and content, to tell what a change altered. */
export type ResolutionIndex = Map<string, Map<string, { key: string; zones: readonly string[] }>>

/** Indexes a resolution of `dates` (resolveDates' output) by date and item. */
export function indexResolution(
  dates: readonly string[],
  resolved: readonly ResolvedItem[],
): ResolutionIndex {
  const out: ResolutionIndex = new Map(dates.map((d) => [d, new Map()]))
  for (const r of resolved) {
    let day = out.get(r.date)
    if (!day) {
      day = new Map()
      out.set(r.date, day)
    }
    // A zone order's item reaches only that zone; an item some zones' own orders replace
    // changes for those zones when they gain or lose their order (issue 11).
    const over = [...(r.overriddenBy ?? []), ...(r.overriddenForTest ?? [])]
    const zones =
      r.orderZone !== undefined ? [r.orderZone] : r.zones.length === 0 ? [] : [...r.zones, ...over]
    day.set(`${r.orderZone ?? ''}|${r.itemId}`, { key: JSON.stringify(r), zones })
  }
  return out
}

/**
 * The zones whose nodes may see a different plan on `dates` between two resolutions: the zones
 * of every item added, removed or altered; `all` when one of them targets every zone or when the
 * earlier resolution did not cover a date (nothing to compare with).
 */
export function changedZones(
  before: ResolutionIndex | null,
  after: ResolutionIndex,
  dates: readonly string[],
): Set<string> | 'all' {
  if (!before) return 'all'
  const zones = new Set<string>()
  for (const date of dates) {
    const was = before.get(date)
    if (!was) return 'all'
    const now = after.get(date) ?? new Map()
    for (const [id, item] of now) {
      const old = was.get(id)
      if (old?.key === item.key) continue
      if (item.zones.length === 0 || old?.zones.length === 0) return 'all'
      for (const z of [...item.zones, ...(old?.zones ?? [])]) zones.add(z)
    }
    for (const [id, item] of was) {
      if (now.has(id)) continue
      if (item.zones.length === 0) return 'all'
      for (const z of item.zones) zones.add(z)
    }
  }
  return zones
}

/** The zones to re-plan: those the change names, narrowed to those whose items changed. */
export function narrowZones(
  named: readonly string[] | 'all',
  changed: Set<string> | 'all',
): Set<string> | 'all' {
  if (named === 'all') return changed
  if (changed === 'all') return new Set(named)
  return new Set(named.filter((z) => changed.has(z)))
}
