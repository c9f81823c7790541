/** @module broker — the embedded aedes broker: listeners, authentication, per-node ACL. */

import type { EventEmitter } from 'node:events'
import { createServer, type Server, type Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import { Aedes, type Client } from 'aedes'
import type { Identity } from './acl.js'
import { type CredentialStore, createAuthHooks } from './auth.js'
import { type BrokerEvents, createBrokerEvents, type DisconnectReason } from './events.js'
import {
  type ConnectionLimits,
  createConnectionGuard,
  createConnectRate,
  effectiveMaxConnections,
  MAX_PACKET_BYTES,
  openFileLimit,
} from './limits.js'
import { createServiceSession, type ServiceSession } from './service-session.js'

export { type Identity, mayPublish, maySubscribe } from './acl.js'
/** The ACL's expected answers, for tests of any path that must answer as it does (EMQX hooks). */
export { publishCases, subscribeCases, type Who } from './acl-cases.js'
export type { CredentialStore } from './auth.js'
export type { BrokerEvents, DisconnectReason } from './events.js'
export {
  type ConnectionLimits,
  type LimitEvent,
  type LimitReason,
  MAX_PACKET_BYTES,
  openFileLimit,
} from './limits.js'
export { SERVICE_PUBLISH_WINDOW, type ServiceSession } from './service-session.js'

/** Limits sized for 10,000 nodes (docs/security.md); each can be overridden. */
export const DEFAULT_LIMITS: ConnectionLimits = {
  maxConnections: 12_000,
  maxPerAddress: 1_000,
  connectTimeoutMs: 10_000,
  tlsHandshakeTimeoutMs: 30_000,
  maxConnectBytes: 8192,
  maxPacketBytes: MAX_PACKET_BYTES,
  maxConnectsPerMin: 30,
}

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
  /** Connection and packet limits (DEFAULT_LIMITS for what is left out). */
  limits?: Partial<ConnectionLimits>
  /** The process's open-file limit (default: read from /proc/self/limits). */
  fdLimit?: number | null
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  readonly events: EventEmitter<BrokerEvents>
  /**
   * The controller's own session, in process: it subscribes there before `listen()` lets any
   * node in, so no node event precedes its subscription. No network client can act as it.
   */
  readonly service: ServiceSession
  /** Starts listening; resolves with the ports actually bound (useful with port 0). */
  listen(): Promise<{ port: number | null; tlsPort: number | null }>
  /**
   * Stops accepting nodes and disconnects those connected, keeping the service connection: the
   * controller stops taking events before its own client goes away.
   */
  stopAccepting(): void
  /** Disconnects a node's live session (after its credentials were revoked). */
  disconnectNode(nodeId: string): boolean
  /** Number of connected clients. */
  connectedClients(): number
  /** The limits in force (the connection cap lowered to fit the open-file limit). */
  readonly limits: ConnectionLimits
  /** Open sockets (before and after CONNECT), and connections refused or cut, by reason. */
  limitStats(): ReturnType<ReturnType<typeof createConnectionGuard>['stats']>
  /** True while the broker holds a session for this node. */
  isNodeConnected(nodeId: string): boolean
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
  const configured = { ...DEFAULT_LIMITS, ...opts.limits }
  const fdLimit = opts.fdLimit === undefined ? openFileLimit() : opts.fdLimit
  const limits: ConnectionLimits = {
    ...configured,
    maxConnections: effectiveMaxConnections(configured.maxConnections, fdLimit),
  }
  const guard = createConnectionGuard(limits, (e) => events.emit('limited', e))
  const hooks = createAuthHooks(opts.credentials, identities, events)
  const connectRate = createConnectRate(limits.maxConnectsPerMin)
  const aedes = await Aedes.createBroker({
    ...hooks,
    connectTimeout: limits.connectTimeoutMs,
    authenticate(client, username, password, done) {
      hooks.authenticate?.(client, username, password, (err, ok) => {
        const identity = ok ? identities.get(client) : undefined
        if (identity?.kind === 'node' && !connectRate.allow(identity.nodeId)) {
          identities.delete(client)
          const reason = 'connecting too often'
          events.emit('rejected', { clientId: client.id, reason })
          return done(Object.assign(new Error(reason), { returnCode: 3 as const }), false)
        }
        // Past authentication, a client may send packets up to the protocol's maximum.
        if (ok) guard.authenticated(client.conn)
        done(err, ok)
      })
    },
  })
  const servers: Server[] = []
  const closing: Promise<void>[] = []
  const service = createServiceSession(aedes)

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
    service,
    stopAccepting() {
      const all = servers.splice(0)
      // No new connections; close() waits for the listeners to finish.
      for (const srv of all) closing.push(new Promise((resolve) => srv.close(() => resolve())))
      for (const client of nodeClients.values()) client.close()
    },
    async listen() {
      const bind = (srv: Server, port: number, host: string) =>
        new Promise<number>((resolve, reject) => {
          srv.once('error', reject)
          srv.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
            srv.off('error', reject)
            // An accept that fails (EMFILE when the process is out of file descriptors) is
            // reported, never thrown: an 'error' without a listener would end the process.
            srv.on('error', (error) => events.emit('listenerError', { error }))
            servers.push(srv)
            const addr = srv.address()
            resolve(typeof addr === 'object' && addr ? addr.port : port)
          })
        })
      const handle = (conn: Socket) => {
        guard.meter(conn)
        aedes.handle(conn)
      }
      const plain = opts.tcp ? createServer() : null
      plain?.on('connection', (socket) => {
        if (guard.admit(socket)) handle(socket)
      })
      const secure = opts.tls
        ? createTlsServer(
            // A socket that never finishes its handshake is closed (Node's default waits 120 s).
            {
              cert: opts.tls.cert,
              key: opts.tls.key,
              handshakeTimeout: limits.tlsHandshakeTimeoutMs,
            },
            handle,
          )
        : null
      // 'connection' is the raw TCP socket, counted before the TLS handshake costs anything.
      secure?.on('connection', (socket: Socket) => guard.admit(socket))
      // Node only reports a failed or timed-out handshake; without this the socket stays open.
      secure?.on('tlsClientError', (_err, tlsSocket) => tlsSocket.destroy())
      const port = plain && opts.tcp ? await bind(plain, opts.tcp.port, opts.tcp.host) : null
      const tlsPort = secure && opts.tls ? await bind(secure, opts.tls.port, opts.tls.host) : null
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
    limits,
    limitStats: guard.stats,
    isNodeConnected: (nodeId) => nodeClients.has(nodeId),
    isListening: () => servers.some((s) => s.listening),
    async close() {
      const all = servers.splice(0)
      // Stop accepting first, then close every client, then wait for the listeners to finish.
      const closed = all.map((srv) => new Promise<void>((resolve) => srv.close(() => resolve())))
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await Promise.all([...closed, ...closing.splice(0)])
    },
  }
}
