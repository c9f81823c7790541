/**
 * @module contract/live
 * Live sessions (issue 13): live voice (喊话) and live relay (转播). What the office reads of
 * them, opens with a URL source, and ends; the stream nodes fetch and the recordings.
 */
import { type Static, Type } from 'typebox'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()])

/** A live session, running or ended. Instants are ISO strings. */
export const LiveSessionSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('voice'), Type.Literal('relay')]),
  /** Zone ids ([]: the whole district). */
  zones: Type.Array(Type.String()),
  /** User id, or `schedule:<itemId>` for a running-order relay. */
  by: Type.String(),
  /** The user's name (null: a running-order relay). */
  byName: Nullable(Type.String()),
  openedAt: Type.String(),
  /** When media time 0 sounds on every node. */
  playAt: Type.String(),
  endedAt: Nullable(Type.String()),
  /** ended | closed | stalled | limit | error; null while on air. */
  endReason: Nullable(Type.String()),
  /** Node ids that reported sounding it. */
  sounding: Type.Array(Type.String()),
  /** Targeted nodes (stored sessions; null for one on air listed from memory). */
  nodeCount: Nullable(Type.Integer()),
  durationMs: Nullable(Type.Integer()),
  recordingBytes: Nullable(Type.Integer()),
})
/** A live session. */
export type LiveSessionView = Static<typeof LiveSessionSchema>

export const LiveListQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
})
export type LiveListQuery = Static<typeof LiveListQuerySchema>

export const LiveListSchema = Type.Object({
  /** Sessions on air now. */
  onAir: Type.Array(LiveSessionSchema),
  /** Stored sessions, newest first (a page). */
  sessions: Type.Array(LiveSessionSchema),
})
export type LiveList = Static<typeof LiveListSchema>

/** A node's stream request: how far ahead of what sounds now it needs to join (its start-up). */
export const LiveStreamQuerySchema = Type.Object({
  aheadMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 5000 })),
})

export const LiveIdParamsSchema = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{12}$' }) })

/** Opens a session whose source is a URL the controller reads (an HTTP/Icecast stream, RTSP…). */
export const OpenLiveSchema = Type.Object(
  {
    kind: Type.Optional(Type.Union([Type.Literal('voice'), Type.Literal('relay')])),
    /** Zone ids or codes; [] or absent: the whole district. */
    zones: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 500 })),
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    /** Session limit in seconds (default 600). */
    maxSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 14_400 })),
  },
  { additionalProperties: false },
)
export type OpenLive = Static<typeof OpenLiveSchema>

export const EndLiveSchema = Type.Object(
  { reason: Type.Optional(Type.Literal('ended')) },
  { additionalProperties: false },
)

/** Ogg Opus bytes (the stream, or a recording). */
export const LiveAudioSchema = Type.String({ description: 'Ogg Opus bytes (binary)' })
