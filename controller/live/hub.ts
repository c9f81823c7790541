/**
 * @module live/hub
 * Live sessions (issue 13): live voice (喊话) and live relay (转播). The hub encodes each session
 * once (Ogg Opus, `encoder.ts`), fans the same pages out to every node of its zones (agents fetch
 * `GET /api/live/:id/stream` with their node credentials), records them to disk, and tells the
 * nodes with signed `live.start` / `live.stop` commands. Each node plays the stream from the
 * common instant `playAt` on the fleet clock, at the session's priority (docs/protocol.md "Live
 * audio"). A session ends when its owner ends it, its source stalls, its limit passes, or its
 * encoder fails; it is stored (migration 021) and audited.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { type CommandMessage, LIVE_CODEC, nodeTopic } from '../../protocol/index.js'
import { LIVE_PRIORITY } from '../../schedules/index.js'
import { ChorusError } from '../errors.js'
import type { EventBus } from '../platform/events.js'
import { type CancelTimer, type Clock, formatInstant } from '../platform/time.js'
import type { Publish } from '../programme/plan-publisher.js'
import type { LiveRecord, LiveRepository } from './repositories/live-repository.js'

export type { LiveRecord }

import { type Listening, type SessionRuntime, STALL_CHECK_MS, startSession } from './session.js'

export type LiveKind = 'voice' | 'relay'

/** Why a session ended. */
export type LiveEndReason = 'ended' | 'closed' | 'stalled' | 'limit' | 'error'

export interface LiveOpen {
  kind: LiveKind
  /** Zone ids; [] = the whole district. */
  zones: string[]
  /** User id, or 'schedule:<itemId>' for a running-order relay. */
  by: string
  /** Session limit, ms. */
  maxMs: number
  /** pcm: the caller writes s16le 48 kHz mono; url: the hub runs ffmpeg on it. */
  source: { pcm: true } | { url: string }
  /** Voice is always above urgent announcements (schedules/priority.ts); informative here. */
  urgent?: boolean
  /** A running-order relay: whom its item reaches besides `zones` (see LiveReach). */
  reach?: LiveReach
}

/**
 * Whom a running-order item reaches (schedules' ResolvedItem): its audience (test nodes, the
 * others, or all), the zone whose own order it comes from, the zones below that replace it.
 */
export interface LiveReach {
  audience: 'all' | 'test' | 'regular'
  orderZone?: string
  overriddenBy?: readonly string[]
  overriddenForTest?: readonly string[]
}

export interface LiveSessionInfo {
  id: string
  kind: LiveKind
  zones: string[]
  by: string
  openedAt: number
  playAt: number
  endedAt: number | null
  endReason: string | null
  /** Node ids that reported sounding (`play.started` of `live:<id>`). */
  sounding: string[]
}

export interface LiveSession {
  readonly id: string
  write(pcm: Buffer): void
  end(reason: LiveEndReason): void
  info(): LiveSessionInfo
}

export interface LiveHub {
  /** Opens a session; throws a catalogued error (LIVE_INVALID, LIVE_BUSY, ZONE_NOT_FOUND). */
  open(req: LiveOpen): LiveSession
  list(): LiveSessionInfo[]
  get(id: string): LiveSessionInfo | null
  onChange(fn: (info: LiveSessionInfo) => void): () => void
  /**
   * A node joins a running session's stream (LIVE_NOT_FOUND, LIVE_ENDED, FORBIDDEN); after
   * playAt it gets the pages from `aheadMs` (default JOIN_MARGIN_MS) ahead of what sounds now.
   */
  listen(id: string, nodeId: string, aheadMs?: number): Listening
  /** The stored record of a session (on air or ended), or null. */
  record(id: string): LiveRecord | null
  /** Stored sessions, newest first; with `within`, only those wholly inside these zone ids. */
  history(limit: number, offset: number, within?: readonly string[]): LiveRecord[]
  /** Ends a session on air (false when none has that id). */
  end(id: string, reason: LiveEndReason): boolean
  /** Resolves when the session has ended and its record is complete (tests, shutdown). */
  settled(id: string): Promise<void>
  start(): Promise<void>
  stop(): Promise<void>
}

/** Play-out lead: nodes start the stream this long after the session opens (jitter buffer). */
export const DEFAULT_LEAD_MS = 1000
/** A source that gives nothing for this long ends its session (`stalled`). */
export const DEFAULT_STALL_MS = 3000
/** A node joining after playAt starts this far ahead of what sounds (its decoder's start-up). */
export const JOIN_MARGIN_MS = 400
/** Longest session anyone may open. */
export const MAX_SESSION_MS = 4 * 3_600_000

export interface LiveHubDeps {
  clock: Clock
  log: Logger
  bus: EventBus
  sign: <T extends CommandMessage>(message: T) => T
  publish: Publish
  repo: LiveRepository
  /** Ids of the (non-retired) nodes under these zones ([] = every node) that `reach` reaches. */
  targets: (zones: string[], reach?: LiveReach) => string[]
  /** The zone's id when it exists (by id or code), else null. */
  resolveZone: (zone: string) => string | null
  /** Records the session in the audit log (at its end). */
  audit: (info: LiveSessionInfo, extra: { durationMs: number; nodes: number }) => void
  ffmpegPath: string
  dataDir: string
  /** The URL nodes fetch a session's stream from. */
  streamUrl: (sessionId: string) => string
  tz: string
  leadMs?: number
  stallMs?: number
}

interface Entry {
  info: LiveSessionInfo
  runtime: SessionRuntime
  targets: Set<string>
  timers: CancelTimer[]
  settled: Promise<void>
  session: LiveSession
  /** The signed `live.start` for one node (sent at the open, and again when it comes online). */
  startFor: (nodeId: string) => CommandMessage
}

export function createLiveHub(deps: LiveHubDeps): LiveHub {
  const { clock, repo } = deps
  const log = deps.log.child({ module: 'live' })
  const leadMs = deps.leadMs ?? DEFAULT_LEAD_MS
  const stallMs = deps.stallMs ?? DEFAULT_STALL_MS
  const dir = join(deps.dataDir, 'live')
  const sessions = new Map<string, Entry>()
  const watchers = new Set<(info: LiveSessionInfo) => void>()
  let offBus: (() => void) | null = null

  const copy = (i: LiveSessionInfo): LiveSessionInfo => ({
    ...i,
    zones: [...i.zones],
    sounding: [...i.sounding],
  })
  function changed(info: LiveSessionInfo): void {
    for (const w of watchers) {
      try {
        w(copy(info))
      } catch (err) {
        log.error({ err }, 'live watcher failed')
      }
    }
  }

  function send(nodeIds: Iterable<string>, build: (nodeId: string) => CommandMessage): void {
    for (const nodeId of nodeIds) {
      const message = deps.sign(build(nodeId))
      void deps
        .publish(nodeTopic(nodeId, 'cmd'), JSON.stringify(message), { qos: 1 })
        .catch((err: unknown) => log.error({ err, nodeId }, 'live command not sent'))
    }
  }

  function check(req: LiveOpen): string[] {
    if (req.kind !== 'voice' && req.kind !== 'relay')
      throw new ChorusError('LIVE_INVALID', `unknown live kind: ${String(req.kind)}`)
    if (!Number.isInteger(req.maxMs) || req.maxMs < 1000 || req.maxMs > MAX_SESSION_MS)
      throw new ChorusError('LIVE_INVALID', `maxMs must be 1000–${MAX_SESSION_MS}`)
    if ('url' in req.source && !/^(https?|rtsp|rtp|udp|srt):\/\//i.test(req.source.url))
      throw new ChorusError('LIVE_INVALID', 'the source URL must be http(s), rtsp, rtp, udp or srt')
    const zones: string[] = []
    for (const z of req.zones) {
      const id = deps.resolveZone(z)
      if (!id) throw new ChorusError('ZONE_NOT_FOUND', `no zone ${z}`)
      if (!zones.includes(id)) zones.push(id)
    }
    return zones
  }

  function open(req: LiveOpen): LiveSession {
    const zones = check(req)
    const targets = new Set(deps.targets(zones, req.reach))
    for (const other of sessions.values()) {
      if (other.info.kind !== req.kind) continue
      if ([...targets].some((n) => other.targets.has(n)))
        throw new ChorusError(
          'LIVE_BUSY',
          `live ${req.kind} session ${other.info.id} is on air there`,
        )
    }
    const id = randomBytes(6).toString('hex')
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const recordingPath = join(dir, `${id}.ogg`)
    let end: (reason: LiveEndReason) => void = () => undefined
    const runtime = startSession({
      id,
      kind: req.kind,
      source: req.source,
      ffmpegPath: deps.ffmpegPath,
      recordingPath,
      clock,
      log,
      onFailed: () => end('error'),
    })
    // The session opens once its encoder runs: starting ffmpeg holds the event loop (fork and
    // exec: 50–450 ms on a loaded machine), and a lead counted from before it would be spent
    // before any node heard of the session (docs/benchmarks.md, session 6).
    const openedAt = clock.now()
    runtime.markOpened(openedAt)
    const playAt = openedAt + leadMs
    const info: LiveSessionInfo = {
      id,
      kind: req.kind,
      zones,
      by: req.by,
      openedAt,
      playAt,
      endedAt: null,
      endReason: null,
      sounding: [],
    }
    try {
      repo.insert({
        id,
        kind: req.kind,
        zones,
        createdBy: req.by,
        source: 'url' in req.source ? req.source.url : 'pcm',
        openedAt: new Date(openedAt).toISOString(),
        playAt: new Date(playAt).toISOString(),
        endedAt: null,
        endReason: null,
        durationMs: null,
        nodeCount: targets.size,
        sounding: [],
        recordingPath,
        recordingBytes: 0,
      })
    } catch (err) {
      void runtime.finish()
      throw err
    }
    const liveStart = {
      sessionId: id,
      kind: req.kind,
      url: deps.streamUrl(id),
      codec: LIVE_CODEC,
      playAt: formatInstant(playAt, deps.tz),
      priority: LIVE_PRIORITY[req.kind],
      zones,
      maxMs: req.maxMs,
    } as const
    let resolveSettled: () => void = () => undefined
    const settled = new Promise<void>((r) => {
      resolveSettled = r
    })
    const session: LiveSession = {
      id,
      write: (pcm) => {
        if (info.endedAt === null) runtime.write(pcm)
      },
      end: (reason) => end(reason),
      info: () => copy(info),
    }
    const entry: Entry = {
      info,
      runtime,
      targets,
      timers: [],
      settled,
      session,
      startFor: (nodeId) => ({
        v: 1,
        id: `live-start-${id}-${nodeId}-${clock.now()}`,
        nodeId,
        kind: 'live.start',
        liveStart,
        issuedAt: formatInstant(clock.now(), deps.tz),
        expiresAt: formatInstant(playAt + req.maxMs, deps.tz),
      }),
    }
    sessions.set(id, entry)
    end = (reason) => {
      if (info.endedAt !== null) return
      info.endedAt = clock.now()
      info.endReason = reason
      for (const cancel of entry.timers) cancel()
      const at = formatInstant(info.endedAt, deps.tz)
      send(targets, (nodeId) => ({
        v: 1,
        id: `live-stop-${id}-${nodeId}`,
        nodeId,
        kind: 'live.stop',
        liveStop: { sessionId: id, reason },
        issuedAt: at,
        expiresAt: formatInstant(info.endedAt as number, deps.tz),
      }))
      log.info({ sessionId: id, reason }, 'live session ended')
      changed(info)
      void runtime
        .finish()
        .then(({ recordingBytes }) => {
          const durationMs = Math.max(0, (info.endedAt as number) - playAt)
          repo.finish({
            id,
            endedAt: new Date(info.endedAt as number).toISOString(),
            endReason: reason,
            durationMs,
            sounding: info.sounding,
            recordingBytes,
          })
          deps.audit(copy(info), { durationMs, nodes: targets.size })
        })
        .catch((err: unknown) => log.error({ err, sessionId: id }, 'live session not recorded'))
        .finally(() => {
          sessions.delete(id)
          resolveSettled()
        })
    }
    entry.timers.push(clock.after(req.maxMs, () => end('limit')))
    entry.timers.push(
      clock.every(STALL_CHECK_MS, () => {
        if (clock.now() - runtime.lastActivity() > stallMs) end('stalled')
      }),
    )
    send(targets, entry.startFor)
    log.info({ sessionId: id, kind: req.kind, zones, nodes: targets.size, by: req.by }, 'on air')
    changed(info)
    return session
  }

  function listen(id: string, nodeId: string, aheadMs = JOIN_MARGIN_MS): Listening {
    const entry = sessions.get(id)
    if (!entry) {
      if (repo.get(id)) throw new ChorusError('LIVE_ENDED', `live session ${id} has ended`)
      throw new ChorusError('LIVE_NOT_FOUND', `no live session ${id}`)
    }
    if (entry.info.endedAt !== null)
      throw new ChorusError('LIVE_ENDED', `live session ${id} has ended`)
    if (!entry.targets.has(nodeId))
      throw new ChorusError('FORBIDDEN', `node ${nodeId} is not targeted by live session ${id}`)
    // What will still sound by the time the node is ready: from the start, or, for a node that
    // joins after playAt, from JOIN_MARGIN_MS ahead of what sounds now.
    return entry.runtime.listen(Math.max(0, clock.now() - entry.info.playAt + aheadMs))
  }

  return {
    open,
    list: () => [...sessions.values()].map((e) => copy(e.info)),
    get(id) {
      const entry = sessions.get(id)
      if (entry) return copy(entry.info)
      const r = repo.get(id)
      if (!r) return null
      return {
        id: r.id,
        kind: r.kind,
        zones: r.zones,
        by: r.createdBy,
        openedAt: Date.parse(r.openedAt),
        playAt: Date.parse(r.playAt),
        endedAt: r.endedAt ? Date.parse(r.endedAt) : null,
        endReason: r.endReason,
        sounding: r.sounding,
      }
    },
    onChange(fn) {
      watchers.add(fn)
      return () => watchers.delete(fn)
    },
    listen,
    record: (id) => repo.get(id),
    history: (limit, offset, within) => repo.list(limit, offset, within),
    end(id, reason) {
      const entry = sessions.get(id)
      if (!entry) return false
      entry.session.end(reason)
      return true
    },
    settled: (id) => sessions.get(id)?.settled ?? Promise.resolve(),
    async start() {
      // A session the previous run left open ended with it.
      for (const r of repo.unfinished()) {
        repo.finish({
          id: r.id,
          endedAt: r.openedAt,
          endReason: 'error',
          durationMs: 0,
          sounding: r.sounding,
          recordingBytes: r.recordingBytes,
        })
      }
      const onPlay = (e: { nodeId: string; itemId: string | null; type: string }): void => {
        if (!e.itemId?.startsWith('live:') || e.type !== 'play.started') return
        const entry = sessions.get(e.itemId.slice('live:'.length))
        if (!entry || entry.info.sounding.includes(e.nodeId)) return
        entry.info.sounding.push(e.nodeId)
        changed(entry.info)
      }
      // A node that comes online during a session joins it where it is.
      const onTransition = (e: { nodeId: string; to: string }): void => {
        if (e.to !== 'online') return
        for (const entry of sessions.values()) {
          if (entry.info.endedAt === null && entry.targets.has(e.nodeId))
            send([e.nodeId], entry.startFor)
        }
      }
      deps.bus.on('playReported', onPlay)
      deps.bus.on('transition', onTransition)
      offBus = () => {
        deps.bus.off('playReported', onPlay)
        deps.bus.off('transition', onTransition)
      }
    },
    async stop() {
      offBus?.()
      offBus = null
      const open = [...sessions.values()]
      for (const e of open) e.session.end('closed')
      await Promise.all(open.map((e) => e.settled))
    },
  }
}
