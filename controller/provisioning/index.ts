import type { Logger } from 'pino'
import type { Config } from '../config.js'
import { createDynsecAccounts } from '../mqtt/dynsec.js'
import type { Clock, EventBus } from '../platform/index.js'
import type { Repositories } from '../repositories.js'
import { createDirectory } from './directory.js'
import type { NodeFacing } from './enrollment.js'
import { createNodeKeys } from './node-keys.js'
import { createNodeRegistry } from './node-registry.js'
import { createProvisioning, hashSecret } from './provisioning.js'
import { createSpeakers } from './speakers.js'
import { createZones } from './zones.js'

// The provisioning module's public face: what other modules may import from it.
export { renderBundleQr } from './bundle-qr.js'
export type { Directory } from './directory.js'
export type { NodeFacing } from './enrollment.js'
export type { NodeKey, NodeKeys } from './node-keys.js'
export type { NodeRegistry } from './node-registry.js'
export type { Provisioning } from './provisioning.js'
export type { NodeSortColumn } from './repositories/node-search.js'
export type { NodeRecord, NodesRepository } from './repositories/nodes-repository.js'
export type { Zone, ZonesRepository, ZoneUsage } from './repositories/zones-repository.js'
export { type ZoneEntry, zonesWithin } from './zone-scope.js'

/**
 * Provisioning: zones, speakers, node registration, enrollment, credentials, nodes' event-signing
 * keys and, on Mosquitto with dynamic security, the broker's node accounts kept in step. The only
 * writer of the `nodes` and `zones` tables: what nodes report (presence, applied plan) goes
 * through its node registry.
 */
export function createProvisioningModule(deps: {
  repos: Pick<Repositories, 'nodes' | 'zones' | 'nodeKeys' | 'enrollments'>
  bus: EventBus
  clock: Clock
  log: Logger
  config: Pick<
    Config,
    'brokerUrl' | 'brokerDynsec' | 'brokerUsername' | 'brokerPassword' | 'enrollmentTtlHours'
  >
  /** Ends a node's live session on the embedded broker; false when it had none. */
  disconnectNode: (nodeId: string) => boolean
  /** A node whose session Mosquitto ended (dynamic security): bound to the fleet monitor later. */
  onKicked: (nodeId: string) => void
  nodeFacing: () => NodeFacing
  /** The zone tree or a speaker's zone changed: what nodes are targeted by may have changed. */
  onZoneMoved: () => void
}) {
  const { repos, clock, log, config } = deps
  const nodeKeys = createNodeKeys({ repos, clock, log })
  const external = config.brokerUrl !== ''
  // With the embedded broker the controller is no client of it (an in-process session): no
  // service credentials exist that a network client could present.
  const servicePassword = external ? config.brokerPassword : ''
  // Mosquitto with dynamic security: node accounts are kept in step with provisioning.
  const dynsec =
    external && config.brokerDynsec
      ? createDynsecAccounts({
          url: config.brokerUrl,
          username: config.brokerUsername,
          password: servicePassword,
          log,
          clock,
        })
      : null
  const provisioning = createProvisioning({
    ...(dynsec ? { accounts: dynsec } : {}),
    nodeKeys,
    repos,
    bus: deps.bus,
    clock,
    log,
    service: {
      username: config.brokerUsername,
      passwordHash: external ? hashSecret(servicePassword) : null,
    },
    // An external broker authenticates on its own: there, a session lasts until it reconnects,
    // except on Mosquitto with dynamic security, which ends it (without the node's will).
    kick: (nodeId) => {
      if (!dynsec) return deps.disconnectNode(nodeId)
      deps.onKicked(nodeId)
      return true
    },
    enrollmentTtlMs: config.enrollmentTtlHours * 3_600_000,
    nodeFacing: deps.nodeFacing,
  })
  const zones = createZones({
    repo: repos.zones,
    bus: deps.bus,
    clock,
    log,
    onTreeChanged: () => {
      provisioning.forgetLineages()
      deps.onZoneMoved()
    },
  })
  const speakers = createSpeakers({
    nodes: repos.nodes,
    zones: repos.zones,
    bus: deps.bus,
    log,
    register: (input) => provisioning.registerNode(input),
    onZoneChanged: () => deps.onZoneMoved(),
  })
  return {
    name: 'provisioning',
    services: { provisioning, zones, speakers, directory: createDirectory({ repos }) },
    provisioning,
    nodeKeys,
    /** Writes what nodes report (presence, applied plan) for the fleet and ingest modules. */
    registry: createNodeRegistry({ repos }),
    /** Brings Mosquitto's node accounts in step with the registry (dynamic security only). */
    async reconcileBroker(): Promise<void> {
      if (!dynsec) return
      await dynsec.start()
      const nodes = repos.nodes.list().map((n) => ({ id: n.id, retired: n.retiredAt !== null }))
      await dynsec.reconcile(nodes)
    },
    async stop(): Promise<void> {
      await dynsec?.stop()
    },
  }
}

/** The provisioning module. */
export type ProvisioningModule = ReturnType<typeof createProvisioningModule>
