import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'

const Details = {
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
    limited: Type.Integer({ description: "dropped by a node's rate limit" }),
  }),
  ingest: Type.Object({
    stored: Type.Integer(),
    duplicates: Type.Integer(),
    pending: Type.Integer(),
  }),
}

/** Anonymous callers get `status` only; a logged-in user or token gets every field. */
const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  uptimeSec: Type.Optional(Details.uptimeSec),
  version: Type.Optional(Details.version),
  tz: Type.Optional(Details.tz),
  broker: Type.Optional(Details.broker),
  database: Type.Optional(Details.database),
  mqtt: Type.Optional(Details.mqtt),
  ingest: Type.Optional(Details.ingest),
})

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
