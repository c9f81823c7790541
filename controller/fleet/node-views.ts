import { ChorusError } from '../errors.js'
import type { Repositories } from '../repositories.js'
import type { FleetMonitor } from './fleet-monitor.js'
import type { Incidents } from './incidents.js'
import type { DegradedReason, NodeHealth } from './node-health.js'
import type { NodeRecord } from './repositories/nodes-repository.js'

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

/** Builds node views from the store and the monitoring services' in-memory state. */
export function createNodeViews(deps: {
  repos: Repositories
  fleet: FleetMonitor
  health: NodeHealth
  incidents: Incidents
}) {
  const { repos } = deps

  function stateOf(n: NodeRecord): NodeState {
    if (deps.fleet.isFlapping(n.id)) return 'flapping'
    if (!n.online) return 'offline'
    return deps.health.reasonsOf(n.id).length > 0 ? 'degraded' : 'online'
  }

  function toViews(nodes: NodeRecord[]): NodeView[] {
    const zones = new Map(repos.zones.list().map((z) => [z.id, z.name]))
    const plans = repos.plans.versions()
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

  return {
    list: () => toViews(repos.nodes.list()),
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
    summary() {
      const out = { total: 0, online: 0, offline: 0, degraded: 0, flapping: 0, playing: 0 }
      for (const n of repos.nodes.list()) {
        if (n.retiredAt) continue
        out.total++
        out[stateOf(n)]++
        if (n.online && deps.health.isPlaying(n.id)) out.playing++
      }
      return out
    },
  }
}

/** The node views service. */
export type NodeViews = ReturnType<typeof createNodeViews>
