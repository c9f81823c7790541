import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createSink, resolveFfmpegPath, type Sink } from '../audio/index.js'
import { createPayloadDecoder, nodeTopic } from '../protocol/index.js'
import { createInbound } from './agent-inbound.js'
import { createPlayback } from './agent-playback.js'
import { createReporter } from './agent-report.js'
import type { Agent, AgentEvents, AgentOptions } from './agent-types.js'
import { createAudioCache } from './audio-cache.js'
import { createAudioOutputMonitor } from './audio-output.js'
import { type Clock, isoAt, withTimeout } from './clock.js'
import { createClockSync } from './clock-sync.js'
import type { AgentState, HandlerContext } from './context.js'
import { createDiskGuard, diskHealth } from './disk-guard.js'
import { errorMessage } from './errors.js'
import { createFleetClock } from './fleet-clock.js'
import { prefetchThenEvict } from './handlers/plan.js'
import { createSystemHostClock, hostFromClock } from './host-clock.js'
import { createLive } from './live.js'
import { createMqttSession } from './mqtt-session.js'
import { loadNodeKey, type NodeKey } from './node-key.js'
import { createNowPlaying } from './now-playing.js'
import { createOutbox } from './outbox.js'
import { createPlanStore } from './plan-store.js'
import { createReadiness } from './readiness.js'
import { createRefusals } from './refusals.js'
import { loadTrustedPlan, recoverInterruptedPlay } from './startup.js'
import { createStateStore } from './state-store.js'
import { createTelemetry } from './telemetry.js'

/** Version reported in birth messages and telemetry. */
export const AGENT_VERSION = '0.1.0'

export type { Agent, AgentEvents, AgentOptions, AgentStatus } from './agent-types.js'

/** Wires one agent; nothing happens until start(). No globals, so a process can run hundreds. */
export function createAgent(opts: AgentOptions): Agent {
  const { config } = opts
  const nodeId = config.nodeId
  const log = opts.log.child({ nodeId })
  const host = opts.host ?? (opts.clock ? hostFromClock(opts.clock) : createSystemHostClock())
  const fleetClock = createFleetClock({ host, log: log.child({ module: 'fleet-clock' }) })
  const clock: Clock = fleetClock
  const agentVersion = opts.agentVersion ?? AGENT_VERSION
  const dataDir = resolve(config.dataDir)
  const events = new EventEmitter<AgentEvents>()
  const decoder = opts.decoder ?? createPayloadDecoder()
  const shutdown = new AbortController()
  const state: AgentState = {
    plan: null,
    forceReplan: false,
    volume: config.volume,
    lastError: null,
  }
  const startedAt = host.monoNow()
  let ffmpegPath = opts.ffmpegPath
  const getFfmpegPath = (): string => {
    ffmpegPath ??= resolveFfmpegPath({})
    return ffmpegPath
  }
  let sink = opts.sink
  const clockSync = createClockSync({
    controllerUrl: config.controllerUrl,
    clock: { now: host.monoNow },
    log: log.child({ module: 'clock-sync' }),
    signal: shutdown.signal,
    onEstimate: fleetClock.adopt,
  })
  const audioOutput = createAudioOutputMonitor({ sinkSpec: () => sink?.spec ?? config.sink })
  let nodeKey: NodeKey | undefined
  const receiptTopic = nodeTopic(nodeId, 'receipt')

  const session = createMqttSession({
    config,
    clock,
    log: log.child({ module: 'mqtt' }),
    bootId: randomUUID(),
    agentVersion,
    planVersion: () => state.plan?.version ?? null,
    seqFloor: () => Math.max(state.plan?.sig?.seq ?? 0, trust.cmdFloor()),
    nodeKey: () => nodeKey?.publicKeyPem,
    onMessage: (topic, payload) => {
      // Receipts still count while stopping: stop() waits for them before it disconnects.
      if (!shutdown.signal.aborted || topic === receiptTopic) router.dispatch(topic, payload)
    },
    onConnected: () => {
      outbox.setConnected(true)
      events.emit('connected')
      makeGood.reconsider()
      // Re-estimate the controller's clock, then report health right away (clock offset, audio
      // output), not only at the next interval.
      void clockSync
        .burst()
        .then(() => telemetry.publishNow())
        .catch((err: unknown) => log.debug({ err }, 'telemetry after connect not sent'))
    },
    onDisconnected: () => {
      outbox.setConnected(false)
      events.emit('disconnected')
    },
    onRefused: (consecutive) => events.emit('credentialsRefused', consecutive),
  })
  const outbox = createOutbox({
    dir: join(dataDir, 'outbox'),
    ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    topic: nodeTopic(nodeId, 'events'),
    publish: session.publish,
    clock,
    log: log.child({ module: 'outbox' }),
    decoder,
    signMessage: (message) => (nodeKey ? nodeKey.signMessage(message) : message),
    ...(opts.receiptWait ? { receiptWait: opts.receiptWait } : {}),
    onWriteFailed: (err) => diskGuard.writeFailed(err),
  })
  const cache = createAudioCache({
    dir: join(dataDir, 'audio'),
    now: () => clock.now(),
    controllerUrl: config.controllerUrl,
    credentials: { nodeId, secret: config.secret },
    log: log.child({ module: 'audio-cache' }),
    onPrefetchError: (item, err) => {
      state.lastError = `prefetch of ${item.audioId}: ${errorMessage(err)}`
    },
  })

  const diskGuard = createDiskGuard({
    cache,
    needed: () => new Set(state.plan?.items.map((i) => i.sha256) ?? []),
    clock,
    // Telemetry says so at its next report: the controller keeps one sample a node per interval
    // and counts faster ones as violations.
    log: log.child({ module: 'disk' }),
  })

  const { store, report } = createReporter({
    add: (event) => outbox.add(event),
    observe: (event, stored) => nowPlaying.observe(event, stored),
    events,
    state,
    log,
  })
  const nowPlaying = createNowPlaying({
    dataDir,
    ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    clock,
    log: log.child({ module: 'now-playing' }),
    durationOf: (itemId) => state.plan?.items.find((i) => i.itemId === itemId)?.durationMs ?? null,
  })
  const refusals = createRefusals({ clock, report, log: log.child({ module: 'refusals' }) })

  const { played, missed, makeGood, preVerify, player } = createPlayback({
    dataDir,
    ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    clock,
    log,
    report,
    cache,
    sink: audioOutput.wrap({
      play: (file, o) => (sink as Sink).play(file, o),
      prepare: (file, o) => (sink as Sink).prepare(file, o),
    }),
    lateToleranceMs: config.lateToleranceMs,
    getVolume: () => state.volume,
    connected: () => session.connected(),
  })
  const live = createLive({
    clock,
    log: log.child({ module: 'live' }),
    sink: audioOutput.wrap({
      play: (file, o) => (sink as Sink).play(file, o),
      prepare: (file, o) => (sink as Sink).prepare(file, o),
    }),
    player,
    getVolume: () => state.volume,
    controllerUrl: config.controllerUrl,
    credentials: { nodeId, secret: config.secret },
  })
  const ctx: HandlerContext = {
    nodeId,
    dataDir,
    ffmpegPath: getFfmpegPath,
    clock,
    log,
    state,
    planStore: createPlanStore({
      dataDir,
      decoder,
      clock,
      log,
      ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    }),
    stateStore: createStateStore(dataDir, log, opts.writeFile),
    player,
    live,
    cache,
    readiness: createReadiness({
      clock,
      log: log.child({ module: 'readiness' }),
      report,
      has: (sha256) => cache.has(sha256),
    }),
    report,
    commands: new Map(),
    signal: shutdown.signal,
    publishBirth: (reason, planVersion) => session.publishBirth(reason, planVersion),
    onRestartRequested: () => opts.onRestartRequested?.(),
    relieveDisk: () => diskGuard.relieve(),
    onPlanApplied: (version) => events.emit('planApplied', version),
  }
  const { trust, router } = createInbound({
    config,
    dataDir,
    ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    decoder,
    log,
    ctx,
    refusals,
    events,
    receipted: (ids) => outbox.receipt(ids),
    rebirth: () => session.publishBirth('rebirth'),
  })
  const telemetry = createTelemetry({
    clock,
    log: log.child({ module: 'telemetry' }),
    intervalSec: config.telemetryIntervalSec,
    topic: nodeTopic(nodeId, 'telemetry'),
    publish: session.publish,
    connected: session.connected,
    collect: async () => ({
      v: 1,
      at: isoAt(clock.now()),
      agentVersion,
      uptimeSec: Math.round((host.monoNow() - startedAt) / 100) / 10,
      volume: state.volume,
      planVersion: state.plan?.version ?? null,
      cacheBytes: await cache.sizeBytes(),
      ...(await diskHealth(dataDir, outbox.unsaved())),
      clockOffsetMs: (await clockSync.sample()) === null ? null : fleetClock.offsetMs(),
      clockUncertaintyMs: fleetClock.uncertaintyMs(),
      memRssBytes: process.memoryUsage.rss(),
      outboxDepth: outbox.depth(),
      playing: player.playing() !== null,
      lastError: state.lastError?.slice(0, 1000) ?? null,
      audioOutput: await audioOutput.report(),
    }),
  })

  let starting: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  async function start(): Promise<void> {
    await mkdir(dataDir, { recursive: true })
    sink ??= (opts.sinkFactory ?? createSink)(config.sink, {
      ffmpegPath: getFfmpegPath(),
      now: fleetClock.preciseNow,
    })
    fleetClock.start()
    // Fleet time as soon as the controller answers (timers re-arm then); offline: own clock.
    void clockSync.burst()
    state.volume = (await ctx.stateStore.load({ volume: config.volume })).volume
    nodeKey = await loadNodeKey(dataDir, config.nodeKey, log)
    await outbox.start()
    await trust.ensureKey()
    await trust.loadFloor()
    await played.load()
    await missed.load()
    const stored = await loadTrustedPlan({
      planStore: ctx.planStore,
      trust,
      refusals,
      log,
      onRefused: (reason) => events.emit('refused', 'plan', reason),
    })
    const cut = await recoverInterruptedPlay({ nowPlaying, store, log })
    if (cut !== null) player.skip([cut])
    if (stored && stored.nodeId === nodeId) {
      // Offline-first: play the stored plan even if the broker is unreachable.
      state.plan = stored
      ctx.player.setPlan(stored)
      log.info({ version: stored.version, items: stored.items.length }, 'stored plan loaded')
      void prefetchThenEvict(stored, ctx).catch((err: unknown) =>
        log.error({ err }, 'prefetch failed'),
      )
    }
    if (shutdown.signal.aborted) return
    session.start()
    telemetry.start()
    log.info({ broker: config.brokerUrl, sink: sink.spec }, 'agent started')
  }

  async function stop(): Promise<void> {
    await starting?.catch(() => undefined)
    shutdown.abort()
    telemetry.stop()
    preVerify.stop()
    ctx.readiness.stop()
    live.stopAll()
    await player.stop()
    await nowPlaying.stop()
    await played.flush()
    await missed.flush()
    await cache.stop()
    await router.idle()
    if (session.connected()) {
      await withTimeout(clock, outbox.drain(), 2000).catch(() => undefined)
    }
    await session.stop()
    await outbox.stop()
    fleetClock.stop()
    log.info('agent stopped')
  }

  return {
    nodeId,
    events,
    start() {
      if (stopping !== undefined) return Promise.reject(new Error('agent is stopped'))
      starting ??= start()
      return starting
    },
    stop() {
      stopping ??= stop()
      return stopping
    },
    status: () => ({
      connected: session.connected(),
      planVersion: state.plan?.version ?? null,
      outboxDepth: outbox.depth(),
      playing: player.playing(),
      credentialsRefused: session.refusals(),
    }),
  }
}
