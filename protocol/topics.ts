import { TOPIC_ROOT } from './version.js'

/** Per-node channels, in the order docs/protocol.md lists them. */
export const CHANNELS = ['status', 'plan', 'cmd', 'events', 'telemetry', 'receipt'] as const

/** One per-node channel name. */
export type Channel = (typeof CHANNELS)[number]

/** Channels a node publishes on (its own prefix only). */
export const NODE_PUBLISHES: readonly Channel[] = ['status', 'events', 'telemetry']

/** Channels a node subscribes to (its own prefix only). */
export const NODE_SUBSCRIBES: readonly Channel[] = ['plan', 'cmd', 'receipt']

/** Fleet-wide topics that every node may read and only the controller may write. */
export const FLEET_TOPICS = { rebirth: `${TOPIC_ROOT}/fleet/rebirth` } as const

/** Node ids: lower-case letters, digits and dashes, so they are safe in topics, paths and URLs. */
export const NODE_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$'

const NODE_ID_RE = new RegExp(NODE_ID_PATTERN)
const NODES_PREFIX = `${TOPIC_ROOT}/nodes/`

/** True when `id` is a well-formed node id. */
export function isNodeId(id: string): boolean {
  return NODE_ID_RE.test(id)
}

/** The topic of one node's channel; throws on a malformed node id rather than build a bad topic. */
export function nodeTopic(nodeId: string, channel: Channel): string {
  if (!isNodeId(nodeId)) throw new TypeError(`invalid node id: ${JSON.stringify(nodeId)}`)
  return `${NODES_PREFIX}${nodeId}/${channel}`
}

/** Subscription filter matching one channel of every node (the controller's view). */
export function allNodesFilter(channel: Channel): string {
  return `${NODES_PREFIX}+/${channel}`
}

/** Splits a per-node topic into node id and channel, or null when it is not one. */
export function parseNodeTopic(topic: string): { nodeId: string; channel: Channel } | null {
  if (!topic.startsWith(NODES_PREFIX)) return null
  const rest = topic.slice(NODES_PREFIX.length).split('/')
  if (rest.length !== 2) return null
  const [nodeId, channel] = rest as [string, string]
  if (!isNodeId(nodeId)) return null
  if (!(CHANNELS as readonly string[]).includes(channel)) return null
  return { nodeId, channel: channel as Channel }
}
