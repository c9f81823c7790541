import { randomUUID } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Logger } from 'pino'
import { createSink, resolveFfmpegPath, type Sink, type SinkDeps } from '../audio/index.js'
import {
  type AgentEvent,
  createPayloadDecoder,
  nodeTopic,
  type PayloadDecoder,
  type RefusalReason,
} from '../protocol/index.js'
import { createAudioCache } from './audio-cache.js'
import { createAudioOutputMonitor } from './audio-output.js'
import { type Clock, isoAt, withTimeout } from './clock.js'
import { createClockSync } from './clock-sync.js'
import type { NodeConfig } from './config.js'
import type { AgentState, HandlerContext } from './context.js'
import { createDiskGuard, diskHealth } from './disk-guard.js'
import { errorMessage } from './errors.js'
import type {
  CommandAckEvent,
  PlayFailedEvent,
  PlayFinishedEvent,
  PlayInterruptedEvent,
  PlayMissedEvent,
  PlayStartedEvent,
  ReadinessEvent,
} from './events.js'
import type { WriteFile } from './file-writer.js'
import { createFleetClock } from './fleet-clock.js'
import { handleCmd } from './handlers/cmd.js'
import { handlePlan, prefetchThenEvict } from './handlers/plan.js'
import { createSystemHostClock, type HostClock, hostFromClock } from './host-clock.js'
import { createMakeGood } from './make-good-player.js'
import { createMqttSession } from './mqtt-session.js'
import { loadNodeKey, type NodeKey } from './node-key.js'
import { createNowPlaying } from './now-playing.js'
import { createOutbox } from './outbox.js'
import { createPlanStore } from './plan-store.js'
import { createPlayedLog } from './played-log.js'
import { createPlayer } from './player.js'
import { createPreVerifier } from './pre-verify.js'
import { createReadiness } from './readiness.js'
import { createRefusals } from './refusals.js'
import { createRouter } from './router.js'
import { loadTrustedPlan, recoverInterruptedPlay } from './startup.js'
import { createStateStore } from './state-store.js'
import { createTelemetry } from './telemetry.js'
import { createTrust } from './trust.js'

/** Version reported in birth messages and telemetry. */
export const AGENT_VERSION = '0.1.0'

/** Events an agent emits, for tests, the fleet simulator and main.ts. */
export interface AgentEvents {
  connected: []
  disconnected: []
  /** A segment was not played at its instant (reported once). */
  missed: [event: PlayMissedEvent]
  planApplied: [version: string]
  started: [event: PlayStartedEvent]
  played: [event: PlayFinishedEvent]
  failed: [event: PlayFailedEvent]
  interrupted: [event: PlayInterruptedEvent]
  ack: [event: CommandAckEvent]
  /** A plan or command was refused (unsigned, wrong key, altered, replayed, other node). */
  refused: [channel: 'plan' | 'cmd' | 'receipt', reason: string]
  /** The controller receipted events (committed or refused for good); the outbox deleted them. */
  receipted: [ids: readonly string[]]
  readiness: [event: ReadinessEvent]
  /** The broker refused the node's credentials this many times in a row (see mqtt-session). */
  credentialsRefused: [consecutive: number]
}

/** Options of createAgent; everything but config and log has a default. */
export interface AgentOptions {
  config: NodeConfig
  log: Logger
  /**
   * The node's monotonic and system clocks; default the real ones. The agent schedules by its
   * fleet clock built on them (`fleet-clock.ts`).
   */
  host?: HostClock
  /** A plain clock to use as both host clocks (tests on a manual clock); ignored with `host`. */
  clock?: Clock
  /** Default: createSink(config.sink). */
  sink?: Sink
  /**
   * Makes the sink from `config.sink` and the agent's clock when `sink` is not given; default
   * `createSink`. The fleet simulator passes one that makes its simulated outputs.
   */
  sinkFactory?: (spec: string, deps: SinkDeps) => Sink
  /** Default: the binary shipped in npm packages (main.ts passes one resolved with env). */
  ffmpegPath?: string
  agentVersion?: string
  /** How long published events wait for a receipt before they are sent again (tests shorten it). */
  receiptWait?: { baseMs: number; capMs: number }
  /** Called after a `restart` command was acknowledged; main.ts exits with code 75. */
  onRestartRequested?: () => void
  /**
   * Validates MQTT payloads; default a new one. Compiling the protocol's schemas takes a few ms,
   * so the fleet simulator compiles them once and shares the decoder (it holds no state).
   */
  decoder?: PayloadDecoder
  /**
   * How outbox events, plans, state and logs are written; default `durableWriteFile` (atomic and
   * fsynced), what every real node uses. SIMULATION ONLY: the fleet simulator passes one shared,
   * unsynced, coalescing writer (file-writer.ts `createSharedWriter`).
   */
  writeFile?: WriteFile
}

/** Snapshot of an agent's state. */
export interface AgentStatus {
  connected: boolean
  planVersion: string | null
  outboxDepth: number
  playing: string | null
  /** Refusals of the node's credentials by the broker in a row (0 once connected). */
  credentialsRefused: number
}

/** One speaker agent. */
export interface Agent {
  readonly nodeId: string
  readonly events: EventEmitter<AgentEvents>
  /** Loads state and the stored plan, arms the player, starts the MQTT session. */
  start(): Promise<void>
  /** Stops playback, timers, the session and the outbox; idempotent. */
  stop(): Promise<void>
  status(): AgentStatus
}

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
    sign: (event) => (nodeKey ? nodeKey.sign(event) : event),
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

  function store(event: AgentEvent): Promise<void> {
    const stored = outbox.add(event)
    stored.catch((err: unknown) => log.error({ err, event }, 'event not stored'))
    nowPlaying.observe(event, stored)
    return stored
  }

  function report(event: AgentEvent): void {
    void store(event).catch(() => undefined)
    switch (event.type) {
      case 'play.started':
        return void events.emit('started', event)
      case 'play.finished':
        return void events.emit('played', event)
      case 'play.failed':
        state.lastError = `${event.itemId}: ${event.reason}${event.error ? ` (${event.error})` : ''}`
        return void events.emit('failed', event)
      case 'cmd.ack':
        return void events.emit('ack', event)
      case 'play.interrupted':
        return void events.emit('interrupted', event)
      case 'readiness':
        return void events.emit('readiness', event)
      case 'play.missed':
        return void events.emit('missed', event)
      case 'plan.applied':
      case 'plan.rejected':
      case 'cmd.rejected':
        return
    }
  }
  const nowPlaying = createNowPlaying({
    dataDir,
    ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    clock,
    log: log.child({ module: 'now-playing' }),
    durationOf: (itemId) => state.plan?.items.find((i) => i.itemId === itemId)?.durationMs ?? null,
  })
  const refusals = createRefusals({ clock, report, log: log.child({ module: 'refusals' }) })

  // Announcements and segments played to their end; segments whose miss was reported.
  const played = createPlayedLog(join(dataDir, 'announcements-played.json'), log, opts.writeFile)
  const missed = createPlayedLog(join(dataDir, 'segments-missed.json'), log, opts.writeFile)
  const makeGood = createMakeGood({
    clock,
    report,
    log,
    lateToleranceMs: config.lateToleranceMs,
    played,
    missed,
    connected: () => session.connected(),
  })
  const player = makeGood.wrap(
    createPlayer({
      played,
      clock,
      sink: audioOutput.wrap({
        play: (file, o) => (sink as Sink).play(file, o),
        prepare: (file, o) => (sink as Sink).prepare(file, o),
      }),
      cache,
      report: makeGood.report,
      log: log.child({ module: 'player' }),
      lateToleranceMs: config.lateToleranceMs,
      getVolume: () => state.volume,
    }),
  )
  const preVerify = createPreVerifier({ clock, cache, log: log.child({ module: 'pre-verify' }) })
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
    // Each plan also arms the hash of each item's file a few seconds before it plays.
    player: {
      ...player,
      setPlan(plan) {
        player.setPlan(plan)
        preVerify.setPlan(plan)
      },
    },
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
  const trust = createTrust({
    dataDir,
    ...(opts.writeFile ? { writeFile: opts.writeFile } : {}),
    nodeId,
    controllerUrl: config.controllerUrl,
    configuredKey: config.controllerKey ?? null,
    log,
    onRefused: (channel, reason, id) => {
      events.emit('refused', channel, reason)
      // A redelivery of the plan held (MQTT QoS 1 may deliver twice) is no news; a refused
      // receipt only keeps its events in the outbox.
      if (channel === 'receipt') return
      if (channel === 'plan' && reason === 'replay' && id === state.plan?.version) return
      refusals.refused(channel, reason as RefusalReason, { id })
    },
  })
  const router = createRouter({
    nodeId,
    decoder,
    log: log.child({ module: 'router' }),
    onUndecodable: (channel, payload, errors) => {
      events.emit('refused', channel, refusals.undecodable(channel, payload, errors))
    },
    handlers: {
      // Only what the controller signed is obeyed (docs/protocol.md, "Signed plans and commands").
      plan: async (plan) => {
        if (await trust.acceptPlan(plan, state.plan)) await handlePlan(plan, ctx)
      },
      cmd: async (cmd) => {
        if (await trust.acceptCmd(cmd, ctx.commands.has(cmd.id))) await handleCmd(cmd, ctx)
      },
      receipt: async (receipt) => {
        if (!(await trust.acceptReceipt(receipt))) return
        const ids = [...receipt.stored, ...receipt.rejected]
        await outbox.receipt(ids)
        events.emit('receipted', ids)
      },
      rebirth: () => session.publishBirth('rebirth'),
    },
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
