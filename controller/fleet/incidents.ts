import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import type { CancelTimer, Clock, EventBus, Transition } from '../platform/index.js'
import type { SharedRepositories } from '../repositories.js'
import type { IncidentRecord } from './repositories/alerts-repository.js'

/** An incident ends when this share of its nodes is back online. */
export const INCIDENT_RECOVERED_SHARE = 0.9

/**
 * Many nodes dropping at the same moment (a broker restart, a power cut in one village, a cell
 * outage) become one incident with the nodes it covers and its likely cause, instead of hundreds
 * of separate alerts. Drops within `windowMs` of the first are gathered; a group of at least
 * `minNodes` is an incident. Its cause: `broker-restart` when the broker went away, `zone-outage`
 * when all nodes share a zone below the district, otherwise `mass-disconnect`.
 */
export function createIncidents(deps: {
  repos: Pick<SharedRepositories, 'alerts' | 'nodes' | 'zones'>
  bus: EventBus
  clock: Clock
  log: Logger
  windowMs: number
  minNodes: number
  zoneLineage: (zoneId: string) => string[]
}) {
  const log = deps.log.child({ module: 'incidents' })
  let pending: { nodeIds: Set<string>; reasons: Set<string>; firstAt: string } | null = null
  let timer: CancelTimer | null = null
  const open = new Map<string, IncidentRecord>()
  const nodeIncident = new Map<string, string>()

  /** The deepest zone all nodes share, or null. */
  function commonZone(nodeIds: string[]): string | null {
    let common: string[] | null = null
    for (const id of nodeIds) {
      const node = deps.repos.nodes.get(id)
      if (!node) continue
      const lineage = [...deps.zoneLineage(node.zoneId)].reverse()
      if (!common) common = lineage
      else {
        let i = 0
        while (i < common.length && common[i] === lineage[i]) i++
        common = common.slice(0, i)
      }
    }
    return common && common.length > 0 ? (common[common.length - 1] as string) : null
  }

  function close(): void {
    timer = null
    const group = pending
    pending = null
    if (!group || group.nodeIds.size < deps.minNodes) return
    const nodeIds = [...group.nodeIds].sort()
    const zoneId = commonZone(nodeIds)
    // A zone outage when the drop is confined to one zone: the common zone is below the top of
    // the tree, or nodes outside it stayed online.
    const zone = zoneId ? deps.repos.zones.get(zoneId) : null
    const confined =
      zone !== null &&
      (zone.parentId !== null ||
        deps.repos.nodes
          .list()
          .some((n) => n.online && !deps.zoneLineage(n.zoneId).includes(zone.id)))
    const cause = group.reasons.has('broker-restart')
      ? 'broker-restart'
      : confined
        ? 'zone-outage'
        : 'mass-disconnect'
    const incident: IncidentRecord = {
      id: `inc-${randomBytes(5).toString('hex')}`,
      startedAt: group.firstAt,
      endedAt: null,
      cause,
      zoneId,
      nodeIds,
    }
    deps.repos.alerts.insertIncident(incident)
    open.set(incident.id, incident)
    for (const id of nodeIds) nodeIncident.set(id, incident.id)
    log.warn({ incidentId: incident.id, cause, zoneId, nodes: nodeIds.length }, 'incident opened')
    deps.bus.emit('incidentChanged', { incidentId: incident.id })
  }

  function onTransition(t: Transition): void {
    if (t.to === 'offline') {
      if (nodeIncident.has(t.nodeId)) return
      pending ??= { nodeIds: new Set(), reasons: new Set(), firstAt: t.at }
      pending.nodeIds.add(t.nodeId)
      pending.reasons.add(t.reason)
      timer ??= deps.clock.after(deps.windowMs, close)
      return
    }
    pending?.nodeIds.delete(t.nodeId)
    const incidentId = nodeIncident.get(t.nodeId)
    if (!incidentId) return
    nodeIncident.delete(t.nodeId)
    const incident = open.get(incidentId)
    if (!incident) return
    const stillDown = incident.nodeIds.filter((id) => nodeIncident.get(id) === incidentId).length
    if (stillDown <= incident.nodeIds.length * (1 - INCIDENT_RECOVERED_SHARE)) {
      const at = new Date(deps.clock.now()).toISOString()
      deps.repos.alerts.endIncident(incidentId, at)
      open.delete(incidentId)
      for (const id of incident.nodeIds) {
        if (nodeIncident.get(id) === incidentId) nodeIncident.delete(id)
      }
      log.info({ incidentId }, 'incident over')
      deps.bus.emit('incidentChanged', { incidentId })
    }
  }

  const listener = (t: Transition) => onTransition(t)
  return {
    /** The open incident a node is part of, if any. */
    incidentOf: (nodeId: string): string | null => nodeIncident.get(nodeId) ?? null,
    openIncidents: (): IncidentRecord[] => [...open.values()],
    /** Closes the gathering window now (tests and shutdown). */
    flush(): void {
      timer?.()
      close()
    },
    start(): void {
      for (const i of deps.repos.alerts.openIncidents()) {
        const down = i.nodeIds.filter((id) => !deps.repos.nodes.get(id)?.online)
        if (down.length <= i.nodeIds.length * (1 - INCIDENT_RECOVERED_SHARE)) {
          deps.repos.alerts.endIncident(i.id, new Date(deps.clock.now()).toISOString())
          continue
        }
        open.set(i.id, i)
        for (const id of down) nodeIncident.set(id, i.id)
      }
      deps.bus.on('transition', listener)
    },
    stop(): void {
      deps.bus.off('transition', listener)
      timer?.()
      timer = null
    },
  }
}

/** The incidents service. */
export type Incidents = ReturnType<typeof createIncidents>
