import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Logger } from 'pino'
import { resolveFfmpegPath } from '../audio/index.js'
import { createBroker, type EmbeddedBroker } from '../broker/index.js'
import { allNodesFilter, createPayloadDecoder, FLEET_TOPICS } from '../protocol/index.js'
import { createAccounts } from './accounts/accounts.js'
import { createApiTokens } from './accounts/api-tokens.js'
import { createAudit, SYSTEM_ACTOR } from './accounts/audit.js'
import { createLoginThrottle } from './accounts/login-throttle.js'
import { createSessions } from './accounts/sessions.js'
import type { Config } from './config.js'
import { secureDataDir } from './data-dir.js'
import type { AppDeps, HealthReport } from './deps.js'
import { createAlerts } from './fleet/alerts.js'
import { createCommands } from './fleet/commands.js'
import { createFleetMonitor } from './fleet/fleet-monitor.js'
import { createIncidents } from './fleet/incidents.js'
import { createNodeHealth } from './fleet/node-health.js'
import { createNodeViews } from './fleet/node-views.js'
import { createRestartPresence } from './fleet/restart-presence.js'
import { createWebhook } from './fleet/webhook.js'
import { buildHttpApp, type HttpApp } from './http/app.js'
import { createEventIngest } from './ingest/event-ingest.js'
import { createEventIntake } from './ingest/event-intake.js'
import { createReceipts } from './ingest/receipts.js'
import { createLiveHub } from './live/hub.js'
import { createMqttDefences } from './mqtt/defences.js'
import { createDynsecAccounts } from './mqtt/dynsec.js'
import { createHandlers } from './mqtt/handlers/index.js'
import { createRouter } from './mqtt/router.js'
import { createSampledLog } from './mqtt/sampled-log.js'
import {
  createInProcessServiceClient,
  createServiceClient,
  type ServiceClient,
} from './mqtt/service-client.js'
import { createControllerRuns } from './platform/controller-runs.js'
import { type Db, openDatabase } from './platform/database.js'
import { createEventBus } from './platform/events.js'
import { createMetrics } from './platform/metrics.js'
import { createSigner } from './platform/signer.js'
import { type Clock, formatInstant, systemClock } from './platform/time.js'
import { createAudioLibrary } from './programme/audio-library.js'
import { createDayBoundary } from './programme/day-boundary.js'
import { createPlanChanges, type PlanChanges } from './programme/plan-changes.js'
import { createPlanPublisher } from './programme/plan-publisher.js'
import { FULL_SCOPE } from './programme/plan-scope.js'
import { createProgrammeLedger } from './programme/programme-ledger.js'
import { createProgrammeServices } from './programme/programme-services.js'
import type { NodeFacing } from './provisioning/enrollment.js'
import { createNodeKeys } from './provisioning/node-keys.js'
import { createProvisioning, hashSecret } from './provisioning/provisioning.js'
import { createSpeakers } from './provisioning/speakers.js'
import { createZones } from './provisioning/zones.js'
import { publicUrls } from './public-urls.js'
import { createRepositories } from './repositories.js'
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

/**
 * Creates a controller: SQLite store, embedded (or external) broker, services, HTTP API and web
 * UI. Nothing runs until `start()`; `stop()` undoes it in reverse order. Several controllers can
 * run in one process (each with its own data directory and ports).
 */
export function createController(opts: {
  config: Config
  log: Logger
  clock?: Clock
  ffmpegPath?: string
}) {
  const { config } = opts
  const log = opts.log
  const clock = opts.clock ?? systemClock
  const startedAt = clock.now()
  let db: Db | null = null
  let broker: EmbeddedBroker | null = null
  let client: ServiceClient | null = null
  let http: HttpApp | null = null
  let dayBoundary: ReturnType<typeof createDayBoundary> | null = null
  let planChanges: PlanChanges | null = null
  let stopHooks: (() => void | Promise<void>)[] = []

  async function start(): Promise<Started> {
    const dataDir = resolve(config.dataDir)
    const ffmpegPath = opts.ffmpegPath ?? resolveFfmpegPath()
    secureDataDir(dataDir)
    db = openDatabase(join(dataDir, 'chorus.db'))
    const database = db
    const repos = createRepositories(db)
    const bus = createEventBus({ log })
    const external = config.brokerUrl !== ''
    // With the embedded broker the controller is no client of it (an in-process session): no
    // service credentials exist that a network client could present.
    const servicePassword = external ? config.brokerPassword : ''
    // What provisioning bundles tell nodes; the addresses are known once the controller listens.
    let nodeFacing: NodeFacing = {
      brokerUrl: config.publicBrokerUrl,
      controllerUrl: config.publicControllerUrl,
      caCert: null,
      controllerKey: '',
    }
    const nodeKeys = createNodeKeys({ repos, clock, log })
    // Mosquitto with dynamic security: node accounts are kept in step with provisioning.
    const dynsec =
      external && config.brokerDynsec
        ? createDynsecAccounts({
            url: config.brokerUrl,
            username: config.brokerUsername,
            password: servicePassword,
            log,
            clock,
          })
        : null
    // Bound once the fleet monitor exists: a node kicked by Mosquitto is offline from then on.
    let onDynsecKick: (nodeId: string) => void = () => {}
    const provisioning = createProvisioning({
      ...(dynsec ? { accounts: dynsec } : {}),
      nodeKeys,
      repos,
      bus,
      clock,
      log,
      service: external
        ? { username: config.brokerUsername, passwordHash: hashSecret(servicePassword) }
        : { username: config.brokerUsername, passwordHash: null },
      // An external broker authenticates on its own: there, a session lasts until it reconnects,
      // except on Mosquitto with dynamic security, which ends it (without the node's will).
      kick: (nodeId) => {
        if (!dynsec) return broker?.disconnectNode(nodeId) ?? false
        onDynsecKick(nodeId)
        return true
      },
      enrollmentTtlMs: config.enrollmentTtlHours * 3_600_000,
      nodeFacing: () => nodeFacing,
    })

    // Bound once the plan publisher exists: a moved zone changes what its nodes are targeted by.
    let onZoneMoved: () => void = () => {}
    const zones = createZones({
      repo: repos.zones,
      bus,
      clock,
      log,
      onTreeChanged: () => {
        provisioning.forgetLineages()
        onZoneMoved()
      },
    })

    const tls: TlsMaterial | null =
      config.tls === 'on'
        ? loadTlsMaterial({
            dataDir,
            certFile: config.tlsCertFile,
            keyFile: config.tlsKeyFile,
            caFile: config.tlsCaFile,
            hostnames: config.tlsHostnames
              .split(',')
              .map((h) => h.trim())
              .filter(Boolean),
          })
        : null
    // Where nodes (and tests) reach the broker.
    let brokerUrl = config.brokerUrl
    let mqttPort: number | null = null
    let mqttTlsPort: number | null = null
    if (!external) {
      broker = await createBroker({
        credentials: provisioning.credentials,
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
    }

    // Rate limits, violations and the broker's refusals: counted from the first connection on.
    const defences = createMqttDefences({ config, log, now: () => clock.now(), broker })
    let serviceClient: ServiceClient | null = null
    const signer = createSigner(dataDir, clock)
    const plans = createPlanPublisher({
      sign: (m) => signer.sign(m),
      repos,
      provisioning,
      clock,
      log,
      tz: config.tz,
      horizonDays: config.horizonDays,
      quietHours: config.quietHours,
      publish: (topic, payload, o) =>
        serviceClient ? serviceClient.publish(topic, payload, o) : Promise.resolve(),
      isConnected: () => serviceClient?.isConnected() ?? false,
      ledger: createProgrammeLedger({ repos, bus, clock }),
    })
    // Programme writes commit and answer; this re-plans after them, coalesced (issue 12).
    const changes = createPlanChanges({
      bus,
      log,
      replan: plans.refresh,
      debounceMs: config.planCoalesceMs,
      maxWaitMs: config.planMaxWaitMs,
      now: () => clock.now(),
    })
    planChanges = changes
    // Zone membership changed: every node is re-planned, through the same queue.
    onZoneMoved = () => changes.request('zone moved', FULL_SCOPE)
    const speakers = createSpeakers({
      nodes: repos.nodes,
      zones: repos.zones,
      bus,
      log,
      register: (input) => provisioning.registerNode(input),
      onZoneChanged: () => onZoneMoved(),
    })
    let metrics: ReturnType<typeof createMetrics> | null = null
    const receipts = createReceipts({
      sign: (m) => signer.sign(m),
      publish: (topic, payload, o) =>
        serviceClient ? serviceClient.publish(topic, payload, o) : Promise.resolve(),
      clock,
      tz: config.tz,
      log,
    })
    const ingest = createEventIngest({
      repos,
      bus,
      clock,
      log,
      tz: config.tz,
      observeWrite: (s) => metrics?.observeDbWrite('events', s),
      onCommitted: receipts.send,
    })
    const fleet = createFleetMonitor({
      repos,
      bus,
      clock,
      log,
      flapWindowSec: config.flapWindowSec,
      flapThreshold: config.flapThreshold,
      onBirth: plans.onBirth,
      onSeqFloor: (nodeId, seq) => {
        const r = signer.raiseFloor(seq)
        if (r === 'raised') log.warn({ nodeId, seq }, 'signing above the sequence a node reported')
        if (r === 'ignored')
          log.error({ nodeId, seq }, 'node reported a sequence far ahead: ignored')
      },
    })
    const runs = createControllerRuns({ repos, clock, log })
    fleet.resume(runs.start().previousEnd)
    onDynsecKick = (nodeId) => fleet.onDisconnected(nodeId, 'kicked')
    const restartPresence = createRestartPresence({
      repos,
      clock,
      log,
      fleet,
      graceSec: config.rebirthGraceSec,
      agentReconnectCapSec: config.agentReconnectCapSec,
      isConnected: (nodeId) => broker?.isNodeConnected(nodeId) ?? false,
    })
    const health = createNodeHealth({
      repos,
      bus,
      clock,
      log,
      thresholds: config,
      telemetryOf: fleet.telemetryOf,
    })
    const zoneLineage = provisioning.zoneLineage
    const incidents = createIncidents({
      repos,
      bus,
      clock,
      log,
      windowMs: config.incidentWindowMs,
      minNodes: config.incidentMinNodes,
      zoneLineage,
    })
    const webhook = createWebhook({
      repos,
      clock,
      log,
      url: config.alertWebhookUrl,
      maxAttempts: config.webhookMaxAttempts,
      retryBaseMs: config.webhookRetryBaseMs,
    })
    const alerts = createAlerts({
      repos,
      bus,
      clock,
      log,
      intervalMs: config.healthIntervalSec * 1000,
      health,
      incidents,
      webhook,
      isFlapping: fleet.isFlapping,
      zoneLineage,
      planFailure: changes.failure,
    })
    const commands = createCommands({
      sign: (m) => signer.sign(m),
      repos,
      bus,
      clock,
      log,
      tz: config.tz,
      publish: (topic, payload, o) =>
        serviceClient ? serviceClient.publish(topic, payload, o) : Promise.resolve(),
      zoneLineage,
    })
    const nodeViews = createNodeViews({
      repos,
      fleet,
      health,
      incidents,
      zoneLineage,
      bus,
      now: () => clock.now(),
    })
    const audio = createAudioLibrary({
      repos,
      bus,
      clock,
      log,
      ffmpegPath,
      dataDir,
      maxAudioMinutes: config.maxAudioMinutes,
      tz: config.tz,
      horizonDays: config.horizonDays,
    })
    const office = createProgrammeServices({
      repos,
      bus,
      clock,
      log,
      config,
      zoneLineage: provisioning.zoneLineage,
    })
    const { programme } = office
    const audit = createAudit({ repos, clock, log })
    const throttle = createLoginThrottle({
      repos,
      clock,
      maxFailures: config.loginMaxFailures,
      lockoutMs: config.loginLockoutSec * 1000,
    })
    const accounts = createAccounts({ repos, clock, log, audit, throttle, zoneLineage, bus })
    const sessions = createSessions({
      repos,
      clock,
      log,
      audit,
      accounts,
      throttle,
      ttlMs: config.sessionTtlHours * 3_600_000,
      idleMs: config.sessionIdleMinutes * 60_000,
      bus,
    })
    const tokens = createApiTokens({ repos, clock, audit, accounts, bus })
    const { generatedPassword } = await accounts.ensureAdmin(config.adminPassword)
    const live = createLiveHub({
      clock,
      log,
      bus,
      sign: (m) => signer.sign(m),
      publish: (topic, payload, o) =>
        serviceClient ? serviceClient.publish(topic, payload, o) : Promise.resolve(),
      repo: repos.live,
      targets: (zoneIds) =>
        repos.nodes
          .list()
          .filter(
            (n) =>
              !n.retiredAt &&
              (zoneIds.length === 0 || zoneLineage(n.zoneId).some((z) => zoneIds.includes(z))),
          )
          .map((n) => n.id),
      resolveZone: (z) => repos.zones.resolve(z)?.id ?? null,
      audit: (info, extra) =>
        audit.record({
          by: info.by.startsWith('schedule:')
            ? SYSTEM_ACTOR
            : {
                actor: repos.users.get(info.by)?.username ?? info.by,
                actorKind: 'session',
                ip: null,
              },
          action: `live.${info.kind}`,
          target: info.id,
          details: {
            zones: info.zones,
            endReason: info.endReason,
            durationMs: extra.durationMs,
            nodes: extra.nodes,
            sounding: info.sounding.length,
            openedAt: new Date(info.openedAt).toISOString(),
          },
        }),
      ffmpegPath,
      dataDir,
      streamUrl: (id) => `${nodeFacing.controllerUrl}/api/live/${id}/stream`,
      tz: config.tz,
    })
    await live.start()
    broker?.events.on('nodeDisconnected', (e) => fleet.onDisconnected(e.nodeId, e.reason))

    const intake = createEventIntake({
      keys: nodeKeys,
      decoder: createPayloadDecoder(),
      ingest,
      log,
      onRejected: () => router.countRejected(),
      warn: createSampledLog({
        log: log.child({ module: 'event-intake' }),
        intervalMs: config.rejectLogIntervalSec * 1000,
        now: () => clock.now(),
      }).warn,
    })
    const router = createRouter({
      log,
      handlers: createHandlers({ fleet, intake, health, keys: nodeKeys }),
      limits: defences.limits,
      logEveryMs: config.rejectLogIntervalSec * 1000,
      now: () => clock.now(),
    })
    metrics = createMetrics({
      repos,
      bus,
      nodeState: nodeViews.stateOf,
      zoneName: (id) => repos.zones.get(id)?.name ?? id,
      mqttStats: router.stats,
      mqttDefences: defences.stats,
      brokerClients: () => (broker ? broker.connectedClients() : null),
      openAlerts: () => repos.alerts.open(),
    })
    const filters = [
      allNodesFilter('status'),
      allNodesFilter('events'),
      allNodesFilter('telemetry'),
    ]
    // The broker is never trusted to remember who is online or which plan a node holds: after
    // every (re)connect the controller asks the fleet to announce itself (Sparkplug B's
    // rebirth), and each birth's plan version drives the handshake.
    const requestRebirth = () => {
      const request = { v: 1, requestId: randomUUID(), at: formatInstant(clock.now(), config.tz) }
      void serviceClient
        ?.publish(FLEET_TOPICS.rebirth, JSON.stringify(request), { qos: 0 })
        .catch((err: unknown) => log.error({ err }, 'rebirth request failed'))
    }
    serviceClient = broker
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
          password: servicePassword,
          ca: tls?.ca ?? null,
          filters,
          persistentClientId: config.brokerClientId,
          log,
          onMessage: router.route,
          onConnectionLost: () => {
            const n = fleet.onBrokerLost()
            if (n > 0) log.warn({ nodes: n }, 'lost the broker: nodes offline until they rebirth')
          },
          onConnect: requestRebirth,
        })
    client = serviceClient
    fleet.start()
    health.start()
    incidents.start()
    alerts.start()
    commands.start()
    office.start()
    changes.start()
    if (dynsec) {
      await dynsec.start()
      stopHooks.push(() => dynsec.stop())
      const nodes = repos.nodes.list().map((n) => ({ id: n.id, retired: n.retiredAt !== null }))
      await dynsec.reconcile(nodes)
    }
    await serviceClient.start()
    if (broker) {
      // Only now, with the controller subscribed, may nodes connect (and publish).
      const bound = await broker.listen()
      mqttPort = bound.port
      mqttTlsPort = bound.tlsPort
      brokerUrl =
        mqttPort !== null ? `mqtt://127.0.0.1:${mqttPort}` : `mqtts://127.0.0.1:${mqttTlsPort}`
    }
    restartPresence.start()

    await plans.refreshAll('start')
    dayBoundary = createDayBoundary({
      tz: config.tz,
      log,
      onNewDay: async () => {
        const cutoff = clock.now() - config.telemetryRetentionDays * 86_400_000
        const pruned = repos.telemetry.prune(new Date(cutoff).toISOString())
        log.info({ pruned }, 'old telemetry pruned')
        const horizonMs = (config.horizonDays + 1) * 2 * 86_400_000
        repos.programme.pruneDigests(new Date(clock.now() - horizonMs).toISOString())
        // Through plan publication's queue: one re-plan at a time, never two interleaved.
        changes.request('day boundary', FULL_SCOPE)
        return changes.idle()
      },
    })
    dayBoundary.start()

    const healthReport = (): HealthReport => {
      let dbOk = true
      let error: string | undefined
      try {
        database.prepare('SELECT 1').get()
      } catch (err) {
        dbOk = false
        error = (err as Error).message
      }
      const connected = serviceClient?.isConnected() ?? false
      return {
        status: dbOk && connected ? 'ok' : 'degraded',
        uptimeSec: Math.round((clock.now() - startedAt) / 1000),
        version: CONTROLLER_VERSION,
        tz: config.tz,
        broker: {
          mode: external ? 'external' : 'embedded',
          connected,
          clients: broker ? broker.connectedClients() : null,
        },
        database: error ? { ok: dbOk, error } : { ok: dbOk },
        mqtt: router.stats(),
        ingest: ingest.stats(),
      }
    }
    const deps: AppDeps = {
      config,
      log,
      clock,
      bus,
      repos,
      services: {
        provisioning,
        zones,
        speakers,
        audio,
        programme,
        templates: office.templates,
        calendar: office.calendar,
        holidays: office.holidays,
        columns: office.columns,
        announcements: office.announcements,
        planStatus: office.planStatus,
        reports: office.reports,
        plans,
        fleet,
        ingest,
        health,
        nodes: nodeViews,
        incidents,
        alerts,
        commands,
        metrics,
        accounts,
        sessions,
        tokens,
        audit,
        live,
      },
      health: healthReport,
      signer,
      webRoot: WEB_ROOT,
    }
    if (!existsSync(WEB_ROOT))
      log.warn({ webRoot: WEB_ROOT }, 'web UI not built: run npm run build:web')
    http = await buildHttpApp(deps, tls ? { cert: tls.cert, key: tls.key } : null)
    await http.listen({ port: config.httpPort, host: config.httpHost })
    const addr = http.server.address()
    const httpPort = typeof addr === 'object' && addr ? addr.port : config.httpPort
    const host = config.httpHost === '0.0.0.0' ? '127.0.0.1' : config.httpHost
    const scheme = tls ? 'https' : 'http'
    const httpUrl = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${httpPort}`
    nodeFacing = {
      ...publicUrls({ config, httpUrl, mqttPort, mqttTlsPort }),
      caCert: tls?.ca ?? null,
      controllerKey: signer.publicKeyPem,
    }
    stopHooks = [
      () => live.stop(),
      () => alerts.stop(),
      () => commands.stop(),
      () => webhook.stop(),
      () => incidents.stop(),
      () => health.stop(),
      () => metrics?.stop(),
      () => fleet.stop(),
      () => ingest.stop(),
      () => office.stop(),
      () => restartPresence.stop(),
      () => runs.stop(),
    ]
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
      adminPassword: generatedPassword,
    }
  }

  async function stop(): Promise<void> {
    await http?.close()
    http = null
    await dayBoundary?.stop()
    dayBoundary = null
    // A re-plan under way finishes while the database and the broker are still there; what is
    // still pending is re-planned by the next start.
    await planChanges?.stop()
    planChanges = null
    // Nodes did not go offline because the controller stopped: keep their last known state, so
    // a restart (which asks them to announce themselves) records no spurious transitions.
    broker?.events.removeAllListeners('nodeDisconnected')
    // Stop taking messages first (the nodes' wills at the broker's stop included): what a node
    // publishes from now on waits in its outbox for the next start.
    await client?.stop()
    client = null
    broker?.stopAccepting()
    for (const hook of stopHooks) await hook()
    stopHooks = []
    await broker?.close()
    broker = null
    db?.close()
    db = null
    log.info('controller stopped')
  }

  const api = {
    start,
    stop,
    deps: null as AppDeps | null,
    broker: () => broker,
    /** Plan publication while started (tests and benchmarks await `idle()`). */
    planChanges: () => planChanges,
    /** The HTTP app while started (tests inject requests and read its access table). */
    http: () => http,
  }
  return api
}

/** A controller instance. */
export type Controller = ReturnType<typeof createController>
