import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { DateParamsSchema, DayBodySchema, DaySchema } from '../../../../contract/index.js'
import { authorOf } from '../audio/upload.js'

const DATE = '^\\d{4}-\\d{2}-\\d{2}$'

/** One saved version of a date's order. */
const VersionSchema = Type.Object({
  date: Type.String(),
  version: Type.Integer(),
  mode: Type.Union([Type.Literal('replace'), Type.Literal('add')]),
  items: Type.Array(Type.Unknown()),
  drill: Type.Boolean(),
  deleted: Type.Boolean(),
  savedAt: Type.String(),
  savedBy: Type.String(),
})

const CopySchema = Type.Object(
  {
    pairs: Type.Array(
      Type.Object(
        {
          from: Type.Union([
            Type.String({ pattern: DATE }),
            Type.Literal('template:working'),
            Type.Literal('template:rest'),
          ]),
          to: Type.String({ pattern: DATE }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 62 },
    ),
  },
  { additionalProperties: false },
)

/**
 * A date's own running order: read (with its day type, what will play and validation issues),
 * save (replacing or adding to the template; optionally a drill day), remove. Saving or removing
 * republishes the plans it changes.
 */
export async function daysRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { programme } = app.deps.services

  app.get(
    '/:date',
    { schema: { params: DateParamsSchema, response: { 200: DaySchema } } },
    async (req) => programme.getDay(req.params.date),
  )

  app.put(
    '/:date',
    { schema: { params: DateParamsSchema, body: DayBodySchema, response: { 200: DaySchema } } },
    async (req) =>
      programme.putDay(
        req.params.date,
        {
          ...(req.body.mode ? { mode: req.body.mode } : {}),
          ...(req.body.drill !== undefined ? { drill: req.body.drill } : {}),
          items: req.body.items.map((i) => ({ ...i, title: i.title ?? '' })),
        },
        authorOf(req) ?? 'api',
      ),
  )

  app.post(
    '/copy',
    {
      schema: { body: CopySchema, response: { 200: Type.Object({ days: Type.Array(DaySchema) }) } },
    },
    async (req) => ({ days: await programme.copy(req.body.pairs, authorOf(req) ?? 'api') }),
  )

  app.get(
    '/:date/versions',
    { schema: { params: DateParamsSchema, response: { 200: Type.Array(VersionSchema) } } },
    async (req) => programme.versions(req.params.date),
  )

  app.post(
    '/:date/versions/:version/restore',
    {
      schema: {
        params: Type.Object({
          date: Type.String({ pattern: DATE }),
          version: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: DaySchema },
      },
    },
    async (req) => programme.restore(req.params.date, req.params.version, authorOf(req) ?? 'api'),
  )

  app.delete(
    '/:date',
    { schema: { params: DateParamsSchema, response: { 200: DaySchema } } },
    async (req) => programme.deleteDay(req.params.date, authorOf(req) ?? 'api'),
  )
}
