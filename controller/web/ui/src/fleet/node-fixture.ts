import type { Node } from './types'

/** A node as GET /api/nodes answers it, for the fleet's unit tests: online, placed nowhere. */
export function nodeFixture(over: Partial<Node> = {}): Node {
  return {
    id: 'node-1',
    name: '西海路 1号',
    zone: 'z1',
    zoneName: '西海路社区',
    lat: null,
    lon: null,
    isTest: false,
    online: true,
    state: 'online',
    playing: false,
    degradedReasons: [],
    stateSince: null,
    offlineSince: null,
    incidentId: null,
    lastSeen: null,
    agentVersion: null,
    planVersion: null,
    reportedPlanVersion: null,
    appliedPlanVersion: null,
    createdAt: '2026-11-20T00:00:00Z',
    retiredAt: null,
    serial: null,
    notes: null,
    enrolledAt: null,
    replacedAt: null,
    ...over,
  }
}
