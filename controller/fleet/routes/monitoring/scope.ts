/**
 * @module monitoring/scope
 * Zone scope for fleet-wide monitoring records (alerts, incidents, command batches): a principal
 * limited to zones sees and acts on those that lie in its zones only. A record with no zone and
 * no node (a district-wide alert) lies in no zone, so only unlimited principals reach it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { reaches } from '../../../http/plugins/auth.js'

type Repositories = FastifyInstance['deps']['repos']
type AlertRecord = NonNullable<ReturnType<Repositories['alerts']['get']>>
type IncidentRecord = ReturnType<Repositories['alerts']['incidents']>[number]
type CommandRecord = ReturnType<Repositories['commands']['batch']>[number]

/** Whether the request's principal is limited to zones. */
export function zoneLimited(req: FastifyRequest): boolean {
  const p = req.principal
  return p?.kind === 'user' && p.zones.length > 0
}

/** The zone an alert belongs to: its own, else its node's; null for a district-wide one. */
export function alertZone(repos: Repositories, a: AlertRecord): string | null {
  if (a.zoneId) return a.zoneId
  return a.nodeId ? (repos.nodes.get(a.nodeId)?.zoneId ?? null) : null
}

/** Whether the request's principal reaches this alert. */
export function reachesAlert(req: FastifyRequest, repos: Repositories, a: AlertRecord): boolean {
  if (!zoneLimited(req)) return true
  const zoneId = alertZone(repos, a)
  return zoneId !== null && reaches(req, zoneId)
}

/**
 * An incident as the principal may see it: whole when its zone is in scope, else only its nodes
 * in scope (a town's outage seen from one of its villages), or null when none is.
 */
export function scopedIncident(
  req: FastifyRequest,
  repos: Repositories,
  i: IncidentRecord,
): IncidentRecord | null {
  if (!zoneLimited(req) || (i.zoneId !== null && reaches(req, i.zoneId))) return i
  const nodeIds = i.nodeIds.filter((id) => {
    const zoneId = repos.nodes.get(id)?.zoneId
    return zoneId !== undefined && reaches(req, zoneId)
  })
  return nodeIds.length > 0 ? { ...i, nodeIds } : null
}

/** The commands of a batch that the principal reaches (those to nodes in its zones). */
export function scopedBatch(
  req: FastifyRequest,
  repos: Repositories,
  commands: CommandRecord[],
): CommandRecord[] {
  if (!zoneLimited(req)) return commands
  return commands.filter((c) => {
    const zoneId = repos.nodes.get(c.nodeId)?.zoneId
    return zoneId !== undefined && reaches(req, zoneId)
  })
}
