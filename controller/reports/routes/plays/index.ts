import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { PlaySchema, PlaysQuerySchema } from '../../../../contract/index.js'

/** GET /api/plays?date=YYYY-MM-DD: every play event reported for items of that date. */
export async function playsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { repos } = app.deps
  app.get(
    '/',
    {
      schema: {
        querystring: PlaysQuerySchema,
        response: { 200: Type.Array(PlaySchema) },
      },
    },
    async (req) => repos.events.playViewsOn(req.query.date),
  )
}
