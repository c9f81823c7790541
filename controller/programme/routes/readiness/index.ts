import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { ReadinessQuerySchema, ReadinessSchema } from '../../../../contract/index.js'
import { reachOf } from '../../../http/plugins/auth.js'

/** Readiness before air time (a user limited to zones: of its nodes). */
export async function readinessRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { planStatus } = app.deps.services
  app.get(
    '/',
    {
      schema: {
        querystring: ReadinessQuerySchema,
        response: { 200: ReadinessSchema },
      },
    },
    async (req) => planStatus.readiness(req.query.date, reachOf(req)),
  )
}
