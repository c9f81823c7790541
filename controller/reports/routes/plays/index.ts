import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  PlaySchema,
  PlaysPageSchema,
  PlaysQuerySchema,
  UNPAGED_PLAYS_MAX,
} from '../../../../contract/index.js'
import { reaches } from '../../../http/plugins/auth.js'

/**
 * GET /api/plays?date=YYYY-MM-DD: the play events reported for items of that date, oldest first.
 * With `limit`/`offset` or a filter (`node`, `zone`, `outcome`): one page and the total. With the
 * date alone (the old web UI's call): a plain list, capped at UNPAGED_PLAYS_MAX (header
 * x-total-count tells how many there were). A user limited to zones gets only the plays of nodes
 * in them; every play carries its segment's title and its node's name, whatever the role.
 */
export async function playsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { services } = app.deps
  app.get(
    '/',
    {
      schema: {
        querystring: PlaysQuerySchema,
        response: { 200: Type.Union([Type.Array(PlaySchema), PlaysPageSchema]) },
      },
    },
    async (req, reply) => {
      const { date, node, zone, outcome } = req.query
      const paged =
        Object.keys(req.query).some((k) => k !== 'date' && k !== 'limit' && k !== 'offset') ||
        /[?&](limit|offset)=/.test(req.url)
      const all = services.provisioning.listZones().map((z) => z.id)
      const asked =
        zone === undefined
          ? all
          : all.filter((id) => services.provisioning.zoneLineage(id).includes(zone))
      const mine = asked.filter((id) => reaches(req, id))
      const zoneIds = zone === undefined && mine.length === all.length ? null : mine
      const base = {
        date,
        nodeId: node ?? null,
        zoneIds,
        type: outcome === undefined ? null : `play.${outcome}`,
      }
      if (!paged) {
        const page = services.reports.plays({ ...base, limit: UNPAGED_PLAYS_MAX, offset: 0 })
        reply.header('x-total-count', String(page.total))
        return page.items
      }
      const limit = req.query.limit ?? 100
      const offset = req.query.offset ?? 0
      return { ...services.reports.plays({ ...base, limit, offset }), limit, offset }
    },
  )
}
