/**
 * @module contract/programme-holidays
 * HTTP contract of the official holiday arrangements (the State Council's notice or an .ics)
 * and of day-type overrides over a range of dates.
 */
import { type Static, Type } from 'typebox'
import { DateString } from './common.js'
import { CalendarDaySchema } from './programme.js'

/** Body of PUT /api/calendar/range: one day type (null: clear) for several dates. */
export const RangeBodySchema = Type.Object(
  {
    dates: Type.Array(DateString, { minItems: 1, maxItems: 62 }),
    type: Type.Union([Type.Literal('working'), Type.Literal('rest'), Type.Null()]),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
)

/** Answer to PUT /api/calendar/range. */
export const RangeAnswerSchema = Type.Object({ days: Type.Array(CalendarDaySchema) })

const DayKind = Type.Union([Type.Literal('working'), Type.Literal('rest')])

/** One dated entry of an official arrangement. */
export const OfficialDaySchema = Type.Object({
  date: Type.String(),
  type: DayKind,
  name: Type.String(),
  nameZh: Type.String(),
})

/** The notice's text or an .ics calendar, and the year when the text does not say it. */
export const HolidayImportSchema = Type.Object(
  {
    text: Type.Optional(Type.String({ maxLength: 200_000 })),
    ics: Type.Optional(Type.String({ maxLength: 200_000 })),
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200 })),
  },
  { additionalProperties: false },
)

const Meaning = Type.Object({ type: DayKind, nameZh: Type.Union([Type.String(), Type.Null()]) })

/** An import read and compared with today's calendar. */
export const HolidayPreviewSchema = Type.Object({
  year: Type.Integer(),
  source: Type.Union([Type.Literal('notice'), Type.Literal('ics')]),
  days: Type.Array(OfficialDaySchema),
  warnings: Type.Array(Type.String()),
  current: Type.Union([Type.Literal('package'), Type.Literal('import'), Type.Literal('none')]),
  changes: Type.Array(Type.Object({ date: Type.String(), before: Meaning, after: Meaning })),
})

/** Known years, imports, and the year whose notice is due. */
export const HolidayStatusSchema = Type.Object({
  today: Type.String(),
  packageYears: Type.Array(Type.Integer()),
  imported: Type.Array(
    Type.Object({
      year: Type.Integer(),
      source: Type.Union([Type.Literal('notice'), Type.Literal('ics')]),
      importedAt: Type.String(),
      importedBy: Type.String(),
      dayCount: Type.Integer(),
    }),
  ),
  missingYear: Type.Union([Type.Integer(), Type.Null()]),
})

/** Path parameter `:year` of an imported arrangement. */
export const HolidayYearParamsSchema = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2200 }),
})

/** An import read and compared with today's calendar. */
export type HolidayPreview = Static<typeof HolidayPreviewSchema>
/** Known years, imports, and the year whose notice is due. */
export type HolidayStatus = Static<typeof HolidayStatusSchema>
