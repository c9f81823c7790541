import { Type } from 'typebox'
import {
  DayPlanModeSchema,
  SEGMENT_PRIORITY_MAX,
  TIME_PATTERN,
} from '../../../../schedules/index.js'

/** `:date` as 'YYYY-MM-DD'. */
export const DateParamsSchema = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
})

/** One segment of a running order as stored and returned. */
export const ItemSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  start: Type.String({ pattern: TIME_PATTERN, description: 'local HH:MM:SS' }),
  audioId: Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
    description: 'null: an empty slot (shown, not played)',
  }),
  title: Type.String({ maxLength: 200, description: "empty: the audio's title is used" }),
  columnId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  zones: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), {
      maxItems: 1000,
      description: 'target zone ids; empty or absent: the whole district',
    }),
  ),
  priority: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: SEGMENT_PRIORITY_MAX,
      description: "0–60; absent: the column's default priority, else 50",
    }),
  ),
})

/** One segment as an editor sends it: `id` and `title` may be left out. */
export const ItemInputSchema = Type.Object(
  {
    ...ItemSchema.properties,
    id: Type.Optional(ItemSchema.properties.id),
    title: Type.Optional(Type.String({ maxLength: 200, default: '' })),
    audioId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  },
  { additionalProperties: false },
)

/** A validation finding. */
export const IssueSchema = Type.Object({
  code: Type.String(),
  severity: Type.String(),
  itemId: Type.Optional(Type.String()),
  message: Type.String(),
  params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
})

/** Day type of a date and where it comes from. */
export const DayTypeInfoSchema = Type.Object({
  type: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
  source: Type.Union([Type.Literal('override'), Type.Literal('official'), Type.Literal('weekday')]),
  holidayName: Type.Optional(Type.String()),
  holidayNameZh: Type.Optional(Type.String()),
})

/** Body of PUT /api/days/:date. */
export const DayBodySchema = Type.Object(
  {
    mode: Type.Optional(DayPlanModeSchema),
    drill: Type.Optional(Type.Boolean()),
    items: Type.Array(ItemInputSchema, { maxItems: 500 }),
  },
  { additionalProperties: false },
)

/** A date's running order as GET/PUT/DELETE /api/days/:date return it. */
export const DaySchema = Type.Object({
  date: Type.String(),
  mode: DayPlanModeSchema,
  items: Type.Array(ItemSchema),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  hasOwnOrder: Type.Boolean(),
  drill: Type.Boolean(),
  dayType: DayTypeInfoSchema,
  targetCount: Type.Integer(),
  effective: Type.Array(
    Type.Object({
      ...ItemSchema.properties,
      origin: Type.Union([Type.Literal('template'), Type.Literal('date')]),
    }),
  ),
  issues: Type.Array(IssueSchema),
})
