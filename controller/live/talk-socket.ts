/**
 * @module live/talk-socket
 * One Talk page connection (`GET /api/live/talk`, issue 13): the browser's first message names
 * the zones and the mode, then binary frames of PCM s16le 48 kHz mono (20–40 ms each) go on air
 * through the hub; the controller answers with the session's status (on air, playAt, the nodes
 * sounding it, the time left) on every change and every second. The socket closing, a `stop`
 * message, silence past the hub's stall timeout or the session limit end the session on every
 * node.
 * Access (roles, origin) is checked before the upgrade; the zones, once the start names them.
 */
import type { Logger } from 'pino'
import { Value } from 'typebox/value'
import {
  TALK_CLOSE,
  type TalkError,
  type TalkStart,
  TalkStartSchema,
  type TalkStatus,
  TalkStopSchema,
} from '../../contract/index.js'
import { ChorusError } from '../errors.js'
import type { CancelTimer, Clock } from '../platform/time.js'
import type { LiveEndReason, LiveHub, LiveSession, LiveSessionInfo } from './hub.js'
import { createAudioRateLimit } from './talk-limits.js'

/** The part of a `ws` WebSocket the talk socket uses. */
export interface TalkPeer {
  send(data: string): void
  close(code: number, reason: string): void
  on(event: 'message', fn: (data: Buffer, isBinary: boolean) => void): unknown
  on(event: 'close', fn: () => void): unknown
}

/** How long a browser has to send its start message once the socket is open. */
export const TALK_START_TIMEOUT_MS = 10_000

/** How often the status (and its countdown) is sent while on air. */
export const TALK_STATUS_EVERY_MS = 1000

export interface TalkSocketDeps {
  hub: Pick<LiveHub, 'open' | 'onChange'>
  clock: Clock
  log: Logger
  /** The user going on air (`LiveOpen.by`). */
  by: string
  /** The session limit, ms. */
  maxMs: number
  /** A start the user may not make (zones outside the scope, unknown zones), or null. */
  refuse: (start: TalkStart) => { code: string; message: string; close: number } | null
  /** Records the session's start in the audit log. */
  audit: (info: LiveSessionInfo, start: TalkStart) => void
}

/** Close code of a session the hub ended for `reason`. */
function closeFor(reason: string | null): number {
  if (reason === 'stalled') return TALK_CLOSE.stalled
  if (reason === 'limit') return TALK_CLOSE.limit
  if (reason === 'ended' || reason === 'closed') return TALK_CLOSE.ended
  return TALK_CLOSE.endedByServer
}

/** Serves one talk socket until it closes. */
export function serveTalkSocket(peer: TalkPeer, deps: TalkSocketDeps): void {
  const { clock, hub } = deps
  const log = deps.log.child({ module: 'talk', by: deps.by })
  let session: LiveSession | null = null
  let closed = false
  const limit = createAudioRateLimit(clock.now())
  const timers: CancelTimer[] = []
  let offChange: (() => void) | null = null

  function status(info: LiveSessionInfo): TalkStatus {
    const left = info.openedAt + deps.maxMs - clock.now()
    return {
      type: 'status',
      onAir: info.endedAt === null,
      sessionId: info.id,
      playAt: info.playAt,
      sounding: info.sounding,
      remainingMs: info.endedAt === null ? Math.max(0, left) : 0,
      endReason: info.endReason,
    }
  }

  function send(message: TalkStatus | TalkError): void {
    if (!closed) peer.send(JSON.stringify(message))
  }

  function close(code: number, reason: string, error?: { code: string; message: string }): void {
    if (closed) return
    if (error) send({ type: 'error', ...error })
    closed = true
    for (const cancel of timers.splice(0)) cancel()
    offChange?.()
    // The reason of a close frame is at most 123 bytes.
    peer.close(code, reason.slice(0, 120))
  }

  function endSession(reason: LiveEndReason): void {
    const s = session
    if (!s) return
    try {
      s.end(reason)
    } catch (err) {
      log.error({ err, sessionId: s.id }, 'live session did not end cleanly')
    }
  }

  function start(text: string): void {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      parsed = null
    }
    if (!Value.Check(TalkStartSchema, parsed)) {
      const message = 'the first message is {"type":"start","zones":[…],"mode":"hold"|"toggle"}'
      close(TALK_CLOSE.badStart, 'BAD_START', { code: 'BAD_START', message })
      return
    }
    const req = parsed
    const refused = deps.refuse(req)
    if (refused) {
      close(refused.close, refused.code, refused)
      return
    }
    try {
      session = hub.open({
        kind: 'voice',
        zones: req.zones,
        by: deps.by,
        maxMs: deps.maxMs,
        source: { pcm: true },
      })
    } catch (err) {
      const code = err instanceof ChorusError ? err.code : 'LIVE_ERROR'
      const message = err instanceof ChorusError ? err.message : 'the session could not start'
      if (!(err instanceof ChorusError)) log.error({ err }, 'live session did not open')
      close(TALK_CLOSE.refused, code, { code, message })
      return
    }
    const id = session.id
    offChange = hub.onChange((info) => {
      if (info.id !== id) return
      send(status(info))
      if (info.endedAt !== null) close(closeFor(info.endReason), info.endReason ?? 'ended')
    })
    const info = session.info()
    deps.audit(info, req)
    log.info({ sessionId: id, zones: req.zones, mode: req.mode }, 'on air')
    send(status(info))
    timers.push(
      clock.every(TALK_STATUS_EVERY_MS, () => {
        const s = session
        if (!s || closed) return
        const now = clock.now()
        const current = s.info()
        if (now - current.openedAt >= deps.maxMs) return endSession('limit')
        send(status(current))
      }),
    )
  }

  function audio(frame: Buffer): void {
    const s = session
    if (!s) {
      const message = 'send the start message before any audio'
      close(TALK_CLOSE.badStart, 'BAD_START', { code: 'BAD_START', message })
      return
    }
    const now = clock.now()
    const refused = limit.take(frame.length, now)
    if (refused) {
      log.warn({ sessionId: s.id, bytes: frame.length }, 'talk frame refused')
      close(TALK_CLOSE.tooMuch, 'TOO_MUCH', { code: 'TOO_MUCH', message: refused })
      endSession('error')
      return
    }
    try {
      s.write(frame)
    } catch (err) {
      log.warn({ err, sessionId: s.id }, 'talk frame not written')
    }
  }

  peer.on('message', (data, isBinary) => {
    if (closed) return
    if (isBinary) return audio(data)
    if (session === null) return start(data.toString('utf8'))
    let parsed: unknown = null
    try {
      parsed = JSON.parse(data.toString('utf8'))
    } catch {
      parsed = null
    }
    if (Value.Check(TalkStopSchema, parsed)) {
      endSession('ended')
      return
    }
    const message = 'after the start, send audio frames or {"type":"stop"}'
    close(TALK_CLOSE.badStart, 'BAD_MESSAGE', { code: 'BAD_MESSAGE', message })
    endSession('error')
  })
  peer.on('close', () => {
    closed = true
    for (const cancel of timers.splice(0)) cancel()
    offChange?.()
    endSession('closed')
  })
  timers.push(
    clock.after(TALK_START_TIMEOUT_MS, () => {
      if (session === null) {
        const message = `no start message within ${TALK_START_TIMEOUT_MS / 1000} s`
        close(TALK_CLOSE.badStart, 'START_TIMEOUT', { code: 'START_TIMEOUT', message })
      }
    }),
  )
}
