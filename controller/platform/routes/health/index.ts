import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { HealthSchema } from '../../../../contract/index.js'

/**
 * GET /api/health: 503 when degraded, for load balancers; anyone learns only that (liveness), a
 * logged-in user or API token also the broker, database, uptime and message counts.
 */
export async function healthRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/',
    { schema: { response: { 200: HealthSchema, 503: HealthSchema } } },
    async (req, reply) => {
      const report = app.deps.health()
      reply.code(report.status === 'ok' ? 200 : 503)
      return req.principal?.kind === 'user' ? report : { status: report.status }
    },
  )
}
