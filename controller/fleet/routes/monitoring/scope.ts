/**
 * @module monitoring/scope
 * Zone scope for fleet-wide monitoring records (alerts, incidents, command batches): a principal
 * limited to zones sees and acts on those that lie in its zones only. A record with no zone and
 * no node (a district-wide alert) lies in no zone, so only unlimited principals reach it.
 */
import type { FastifyRequest } from 'fastify'
import { reaches } from '../../../http/plugins/auth.js'
import type { SummaryScope } from '../../fleet-summary.js'
import type { FleetRecords } from '../../records.js'

type AlertRecord = NonNullable<ReturnType<FleetRecords['alert']>>
type IncidentRecord = ReturnType<FleetRecords['incidents']>[number]
type CommandRecord = ReturnType<FleetRecords['commandBatch']>[number]
/** The zone a node is in (undefined: unknown node): provisioning's directory. */
type ZoneOfNode = (nodeId: string) => string | undefined

/** Whether the request's principal is limited to zones. */
export function zoneLimited(req: FastifyRequest): boolean {
  const p = req.principal
  return p?.kind === 'user' && p.zones.length > 0
}

/** The scope of a zone-limited principal's fleet summary (null: the whole fleet). */
export function summaryScope(req: FastifyRequest): SummaryScope | null {
  const p = req.principal
  if (p?.kind !== 'user' || p.zones.length === 0) return null
  return { key: [...p.zones].sort().join(' '), reaches: (zoneId) => reaches(req, zoneId) }
}

/** The zone an alert belongs to: its own, else its node's; null for a district-wide one. */
export function alertZone(zoneOfNode: ZoneOfNode, a: AlertRecord): string | null {
  if (a.zoneId) return a.zoneId
  return a.nodeId ? (zoneOfNode(a.nodeId) ?? null) : null
}

/** Whether the request's principal reaches this alert. */
export function reachesAlert(req: FastifyRequest, zoneOfNode: ZoneOfNode, a: AlertRecord): boolean {
  if (!zoneLimited(req)) return true
  const zoneId = alertZone(zoneOfNode, a)
  return zoneId !== null && reaches(req, zoneId)
}

/**
 * An incident as the principal may see it: whole when its zone is in scope, else only its nodes
 * in scope (a town's outage seen from one of its villages), or null when none is.
 */
export function scopedIncident(
  req: FastifyRequest,
  zoneOfNode: ZoneOfNode,
  i: IncidentRecord,
): IncidentRecord | null {
  if (!zoneLimited(req) || (i.zoneId !== null && reaches(req, i.zoneId))) return i
  const nodeIds = i.nodeIds.filter((id) => {
    const zoneId = zoneOfNode(id)
    return zoneId !== undefined && reaches(req, zoneId)
  })
  return nodeIds.length > 0 ? { ...i, nodeIds } : null
}

/** The commands of a batch that the principal reaches (those to nodes in its zones). */
export function scopedBatch(
  req: FastifyRequest,
  zoneOfNode: ZoneOfNode,
  commands: CommandRecord[],
): CommandRecord[] {
  if (!zoneLimited(req)) return commands
  return commands.filter((c) => {
    const zoneId = zoneOfNode(c.nodeId)
    return zoneId !== undefined && reaches(req, zoneId)
  })
}
