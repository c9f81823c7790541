/** @module broker — the embedded aedes broker: listeners, authentication, per-node ACL. */

import type { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { Aedes, type Client } from 'aedes'
import type { Identity } from './acl.js'
import { type CredentialStore, createAuthHooks } from './auth.js'
import { type BrokerEvents, createBrokerEvents, type DisconnectReason } from './events.js'

export { type Identity, mayPublish, maySubscribe } from './acl.js'
export type { CredentialStore } from './auth.js'
export type { BrokerEvents, DisconnectReason } from './events.js'

/**
 * Node's default listen backlog (511) overflows in a reconnect storm of thousands of nodes
 * (PRODUCT.md, broker measurements), so the TCP listener asks for more.
 */
export const LISTEN_BACKLOG = 4096

/** Options of the embedded broker. */
export interface BrokerOptions {
  credentials: CredentialStore
  /** Plain MQTT listener; omit to refuse plain connections. */
  tcp?: { port: number; host: string }
  /** MQTT over TLS listener (PEM certificate chain and key). */
  tls?: { port: number; host: string; cert: string; key: string }
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  readonly events: EventEmitter<BrokerEvents>
  /** Starts listening; resolves with the ports actually bound (useful with port 0). */
  listen(): Promise<{ port: number | null; tlsPort: number | null }>
  /** Disconnects a node's live session (after its credentials were revoked). */
  disconnectNode(nodeId: string): boolean
  /** Number of connected clients. */
  connectedClients(): number
  /** Whether the broker is accepting connections. */
  isListening(): boolean
  close(): Promise<void>
}

/** Creates the embedded aedes broker; nothing listens until `listen()`. */
export async function createBroker(opts: BrokerOptions): Promise<EmbeddedBroker> {
  const events = createBrokerEvents()
  const identities = new WeakMap<Client, Identity>()
  const nodeClients = new Map<string, Client>()
  const pendingReason = new WeakMap<Client, DisconnectReason>()
  const aedes = await Aedes.createBroker({
    ...createAuthHooks(opts.credentials, identities, events),
  })
  const servers: Server[] = []

  aedes.on('clientReady', (client) => {
    const identity = identities.get(client)
    if (identity?.kind !== 'node') return
    // aedes runs the will through authorizePublish when it fires, so a node cannot leave a
    // forged will on another node's topic.
    nodeClients.set(identity.nodeId, client)
    const conn = client.conn as { remoteAddress?: string }
    events.emit('nodeConnected', { nodeId: identity.nodeId, address: conn.remoteAddress ?? null })
  })
  aedes.on('keepaliveTimeout', (client) => pendingReason.set(client, 'keepalive'))
  aedes.on('clientError', (client, error) => {
    // A reset or broken pipe is a connection that closed, not a protocol error.
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ECONNRESET' || code === 'EPIPE' ? 'closed' : 'error'
    if (!pendingReason.has(client)) pendingReason.set(client, reason)
    events.emit('clientError', { clientId: client.id, error })
  })
  aedes.on('clientDisconnect', (client) => {
    const identity = identities.get(client)
    if (identity?.kind !== 'node') return
    // A take-over by a new session of the same node must not mark the node offline.
    if (nodeClients.get(identity.nodeId) !== client) return
    nodeClients.delete(identity.nodeId)
    const reason = pendingReason.get(client) ?? (aedes.closed ? 'broker-stop' : 'closed')
    events.emit('nodeDisconnected', { nodeId: identity.nodeId, reason })
  })

  return {
    events,
    async listen() {
      const bind = (srv: Server, port: number, host: string) =>
        new Promise<number>((resolve, reject) => {
          srv.once('error', reject)
          srv.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
            srv.off('error', reject)
            servers.push(srv)
            const addr = srv.address()
            resolve(typeof addr === 'object' && addr ? addr.port : port)
          })
        })
      const port = opts.tcp
        ? await bind(createServer(aedes.handle), opts.tcp.port, opts.tcp.host)
        : null
      const tlsPort = opts.tls
        ? await bind(
            createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, aedes.handle),
            opts.tls.port,
            opts.tls.host,
          )
        : null
      return { port, tlsPort }
    },
    disconnectNode(nodeId) {
      const client = nodeClients.get(nodeId)
      if (!client) return false
      pendingReason.set(client, 'kicked')
      client.close()
      return true
    },
    connectedClients: () => aedes.connectedClients,
    isListening: () => servers.some((s) => s.listening),
    async close() {
      const all = servers.splice(0)
      // Stop accepting first, then close every client, then wait for the listeners to finish.
      const closed = all.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve())))
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await Promise.all(closed)
    },
  }
}
