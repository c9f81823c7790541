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
  ZoneQuerySchema,
} from '../../../../contract/index.js'

/**
 * The month calendar and the office's day-type overrides, the district's or (`?zone=`, id or
 * code) a zone's (issue 11): a zone's override decides for its subtree, below any lower zone's.
 */
export async function calendarRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { calendar } = app.deps.services
  const zoned = { params: DateParamsSchema, querystring: ZoneQuerySchema }

  app.get(
    '/',
    {
      schema: {
        querystring: MonthQuerySchema,
        response: { 200: MonthSchema },
      },
    },
    async (req) => calendar.month(req.query.month, req.query.zone),
  )

  app.put(
    '/range',
    {
      schema: {
        querystring: ZoneQuerySchema,
        body: RangeBodySchema,
        response: { 200: RangeAnswerSchema },
      },
    },
    async (req) => ({
      days: await calendar.setRange(
        req.body.dates,
        req.body.type,
        req.body.note ?? null,
        req.query.zone,
      ),
    }),
  )

  app.get('/:date', { schema: { ...zoned, response: { 200: CalendarDaySchema } } }, async (req) =>
    calendar.day(req.params.date, req.query.zone),
  )

  app.put(
    '/:date',
    { schema: { ...zoned, body: OverrideBodySchema, response: { 200: CalendarDaySchema } } },
    async (req) =>
      calendar.setType(req.params.date, req.body.type, req.body.note ?? null, req.query.zone),
  )

  app.delete(
    '/:date',
    { schema: { ...zoned, response: { 200: CalendarDaySchema } } },
    async (req) => calendar.clear(req.params.date, req.query.zone),
  )
}
