import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import {
  DateParamsSchema,
  DayBodySchema,
  DayCopyBodySchema,
  DaySchema,
  DayVersionParamsSchema,
  DayVersionSchema,
  EffectiveDaySchema,
  EffectiveQuerySchema,
  ZoneQuerySchema,
} from '../../../../contract/index.js'
import { ChorusError } from '../../../errors.js'
import { authorOf } from '../audio/upload.js'

/**
 * A date's own running order, the district's or (`?zone=`, id or code) a zone's: read (with its
 * day type, what will play and validation issues), save (replacing or adding to the template;
 * optionally a drill day), remove, its versions and their restore, copies, and which order a zone
 * or node actually plays. Saving or removing republishes the plans it changes.
 */
export async function daysRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { programme } = app.deps.services
  const zoned = { params: DateParamsSchema, querystring: ZoneQuerySchema }

  app.get('/:date', { schema: { ...zoned, response: { 200: DaySchema } } }, async (req) =>
    programme.getDay(req.params.date, req.query.zone),
  )

  app.put(
    '/:date',
    { schema: { ...zoned, body: DayBodySchema, response: { 200: DaySchema } } },
    async (req) =>
      programme.putDay(
        req.params.date,
        {
          ...(req.body.mode ? { mode: req.body.mode } : {}),
          ...(req.body.drill !== undefined ? { drill: req.body.drill } : {}),
          items: req.body.items.map((i) => ({ ...i, title: i.title ?? '' })),
        },
        authorOf(req) ?? 'api',
        req.query.zone,
      ),
  )

  app.post(
    '/copy',
    {
      schema: {
        querystring: ZoneQuerySchema,
        body: DayCopyBodySchema,
        response: { 200: Type.Object({ days: Type.Array(DaySchema) }) },
      },
    },
    async (req) => ({
      days: await programme.copy(req.body.pairs, authorOf(req) ?? 'api', req.query.zone),
    }),
  )

  app.get(
    '/:date/versions',
    { schema: { ...zoned, response: { 200: Type.Array(DayVersionSchema) } } },
    async (req) => programme.versions(req.params.date, req.query.zone),
  )

  app.get(
    '/:date/effective',
    {
      schema: {
        params: DateParamsSchema,
        querystring: EffectiveQuerySchema,
        response: { 200: EffectiveDaySchema },
      },
    },
    async (req) => {
      const { zone, node } = req.query
      if (zone !== undefined && node !== undefined) {
        throw new ChorusError('BAD_REQUEST', 'ask about a zone or a node, not both')
      }
      return programme.effective(req.params.date, {
        ...(zone !== undefined ? { zone } : {}),
        ...(node !== undefined ? { node } : {}),
      })
    },
  )

  app.post(
    '/:date/versions/:version/restore',
    {
      schema: {
        params: DayVersionParamsSchema,
        querystring: ZoneQuerySchema,
        response: { 200: DaySchema },
      },
    },
    async (req) =>
      programme.restore(
        req.params.date,
        req.params.version,
        authorOf(req) ?? 'api',
        req.query.zone,
      ),
  )

  app.delete('/:date', { schema: { ...zoned, response: { 200: DaySchema } } }, async (req) =>
    programme.deleteDay(req.params.date, authorOf(req) ?? 'api', req.query.zone),
  )
}
