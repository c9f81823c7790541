/** The provisioning module's public face: what other modules may import from it. */
export { renderBundleQr } from './bundle-qr.js'
export type { NodeFacing } from './enrollment.js'
export type { NodeKeys } from './node-keys.js'
export type { Provisioning } from './provisioning.js'
export type { NodeSortColumn } from './repositories/node-search.js'
export type { NodeRecord, NodesRepository } from './repositories/nodes-repository.js'
export type { Zone, ZonesRepository, ZoneUsage } from './repositories/zones-repository.js'
