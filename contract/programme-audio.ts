/**
 * @module contract/programme-audio
 * HTTP contract of the audio library and urgent announcements (插播).
 */
import { type Static, Type } from 'typebox'

/** A recording in the library. */
export const AudioSchema = Type.Object({
  id: Type.String(),
  sha256: Type.String(),
  title: Type.String(),
  originalName: Type.Union([Type.String(), Type.Null()]),
  durationMs: Type.Integer(),
  sizeBytes: Type.Integer(),
  sourceCodec: Type.Union([Type.String(), Type.Null()]),
  loudnessBefore: Type.Union([Type.Number(), Type.Null()]),
  loudnessAfter: Type.Union([Type.Number(), Type.Null()]),
  silent: Type.Boolean(),
  createdAt: Type.String(),
  columnId: Type.Union([Type.String(), Type.Null()]),
  uploadedBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  duplicate: Type.Optional(Type.Boolean()),
})

/** Query of GET /api/audio. */
export const AudioQuerySchema = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'title or file name contains' })),
    column: Type.Optional(
      Type.String({ maxLength: 64, description: "column id; 'none' for recordings without" }),
    ),
    silent: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
)

/** Body of PATCH /api/audio/:id. */
export const AudioPatchSchema = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    columnId: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
)

/** Where a recording is used by the current or future programme. */
export const AudioUsageSchema = Type.Object({
  templates: Type.Array(Type.Union([Type.Literal('working'), Type.Literal('rest')])),
  dates: Type.Array(Type.String()),
  announcements: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), date: Type.String() }),
  ),
  orders: Type.Array(
    Type.Object({
      date: Type.String(),
      zoneId: Type.Union([Type.String(), Type.Null()]),
      zoneName: Type.Union([Type.String(), Type.Null()]),
    }),
    { description: "Dates' own running orders naming it: the district's (zone null) or a zone's" },
  ),
  elsewhere: Type.Optional(
    Type.Integer({
      description:
        'For a user limited to zones: orders and announcements of other zones using it (counted only)',
    }),
  ),
})

/** Path parameter `:id`. */
export const AudioIdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** Path parameter `:sha256` of a content-addressed audio file. */
export const Sha256ParamsSchema = Type.Object({
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
})

/** The delivery format's bytes (range requests honoured). */
export const AudioFileSchema = Type.String({ description: 'audio bytes (binary)' })

const OutcomeSchema = Type.Object({
  status: Type.String({ description: 'played | silent | interrupted | failed | playing' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  playedMs: Type.Number(),
  rmsDb: Type.Union([Type.Number(), Type.Null()]),
  startedAt: Type.Union([Type.String(), Type.Null()]),
  interrupted: Type.Boolean(),
  drill: Type.Boolean(),
})

/** An announcement with its per-node delivery and play results. */
export const AnnouncementSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  audioId: Type.String(),
  zones: Type.Array(Type.String()),
  level: Type.Union([Type.Literal('urgent'), Type.Literal('emergency')]),
  priority: Type.Integer(),
  at: Type.String(),
  date: Type.String(),
  latestStartAt: Type.String(),
  drill: Type.Boolean(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  cancelledAt: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([
    Type.Literal('scheduled'),
    Type.Literal('delivering'),
    Type.Literal('delivered'),
    Type.Literal('cancelled'),
  ]),
  counts: Type.Object({
    targeted: Type.Integer(),
    acknowledged: Type.Integer(),
    pending: Type.Integer(),
    pendingOnline: Type.Integer(),
    played: Type.Integer(),
    failed: Type.Integer(),
    interrupted: Type.Integer(),
  }),
  nodes: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      name: Type.String(),
      zoneId: Type.String(),
      online: Type.Boolean(),
      isTest: Type.Boolean(),
      sentAt: Type.Union([Type.String(), Type.Null()]),
      acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
      delivery: Type.Union([Type.Literal('acknowledged'), Type.Literal('pending')]),
      play: Type.Union([OutcomeSchema, Type.Null()]),
    }),
  ),
})

/** JSON body of POST /api/announcements (multipart sends the same as fields, plus `file`). */
export const CreateAnnouncementSchema = Type.Object(
  {
    audioId: Type.String({ minLength: 1, maxLength: 64 }),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    zones: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 })),
    at: Type.Optional(
      Type.String({ format: 'date-time', description: 'ISO instant; absent: now' }),
    ),
    priority: Type.Union([Type.Literal('urgent'), Type.Literal('emergency')]),
    drill: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

/** Query of GET /api/announcements. */
export const AnnouncementListQuerySchema = Type.Object(
  {
    from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  },
  { additionalProperties: false },
)

/** Path parameter `:id` of an announcement. */
export const AnnouncementIdParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
})

/** A recording. */
export type Audio = Static<typeof AudioSchema>
/** Where a recording is used. */
export type AudioUsage = Static<typeof AudioUsageSchema>
/** An announcement with its delivery and play results. */
export type Announcement = Static<typeof AnnouncementSchema>
/** JSON body of POST /api/announcements. */
export type CreateAnnouncement = Static<typeof CreateAnnouncementSchema>
