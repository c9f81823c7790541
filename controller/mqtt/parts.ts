import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { type CredentialStore, createBroker, type EmbeddedBroker } from '../../broker/index.js'
import { allNodesFilter, FLEET_TOPICS } from '../../protocol/index.js'
import type { Config } from '../config.js'
import { type Clock, formatInstant } from '../platform/index.js'
import type { TlsMaterial } from '../tls.js'
import { createMqttDefences } from './defences.js'
import { createRouter, type Handlers } from './router.js'
import {
  createInProcessServiceClient,
  createServiceClient,
  type ServiceClient,
} from './service-client.js'

/**
 * The embedded broker (none with an external one): created before any module that publishes,
 * closed after every module stopped. Nodes' listeners open later, in the MQTT part, once the
 * controller is subscribed.
 */
export function createBrokerPart(deps: {
  config: Config
  log: Logger
  tls: TlsMaterial | null
  credentials: CredentialStore
}) {
  const { config, log, tls } = deps
  let broker: EmbeddedBroker | null = null
  return {
    name: 'broker',
    /** The embedded broker once started (null with an external broker). */
    broker: (): EmbeddedBroker | null => broker,
    async start(): Promise<void> {
      if (config.brokerUrl !== '') return
      broker = await createBroker({
        credentials: deps.credentials,
        ...(!tls || config.mqttPlain
          ? { tcp: { port: config.mqttPort, host: config.mqttHost } }
          : {}),
        ...(tls
          ? {
              tls: {
                port: config.mqttTlsPort,
                host: config.mqttHost,
                cert: tls.cert,
                key: tls.key,
              },
            }
          : {}),
        limits: {
          maxConnections: config.mqttMaxConnections,
          maxPerAddress: config.mqttMaxConnectionsPerAddress,
          connectTimeoutMs: config.mqttConnectTimeoutMs,
          tlsHandshakeTimeoutMs: config.mqttTlsHandshakeTimeoutMs,
          maxConnectBytes: config.mqttMaxConnectBytes,
          maxConnectsPerMin: config.mqttMaxConnectsPerNodePerMin,
        },
      })
      if (broker.limits.maxConnections < config.mqttMaxConnections) {
        log.warn(
          { configured: config.mqttMaxConnections, applied: broker.limits.maxConnections },
          'MQTT connection cap lowered to fit the open-file limit (raise ulimit -n)',
        )
      }
    },
    async stop(): Promise<void> {
      await broker?.close()
      broker = null
    },
  }
}

/** Where nodes reach the broker, known once the MQTT part started. */
export interface MqttAddresses {
  brokerUrl: string
  mqttPort: number | null
  mqttTlsPort: number | null
}

/**
 * The controller's MQTT connection: the defences (rate limits, refusals), the router that
 * validates every inbound message once, and the controller's own client (an in-process session
 * on the embedded broker, a network client of an external one). `start()` subscribes, then opens
 * the embedded broker to nodes; `stop()` stops taking events first, so what a node publishes
 * from then on waits in its outbox for the next start.
 */
export function createMqttPart(deps: {
  config: Config
  log: Logger
  clock: Clock
  broker: EmbeddedBroker | null
  tls: TlsMaterial | null
  handlers: Handlers
  /** Brings the external broker's node accounts in step before connecting (dynamic security). */
  beforeConnect: () => Promise<void>
  /** A node's session ended on the embedded broker. */
  onNodeDisconnected: (nodeId: string, reason: string) => void
  /** The external broker went away: every node is offline until it rebirths; returns how many. */
  onBrokerLost: () => number
}) {
  const { config, log, clock, broker } = deps
  // Rate limits, violations and the broker's refusals: counted from the first connection on.
  const defences = createMqttDefences({ config, log, now: () => clock.now(), broker })
  const router = createRouter({
    log,
    handlers: deps.handlers,
    limits: defences.limits,
    logEveryMs: config.rejectLogIntervalSec * 1000,
    now: () => clock.now(),
  })
  const filters = [allNodesFilter('status'), allNodesFilter('events'), allNodesFilter('telemetry')]
  // The broker is never trusted to remember who is online or which plan a node holds: after
  // every (re)connect the controller asks the fleet to announce itself (Sparkplug B's rebirth),
  // and each birth's plan version drives the handshake.
  const requestRebirth = () => {
    const request = { v: 1, requestId: randomUUID(), at: formatInstant(clock.now(), config.tz) }
    void client
      .publish(FLEET_TOPICS.rebirth, JSON.stringify(request), { qos: 0 })
      .catch((err: unknown) => log.error({ err }, 'rebirth request failed'))
  }
  // With the embedded broker the controller is no client of it (an in-process session).
  const client: ServiceClient = broker
    ? createInProcessServiceClient({
        session: broker.service,
        filters,
        log,
        onMessage: router.route,
        onConnect: requestRebirth,
      })
    : createServiceClient({
        url: config.brokerUrl,
        username: config.brokerUsername,
        password: config.brokerPassword,
        ca: deps.tls?.ca ?? null,
        filters,
        persistentClientId: config.brokerClientId,
        log,
        onMessage: router.route,
        onConnectionLost: () => {
          const n = deps.onBrokerLost()
          if (n > 0) log.warn({ nodes: n }, 'lost the broker: nodes offline until they rebirth')
        },
        onConnect: requestRebirth,
      })
  const onDisconnected = (e: { nodeId: string; reason: string }) =>
    deps.onNodeDisconnected(e.nodeId, e.reason)
  let addresses: MqttAddresses = { brokerUrl: config.brokerUrl, mqttPort: null, mqttTlsPort: null }
  return {
    name: 'mqtt',
    client,
    router,
    defences,
    /** Whether the controller's own client is connected (false before start). */
    isConnected: (): boolean => client.isConnected(),
    addresses: (): MqttAddresses => addresses,
    async start(): Promise<void> {
      broker?.events.on('nodeDisconnected', onDisconnected)
      await deps.beforeConnect()
      await client.start()
      if (broker) {
        // Only now, with the controller subscribed, may nodes connect (and publish).
        const bound = await broker.listen()
        const url =
          bound.port !== null
            ? `mqtt://127.0.0.1:${bound.port}`
            : `mqtts://127.0.0.1:${bound.tlsPort}`
        addresses = { brokerUrl: url, mqttPort: bound.port, mqttTlsPort: bound.tlsPort }
      }
    },
    async stop(): Promise<void> {
      // Nodes did not go offline because the controller stopped: keep their last known state,
      // so a restart (which asks them to announce themselves) records no spurious transitions.
      broker?.events.off('nodeDisconnected', onDisconnected)
      await client.stop()
      broker?.stopAccepting()
    },
  }
}

/** The MQTT part. */
export type MqttPart = ReturnType<typeof createMqttPart>
