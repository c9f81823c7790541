import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

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

/** Readiness before air time. */
export async function readinessRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { planStatus } = app.deps.services
  app.get(
    '/',
    {
      schema: {
        querystring: Type.Object({
          date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
        }),
        response: { 200: ReadinessSchema },
      },
    },
    async (req) => planStatus.readiness(req.query.date),
  )
}
