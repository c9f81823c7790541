import type { Repositories } from '../repositories.js'

/**
 * What nodes report about themselves, written to the nodes table by provisioning (the table's
 * only writer) on behalf of the fleet monitor (presence) and event ingest (the applied plan).
 */
export function createNodeRegistry(deps: { repos: Pick<Repositories, 'nodes'> }) {
  const { nodes } = deps.repos
  return {
    markOnline: (p: Parameters<typeof nodes.markOnline>[0]): void => nodes.markOnline(p),
    /** False when the node was not online. */
    markOffline: (id: string, at: string): boolean => nodes.markOffline(id, at),
    /** Last-seen instants, in one transaction. */
    touchMany: (pairs: [string, string][]): void => nodes.touchMany(pairs),
    recordTransition: (id: string, from: string, to: string, at: string, reason: string): void =>
      nodes.recordTransition(id, from, to, at, reason),
    setAppliedPlanVersion: (id: string, version: string): void =>
      nodes.setAppliedPlanVersion(id, version),
  }
}

/** The node registry's writes. */
export type NodeRegistry = ReturnType<typeof createNodeRegistry>
