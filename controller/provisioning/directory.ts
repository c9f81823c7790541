import type { Repositories } from '../repositories.js'

/**
 * Read-only lookups of registered nodes and zones (the HTTP layer's zone-scope checks, the live
 * stream, the broker hooks): provisioning owns both tables.
 */
export function createDirectory(deps: { repos: Pick<Repositories, 'nodes' | 'zones'> }) {
  const { nodes, zones } = deps.repos
  return {
    /** A node's record (null: unknown). */
    node: (id: string) => nodes.get(id),
    /** The zone a node is in (undefined: unknown node). */
    zoneOfNode: (id: string): string | undefined => nodes.get(id)?.zoneId,
    /** A zone by id (null: unknown). */
    zone: (id: string) => zones.get(id),
    /** A zone by id, else by its administrative code (null: neither). */
    resolveZone: (ref: string) => zones.resolve(ref),
    /** Zones with this name (names are unique per parent, so there may be several). */
    zonesNamed: (name: string) => zones.findByName(name),
  }
}

/** The node and zone directory. */
export type Directory = ReturnType<typeof createDirectory>
