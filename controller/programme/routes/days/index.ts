import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { DateParamsSchema, DayBodySchema, DaySchema } from './schemas.js'

/**
 * A date's own running order: read (with its day type, what will play and validation issues),
 * save (replacing or adding to the template; optionally a drill day), remove. Saving or removing
 * republishes the plans it changes.
 */
export async function daysRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { programme } = app.deps.services

  app.get(
    '/:date',
    { schema: { params: DateParamsSchema, response: { 200: DaySchema } } },
    async (req) => programme.getDay(req.params.date),
  )

  app.put(
    '/:date',
    { schema: { params: DateParamsSchema, body: DayBodySchema, response: { 200: DaySchema } } },
    async (req) =>
      programme.putDay(req.params.date, {
        ...(req.body.mode ? { mode: req.body.mode } : {}),
        ...(req.body.drill !== undefined ? { drill: req.body.drill } : {}),
        items: req.body.items.map((i) => ({ ...i, title: i.title ?? '' })),
      }),
  )

  app.delete(
    '/:date',
    { schema: { params: DateParamsSchema, response: { 200: DaySchema } } },
    async (req) => programme.deleteDay(req.params.date),
  )
}
