import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import {
  CalendarDaySchema,
  DateParamsSchema,
  MonthQuerySchema,
  MonthSchema,
  OverrideBodySchema,
  RangeAnswerSchema,
  RangeBodySchema,
} from '../../../../contract/index.js'

/** The month calendar and the office's day-type overrides. */
export async function calendarRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { calendar } = app.deps.services

  app.get(
    '/',
    {
      schema: {
        querystring: MonthQuerySchema,
        response: { 200: MonthSchema },
      },
    },
    async (req) => calendar.month(req.query.month),
  )

  app.put(
    '/range',
    { schema: { body: RangeBodySchema, response: { 200: RangeAnswerSchema } } },
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
