/**
 * @module contract/programme
 * HTTP contract of the programme: a date's running order, the working-day and rest-day
 * templates, the calendar, columns (栏目), plan currency and readiness before air time.
 * Recordings and announcements: `programme-audio.ts`.
 */
import { type Static, Type } from 'typebox'
import {
  DayPlanModeSchema,
  RelaySchema,
  SEGMENT_PRIORITY_MAX,
  TIME_PATTERN,
} from '../schedules/index.js'
import { DateString } from './common.js'

/** The relay URL check the server applies on save, so the editor refuses the same URLs first. */
export { RELAY_SCHEMES, relayUrlProblem } from '../schedules/index.js'

/** A day type. */
export const DayTypeSchema = Type.Union([Type.Literal('working'), Type.Literal('rest')])

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
  relay: Type.Optional(
    Type.Union([RelaySchema, Type.Null()], {
      description: 'a relay (转播) slot: this live source from start to end, with audioId null',
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
  zoneId: Type.Optional(
    Type.String({ description: "an override's zone ('' the district's), when zones count" }),
  ),
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

/** Whose order nodes of a zone play on a date (issue 11, 分级管理). */
export const PlaysFromSchema = Type.Object({
  kind: Type.Union([Type.Literal('zone'), Type.Literal('district'), Type.Literal('template')], {
    description: "a zone's own order, the district's, or the day type's template",
  }),
  zoneId: Type.String({ description: "the zone whose order plays; '' otherwise" }),
  zoneName: Type.Union([Type.String(), Type.Null()]),
})

/** One item of what a date plays, and whether it comes from the template or an own order. */
export const EffectiveItemSchema = Type.Object({
  ...ItemSchema.properties,
  origin: Type.Union([Type.Literal('template'), Type.Literal('date')]),
})

/** A date's running order as GET/PUT/DELETE /api/days/:date return it. */
export const DaySchema = Type.Object({
  date: Type.String(),
  zone: Type.String({ description: "the zone whose order this is; '' for the district's" }),
  zoneName: Type.Union([Type.String(), Type.Null()]),
  playsFrom: PlaysFromSchema,
  mode: DayPlanModeSchema,
  items: Type.Array(ItemSchema),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  hasOwnOrder: Type.Boolean(),
  drill: Type.Boolean(),
  dayType: DayTypeInfoSchema,
  targetCount: Type.Integer(),
  effective: Type.Array(EffectiveItemSchema),
  issues: Type.Array(IssueSchema),
})

/** Path parameter `:dayType`. */
export const DayTypeParamsSchema = Type.Object({
  dayType: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
})

/** A template as the API returns it. */
export const TemplateSchema = Type.Object({
  dayType: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
  items: Type.Array(ItemSchema),
  targetCount: Type.Integer(),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  issues: Type.Array(IssueSchema),
})

/** Body of PUT /api/templates/:dayType. */
export const TemplateBodySchema = Type.Object(
  {
    items: Type.Array(ItemInputSchema, { maxItems: 500 }),
    targetCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
  },
  { additionalProperties: false },
)

/** Whose answer a date's day type is at a zone (issue 11). */
export const TypeFromSchema = Type.Object({
  kind: Type.Union(
    [
      Type.Literal('zone'),
      Type.Literal('district'),
      Type.Literal('official'),
      Type.Literal('weekday'),
    ],
    { description: "a zone's override (this zone's or an ancestor's), the district's, official" },
  ),
  zoneId: Type.String({ description: "the zone whose override decides; '' otherwise" }),
  zoneName: Type.Union([Type.String(), Type.Null()]),
})

/** One date of the calendar, as nodes of one zone ('' the district) live it. */
export const CalendarDaySchema = Type.Object({
  date: Type.String(),
  zone: Type.String({ description: "the zone whose calendar this is; '' the district's" }),
  zoneName: Type.Union([Type.String(), Type.Null()]),
  type: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
  source: Type.Union([Type.Literal('override'), Type.Literal('official'), Type.Literal('weekday')]),
  typeFrom: TypeFromSchema,
  ownOverride: Type.Boolean({
    description: "this zone ('' the district) overrides the date itself",
  }),
  holidayName: Type.Optional(Type.String()),
  holidayNameZh: Type.Optional(Type.String()),
  note: Type.Union([Type.String(), Type.Null()]),
  makeUp: Type.Boolean(),
  hasOwnOrder: Type.Boolean(),
  zoneOrders: Type.Array(Type.Object({ zoneId: Type.String(), zoneName: Type.String() }), {
    description: 'Zones with their own running order of the date (it plays in their subtree)',
  }),
  mode: Type.Union([Type.Literal('replace'), Type.Literal('add'), Type.Null()]),
  drill: Type.Boolean(),
  segmentCount: Type.Integer(),
  slotCount: Type.Integer(),
  targetCount: Type.Integer(),
  announcementCount: Type.Integer(),
})

/** Body of PUT /api/calendar/:date. */
export const OverrideBodySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
)

/** Query of GET /api/calendar: the month, and a zone (id or code; absent: the district). */
export const MonthQuerySchema = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
  zone: Type.Optional(Type.String({ maxLength: 64, description: "zone id or code; '' district" })),
})

/** Answer to GET /api/calendar. */
export const MonthSchema = Type.Object({
  month: Type.String(),
  zone: Type.String({ description: "the zone whose calendar this is; '' the district's" }),
  days: Type.Array(CalendarDaySchema),
})

/** A column (栏目). */
export const ColumnSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  colour: Type.String(),
  defaultPriority: Type.Integer(),
  makeGood: Type.Boolean({ description: 'Missed segments are replayed later (补播)' }),
  makeGoodWindowMin: Type.Integer({ description: 'Make-good window after the instant, minutes' }),
  timeBound: Type.Boolean({ description: 'Weather, warnings…: never made good' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

const fields = {
  name: Type.String({ minLength: 1, maxLength: 50 }),
  colour: Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: '#rrggbb' }),
  defaultPriority: Type.Integer({ minimum: 0, maximum: SEGMENT_PRIORITY_MAX }),
  makeGood: Type.Boolean(),
  makeGoodWindowMin: Type.Integer({ minimum: 5, maximum: 720 }),
  timeBound: Type.Boolean(),
}

/** Body of POST /api/columns. */
export const CreateColumnSchema = Type.Object(
  {
    name: fields.name,
    colour: fields.colour,
    defaultPriority: Type.Optional(fields.defaultPriority),
    makeGood: Type.Optional(fields.makeGood),
    makeGoodWindowMin: Type.Optional(fields.makeGoodWindowMin),
    timeBound: Type.Optional(fields.timeBound),
  },
  { additionalProperties: false },
)

/** Body of PATCH /api/columns/:id. */
export const PatchColumnSchema = Type.Object(
  {
    name: Type.Optional(fields.name),
    colour: Type.Optional(fields.colour),
    defaultPriority: Type.Optional(fields.defaultPriority),
    makeGood: Type.Optional(fields.makeGood),
    makeGoodWindowMin: Type.Optional(fields.makeGoodWindowMin),
    timeBound: Type.Optional(fields.timeBound),
  },
  { additionalProperties: false },
)

/** Path parameter `:id` of columns. */
export const ColumnIdParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
})

const CurrencySchema = Type.Object({ current: Type.Integer(), total: Type.Integer() })

/** GET /api/plans/status: how many nodes hold the current plan, per date and overall. */
export const PlanStatusSchema = Type.Object({
  generatedAt: Type.String(),
  overall: CurrencySchema,
  dates: Type.Array(Type.Object({ date: Type.String(), ...CurrencySchema.properties })),
  outdated: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      name: Type.String(),
      online: Type.Boolean(),
      appliedVersion: Type.Union([Type.String(), Type.Null()]),
      currentVersion: Type.String(),
    }),
  ),
})

/** GET /api/readiness: which nodes hold every file a date needs, and what the others miss. */
export const ReadinessSchema = Type.Object({
  date: Type.String(),
  ready: Type.Integer(),
  total: Type.Integer(),
  notReady: Type.Array(
    Type.Object({
      nodeId: Type.String(),
      name: Type.String(),
      zoneId: Type.String(),
      online: Type.Boolean(),
      reason: Type.Union([
        Type.Literal('missing'),
        Type.Literal('outdatedPlan'),
        Type.Literal('noReport'),
      ]),
      missing: Type.Array(
        Type.Object({ itemId: Type.String(), title: Type.String(), audioId: Type.String() }),
      ),
    }),
  ),
})

/** Query of GET /api/readiness (date default: today). */
export const ReadinessQuerySchema = Type.Object({ date: Type.Optional(DateString) })

/** A day type. */
export type DayType = Static<typeof DayTypeSchema>
/** One segment of a running order. */
export type Item = Static<typeof ItemSchema>
/** One segment as an editor sends it. */
export type ItemInput = Static<typeof ItemInputSchema>
/** A validation finding. */
export type Issue = Static<typeof IssueSchema>
/** A date's running order. */
export type Day = Static<typeof DaySchema>
/** Whose order nodes of a zone play. */
export type PlaysFrom = Static<typeof PlaysFromSchema>
/** One item of what a date plays. */
export type EffectiveItem = Static<typeof EffectiveItemSchema>
/** Body of PUT /api/days/:date. */
export type DayBody = Static<typeof DayBodySchema>
/** A template. */
export type Template = Static<typeof TemplateSchema>
/** One date of the calendar. */
export type CalendarDay = Static<typeof CalendarDaySchema>
/** A month of the calendar. */
export type Month = Static<typeof MonthSchema>
/** A column. */
export type Column = Static<typeof ColumnSchema>
/** Plan currency. */
export type PlanStatus = Static<typeof PlanStatusSchema>
/** Readiness of a date. */
export type Readiness = Static<typeof ReadinessSchema>
