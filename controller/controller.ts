import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from 'pino'
import { resolveFfmpegPath } from '../audio/index.js'
import type { EmbeddedBroker } from '../broker/index.js'
import { createAccountsModule } from './accounts/index.js'
import type { Config } from './config.js'
import { secureDataDir } from './data-dir.js'
import type { AppDeps } from './deps.js'
import { createFleetModule } from './fleet/index.js'
import { healthReport } from './health-report.js'
import type { HttpApp } from './http/app.js'
import { createHttpPart } from './http/part.js'
import { createIngestModule } from './ingest/index.js'
import { createLifecycle } from './lifecycle.js'
import { createLiveModule } from './live/index.js'
import { createHandlers } from './mqtt/handlers/index.js'
import { createBrokerPart, createMqttPart, type MqttPart } from './mqtt/parts.js'
import {
  type Clock,
  createMetrics,
  createPlatformModule,
  type Metrics,
  systemClock,
} from './platform/index.js'
import { createProgrammeModule, type Publish } from './programme/index.js'
import type { PlanChanges } from './programme/plan-changes.js'
import { createProvisioningModule, type NodeFacing } from './provisioning/index.js'
import { publicUrls } from './public-urls.js'
import { createReportsModule } from './reports/index.js'
import { type Repositories, sharedRepositories } from './repositories.js'
import { loadTlsMaterial, type TlsMaterial } from './tls.js'

/** Version reported by /api/health and agents' births. */
export const CONTROLLER_VERSION = '0.1.0'

const HERE = dirname(fileURLToPath(import.meta.url))

/** Where the bundled web UI lives (built by `npm install` through the `prepare` script). */
export const WEB_ROOT = join(HERE, 'web', 'dist')

/** Addresses a started controller bound. */
export interface Started {
  httpUrl: string
  httpPort: number
  mqttPort: number | null
  /** MQTT over TLS port of the embedded broker, when TLS is on. */
  mqttTlsPort: number | null
  brokerUrl: string
  /** The CA certificate agents must trust, when TLS is on. */
  caFile: string | null
  /** The first admin's generated password: set only on the start that created it. */
  adminPassword: string | null
}

/** What a started controller hands to tests and scripts: the routes' deps and the store. */
export type ControllerDeps = AppDeps & { repos: Repositories }

function tlsOf(config: Config, dataDir: string): TlsMaterial | null {
  if (config.tls !== 'on') return null
  return loadTlsMaterial({
    dataDir,
    certFile: config.tlsCertFile,
    keyFile: config.tlsKeyFile,
    caFile: config.tlsCaFile,
    hostnames: config.tlsHostnames
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
  })
}

/**
 * Creates a controller: the platform (SQLite store, bus, signer), the embedded (or external)
 * broker, one module per domain, the MQTT connection and the HTTP API with the web UI. Nothing
 * runs until `start()`, which starts those parts in order; `stop()` stops them in the reverse
 * order, and a start that fails halfway stops what had started. Several controllers can run in
 * one process (each with its own data directory and ports).
 */
export function createController(opts: {
  config: Config
  log: Logger
  clock?: Clock
  ffmpegPath?: string
}) {
  const { config, log } = opts
  const clock = opts.clock ?? systemClock
  const startedAt = clock.now()
  const life = createLifecycle(log)
  let broker: EmbeddedBroker | null = null
  let http: (() => HttpApp | null) | null = null
  let planChanges: PlanChanges | null = null

  async function startParts(): Promise<Started> {
    const dataDir = resolve(config.dataDir)
    const ffmpegPath = opts.ffmpegPath ?? resolveFfmpegPath()
    secureDataDir(dataDir)
    const platform = await life.start(createPlatformModule({ dataDir, clock, log }))
    const { repos, bus, signer } = platform
    const base = { repos, bus, clock, log, config }
    // Late-bound ports: what provisioning bundles tell nodes (known once the controller
    // listens), the controller's own MQTT client (connected after the modules started).
    let nodeFacing: NodeFacing = {
      brokerUrl: config.publicBrokerUrl,
      controllerUrl: config.publicControllerUrl,
      caCert: null,
      controllerKey: '',
    }
    let mqtt: MqttPart | null = null
    let metrics: Metrics | null = null
    const publish: Publish = (topic, payload, o) =>
      mqtt ? mqtt.client.publish(topic, payload, o) : Promise.resolve()
    let onKicked: (nodeId: string) => void = () => {}
    // Bound once plan publication exists: a moved zone changes what its nodes are targeted by.
    let onZoneMoved: () => void = () => {}

    const provisioning = await life.start(
      createProvisioningModule({
        ...base,
        disconnectNode: (nodeId) => broker?.disconnectNode(nodeId) ?? false,
        onKicked: (nodeId) => onKicked(nodeId),
        nodeFacing: () => nodeFacing,
        onZoneMoved: () => onZoneMoved(),
      }),
    )
    const zoneLineage = provisioning.provisioning.zoneLineage
    // Every other module reads the nodes and zones tables; provisioning alone writes them.
    const shared = { ...base, repos: sharedRepositories(repos) }
    const tls = tlsOf(config, dataDir)
    const brokerPart = await life.start(
      createBrokerPart({ config, log, tls, credentials: provisioning.provisioning.credentials }),
    )
    broker = brokerPart.broker()
    const accounts = await life.start(createAccountsModule({ ...shared, zoneLineage }))
    const programme = createProgrammeModule({
      ...shared,
      dataDir,
      ffmpegPath,
      signer,
      provisioning: provisioning.provisioning,
      publish,
      isConnected: () => mqtt?.isConnected() ?? false,
      onNewDay: () => fleet.pruneTelemetry(),
    })
    planChanges = programme.changes
    onZoneMoved = programme.zoneMoved
    await life.start(programme)
    // Before ingest: stopped after it, so the plays its last flush stores still reach the reports.
    const reports = await life.start(createReportsModule({ ...shared, zoneLineage }))
    const ingest = await life.start(
      createIngestModule({
        ...shared,
        registry: provisioning.registry,
        signer,
        publish,
        keys: provisioning.nodeKeys,
        onRejected: () => mqtt?.router.countRejected(),
        observeWrite: (s) => metrics?.observeDbWrite('events', s),
      }),
    )
    const fleet = await life.start(
      createFleetModule({
        ...shared,
        registry: provisioning.registry,
        signer,
        publish,
        onBirth: programme.services.plans.onBirth,
        zoneLineage,
        isNodeConnected: (nodeId) => broker?.isNodeConnected(nodeId) ?? false,
        previousEnd: platform.previousEnd,
        planFailure: programme.changes.failure,
      }),
    )
    const { fleet: monitor, health, nodes } = fleet.services
    onKicked = (nodeId) => monitor.onDisconnected(nodeId, 'kicked')
    const live = await life.start(
      createLiveModule({
        ...shared,
        signer,
        publish,
        audit: accounts.services.audit,
        zoneLineage,
        ffmpegPath,
        dataDir,
        controllerUrl: () => nodeFacing.controllerUrl,
      }),
    )

    const mqttPart = createMqttPart({
      config,
      log,
      clock,
      broker,
      tls,
      handlers: createHandlers({
        fleet: monitor,
        intake: ingest.services.intake,
        health,
        keys: provisioning.nodeKeys,
      }),
      beforeConnect: () => provisioning.reconcileBroker(),
      onNodeDisconnected: (nodeId, reason) => monitor.onDisconnected(nodeId, reason),
      onBrokerLost: () => monitor.onBrokerLost(),
    })
    mqtt = mqttPart
    const m = createMetrics({
      bus,
      nodeCounts: nodes.summaryByZone,
      zoneName: (id) => shared.repos.zones.get(id)?.name ?? id,
      mqttStats: mqttPart.router.stats,
      mqttDefences: mqttPart.defences.stats,
      brokerClients: () => (broker ? broker.connectedClients() : null),
      openAlerts: () => shared.repos.alerts.open(),
    })
    metrics = m
    await life.start({ name: 'metrics', stop: () => m.stop() })
    await life.start(mqttPart)
    await life.start(programme.online)

    const deps: ControllerDeps = {
      config,
      log,
      clock,
      bus,
      repos,
      services: {
        ...provisioning.services,
        ...programme.services,
        ...reports.services,
        ...fleet.services,
        ...ingest.services,
        metrics: m,
        ...accounts.services,
        ...live.services,
      },
      health: () =>
        healthReport({
          config,
          startedAt,
          clock,
          version: CONTROLLER_VERSION,
          database: platform.probe(),
          connected: mqttPart.isConnected(),
          broker,
          mqtt: mqttPart.router.stats(),
          ingest: ingest.services.ingest.stats(),
        }),
      signer,
      webRoot: WEB_ROOT,
    }
    const httpPart = await life.start(createHttpPart({ app: deps, tls }))
    http = httpPart.app
    const { httpUrl, httpPort } = httpPart.address()
    const { brokerUrl, mqttPort, mqttTlsPort } = mqttPart.addresses()
    nodeFacing = {
      ...publicUrls({ config, httpUrl, mqttPort, mqttTlsPort }),
      caCert: tls?.ca ?? null,
      controllerKey: signer.publicKeyPem,
    }
    // Now that the key, TLS files, WAL and SHM exist: every one of them private too.
    secureDataDir(dataDir)
    log.info({ httpUrl, mqttPort, mqttTlsPort, brokerUrl, dataDir }, 'controller started')
    api.deps = deps
    return {
      httpUrl,
      httpPort,
      mqttPort,
      mqttTlsPort,
      brokerUrl,
      caFile: tls?.caFile ?? null,
      adminPassword: accounts.adminPassword(),
    }
  }

  async function stop(): Promise<void> {
    try {
      await life.stopAll()
    } finally {
      broker = null
      http = null
      planChanges = null
      log.info('controller stopped')
    }
  }

  const api = {
    /** Starts every part in order; on failure, stops what had started and rethrows. */
    async start(): Promise<Started> {
      try {
        return await startParts()
      } catch (err) {
        await stop().catch(() => undefined)
        throw err
      }
    },
    stop,
    deps: null as ControllerDeps | null,
    broker: () => broker,
    /** Plan publication while started (tests and benchmarks await `idle()`). */
    planChanges: () => planChanges,
    /** The HTTP app while started (tests inject requests and read its access table). */
    http: (): HttpApp | null => http?.() ?? null,
    /** Names of the started parts, in start order (stopped in reverse). */
    parts: (): string[] => life.started(),
  }
  return api
}

/** A controller instance. */
export type Controller = ReturnType<typeof createController>
