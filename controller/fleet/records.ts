import type { SharedRepositories } from '../repositories.js'

/**
 * What the fleet has recorded, read-only, for the HTTP routes and the live stream (which never
 * reach a repository themselves): telemetry and state transitions, a node's commands, alerts,
 * incidents and webhook deliveries (a node's plays, titled, are the reports').
 */
export function createFleetRecords(deps: {
  repos: Pick<SharedRepositories, 'alerts' | 'commands' | 'telemetry'>
}) {
  const { alerts, commands, telemetry } = deps.repos
  return {
    /** A node's online/offline transitions since an ISO instant. */
    transitions: (nodeId: string, from: string) => telemetry.transitions(nodeId, from),
    /** A node's telemetry samples since an ISO instant. */
    telemetrySince: (nodeId: string, from: string) => telemetry.since(nodeId, from),
    /** A node's state just before an ISO instant (null: none recorded). */
    stateBefore: (nodeId: string, at: string) => telemetry.stateBefore(nodeId, at),
    /** When a node first came online (null: never). */
    firstOnline: (nodeId: string) => telemetry.firstOnline(nodeId),
    /** A node's recent commands. */
    commandsForNode: (nodeId: string) => commands.forNode(nodeId),
    /** The commands of one batch (a zone command). */
    commandBatch: (batchId: string) => commands.batch(batchId),
    command: (id: string) => commands.get(id),
    alert: (id: string) => alerts.get(id),
    openAlerts: () => alerts.open(),
    recentAlerts: () => alerts.recent(),
    incidents: (limit?: number) => alerts.incidents(limit),
    deliveries: () => alerts.deliveries(),
  }
}

/** The fleet's records. */
export type FleetRecords = ReturnType<typeof createFleetRecords>
