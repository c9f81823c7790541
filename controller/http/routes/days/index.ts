import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { DayPlanModeSchema, TIME_PATTERN } from '../../../../schedules/index.js'

const DateParams = Type.Object({ date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) })

const ItemSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  start: Type.String({ pattern: TIME_PATTERN }),
  audioId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  title: Type.String({ maxLength: 200 }),
  columnId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  zones: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 })),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
})

const ItemInputSchema = Type.Object(
  {
    ...ItemSchema.properties,
    id: Type.Optional(ItemSchema.properties.id),
    title: Type.Optional(Type.String({ maxLength: 200, default: '' })),
    audioId: Type.Union([Type.String({ minLength: 1 }), Type.Null()]),
  },
  { additionalProperties: false },
)

const DayBodySchema = Type.Object(
  {
    mode: Type.Optional(DayPlanModeSchema),
    items: Type.Array(ItemInputSchema, { maxItems: 500 }),
  },
  { additionalProperties: false },
)

const DaySchema = Type.Object({
  date: Type.String(),
  mode: DayPlanModeSchema,
  items: Type.Array(ItemSchema),
  updatedAt: Type.Union([Type.String(), Type.Null()]),
  issues: Type.Array(
    Type.Object({
      code: Type.String(),
      severity: Type.String(),
      itemId: Type.Optional(Type.String()),
      message: Type.String(),
    }),
  ),
})

/** A date's running order: read, and replace (which republishes the affected plans). */
export async function daysRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { programme } = app.deps.services

  app.get('/:date', { schema: { params: DateParams, response: { 200: DaySchema } } }, async (req) =>
    programme.getDay(req.params.date),
  )

  app.put(
    '/:date',
    { schema: { params: DateParams, body: DayBodySchema, response: { 200: DaySchema } } },
    async (req) =>
      programme.putDay(req.params.date, {
        mode: req.body.mode,
        items: req.body.items.map((i) => ({ ...i, title: i.title ?? '' })),
      }),
  )
}
