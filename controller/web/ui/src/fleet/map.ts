import type { MapConfig, Node, NodeState, Zone } from '../../../../../contract/index.js'

// The map's pure parts (no DOM, no MapLibre): which nodes have a position, the GeoJSON the map
// draws, the colour of each state, typed coordinates, and the zones an installer may use.
// Unit-tested by map.test.ts.

export type { MapConfig, Node, NodeState, Zone }

/** A position on the map. */
export interface LatLon {
  lat: number
  lon: number
}

/** What the map shows of a node: its state, or `playing` over `online`. */
export type ShownState = NodeState | 'playing'

/** Every shown state, in the legend's order. */
export const SHOWN_STATES: readonly ShownState[] = [
  'online',
  'playing',
  'degraded',
  'flapping',
  'offline',
]

/** Marker colours: Element Plus's success / primary / warning / danger / info. */
export const STATE_COLOURS: Record<ShownState, string> = {
  online: '#67c23a',
  playing: '#409eff',
  degraded: '#e6a23c',
  flapping: '#f56c6c',
  offline: '#909399',
}

/** The state a node is shown in. */
export function shownState(n: Pick<Node, 'state' | 'playing'>): ShownState {
  return n.playing && n.state === 'online' ? 'playing' : n.state
}

/** Whether a node has usable coordinates. */
export function hasPosition(n: { lat: number | null; lon: number | null }): n is LatLon {
  return (
    typeof n.lat === 'number' &&
    typeof n.lon === 'number' &&
    Number.isFinite(n.lat) &&
    Number.isFinite(n.lon) &&
    Math.abs(n.lat) <= 90 &&
    Math.abs(n.lon) <= 180
  )
}

/** Nodes with and without a position (retired nodes are neither), each sorted by name. */
export function splitPlaced<N extends Pick<Node, 'name' | 'lat' | 'lon' | 'retiredAt'>>(
  nodes: Iterable<N>,
): { placed: N[]; unplaced: N[] } {
  const placed: N[] = []
  const unplaced: N[] = []
  for (const n of nodes) {
    if (n.retiredAt) continue
    ;(hasPosition(n) ? placed : unplaced).push(n)
  }
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  const byName = (a: N, b: N) => collator.compare(a.name, b.name)
  return { placed: placed.sort(byName), unplaced: unplaced.sort(byName) }
}

/** A GeoJSON point per placed node, with what the layer colours and the popup needs. */
export function nodesGeoJson(nodes: Iterable<Node>) {
  const features = []
  for (const n of nodes) {
    if (n.retiredAt || !hasPosition(n)) continue
    const state = shownState(n)
    features.push({
      type: 'Feature' as const,
      id: features.length,
      geometry: {
        type: 'Point' as const,
        coordinates: [n.lon as number, n.lat as number] as [number, number],
      },
      properties: { id: n.id, name: n.name, state, colour: STATE_COLOURS[state] },
    })
  }
  return { type: 'FeatureCollection' as const, features }
}

/** Counts of the shown states (the legend). */
export function stateCounts(nodes: Iterable<Node>): Record<ShownState, number> {
  const counts = Object.fromEntries(SHOWN_STATES.map((s) => [s, 0])) as Record<ShownState, number>
  for (const n of nodes) if (!n.retiredAt) counts[shownState(n)]++
  return counts
}

/** Replaces nodes by id with fresher views (the live stream), adding new ones. */
export function mergeNodes(list: readonly Node[], fresh: readonly Node[]): Node[] {
  if (fresh.length === 0) return list as Node[]
  const byId = new Map(list.map((n) => [n.id, n]))
  for (const n of fresh) byId.set(n.id, n)
  return [...byId.values()]
}

/** A coordinate typed by hand: a number in range, null (empty), or 'bad'. */
export function parseCoord(text: string, max: number): number | null | 'bad' {
  const s = text.trim().replace(/,/g, '.').replace(/°/g, '')
  if (s === '') return null
  const v = Number(s)
  return Number.isFinite(v) && Math.abs(v) <= max ? v : 'bad'
}

/** Typed latitude and longitude: a position, none (both empty), or 'bad'. */
export function parseLatLon(lat: string, lon: string): LatLon | null | 'bad' {
  const a = parseCoord(lat, 90)
  const b = parseCoord(lon, 180)
  if (a === null && b === null) return null
  if (typeof a !== 'number' || typeof b !== 'number') return 'bad'
  return { lat: a, lon: b }
}

/** Six decimals: about 10 cm, more than a phone's location is worth. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6
}

/** A clicked or dragged point as a position to store (longitude wrapped into ±180). */
export function toLatLon(lng: number, lat: number): LatLon {
  const lon = ((((lng + 180) % 360) + 360) % 360) - 180
  return { lat: round6(Math.max(-90, Math.min(90, lat))), lon: round6(lon) }
}

/** The zones a user limited to `limit` may use (those and everything below); null: all. */
export function reachable(zones: readonly Zone[], limit: readonly string[]): Set<string> | null {
  if (limit.length === 0) return null
  const children = new Map<string, string[]>()
  for (const z of zones) {
    if (!z.parentId) continue
    children.set(z.parentId, [...(children.get(z.parentId) ?? []), z.id])
  }
  const out = new Set<string>()
  const stack = [...limit]
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    if (out.has(id)) continue
    out.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return out
}

/** The zones one may register into: all, or the reachable ones. */
export function zonesFor(zones: readonly Zone[], limit: readonly string[]): Zone[] {
  const reach = reachable(zones, limit)
  if (reach === null) return [...zones]
  // A reachable zone whose parent is not reachable becomes a root of the user's tree.
  return zones
    .filter((z) => reach.has(z.id))
    .map((z) => (z.parentId && !reach.has(z.parentId) ? { ...z, parentId: null } : z))
}

/** The zone to choose by itself: the user's only zone (no choice to make), else none. */
export function defaultZone(zones: readonly Zone[]): string {
  return zones.length === 1 ? (zones[0]?.id ?? '') : ''
}

/** The default view: the configured district centre and zoom. */
export function defaultView(config: MapConfig): { center: [number, number]; zoom: number } {
  return { center: [config.center.lon, config.center.lat], zoom: config.zoom }
}

/** The map's filters: a zone (and everything below it) and a shown state; '' means all. */
export interface MapFilter {
  zone: string
  state: ShownState | ''
}

/** The nodes a filter keeps. */
export function filterNodes(nodes: readonly Node[], zones: readonly Zone[], f: MapFilter): Node[] {
  const inZone = f.zone ? reachable(zones, [f.zone]) : null
  return nodes.filter(
    (n) => (inZone === null || inZone.has(n.zone)) && (f.state === '' || shownState(n) === f.state),
  )
}

/** A filter from the address's query (`?zone=&state=`), ignoring what it does not know. */
export function filterFromQuery(q: Record<string, unknown>): MapFilter {
  const zone = typeof q.zone === 'string' ? q.zone : ''
  const state = SHOWN_STATES.find((s) => s === q.state) ?? ''
  return { zone, state }
}
