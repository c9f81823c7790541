/**
 * The fleet simulator: N real agents in one process, registered through the controller's HTTP
 * API, each with its own data directory, clock and (by default) a simulated audio output.
 *
 * What is simulated, and why (SIMULATION ONLY; a real node never runs this):
 * - audio output (`sink: 'sim'`, fleet/sim-output.ts): one decode per file per process instead
 *   of one ffmpeg per node per play, so 435 starts at one instant cost what 435 boxes would;
 * - each node's system clock may be set wrong (`clockErrorMs`): the agent's clock sync has to
 *   correct it, and the true-clock stamps show how well it did;
 * - the protocol's schemas are compiled once per process and shared (a decoder holds no state);
 * - disk writes (outbox events, plans, state, logs) go through one shared writer for the whole
 *   process (file-writer.ts `createSharedWriter`): atomic but not fsynced, at most two at a time,
 *   a queued write replaced by a newer one to the same file. Per-write fsyncs of thousands of
 *   agents through one thread pool capped the simulator at about 900 writes/s; a real node
 *   keeps fsyncing every write (AgentOptions `writeFile` defaults to `durableWriteFile`).
 * Everything else is the real agent: MQTT session, signed plans, cache, player, outbox.
 */
import { join, resolve } from 'node:path'
import type { Logger } from 'pino'
import { createSink, resolveFfmpegPath } from '../../audio/index.js'
import { createPayloadDecoder } from '../../protocol/index.js'
import { type Agent, createAgent } from '../agent.js'
import { type Clock, createSystemClock } from '../clock.js'
import { loadNodeConfig } from '../config.js'
import { createSharedWriter, type SharedWriter } from '../file-writer.js'
import { createSystemHostClock } from '../host-clock.js'
import { REFUSED_LIMIT } from '../mqtt-session.js'
import { ensureIdentities, type FleetIdentity } from './identities.js'
import { createSimAudio, createSimSink, type SimAudio } from './sim-output.js'
import { createFleetTally, type FleetTally } from './tally.js'

/** Clock errors for `n` nodes, uniform in [-maxMs, maxMs], from `random`. */
export function randomClockErrors(n: number, maxMs: number, random = Math.random): number[] {
  return Array.from({ length: n }, () => Math.round((random() * 2 - 1) * maxMs))
}

/** Zone simulated nodes are registered in when no --zones are given. */
export const FLEET_DEFAULT_ZONE = '模拟节点'

/** Options of runFleet. */
export interface FleetOptions {
  /** How many agents to run. */
  nodes: number
  controllerUrl: string
  brokerUrl: string
  /** API token (installer or admin) that registers the nodes: `Authorization: Bearer`. */
  token?: string
  /**
   * `sim` (default): the simulated output. `null`, `wav:<dir>` (`wav:<dir>/<nodeId>` per node),
   * `alsa:…`: the real sinks, one ffmpeg per node and play.
   */
  sink?: string
  /** Holds the identities and one data directory per node (fleet/identities.ts). */
  dataDir: string
  /** Zones (ids or names) assigned round-robin at registration; default FLEET_DEFAULT_ZONE. */
  zones?: string[]
  log: Logger
  ffmpegPath?: string
  /** Each node's clock is wrong by a random error up to ± this many ms. Default 0. */
  clockErrorMs?: number
  /** For the clock errors. Default Math.random. */
  random?: () => number
  /** The fleet's own timers (summaries); the agents have their own host clocks. */
  clock?: Clock
  /** Agents started concurrently per batch. Default 25. */
  batchSize?: number
  /** Called with a one-line summary every `summaryIntervalSec` (default 10). */
  onSummary?: (line: string, counts: FleetCounts) => void
  summaryIntervalSec?: number
  /** Told what the fleet decided about identities and refused nodes; default log.warn. */
  onNotice?: (line: string) => void
}

/** Fleet-wide counters. */
export interface FleetCounts {
  nodes: number
  connected: number
  planApplied: number
  played: number
  failed: number
  late: number
  /** Nodes stopped because the broker refused their credentials REFUSED_LIMIT times. */
  refused: number
}

/** A running fleet. */
export interface Fleet {
  readonly agents: readonly Agent[]
  /** Every node's clock error, ms (node clock − true clock), in the order of `agents`. */
  readonly clockErrorsMs: readonly number[]
  /** Per item outcomes with true-clock start deviations. */
  readonly tally: FleetTally
  /** The shared decoded audio (`sim` sink only). */
  readonly audio: SimAudio | null
  /** `<dataDir>/controllers/<keyId>/identities.json`. */
  readonly identitiesFile: string
  /** The one writer every agent of this fleet writes its files through. */
  readonly writer: SharedWriter
  counts(): FleetCounts
  /** Stops every agent and the summary timer. */
  stop(): Promise<void>
}

export type { FleetIdentity }

/** Registers (or reuses) N identities of this controller, then starts N agents in batches. */
export async function runFleet(opts: FleetOptions): Promise<Fleet> {
  const dataDir = resolve(opts.dataDir)
  const clock = opts.clock ?? createSystemClock()
  const ffmpegPath = opts.ffmpegPath ?? resolveFfmpegPath({})
  const log = opts.log.child({ module: 'fleet' })
  const say = opts.onNotice ?? ((line: string) => log.warn(line))
  const ids = await ensureIdentities({
    dataDir,
    controllerUrl: opts.controllerUrl,
    nodes: opts.nodes,
    zones: opts.zones && opts.zones.length > 0 ? opts.zones : [FLEET_DEFAULT_ZONE],
    ...(opts.token ? { token: opts.token } : {}),
    log,
    say,
  })
  const sinkSpec = opts.sink ?? 'sim'
  const audio = sinkSpec === 'sim' ? createSimAudio(ffmpegPath) : null
  const decoder = createPayloadDecoder()
  const writer = createSharedWriter()
  const tally = createFleetTally()
  const errors = randomClockErrors(ids.nodes.length, opts.clockErrorMs ?? 0, opts.random)
  const refused = new Set<string>()
  let stopped = false

  const agents = ids.nodes.map((identity, i) => {
    const spec = sinkSpec.startsWith('wav:')
      ? `wav:${join(sinkSpec.slice(4), identity.id)}`
      : sinkSpec
    const config = loadNodeConfig({
      flags: {
        nodeId: identity.id,
        secret: identity.secret,
        brokerUrl: opts.brokerUrl,
        controllerUrl: opts.controllerUrl,
        sink: spec === 'sim' ? 'null' : spec,
        dataDir: join(ids.dir, 'nodes', identity.id),
        // Handed over as a provisioning bundle would (the key the identities are bound to).
        controllerKey: ids.publicKeyPem,
      },
    })
    const hooks = tally.node(identity.id)
    const error = errors[i] ?? 0
    const agent = createAgent({
      config,
      log: opts.log,
      // The node's system clock is wrong by `error`; its monotonic clock is the process's.
      host: createSystemHostClock(error),
      ffmpegPath,
      decoder,
      writeFile: writer.write,
      ...(audio
        ? {
            sinkFactory: (_spec, deps) =>
              createSimSink({ audio, now: deps.now ?? Date.now, onFirstSample: hooks.firstSample }),
          }
        : { sinkFactory: createSink }),
    })
    agent.events.on('started', hooks.started)
    agent.events.on('played', hooks.finished)
    agent.events.on('failed', hooks.failed)
    agent.events.on('credentialsRefused', (n) => {
      if (n < REFUSED_LIMIT || refused.has(identity.id) || stopped) return
      refused.add(identity.id)
      say(
        `fleet: node ${identity.id} (${identity.name}): the broker refused its credentials ` +
          `${n} times in a row (retired, replaced or deleted on the controller?); stopped. ` +
          `Delete ${ids.file} to register new nodes`,
      )
      void agent.stop()
    })
    return agent
  })

  const counts = (): FleetCounts => {
    const all = agents.map((a) => a.status())
    return {
      nodes: agents.length,
      connected: all.filter((s) => s.connected).length,
      planApplied: all.filter((s) => s.planVersion !== null).length,
      ...tally.totals(),
      refused: refused.size,
    }
  }
  let cancelSummary: (() => void) | undefined
  const intervalMs = (opts.summaryIntervalSec ?? 10) * 1000
  const summarise = (): void => {
    const c = counts()
    const line =
      `fleet: ${c.connected}/${c.nodes} connected, ${c.planApplied} with a plan, ` +
      `${c.played} played, ${c.failed} failed (${c.late} late)` +
      (c.refused > 0 ? `, ${c.refused} refused by the broker` : '')
    opts.onSummary?.(line, c)
    if (!stopped) cancelSummary = clock.setTimer(clock.now() + intervalMs, summarise)
  }
  const fleet: Fleet = {
    agents,
    clockErrorsMs: errors,
    tally,
    audio,
    identitiesFile: ids.file,
    writer,
    counts,
    async stop() {
      stopped = true
      cancelSummary?.()
      await Promise.allSettled(agents.map((a) => a.stop()))
    },
  }
  const batchSize = opts.batchSize ?? 25
  try {
    for (let i = 0; i < agents.length && !stopped; i += batchSize) {
      await Promise.all(agents.slice(i, i + batchSize).map((a) => a.start()))
    }
  } catch (err) {
    await fleet.stop()
    throw err
  }
  log.info({ nodes: agents.length, dataDir, sink: sinkSpec }, 'fleet started')
  cancelSummary = clock.setTimer(clock.now() + intervalMs, summarise)
  return fleet
}
