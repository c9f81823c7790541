import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  uptimeSec: Type.Number(),
  version: Type.String(),
  tz: Type.String({ description: "the district's time zone" }),
  broker: Type.Object({
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
    connected: Type.Boolean(),
    clients: Type.Union([Type.Integer(), Type.Null()]),
  }),
  database: Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }),
  mqtt: Type.Object({
    received: Type.Integer(),
    rejected: Type.Integer(),
    failed: Type.Integer(),
  }),
  ingest: Type.Object({
    stored: Type.Integer(),
    duplicates: Type.Integer(),
    pending: Type.Integer(),
  }),
})

/** GET /api/health: broker, database and uptime; 503 when degraded, for load balancers. */
export async function healthRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  app.get(
    '/',
    { schema: { response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_req, reply) => {
      const report = app.deps.health()
      reply.code(report.status === 'ok' ? 200 : 503)
      return report
    },
  )
}
