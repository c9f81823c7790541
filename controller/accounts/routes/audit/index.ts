import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { toCsv } from '../../../http/csv.js'

/** One audit log entry. */
export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String({ description: "username, 'node:<id>', 'system' or 'anonymous'" }),
  actorKind: Type.String({ description: 'session, token, node, system or anonymous' }),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  details: Type.Unknown(),
})

const Instant = Type.String({ minLength: 10, maxLength: 40, description: 'ISO date or instant' })

const AuditQuerySchema = Type.Object(
  {
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    action: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: "exact, or a prefix 'node.*'" }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    offset: Type.Optional(Type.Integer({ minimum: 0 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
  },
  { additionalProperties: false },
)

const HEADER = ['at', 'actor', 'actorKind', 'action', 'target', 'ip', 'before', 'after', 'details']
const json = (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v))

/** GET /api/audit (admin): the audit log, newest first, as JSON or CSV (`format=csv`). */
export async function auditRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { audit } = app.deps.services

  app.get(
    '/',
    {
      schema: {
        querystring: AuditQuerySchema,
        response: { 200: Type.Union([Type.Array(AuditEntrySchema), Type.String()]) },
      },
    },
    async (req, reply) => {
      const q = req.query
      // A bare date means that whole day: `to=2026-11-28` includes the 28th.
      const to = q.to && /^\d{4}-\d{2}-\d{2}$/.test(q.to) ? `${q.to}T24` : q.to
      const entries = audit.query({
        ...(q.from ? { from: q.from } : {}),
        ...(to ? { to } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.action ? { action: q.action } : {}),
        limit: q.limit ?? (q.format === 'csv' ? 10_000 : 200),
        offset: q.offset ?? 0,
      })
      if (q.format !== 'csv') return entries
      const rows = entries.map((e) => [
        e.at,
        e.actor,
        e.actorKind,
        e.action,
        e.target,
        e.ip,
        json(e.before),
        json(e.after),
        json(e.details),
      ])
      reply.type('text/csv; charset=utf-8')
      reply.header('content-disposition', 'attachment; filename="chorus-audit.csv"')
      return toCsv(HEADER, rows)
    },
  )
}
