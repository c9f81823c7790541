import { EventEmitter } from 'node:events'
import type { LimitEvent } from './limits.js'

/** Why a client's connection ended, as far as the broker can tell. */
export type DisconnectReason = 'closed' | 'keepalive' | 'error' | 'kicked' | 'broker-stop'

/** Typed events the broker emits; it does no logging of its own (aedes does the same). */
export interface BrokerEvents {
  nodeConnected: [{ nodeId: string; address: string | null }]
  nodeDisconnected: [{ nodeId: string; reason: DisconnectReason }]
  rejected: [{ clientId: string; reason: string; topic?: string }]
  clientError: [{ clientId: string; error: Error }]
  /** A listener failed to accept a connection (e.g. EMFILE); it keeps listening. */
  listenerError: [{ error: Error }]
  /** A connection refused (over a cap) or cut (a packet over the size limit). */
  limited: [LimitEvent]
}

/** Creates the broker's event emitter. */
export function createBrokerEvents(): EventEmitter<BrokerEvents> {
  return new EventEmitter<BrokerEvents>()
}
