/**
 * @module contract/programme-days
 * HTTP contract of dates' running orders beyond one order (`programme.ts`): which zone's order
 * a request means, saved versions, copies, and which order a zone or node actually plays
 * (issue 11, 分级管理).
 */
import { type Static, Type } from 'typebox'
import { DayPlanModeSchema } from '../schedules/index.js'
import { DateString } from './common.js'
import { DayTypeInfoSchema, EffectiveItemSchema, ItemSchema, PlaysFromSchema } from './programme.js'

/** `?zone=`: a zone id or code whose own order is meant; absent or empty: the district's. */
export const ZoneQuerySchema = Type.Object({
  zone: Type.Optional(Type.String({ maxLength: 64, description: "zone id or code; '' district" })),
})

/** Query of GET /api/days/:date/effective: a zone (id or code) or a node. */
export const EffectiveQuerySchema = Type.Object({
  zone: Type.Optional(Type.String({ maxLength: 64 })),
  node: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
})

/** One saved version of a date's order (or its removal). */
export const DayVersionSchema = Type.Object({
  zoneId: Type.String({ description: "'' for the district's order" }),
  date: Type.String(),
  version: Type.Integer(),
  mode: DayPlanModeSchema,
  items: Type.Array(ItemSchema),
  drill: Type.Boolean(),
  deleted: Type.Boolean({ description: 'this version removed the order' }),
  savedAt: Type.String(),
  savedBy: Type.String(),
})

/** Path of POST /api/days/:date/versions/:version/restore. */
export const DayVersionParamsSchema = Type.Object({
  date: DateString,
  version: Type.Integer({ minimum: 1 }),
})

/** Body of POST /api/days/copy: each source (a date or a template) onto a date. */
export const DayCopyBodySchema = Type.Object(
  {
    pairs: Type.Array(
      Type.Object(
        {
          from: Type.Union([
            DateString,
            Type.Literal('template:working'),
            Type.Literal('template:rest'),
          ]),
          to: DateString,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 62 },
    ),
  },
  { additionalProperties: false },
)

/** What a zone or node plays on a date and whose order it is. */
export const EffectiveDaySchema = Type.Object({
  date: Type.String(),
  zone: Type.String({ description: "the zone asked about (a node's zone); '' the district" }),
  zoneName: Type.Union([Type.String(), Type.Null()]),
  playsFrom: PlaysFromSchema,
  items: Type.Array(EffectiveItemSchema),
  dayType: DayTypeInfoSchema,
})

/** `?zone=` of the days routes. */
export type ZoneQuery = Static<typeof ZoneQuerySchema>
/** One saved version of a date's order. */
export type DayVersion = Static<typeof DayVersionSchema>
/** Body of POST /api/days/copy. */
export type DayCopyBody = Static<typeof DayCopyBodySchema>
/** What a zone or node plays on a date. */
export type EffectiveDay = Static<typeof EffectiveDaySchema>
