import { Type } from 'typebox'

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
})

/** Path parameter `:id`. */
export const AudioIdParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
