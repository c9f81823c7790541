import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { DateParamsSchema } from '../days/schemas.js'

/** One date of the calendar. */
export const CalendarDaySchema = Type.Object({
  date: Type.String(),
  type: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
  source: Type.Union([Type.Literal('override'), Type.Literal('official'), Type.Literal('weekday')]),
  holidayName: Type.Optional(Type.String()),
  holidayNameZh: Type.Optional(Type.String()),
  note: Type.Union([Type.String(), Type.Null()]),
  makeUp: Type.Boolean(),
  hasOwnOrder: Type.Boolean(),
  mode: Type.Union([Type.Literal('replace'), Type.Literal('add'), Type.Null()]),
  drill: Type.Boolean(),
  segmentCount: Type.Integer(),
  slotCount: Type.Integer(),
  targetCount: Type.Integer(),
  announcementCount: Type.Integer(),
})

const OverrideBodySchema = Type.Object(
  {
    type: Type.Union([Type.Literal('working'), Type.Literal('rest')]),
    note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
)

/** The month calendar and the office's day-type overrides. */
export async function calendarRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { calendar } = app.deps.services

  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({ month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }) }),
        response: {
          200: Type.Object({ month: Type.String(), days: Type.Array(CalendarDaySchema) }),
        },
      },
    },
    async (req) => calendar.month(req.query.month),
  )

  app.put(
    '/range',
    {
      schema: {
        body: Type.Object(
          {
            dates: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), {
              minItems: 1,
              maxItems: 62,
            }),
            type: Type.Union([Type.Literal('working'), Type.Literal('rest'), Type.Null()]),
            note: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ days: Type.Array(CalendarDaySchema) }) },
      },
    },
    async (req) => ({
      days: await calendar.setRange(req.body.dates, req.body.type, req.body.note ?? null),
    }),
  )

  app.get(
    '/:date',
    { schema: { params: DateParamsSchema, response: { 200: CalendarDaySchema } } },
    async (req) => calendar.day(req.params.date),
  )

  app.put(
    '/:date',
    {
      schema: {
        params: DateParamsSchema,
        body: OverrideBodySchema,
        response: { 200: CalendarDaySchema },
      },
    },
    async (req) => calendar.setType(req.params.date, req.body.type, req.body.note ?? null),
  )

  app.delete(
    '/:date',
    { schema: { params: DateParamsSchema, response: { 200: CalendarDaySchema } } },
    async (req) => calendar.clear(req.params.date),
  )
}
