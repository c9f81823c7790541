/**
 * @module live
 * The agent's side of live sessions (issue 13). A signed `live.start` names the session, its
 * stream on the controller and `playAt`; the agent joins the stream at once (HTTP, its node
 * credentials, Ogg Opus piped into the sink's decoder), and hands the player an item
 * `live:<sessionId>` at the session's priority, so announcements and segments give way or take
 * over by the usual rules. The jitter buffer is what arrives between joining and `playAt` (about
 * the controller's lead, 1 s), held by the decoder's pipe until the instant. The stream's end (the
 * session ended), `live.stop`, a stall of `stallMs` or the session's limit stop it.
 */
import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { Logger } from 'pino'
import type { Sink } from '../audio/index.js'
import type { LiveStart, LiveStop, PlanItem } from '../protocol/index.js'
import { type Clock, isoAt } from './clock.js'
import { type HttpAnswer, httpRequest } from './http-client.js'
import type { Player } from './player.js'
import type { LivePreparation } from './player-rules.js'

/** A stream that gives no byte for this long is dropped (the controller ends it at 3 s). */
export const LIVE_STALL_MS = 5000
/** A join ready less than this before its instant counts as late (the sink hands over 300 ms early). */
export const LATE_SLACK_MS = 100
/** The furthest ahead a node asks to join (the controller keeps 3 s; 1 s is encoded ahead). */
export const MAX_AHEAD_MS = 3000
/** After `live.stop`, what the node still holds plays out for at most this long. */
export const LIVE_STOP_GRACE_MS = 2500

export interface LiveDeps {
  clock: Clock
  log: Logger
  sink: Pick<Sink, 'prepare'>
  player: Pick<Player, 'startLive' | 'stopLive'>
  getVolume: () => number
  controllerUrl: string
  credentials: { nodeId: string; secret: string }
  stallMs?: number
}

/** The live item a session plays as: not in any plan, never cached. */
export function liveItem(start: LiveStart): PlanItem {
  const itemId = `live:${start.sessionId}`
  const playAt = Date.parse(start.playAt)
  return {
    itemId,
    startAt: start.playAt,
    audioId: itemId,
    // No file: the hash of the item id stands in for the audio's (play.finished needs one).
    sha256: createHash('sha256').update(itemId).digest('hex'),
    sizeBytes: 0,
    durationMs: start.maxMs,
    url: start.url,
    title: start.kind === 'voice' ? 'live voice' : 'live relay',
    priority: start.priority,
    // Held up or cut by an emergency, it may still join until the session's limit.
    latestStartAt: isoAt(playAt + start.maxMs),
  }
}

export function createLive(deps: LiveDeps) {
  const { clock, log } = deps
  const stallMs = deps.stallMs ?? LIVE_STALL_MS
  const controllerOrigin = new URL(deps.controllerUrl).origin
  const basic = `Basic ${Buffer.from(`${deps.credentials.nodeId}:${deps.credentials.secret}`).toString('base64')}`
  const sessions = new Map<
    string,
    { start: LiveStart; stopper: AbortController; early: Promise<LivePreparation> | null }
  >()
  /** Sessions already started or stopped (a redelivered live.start is no news). */
  const seen = new Set<string>()
  /** How far ahead this node joins after playAt (null: the controller's default), learnt. */
  let aheadMs: number | null = null

  /** The stream's bytes; a stall, the session's stop or its limit ends them. */
  async function* watched(body: Readable, signal: AbortSignal, until: number) {
    const ac = new AbortController()
    let cancel = clock.setTimer(clock.now() + stallMs, () => ac.abort())
    const stopLimit = clock.setTimer(until, () => ac.abort())
    const both = AbortSignal.any([signal, ac.signal])
    const onAbort = (): void => {
      body.destroy()
    }
    both.addEventListener('abort', onAbort, { once: true })
    try {
      for await (const chunk of body) {
        cancel()
        cancel = clock.setTimer(clock.now() + stallMs, () => ac.abort())
        yield chunk as Buffer
      }
    } finally {
      cancel()
      stopLimit()
      both.removeEventListener('abort', onAbort)
      if (ac.signal.aborted) log.warn({ stallMs }, 'live stream stalled or over its limit')
    }
  }

  /**
   * Joins the stream. A join whose start-up outlasted its margin is kept: the sink drops what it
   * is late by (`catchUp`) and sounds the rest in step, where joining again would only be later
   * still (the stream holds at most the controller's lead beyond what sounds). The next join
   * (after a cut) asks to start further ahead.
   */
  async function join(start: LiveStart, signal: AbortSignal): Promise<LivePreparation> {
    const began = clock.now()
    const r = await joinOnce(start, signal, aheadMs)
    const took = clock.now() - began
    if (r.ok && clock.now() > r.startAt - LATE_SLACK_MS) {
      aheadMs = Math.min(MAX_AHEAD_MS, Math.round(took * 1.5) + 200)
      log.info({ sessionId: start.sessionId, took, aheadMs }, 'live join was late: catching up')
    }
    return r
  }

  async function joinOnce(
    start: LiveStart,
    signal: AbortSignal,
    ahead: number | null,
  ): Promise<LivePreparation> {
    const url = new URL(start.url, deps.controllerUrl)
    if (ahead !== null) url.searchParams.set('aheadMs', String(ahead))
    if (url.origin !== controllerOrigin) {
      return {
        ok: false,
        stage: 'download',
        err: new Error(`stream ${url} is not the controller's`),
      }
    }
    let res: HttpAnswer
    try {
      res = await httpRequest(url, { headers: { authorization: basic }, signal })
    } catch (err) {
      return { ok: false, stage: 'download', err }
    }
    if (res.status !== 200) {
      res.discard()
      return { ok: false, stage: 'download', err: new Error(`GET ${url} answered ${res.status}`) }
    }
    const mediaMs = Math.max(0, Number(res.header('x-chorus-media-ms') ?? 0) || 0)
    const playAt = Date.parse(start.playAt)
    const body = res.body
    const input = watched(body, signal, playAt + start.maxMs)
    const name = `live_${start.sessionId}${mediaMs > 0 ? `_from${mediaMs}` : ''}`
    try {
      const prepared = await deps.sink.prepare(`live:${start.sessionId}`, {
        name,
        volume: deps.getVolume(),
        input,
        signal,
        catchUp: true,
      })
      return { ok: true, prepared, startAt: playAt + mediaMs, offsetMs: mediaMs }
    } catch (err) {
      body.destroy()
      return { ok: false, stage: 'prepare', err }
    }
  }

  function start(s: LiveStart): void {
    if (seen.has(s.sessionId)) return
    seen.add(s.sessionId)
    const playAt = Date.parse(s.playAt)
    if (playAt + s.maxMs <= clock.now()) return // over already
    const stopper = new AbortController()
    const entry = {
      start: s,
      stopper,
      early: join(s, stopper.signal) as Promise<LivePreparation> | null,
    }
    sessions.set(s.sessionId, entry)
    log.info({ sessionId: s.sessionId, kind: s.kind, playAt: s.playAt }, 'live session')
    deps.player.startLive(liveItem(s), () => {
      // The join made on arrival, once; after a cut, a fresh join where the session is now.
      const early = entry.early
      entry.early = null
      return early ?? join(s, stopper.signal)
    })
  }

  function stop(s: LiveStop): void {
    seen.add(s.sessionId)
    const entry = sessions.get(s.sessionId)
    sessions.delete(s.sessionId)
    deps.player.stopLive(`live:${s.sessionId}`, LIVE_STOP_GRACE_MS)
    if (!entry) return
    log.info({ sessionId: s.sessionId, reason: s.reason }, 'live session ended')
    // Joins not yet playing are dropped; a sounding one ends with its stream or the grace.
    void entry.early?.then((p) => {
      if (p.ok) p.prepared.abort()
    })
    clock.setTimer(clock.now() + LIVE_STOP_GRACE_MS, () => entry.stopper.abort())
  }

  return {
    start,
    stop,
    /** Ends every session (the agent stops). */
    stopAll(): void {
      for (const e of sessions.values()) e.stopper.abort()
      sessions.clear()
    },
  }
}

/** The agent's live sessions. */
export type Live = ReturnType<typeof createLive>
