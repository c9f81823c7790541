import type { AgentEvent } from '../../protocol/index.js'
import { createNodeKey, generateNodeKeyPem, type NodeKey } from '../../speaker-agent/node-key.js'
import type { TestController } from './controller.js'

/** A fresh node signing key, as an agent makes at enrollment. */
export function makeNodeKey(): NodeKey {
  return createNodeKey(generateNodeKeyPem())
}

/**
 * Registers `key` as `nodeId`'s event key in the controller's store, as enrollment does (raw test
 * nodes do not enroll).
 */
export function registerNodeKey(ctl: TestController, nodeId: string, key: NodeKey): void {
  const deps = ctl.controller.deps
  if (!deps) throw new Error('controller not started')
  deps.repos.nodeKeys.put({
    nodeId,
    keyId: key.keyId,
    publicKeyPem: key.publicKeyPem,
    source: 'enrollment',
    registeredAt: new Date().toISOString(),
  })
}

/** An `events` payload with every event signed by `key`. */
export function signedEvents(key: NodeKey, events: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ v: 1, events: events.map((e) => key.sign(e as AgentEvent)) })
}
