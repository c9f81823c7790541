import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { AuditAnswerSchema, AuditQuerySchema } from '../../../../contract/index.js'
import { toCsv } from '../../../http/csv.js'

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
        response: { 200: AuditAnswerSchema },
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
