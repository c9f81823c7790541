import type { NodeState, NodeView } from './types.js'

/** What a node's badge shows: its fleet state, or `retired`. */
export type ShownState = NodeState | 'retired'

/** States in order of concern (the counts, the map legend, the filters). */
export const NODE_STATES: readonly NodeState[] = ['online', 'degraded', 'flapping', 'offline']

const KNOWN = new Set<string>(NODE_STATES)

/**
 * Fills what an older controller leaves out (`state`, `playing`, …), so the UI keeps working
 * against it: the state then follows `online`.
 */
export function normalizeNode(raw: NodeView): NodeView {
  const n = raw as Partial<NodeView> & NodeView
  if (
    KNOWN.has(n.state) &&
    typeof n.playing === 'boolean' &&
    Array.isArray(n.degradedReasons) &&
    n.offlineSince !== undefined &&
    n.incidentId !== undefined
  ) {
    return n
  }
  const state: NodeState = KNOWN.has(n.state) ? n.state : n.online ? 'online' : 'offline'
  return {
    ...n,
    state,
    playing: n.playing ?? false,
    degradedReasons: Array.isArray(n.degradedReasons) ? n.degradedReasons : [],
    offlineSince: n.offlineSince ?? (state === 'offline' ? n.stateSince : null),
    incidentId: n.incidentId ?? null,
  }
}

/** The badge state of a node. */
export function shownState(n: NodeView): ShownState {
  return n.retiredAt ? 'retired' : n.state
}
