import {
  FLEET_TOPICS,
  NODE_PUBLISHES,
  NODE_SUBSCRIBES,
  nodeTopic,
  parseNodeTopic,
  TOPIC_ROOT,
} from '../protocol/index.js'

/** Who an authenticated MQTT client is. */
export type Identity = { kind: 'node'; nodeId: string } | { kind: 'service'; name: string }

const FLEET_READABLE: readonly string[] = Object.values(FLEET_TOPICS)

/**
 * Whether `identity` may publish on `topic`. A node may publish only its own status, events and
 * telemetry, never retained (a retained message would be planted in the broker for every future
 * subscriber, and per-node retained state does not scale on aedes: PRODUCT.md). The controller's
 * service identity may publish anywhere under the Chorus root.
 */
export function mayPublish(identity: Identity, topic: string, retain: boolean): boolean {
  if (identity.kind === 'service') return topic.startsWith(`${TOPIC_ROOT}/`)
  if (retain) return false
  const parsed = parseNodeTopic(topic)
  if (!parsed || parsed.nodeId !== identity.nodeId) return false
  return NODE_PUBLISHES.includes(parsed.channel)
}

/**
 * Whether `identity` may subscribe to `filter`. A node may subscribe only to its own plan, cmd
 * and receipt topics (exact, no wildcards: another node's receipts are none of its business) and
 * to the read-only fleet-wide topics; the service identity
 * may subscribe to anything, including `#`.
 */
export function maySubscribe(identity: Identity, filter: string): boolean {
  if (identity.kind === 'service') return true
  if (FLEET_READABLE.includes(filter)) return true
  return NODE_SUBSCRIBES.some((channel) => nodeTopic(identity.nodeId, channel) === filter)
}
