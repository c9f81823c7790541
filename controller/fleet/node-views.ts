import { ChorusError } from '../errors.js'
import type { EventBus } from '../platform/index.js'
import type { NodeRecord, NodeSortColumn } from '../provisioning/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { FleetMonitor } from './fleet-monitor.js'
import { createFleetSummary, type FleetCounts, type SummaryScope } from './fleet-summary.js'
import type { Incidents } from './incidents.js'
import type { DegradedReason, NodeHealth } from './node-health.js'

/** A node's state as technicians see it. */
export type NodeState = 'online' | 'offline' | 'degraded' | 'flapping'

/** A node as the API shows it: presence, health, zone and plan versions, never the secret hash. */
export interface NodeView {
  id: string
  name: string
  zone: string
  zoneName: string
  lat: number | null
  lon: number | null
  isTest: boolean
  online: boolean
  state: NodeState
  playing: boolean
  degradedReasons: DegradedReason[]
  stateSince: string | null
  offlineSince: string | null
  incidentId: string | null
  lastSeen: string | null
  agentVersion: string | null
  planVersion: string | null
  reportedPlanVersion: string | null
  appliedPlanVersion: string | null
  createdAt: string
  retiredAt: string | null
  serial: string | null
  notes: string | null
  enrolledAt: string | null
  replacedAt: string | null
}

/** What GET /api/nodes may ask for: filters, sort and page. */
export interface NodeQuery {
  /** Zone id: nodes in it or in a zone under it. */
  zone?: string
  state?: NodeState
  /** Text in the name, id or serial. */
  q?: string
  /** Only these nodes. */
  ids?: readonly string[]
  sort?: NodeSortColumn | 'state'
  order?: 'asc' | 'desc'
  limit: number
  offset: number
}

const STATE_ORDER: Record<NodeState, number> = { offline: 0, flapping: 1, degraded: 2, online: 3 }

/** Builds node views from the store and the monitoring services' in-memory state. */
export function createNodeViews(deps: {
  repos: Pick<SharedRepositories, 'nodeSearch' | 'nodes' | 'plans' | 'zones'>
  fleet: FleetMonitor
  health: NodeHealth
  incidents: Incidents
  /** A zone and every zone above it (provisioning's cached lineage). */
  zoneLineage: (zoneId: string) => string[]
  /** Node changes, transitions and play reports keep the fleet summary up to date. */
  bus: EventBus
}) {
  const { repos } = deps

  const counts = createFleetSummary({
    repos,
    bus: deps.bus,
    stateOf,
    isPlaying: deps.health.isPlaying,
    isFlapping: deps.fleet.isFlapping,
  })

  function stateOf(n: NodeRecord): NodeState {
    if (deps.fleet.isFlapping(n.id)) return 'flapping'
    if (!n.online) return 'offline'
    return deps.health.reasonsOf(n.id).length > 0 ? 'degraded' : 'online'
  }

  function toViews(nodes: NodeRecord[]): NodeView[] {
    const zones = new Map(repos.zones.list().map((z) => [z.id, z.name]))
    // A page asks for its own nodes' versions; a long list reads them all in one pass.
    const plans =
      nodes.length > 200 ? repos.plans.versions() : repos.plans.versionsOf(nodes.map((n) => n.id))
    return nodes.map((n) => ({
      id: n.id,
      name: n.name,
      zone: n.zoneId,
      zoneName: zones.get(n.zoneId) ?? n.zoneId,
      lat: n.lat,
      lon: n.lon,
      isTest: n.isTest,
      online: n.online,
      state: stateOf(n),
      playing: n.online && deps.health.isPlaying(n.id),
      degradedReasons: n.online ? deps.health.reasonsOf(n.id) : [],
      stateSince: n.stateSince,
      offlineSince: n.online ? null : (n.stateSince ?? n.createdAt),
      incidentId: deps.incidents.incidentOf(n.id),
      lastSeen: n.lastSeen,
      agentVersion: n.agentVersion,
      planVersion: plans.get(n.id) ?? null,
      reportedPlanVersion: n.reportedPlanVersion,
      appliedPlanVersion: n.appliedPlanVersion,
      createdAt: n.createdAt,
      retiredAt: n.retiredAt,
      serial: n.serial,
      notes: n.notes,
      enrolledAt: n.enrolledAt,
      replacedAt: n.replacedAt,
    }))
  }

  /**
   * One page of nodes, filtered and sorted in SQLite (zone, text, online, name/zone/lastSeen);
   * a filter or sort on the full state (degraded and flapping live in memory) filters the SQL
   * matches in memory. `zones` are the zones the caller may see (null: all).
   */
  function page(query: NodeQuery, zones: readonly string[] | null) {
    const { zone, state, q, limit, offset } = query
    const desc = query.order === 'desc'
    let zoneIds = zones
    if (zone !== undefined) {
      const under = repos.zones
        .list()
        .map((z) => z.id)
        .filter((id) => deps.zoneLineage(id).includes(zone))
      zoneIds = zoneIds === null ? under : under.filter((id) => zoneIds?.includes(id))
    }
    const base = {
      zoneIds,
      ids: query.ids ?? null,
      text: q?.trim() ? q.trim() : null,
      sort: query.sort === 'state' || query.sort === undefined ? 'name' : query.sort,
      desc: query.sort === 'state' ? false : desc,
    } as const
    if (state === undefined && query.sort !== 'state') {
      const { rows, total } = repos.nodeSearch.search({ ...base, online: null, limit, offset })
      return { items: toViews(rows), total, limit, offset }
    }
    const online = state === 'offline' ? false : state === 'online' || state === 'degraded'
    const { rows } = repos.nodeSearch.search({
      ...base,
      online: state === undefined || state === 'flapping' ? null : online,
      limit: null,
      offset: 0,
    })
    let matched = rows.map((n) => ({ n, s: stateOf(n) }))
    if (state !== undefined) matched = matched.filter((m) => m.s === state)
    if (query.sort === 'state') {
      const sign = desc ? -1 : 1
      // Stable: ties keep SQLite's name order.
      matched.sort((a, b) => sign * (STATE_ORDER[a.s] - STATE_ORDER[b.s]))
    }
    const slice = matched.slice(offset, offset + limit).map((m) => m.n)
    return { items: toViews(slice), total: matched.length, limit, offset }
  }

  return {
    list: () => toViews(repos.nodes.list()),
    page,
    get(id: string): NodeView {
      const n = repos.nodes.get(id)
      if (!n) throw new ChorusError('NODE_NOT_FOUND', `no node ${id}`)
      return toViews([n])[0] as NodeView
    },
    /** Views of the given nodes (unknown ids skipped), with one zone and plan lookup. */
    viewsOf: (ids: Iterable<string>) =>
      toViews([...ids].map((id) => repos.nodes.get(id)).filter((n): n is NodeRecord => !!n)),
    stateOf: (id: string): NodeState => {
      const n = repos.nodes.get(id)
      return n ? stateOf(n) : 'offline'
    },
    /**
     * Counts by state, of the fleet or of the zones a zone-limited principal reaches: kept up
     * to date node by node, not walked per call (issue 9, `fleet-summary.ts`).
     */
    summary: (scope: SummaryScope | null = null): FleetCounts => counts.summary(scope),
    /** The same counts per zone (zone id → counts), for `GET /metrics`. */
    summaryByZone: () => counts.byZone(),
  }
}

/** The node views service. */
export type NodeViews = ReturnType<typeof createNodeViews>
