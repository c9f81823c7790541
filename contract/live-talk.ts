/**
 * @module contract/live-talk
 * The sources of live audio (issue 13): the Talk page's WebSocket (`GET /api/live/talk`) and the
 * relay of an external stream (`POST /api/live/relay`). The sessions themselves (list, records,
 * recordings) are in `live.ts`.
 */
import { type Static, Type } from 'typebox'
import { RELAY_URL_PATTERN } from '../schedules/index.js'

/** What the browser sends: PCM, signed 16-bit little-endian, this rate, one channel. */
export const TALK_SAMPLE_RATE = 48_000

/** Bytes of audio per second at TALK_SAMPLE_RATE (s16le mono). */
export const TALK_BYTES_PER_SEC = TALK_SAMPLE_RATE * 2

/** Largest WebSocket message the controller accepts (a frame of 20–40 ms is 1,920–3,840 B). */
export const TALK_MAX_MESSAGE_BYTES = 16 * 1024

/**
 * Close codes of the talk socket (4000–4999 are the application's, RFC 6455 §7.4.2); the close
 * reason carries the controller's error code (`OUT_OF_SCOPE`, `LIVE_BUSY`, …).
 */
export const TALK_CLOSE = {
  /** The session ended as asked (the officer stopped, or the socket closed). */
  ended: 1000,
  /** The first message was not a valid start, or a later text message was not understood. */
  badStart: 4400,
  /** The zones are outside the user's scope, or the session was refused for access. */
  forbidden: 4403,
  /** No audio for longer than the stall timeout. */
  stalled: 4408,
  /** The hub refused the session (another session holds the zones, …). */
  refused: 4409,
  /** Messages too large or faster than audio: the peer is not a microphone. */
  tooMuch: 4413,
  /** The session limit was reached. */
  limit: 4429,
  /** The session ended on the controller's side (stopped, preempted, an error). */
  endedByServer: 4500,
} as const

/** The first (and only) JSON message from the browser: where to speak and how. */
export const TalkStartSchema = Type.Object(
  {
    type: Type.Literal('start'),
    zones: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 200,
      description: 'zone ids; empty: the whole district (only for users not limited to zones)',
    }),
    mode: Type.Union([Type.Literal('hold'), Type.Literal('toggle')], {
      description: 'press-to-talk or toggle; recorded with the session',
    }),
  },
  { additionalProperties: false },
)

/** The first message of the talk socket. */
export type TalkStart = Static<typeof TalkStartSchema>

/** The browser's end of a session without closing the socket. */
export const TalkStopSchema = Type.Object(
  { type: Type.Literal('stop') },
  { additionalProperties: false },
)

/** Controller → browser: the session as it is now (sent on every change and every second). */
export const TalkStatusSchema = Type.Object({
  type: Type.Literal('status'),
  onAir: Type.Boolean(),
  sessionId: Type.String(),
  /** Fleet ms at which the nodes start playing the first audio. */
  playAt: Type.Number(),
  /** Node ids that reported sounding the session. */
  sounding: Type.Array(Type.String()),
  /** How long the session may still last, in ms. */
  remainingMs: Type.Number(),
  /** Why it ended (`ended`, `closed`, `stalled`, `limit`, `error`), once it has. */
  endReason: Type.Union([Type.String(), Type.Null()]),
})

/** A status message of the talk socket. */
export type TalkStatus = Static<typeof TalkStatusSchema>

/** Controller → browser: why the socket is about to close. */
export const TalkErrorSchema = Type.Object({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
})

/** An error message of the talk socket. */
export type TalkError = Static<typeof TalkErrorSchema>

/** Body of POST /api/live/relay. */
export const RelayBodySchema = Type.Object(
  {
    url: Type.String({
      maxLength: 2000,
      pattern: RELAY_URL_PATTERN,
      description: 'http(s), rtsp, rtp or udp URL of a live source on the local network',
    }),
    zones: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      maxItems: 200,
      description: 'zone ids; empty: the whole district',
    }),
    until: Type.Optional(
      Type.String({ format: 'date-time', description: 'when to end; absent: the session limit' }),
    ),
  },
  { additionalProperties: false },
)

/** Body of POST /api/live/relay. */
export type RelayBody = Static<typeof RelayBodySchema>

/** Answer of POST /api/live/relay: the session opened. */
export const RelayAnswerSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  zones: Type.Array(Type.String()),
  by: Type.String(),
  openedAt: Type.Number(),
  playAt: Type.Number(),
  /** Epoch ms at which the controller ends it. */
  endsAt: Type.Number(),
})

/** Answer of POST /api/live/relay. */
export type RelayAnswer = Static<typeof RelayAnswerSchema>
