import { Type } from 'typebox'

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
