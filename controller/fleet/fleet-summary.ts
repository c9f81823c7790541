import type { EventBus } from '../platform/index.js'
import type { NodeRecord } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { NodeState } from './node-views.js'

/** Counts of active (not retired) nodes by state, and how many play. */
export type FleetCounts = Record<'total' | NodeState | 'playing', number>

/** A zone-limited principal's scope: a key to cache its summary under, and its zone test. */
export interface SummaryScope {
  /** The same for every principal limited to the same zones (their ids, sorted). */
  key: string
  /** Whether a zone lies in the scope (the zone or one above it is the principal's). */
  reaches: (zoneId: string) => boolean
}

/** What one node adds to the counts of its zone and of the fleet. */
interface Part {
  zoneId: string
  state: NodeState
  playing: boolean
}

/** Zone-limited summaries kept at once (one per distinct set of zones); beyond, all are dropped. */
const SCOPES_MAX = 200

const empty = (): FleetCounts => ({
  total: 0,
  online: 0,
  offline: 0,
  degraded: 0,
  flapping: 0,
  playing: 0,
})

/**
 * The fleet summary, kept up to date rather than recomputed (issue 9): counts per zone and for
 * the fleet, built from the nodes table once, then corrected node by node. A node is marked
 * changed by the events that can move it between states (`nodeChanged`, `transition`,
 * `playReported`); the next read re-reads only the changed nodes (one keyed lookup each, a
 * burst of changes to one node costing one). Flapping ends with time, not with an event: the
 * nodes counted as flapping are checked again at each read. A zone-limited principal gets the
 * sum of the zones it reaches, cached per scope until a count or the zone tree changes.
 */
export function createFleetSummary(deps: {
  repos: Pick<SharedRepositories, 'nodes'>
  bus: EventBus
  stateOf: (n: NodeRecord) => NodeState
  isPlaying: (nodeId: string) => boolean
  isFlapping: (nodeId: string) => boolean
}) {
  const parts = new Map<string, Part>()
  const byZone = new Map<string, FleetCounts>()
  let fleet = empty()
  const changed = new Set<string>()
  const flapping = new Set<string>()
  const scoped = new Map<string, { version: number; value: FleetCounts }>()
  let built = false
  /** Bumped whenever a count moves: a cached scoped sum of an older version is stale. */
  let version = 0

  const mark = ({ nodeId }: { nodeId: string }) => {
    if (built) changed.add(nodeId)
  }
  deps.bus.on('nodeChanged', mark)
  deps.bus.on('transition', mark)
  deps.bus.on('playReported', mark)
  // A zone moved: which zones a scope reaches may have changed.
  deps.bus.on('zonesChanged', () => scoped.clear())

  function partOf(n: NodeRecord | null): Part | null {
    if (!n || n.retiredAt) return null
    return { zoneId: n.zoneId, state: deps.stateOf(n), playing: n.online && deps.isPlaying(n.id) }
  }

  function count(id: string, p: Part, sign: 1 | -1): void {
    let zone = byZone.get(p.zoneId)
    if (!zone) {
      zone = empty()
      byZone.set(p.zoneId, zone)
    }
    for (const c of [fleet, zone]) {
      c.total += sign
      c[p.state] += sign
      if (p.playing) c.playing += sign
    }
    if (p.state === 'flapping') {
      if (sign > 0) flapping.add(id)
      else flapping.delete(id)
    }
  }

  function put(id: string, next: Part | null): void {
    const prev = parts.get(id)
    if (
      prev &&
      next &&
      prev.zoneId === next.zoneId &&
      prev.state === next.state &&
      prev.playing === next.playing
    ) {
      return
    }
    if (prev) count(id, prev, -1)
    if (next) {
      count(id, next, 1)
      parts.set(id, next)
    } else {
      parts.delete(id)
    }
    version++
  }

  function build(): void {
    parts.clear()
    byZone.clear()
    flapping.clear()
    changed.clear()
    fleet = empty()
    for (const n of deps.repos.nodes.list()) put(n.id, partOf(n))
    version++
    built = true
  }

  /** Brings the counts up to date: the changed nodes, and those whose flapping has ended. */
  function settle(): void {
    for (const id of flapping) if (!deps.isFlapping(id)) changed.add(id)
    // Most of the fleet changed (all nodes reconnecting): one pass over the table is cheaper.
    if (!built || changed.size * 2 > parts.size + 1) {
      build()
      return
    }
    for (const id of changed) put(id, partOf(deps.repos.nodes.get(id)))
    changed.clear()
  }

  return {
    /** The fleet's counts (`scope` null), or those of the zones a zone-limited principal reaches. */
    summary(scope: SummaryScope | null = null): FleetCounts {
      settle()
      if (scope === null) return { ...fleet }
      const hit = scoped.get(scope.key)
      if (hit && hit.version === version) return { ...hit.value }
      const value = empty()
      for (const [zoneId, c] of byZone) {
        if (!scope.reaches(zoneId)) continue
        for (const k of Object.keys(value) as (keyof FleetCounts)[]) value[k] += c[k]
      }
      if (scoped.size >= SCOPES_MAX) scoped.clear()
      scoped.set(scope.key, { version, value })
      return { ...value }
    },
    /** The counts of each zone holding an active node (`GET /metrics`), up to date. */
    byZone(): [zoneId: string, counts: FleetCounts][] {
      settle()
      return [...byZone].filter(([, c]) => c.total > 0).map(([z, c]) => [z, { ...c }])
    },
  }
}

/** The fleet summary service. */
export type FleetSummary = ReturnType<typeof createFleetSummary>
